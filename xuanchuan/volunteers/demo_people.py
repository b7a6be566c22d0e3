"""Demo data of the volunteers app, first part: the practice centre, institutes and stations, the
ten brands, the teams, the households of the villages, the volunteers and their memberships.

Most rows go in with ``bulk_insert`` (the encrypted fields set on the instances, so ``bulk_create``
encrypts them and fills the blind indexes); a few volunteers of the points clerk's community come
in through ``services.identity.enrol``, as a member of staff would enter them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from xuanchuan.core.demo import DemoContext, DemoError, bulk_insert
from xuanchuan.core.pii.validators import id_check_character
from xuanchuan.org.demo import GIVEN_NAME_CHARS, ROADS, SURNAMES
from xuanchuan.org.models import RoleCode, Unit, UnitType, User
from xuanchuan.volunteers.models import (
    Brand,
    Gender,
    Household,
    MemberRole,
    Membership,
    PracticeSite,
    SiteLevel,
    Team,
    Volunteer,
    VolunteerSource,
    VolunteerStatus,
)
from xuanchuan.volunteers.services.identity import CONSENT_VERSION, Person, enrol

# The ten brands of civilisation practice (the reference's 十大文明实践品牌), with what their teams do.
BRANDS: tuple[tuple[str, str], ...] = (
    ("理论宣讲", "百姓宣讲团进社区、进村组，用身边事讲透大道理"),
    ("道德信贷", "好人好事记积分、积分兑换生活用品，以德换得"),
    ("孝善矩阵", "孝善宴、德润生日会，关爱孤寡和空巢老人"),
    ("邻里互助", "邻里互夸、结对帮扶，办好身边小事"),
    ("环境卫生", "清洁家园、垃圾分类指导、背街小巷整治"),
    ("文化文艺", "广场舞、秦腔、书画进社区，丰富群众文化生活"),
    ("医疗健康", "义诊、健康讲座、急救培训"),
    ("法律服务", "法律咨询、矛盾调解、普法宣传"),
    ("科普宣传", "科普讲座、防诈骗宣传、青少年科学课堂"),
    ("助老助残", "助餐助浴、代购代办、陪诊陪护"),
)
TEAM_KINDS = (
    "红马甲", "银发先锋", "巾帼", "青年突击", "党员先锋", "小小", "夕阳红", "邻里守望", "爱心", "春风",
)  # fmt: skip
# County codes of the district's city, for the demo's ID numbers (a city of the north-west).
REGION_CODES = ("620102", "620103", "620104", "620105", "620111", "620121", "620122", "620123")
SKILLS = ("医疗护理", "法律咨询", "文艺表演", "摄影摄像", "心理疏导", "电脑维修", "理发", "驾驶", "书法", "教学辅导")
AVAILABILITY = ("周末", "工作日晚上", "工作日白天", "节假日", "随时")


@dataclass
class People:
    """What the first part made, for the parts after it."""

    district: Unit
    streets: list[Unit]
    grassroots: list[Unit]
    sites_by_unit: dict[int, PracticeSite]
    brands: list[Brand]
    teams: list[Team]
    volunteers: list[Volunteer]
    households: list[Household]
    members: dict[int, list[Volunteer]] = field(default_factory=dict)  # team pk → its members
    by_unit: dict[int, list[Volunteer]] = field(default_factory=dict)  # community pk → its volunteers


def at(day: date, hour: int = 9, minute: int = 0) -> datetime:
    """A local moment on ``day``."""
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def staff_of(ctx: DemoContext, unit: Unit) -> User | None:
    """The unit's own reporter or community worker (the natural author of its records)."""
    people = ctx.shared.get("staff_by_unit", {}).get(unit.code) or []
    return people[0] if people else None


def _open(unit: Unit, day: date) -> bool:
    return (unit.established_on is None or unit.established_on <= day) and (
        unit.dissolved_on is None or unit.dissolved_on > day
    )


def _start_of(unit: Unit, ctx: DemoContext) -> date:
    """The first day the demo may date a record of ``unit``: its setting up, or before the demo's years."""
    first = date(ctx.years[0] - 1, 3, 1)
    return max(first, unit.established_on) if unit.established_on else first


def seed(ctx: DemoContext) -> People:
    by_type = ctx.shared.get("units_by_type") or {}
    district = ctx.shared.get("district")
    if district is None:
        raise DemoError("新时代文明实践的演示数据需要组织机构的演示数据（区、街道和社区）。")
    streets = [unit for kind in (UnitType.STREET, UnitType.TOWN) for unit in by_type.get(str(kind), [])]
    streets = [unit for unit in streets if _open(unit, ctx.today)]
    grassroots = [unit for kind in (UnitType.COMMUNITY, UnitType.VILLAGE) for unit in by_type.get(str(kind), [])]
    grassroots = [unit for unit in grassroots if unit.dissolved_on is None]
    if not streets or not grassroots:
        raise DemoError("新时代文明实践的演示数据需要街道（乡镇）和社区（村）。")
    sites = _sites(ctx, district, streets, grassroots)
    brands = _brands(ctx, district)
    teams = _teams(ctx, district, streets, grassroots, sites, brands)
    households = _households(ctx, grassroots)
    volunteers = _volunteers(ctx, grassroots, households)
    people = People(district, streets, grassroots, sites, brands, teams, volunteers, households)
    for volunteer in volunteers:
        people.by_unit.setdefault(volunteer.unit_id, []).append(volunteer)
    _memberships(ctx, people)
    ctx.log(
        f"文明实践阵地 {len(sites)} 个，品牌 {len(brands)} 个，志愿服务队伍 {len(teams)} 支，"
        f"志愿者 {len(volunteers)} 人，家庭户 {len(households)} 户"
    )
    return people


def _sites(ctx: DemoContext, district: Unit, streets: list[Unit], grassroots: list[Unit]) -> dict[int, PracticeSite]:
    """The centre, an institute for every street and town, a station for most communities and villages."""
    plans = [(district, SiteLevel.CENTRE, f"{district.name}新时代文明实践中心")]
    plans += [(unit, SiteLevel.INSTITUTE, f"{unit.name}新时代文明实践所") for unit in streets]
    # Nearly every community has its station; a few are still being set up.
    plans += [
        (unit, SiteLevel.STATION, f"{unit.name}新时代文明实践站")
        for index, unit in enumerate(grassroots)
        if index == 0 or not ctx.chance(0.12)
    ]
    rows = []
    for index, (unit, level, name) in enumerate(plans):
        opened = _start_of(unit, ctx)
        rows.append(
            PracticeSite(
                unit=unit,
                created_by=staff_of(ctx, unit),
                created_at=at(opened),
                level=level,
                name=name,
                address=f"{ctx.rng.choice(ROADS)}{ctx.rng.randint(1, 300)}号",
                opening_hours="周一至周日 8:30—18:00" if level == SiteLevel.STATION else "工作日 9:00—17:30",
                phone=f"0931-{ctx.rng.randint(2_000_000, 8_999_999)}",
                description=f"{name}围绕“学、讲、育、兴、扬、倡”开展文明实践活动。",
                # The first community shows its ranking (the points clerk's), and a few others.
                show_ranking=level == SiteLevel.STATION and (index == len(streets) + 1 or ctx.chance(0.15)),
            )
        )
    bulk_insert(PracticeSite, rows)
    return {site.unit_id: site for site in rows}


def _brands(ctx: DemoContext, district: Unit) -> list[Brand]:
    author = staff_of(ctx, district)
    rows = [
        Brand(
            unit=district,
            created_by=author,
            created_at=at(date(ctx.years[0] - 1, 2, 1) + timedelta(days=index)),
            name=name,
            description=description,
        )
        for index, (name, description) in enumerate(BRANDS)
    ]
    bulk_insert(Brand, rows)
    return rows


def _teams(
    ctx: DemoContext,
    district: Unit,
    streets: list[Unit],
    grassroots: list[Unit],
    sites: dict[int, PracticeSite],
    brands: list[Brand],
) -> list[Team]:
    """Small: about forty teams (a few of the district, one per street, one in most communities);
    large: several at every level. A few are founded during the demo's years, a few dissolved."""
    per_district, per_street = (4, 1) if not ctx.large else (10, 4)
    plans: list[Unit] = [district] * per_district + [unit for unit in streets for _ in range(per_street)]
    if ctx.large:
        plans += [unit for unit in grassroots for _ in range(ctx.rng.randint(2, 4))]
    else:
        # The first community (the points clerk's) always has a team: its activity runs now.
        plans += [grassroots[0]] + [unit for unit in grassroots[1:] if ctx.chance(0.5)][:25]
    rows: list[Team] = []
    names: set[tuple[int, str]] = set()
    for index, unit in enumerate(plans):
        brand = brands[index % len(brands)] if unit == district else ctx.rng.choice(brands)
        while True:
            name = f"{unit.name if unit != district else ''}{ctx.rng.choice(TEAM_KINDS)}{brand.name}志愿服务队"
            if (unit.pk, name) not in names:
                break
            name = f"{unit.name}{brand.name}志愿服务{len(names) + 1}队"
            if (unit.pk, name) not in names:
                break
        names.add((unit.pk, name))
        start = _start_of(unit, ctx)
        # Most teams are older than the demo's years; one in eight is founded during them.
        if ctx.chance(0.125):
            founded = ctx.random_date_between(date(ctx.years[0], 1, 1), ctx.today - timedelta(days=60))
        else:
            founded = ctx.random_date_between(start, date(ctx.years[0] - 1, 12, 31))
        founded = max(founded, start)
        dissolved = None
        if index % 17 == 16:
            dissolved = ctx.random_date_between(date(ctx.years[1], 3, 1), date(ctx.years[1], 10, 31))
            dissolved = dissolved if dissolved > founded else None
        rows.append(
            Team(
                unit=unit,
                created_by=staff_of(ctx, unit),
                created_at=at(founded),
                name=name,
                brand=brand,
                site=sites.get(unit.pk),
                description=[text for title, text in BRANDS if title == brand.name][0],
                founded_on=founded,
                dissolved_on=dissolved,
            )
        )
    bulk_insert(Team, rows)
    return rows


def _households(ctx: DemoContext, grassroots: list[Unit]) -> list[Household]:
    """Households in the villages (道德信贷 scores them there): a few dozen per village."""
    rows = []
    for unit in grassroots:
        if unit.unit_type != UnitType.VILLAGE:
            continue
        for number in range(1, ctx.scaled(8, 120) + 1):
            rows.append(
                Household(
                    unit=unit,
                    created_by=None,
                    created_at=at(_start_of(unit, ctx)),
                    number=f"{number:03d}",
                    head_name=_name(ctx),
                    address=f"{unit.name}{ctx.rng.randint(1, 9)}组{number}号",
                )
            )
    bulk_insert(Household, rows)
    return rows


def _name(ctx: DemoContext) -> str:
    return ctx.rng.choice(SURNAMES) + "".join(ctx.rng.choices(GIVEN_NAME_CHARS, k=ctx.rng.choice((1, 2, 2))))


def id_number(ctx: DemoContext, used: set[str]) -> tuple[str, date]:
    """A valid resident ID of the city (check character by GB 11643), born 1950–2008, not used yet."""
    while True:
        born = date(1950, 1, 1) + timedelta(days=ctx.rng.randint(0, (date(2008, 12, 31) - date(1950, 1, 1)).days))
        first17 = f"{ctx.rng.choice(REGION_CODES)}{born:%Y%m%d}{ctx.rng.randint(0, 999):03d}"
        number = first17 + id_check_character(first17)
        if number not in used:
            used.add(number)
            return number, born


def _volunteers(ctx: DemoContext, grassroots: list[Unit], households: list[Household]) -> list[Volunteer]:
    """Small: about 600 volunteers; large: about 30,000. A third registered before the demo's
    years, the rest over them (each year has its new volunteers); a few have withdrawn. In
    villages most belong to a household."""
    total = ctx.scaled(600, 30_000)
    households_by_unit: dict[int, list[Household]] = defaultdict(list)
    for household in households:
        households_by_unit[household.unit_id].append(household)
    used: set[str] = set()
    clerk_unit = _clerk_unit(ctx)
    rows: list[Volunteer] = []
    # A few of the points clerk's community come in through the enrolment service, as staff enter them.
    if clerk_unit is not None:
        worker = staff_of(ctx, clerk_unit)
        for _ in range(3):
            number, _born = id_number(ctx, used)
            person = Person(
                name=_name(ctx),
                id_number=number,
                phone=f"13{ctx.rng.randint(0, 999_999_999):09d}",
                address=f"{ctx.rng.choice(ROADS)}{ctx.rng.randint(1, 300)}号",
                skills=ctx.rng.choice(SKILLS),
                availability=ctx.rng.choice(AVAILABILITY),
            )
            volunteer = enrol(
                person, unit=clerk_unit, source=VolunteerSource.STAFF, by=worker, consented=True
            ).volunteer
            joined = at(date(ctx.years[0] - 1, 6, 1))
            Volunteer.objects.filter(pk=volunteer.pk).update(created_at=joined, consented_at=joined, created_by=worker)
            volunteer.created_at = volunteer.consented_at = joined
            rows.append(volunteer)
    fresh = []
    for _ in range(total - len(rows)):
        unit = ctx.rng.choice(grassroots)
        number, born = id_number(ctx, used)
        if ctx.chance(0.35):
            joined_day = ctx.random_date_between(_start_of(unit, ctx), date(ctx.years[0] - 1, 12, 31))
        else:
            joined_day = ctx.random_date_between(max(_start_of(unit, ctx), date(ctx.years[0], 1, 1)), ctx.today)
        joined = at(joined_day, ctx.rng.randint(8, 21), ctx.rng.randint(0, 59))
        source = ctx.rng.choices(VolunteerSource.values, weights=(6, 3, 1))[0]
        withdrawn = ctx.chance(0.03) and joined_day < ctx.today - timedelta(days=90)
        withdrawn_at = ctx.random_datetime_between(joined + timedelta(days=60), ctx.now) if withdrawn else None
        homes = households_by_unit.get(unit.pk)
        fresh.append(
            Volunteer(
                unit=unit,
                created_at=joined,
                name=_name(ctx),
                id_number=number,
                phone=f"1{ctx.rng.choice('3578')}{ctx.rng.randint(0, 999_999_999):09d}",
                address=f"{ctx.rng.choice(ROADS)}{ctx.rng.randint(1, 300)}号{ctx.rng.randint(1, 20)}栋",
                gender=Gender.MALE if int(number[16]) % 2 else Gender.FEMALE,
                birth_year=born.year,
                skills=ctx.rng.choice(SKILLS) if ctx.chance(0.4) else "",
                availability=ctx.rng.choice(AVAILABILITY),
                household=ctx.rng.choice(homes) if homes and ctx.chance(0.8) else None,
                source=source,
                consented_at=joined,
                consent_version=CONSENT_VERSION,
                status=VolunteerStatus.WITHDRAWN if withdrawn else VolunteerStatus.ACTIVE,
                withdrawn_at=withdrawn_at,
            )
        )
    bulk_insert(Volunteer, fresh)
    return rows + fresh


def _clerk_unit(ctx: DemoContext) -> Unit | None:
    clerks = ctx.shared.get("users_by_role", {}).get(RoleCode.POINTS_CLERK) or []
    return clerks[0].unit if clerks else None


def _left(joined: date, team: Team, volunteer: Volunteer) -> date | None:
    """When a membership ended: the team dissolved or the volunteer withdrew, never before joining."""
    ends = [day for day in (team.dissolved_on, volunteer.withdrawn_at and volunteer.withdrawn_at.date()) if day]
    return max(joined, min(ends)) if ends else None


def parents(people: People) -> dict[int, int]:
    """The pk of the street or town above each community and village (by the tree's paths)."""
    streets = {unit.path: unit.pk for unit in people.streets}
    return {unit.pk: streets.get(unit.path[: -Unit.steplen], people.district.pk) for unit in people.grassroots}


def _memberships(ctx: DemoContext, people: People) -> None:
    """Every volunteer joins a team of their community, else of their street, else of the
    district; one in six also joins a district team; each team's first member leads it."""
    by_unit: dict[int, list[Team]] = defaultdict(list)
    for team in people.teams:
        by_unit[team.unit_id].append(team)
    district_teams = by_unit.get(people.district.pk, [])
    parent_of = parents(people)
    rows = []
    for volunteer in people.volunteers:
        choices = by_unit.get(volunteer.unit_id) or by_unit.get(parent_of.get(volunteer.unit_id)) or district_teams
        teams = [ctx.rng.choice(choices)]
        if district_teams and ctx.chance(1 / 6) and teams[0] not in district_teams:
            teams.append(ctx.rng.choice(district_teams))
        for team in teams:
            joined = max(volunteer.created_at.date(), team.founded_on)
            first = not people.members.get(team.pk)
            people.members.setdefault(team.pk, []).append(volunteer)
            rows.append(
                Membership(
                    team=team,
                    volunteer=volunteer,
                    role=MemberRole.LEADER if first else MemberRole.MEMBER,
                    joined_on=joined,
                    left_on=_left(joined, team, volunteer),
                )
            )
    bulk_insert(Membership, rows, keep_ids=False)
