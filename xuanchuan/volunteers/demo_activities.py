"""Demo data of the volunteers app, second part: each team's projects of each year (some left as
drafts), their activities (past ones with sign-ups and the check-ins and check-outs of those who
came, a few cancelled; coming ones open for sign-up, some full with a waiting list; one running
now in the points clerk's community), the service records (mostly scanned and confirmed, some
entered afterwards and approved, waiting or refused, a few void for want of a check-out, a few
corrected), and the volunteer's record beyond service: trainings, awards, evaluations and
certificates of hours.

The large demo holds more than 100,000 scanned check-ins; they go in with ``bulk_insert``.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.utils import timezone

from xuanchuan.core.demo import DemoContext, bulk_insert
from xuanchuan.org.models import Unit
from xuanchuan.volunteers.demo_people import People, at, parents, staff_of
from xuanchuan.volunteers.models import (
    Activity,
    ActivityStatus,
    Award,
    AwardLevel,
    Certificate,
    Evaluation,
    HoursCorrection,
    Project,
    ProjectStatus,
    RecordSource,
    RecordStatus,
    ServiceRecord,
    SignUp,
    SignUpStatus,
    Team,
    Training,
    Volunteer,
)

ACTIVITY_TITLES: dict[str, tuple[str, ...]] = {
    "理论宣讲": ("百姓宣讲进小区", "党的创新理论院坝宣讲", "红色故事分享会"),
    "道德信贷": ("道德信贷积分评议会", "积分超市开放日", "好人好事评选"),
    "孝善矩阵": ("孝善宴", "德润生日会", "敲锣打鼓送荣誉"),
    "邻里互助": ("邻里互夸会", "邻里节", "结对帮扶走访"),
    "环境卫生": ("清洁家园", "垃圾分类入户指导", "背街小巷环境整治"),
    "文化文艺": ("文艺演出进社区", "书画义写春联", "广场舞展演"),
    "医疗健康": ("健康义诊", "急救知识培训", "慢病随访"),
    "法律服务": ("法律咨询进社区", "矛盾纠纷调解日", "普法宣传"),
    "科普宣传": ("防电信诈骗宣传", "科普大篷车", "青少年科学课堂"),
    "助老助残": ("助餐送餐", "陪诊陪护", "代购代办"),
}
MANUAL_REASONS = ("手机没电未能扫码签到", "活动现场信号差未能扫码", "提前离场忘记签退", "协助搬运物资未及扫码")
COURSES = ("志愿服务通用知识培训", "应急救护培训", "文明实践骨干培训", "志愿服务记录与证明规范培训", "心理关爱培训")
HONOURS = (
    ("优秀志愿者", AwardLevel.DISTRICT, "区新时代文明实践中心"),
    ("最美志愿者", AwardLevel.CITY, "市文明办"),
    ("星级志愿者", AwardLevel.STREET, "街道新时代文明实践所"),
    ("优秀志愿者", AwardLevel.PROVINCE, "省文明办"),
    ("志愿服务先进个人", AwardLevel.COMMUNITY, "社区新时代文明实践站"),
)
COMMENTS = ("服务认真，群众满意", "积极主动，按时到岗", "耐心细致", "带动身边人参与", "")


@dataclass
class Service:
    """What the second part made, for the points."""

    activities: list[Activity]
    records: list[ServiceRecord]
    corrections: list[HoursCorrection] = field(default_factory=list)
    running: Activity | None = None


def seed(ctx: DemoContext, people: People) -> Service:
    projects = _projects(ctx, people.teams)
    activities, participants = _activities(ctx, people, projects)
    records, signups = _attendance(ctx, people, activities, participants)
    bulk_insert(SignUp, signups, keep_ids=False)
    bulk_insert(ServiceRecord, records)
    corrections = _corrections(ctx, records)
    service = Service(activities, records, corrections)
    service.running = next((item for item in activities if item.starts_at <= ctx.now < item.ends_at), None)
    records += _through_services(ctx, people, service)
    _record_beyond_service(ctx, people, records)
    scans = sum(1 for record in records if record.source == RecordSource.SCAN)
    ctx.log(
        f"志愿服务项目 {len(projects)} 个，活动 {len(activities)} 场，报名 {len(signups)} 条，"
        f"服务记录 {len(records)} 条（扫码签到 {scans} 条），时长更正 {len(corrections)} 条"
    )
    return service


def _through_services(ctx: DemoContext, people: People, service: Service) -> list[ServiceRecord]:
    """A few steps as a volunteer takes them on the phone: the staff-enrolled volunteers of the
    clerk's community sign up for a coming activity there (``activities.sign_up``), and those signed
    up for the activity running now who have not checked in yet do so by the code on the organiser's
    screen (``attendance.check_in``). Returns the records made."""
    from xuanchuan.volunteers import checkin_codes
    from xuanchuan.volunteers.services import activities as activity_services
    from xuanchuan.volunteers.services import attendance

    first = people.grassroots[0]
    coming = [
        item
        for item in service.activities
        if item.unit_id == first.pk and item.status == ActivityStatus.OPEN and item.starts_at > timezone.now()
    ]
    # The staff-enrolled volunteers come first among their community's (``demo_people``).
    enrolled = people.by_unit.get(first.pk, [])[:3]
    signed = 0
    for activity in coming[:1]:
        for volunteer in enrolled:
            live = activity.signups.filter(volunteer=volunteer).exclude(status=SignUpStatus.CANCELLED).exists()
            if not live and activity_services.clash(volunteer, activity) is None:
                activity_services.sign_up(activity, volunteer=volunteer)
                signed += 1
    made = []
    running = service.running
    if running is not None:
        waiting = SignUp.objects.filter(activity=running, status=SignUpStatus.CONFIRMED).exclude(
            volunteer__records__activity=running
        )
        for signup in waiting.select_related("volunteer"):
            code = checkin_codes.current_code(running)
            made.append(attendance.check_in(running, volunteer=signup.volunteer, code=code))
    ctx.log(f"经服务办理：报名 {signed} 人，扫码签到 {len(made)} 人")
    return made


def _exists(team: Team, year: int) -> bool:
    return team.founded_on <= date(year, 12, 31) and (team.dissolved_on is None or team.dissolved_on > date(year, 1, 1))


def _projects(ctx: DemoContext, teams: list[Team]) -> list[Project]:
    """One or two projects a year for each team existing that year; about one in eight a draft."""
    rows = []
    for year in ctx.years:
        for team in teams:
            if not _exists(team, year):
                continue
            first_day = max(date(year, 1, 1), team.founded_on)
            last_day = min(date(year, 3, 31), team.dissolved_on or date(year, 12, 31))
            for number in range(1 if ctx.chance(0.7) else 2):
                draft = ctx.chance(0.12)
                published = at(ctx.random_date_between(first_day, max(first_day, last_day)), 10)
                titles = ACTIVITY_TITLES.get(team.brand.name if team.brand else "", ("志愿服务",))
                rows.append(
                    Project(
                        unit=team.unit,
                        created_by=staff_of(ctx, team.unit),
                        created_at=published - timedelta(days=3),
                        team=team,
                        brand=team.brand,
                        year=year,
                        title=f"{year}年{team.name}“{titles[number % len(titles)]}”项目",
                        summary=f"{team.description}。全年常态化开展，面向辖区居民。",
                        status=ProjectStatus.DRAFT
                        if draft
                        else ProjectStatus.CLOSED
                        if year < ctx.today.year
                        else ProjectStatus.PUBLISHED,
                        published_at=None if draft else published,
                    )
                )
    bulk_insert(Project, rows)
    return rows


def _local(day: date, hour: int, minute: int = 0) -> datetime:
    return at(day, hour, minute)


def _pool(people: People, team: Team) -> list[Volunteer]:
    """Whom a team's activity draws on: its members, then the volunteers of its unit."""
    return people.members.get(team.pk) or people.by_unit.get(team.unit_id) or people.volunteers


def _activities(
    ctx: DemoContext, people: People, projects: list[Project]
) -> tuple[list[Activity], dict[int, list[Volunteer]]]:
    """Past activities of every published project (two to four a year small, six to eight large),
    a coming one for the current year's projects, and one running now in the clerk's community."""
    rows: list[Activity] = []
    participants: dict[int, list[Volunteer]] = {}
    per_project = (2, 4) if not ctx.large else (6, 8)
    yesterday = ctx.today - timedelta(days=1)
    for project in projects:
        if project.status == ProjectStatus.DRAFT:
            continue
        team = project.team
        site = people.sites_by_unit.get(team.unit_id)
        organiser = staff_of(ctx, team.unit)
        titles = ACTIVITY_TITLES.get(project.brand.name if project.brand else "", ("志愿服务",))
        first = project.published_at.date() + timedelta(days=3)
        last = min(date(project.year, 12, 31), team.dissolved_on or date(project.year, 12, 31), yesterday)
        if first > last:
            continue
        for _ in range(ctx.rng.randint(*per_project)):
            day = ctx.random_date_between(first, last)
            start = _local(day, ctx.rng.choice((8, 9, 9, 10, 14, 15, 19)), ctx.rng.choice((0, 0, 30)))
            ends = start + timedelta(minutes=ctx.rng.choice((90, 120, 120, 150, 180, 240)))
            cancelled = ctx.chance(0.05)
            rows.append(
                Activity(
                    unit=team.unit,
                    created_by=organiser,
                    created_at=start - timedelta(days=ctx.rng.randint(5, 20)),
                    project=project,
                    title=ctx.rng.choice(titles),
                    description=f"{team.name}在{team.unit.name}开展志愿服务。",
                    place=site.name if site else f"{team.unit.name}党群服务中心",
                    site=site,
                    starts_at=start,
                    ends_at=ends,
                    capacity=ctx.rng.choice((10, 15, 20, 30)) if not ctx.large else ctx.rng.choice((30, 40, 50)),
                    requirements=ctx.rng.choice(("", "身体健康", "有相关专长者优先", "请穿着红马甲")),
                    status=ActivityStatus.CANCELLED if cancelled else ActivityStatus.CLOSED,
                    organiser=organiser,
                    closed_at=None if cancelled else ends + timedelta(hours=2),
                )
            )
        if project.year == ctx.today.year:
            # A coming activity, open for sign-up.
            start = _local(ctx.today + timedelta(days=ctx.rng.randint(2, 20)), ctx.rng.choice((9, 14, 15)))
            rows.append(_coming(ctx, project, site, organiser, titles, start))
    clerk = _clerk_unit_team(people, projects)
    if clerk is not None:
        project, site, organiser = clerk
        start = ctx.now.replace(second=0, microsecond=0) - timedelta(minutes=30)
        running = _coming(ctx, project, site, organiser, ("清洁家园",), start)
        running.title = "清洁家园（正在进行）"
        rows.append(running)
    bulk_insert(Activity, rows)
    return rows, participants


def _coming(ctx, project: Project, site, organiser, titles, start: datetime) -> Activity:
    return Activity(
        unit=project.unit,
        created_by=organiser,
        created_at=min(ctx.now, start) - timedelta(days=ctx.rng.randint(3, 10)),
        project=project,
        title=ctx.rng.choice(titles),
        description="欢迎报名参加。",
        place=site.name if site else f"{project.unit.name}党群服务中心",
        site=site,
        starts_at=start,
        ends_at=start + timedelta(hours=2, minutes=30),
        capacity=ctx.rng.choice((8, 10, 12)),
        requirements="请提前十分钟到场，扫码签到",
        status=ActivityStatus.OPEN,
        organiser=organiser,
    )


def _clerk_unit_team(people: People, projects: list[Project]):
    """The current year's published project of a team of the first community (the clerk's)."""
    first = people.grassroots[0]
    for project in projects:
        if project.unit_id == first.pk and project.status == ProjectStatus.PUBLISHED:
            return project, people.sites_by_unit.get(first.pk), project.created_by
    return None


def _points_minutes(activity: Activity) -> int:
    return int((activity.ends_at - activity.starts_at).total_seconds() // 60)


def served(activity: Activity, checked_in: datetime, checked_out: datetime) -> int:
    """Whole minutes of [check-in, check-out] inside the activity's time (as attendance counts them)."""
    start, end = max(checked_in, activity.starts_at), min(checked_out, activity.ends_at)
    return max(0, math.floor((end - start).total_seconds() / 60))


def _attendance(
    ctx: DemoContext, people: People, activities: list[Activity], _participants: dict
) -> tuple[list[ServiceRecord], list[SignUp]]:
    records: list[ServiceRecord] = []
    signups: list[SignUp] = []
    for activity in activities:
        pool = [
            volunteer
            for volunteer in _pool(people, activity.project.team)
            if volunteer.created_at < activity.starts_at - timedelta(days=1)
            and (volunteer.withdrawn_at is None or volunteer.withdrawn_at > activity.ends_at)
        ]
        if not pool:
            continue
        opened = activity.created_at
        if activity.status == ActivityStatus.OPEN and activity.starts_at > ctx.now:
            signups += _coming_signups(ctx, activity, pool)
            continue
        if activity.status == ActivityStatus.OPEN:
            # Running now: those who came have checked in, nobody out yet; the last two signed up
            # check in through the attendance service once everything is in (``_through_services``).
            present = ctx.rng.sample(pool, min(len(pool), activity.capacity // 2 + 2))
            for index, volunteer in enumerate(present):
                signups.append(_signup(activity, volunteer, SignUpStatus.CONFIRMED, opened))
                if index < len(present) - 2:
                    moment = min(ctx.now, activity.starts_at + timedelta(minutes=ctx.rng.randint(-10, 20)))
                    records.append(_record(activity, volunteer, RecordSource.SCAN, RecordStatus.OPEN, moment, None, 0))
            continue
        wanted = min(len(pool), ctx.rng.randint(max(3, activity.capacity // 2), activity.capacity))
        chosen = ctx.rng.sample(pool, wanted)

        def sign_time(opened: datetime = opened, starts: datetime = activity.starts_at) -> datetime:
            return ctx.random_datetime_between(opened, starts)

        if activity.status == ActivityStatus.CANCELLED:
            for volunteer in chosen:
                signups.append(_signup(activity, volunteer, SignUpStatus.CANCELLED, sign_time(), activity.starts_at))
            continue
        for volunteer in chosen:
            signups.append(_signup(activity, volunteer, SignUpStatus.CONFIRMED, sign_time()))
            records.append(_served(ctx, activity, volunteer, people))
        for volunteer in ctx.rng.sample(pool, min(len(pool), 2)):
            if volunteer not in chosen and ctx.chance(0.3):
                signups.append(_signup(activity, volunteer, SignUpStatus.CANCELLED, sign_time(), activity.starts_at))
    return [record for record in records if record is not None], signups


def _signup(activity: Activity, volunteer: Volunteer, status: str, when: datetime, cancelled=None) -> SignUp:
    return SignUp(
        activity=activity,
        volunteer=volunteer,
        status=status,
        created_at=when,
        confirmed_at=when if status != SignUpStatus.WAITING else None,
        cancelled_at=(cancelled - timedelta(hours=6)) if cancelled else None,
    )


def _coming_signups(ctx: DemoContext, activity: Activity, pool: list[Volunteer]) -> list[SignUp]:
    """Places filled in order of signing up; about half the coming activities full, with a waiting list."""
    wanted = activity.capacity + ctx.rng.randint(1, 4) if ctx.chance(0.5) else ctx.rng.randint(1, activity.capacity)
    chosen = ctx.rng.sample(pool, min(len(pool), wanted))
    moments = sorted(ctx.random_datetime_between(activity.created_at, ctx.now) for _ in chosen)
    return [
        _signup(
            activity,
            volunteer,
            SignUpStatus.CONFIRMED if index < activity.capacity else SignUpStatus.WAITING,
            moment,
        )
        for index, (volunteer, moment) in enumerate(zip(chosen, moments, strict=True))
    ]


def _record(activity, volunteer, source, status, checked_in, checked_out, minutes, **extra) -> ServiceRecord:
    return ServiceRecord(
        unit_id=activity.unit_id,
        created_at=checked_in or activity.ends_at,
        activity=activity,
        volunteer=volunteer,
        source=source,
        status=status,
        checked_in_at=checked_in,
        checked_out_at=checked_out,
        minutes=minutes,
        served_on=timezone.localtime(activity.starts_at).date(),
        **extra,
    )


def _served(ctx: DemoContext, activity: Activity, volunteer: Volunteer, people: People) -> ServiceRecord:
    """Most scanned in and out (confirmed); a few forgot to check out (void); some had hours
    entered afterwards: approved, refused, or (in the last weeks) still waiting."""
    roll = ctx.rng.random()
    checked_in = activity.starts_at + timedelta(minutes=ctx.rng.randint(-20, 15))
    if roll < 0.88:
        checked_out = activity.ends_at + timedelta(minutes=ctx.rng.randint(-30, 20))
        return _record(
            activity, volunteer, RecordSource.SCAN, RecordStatus.CONFIRMED, checked_in, checked_out,
            served(activity, checked_in, checked_out),
        )  # fmt: skip
    if roll < 0.92:
        return _record(activity, volunteer, RecordSource.SCAN, RecordStatus.VOID, checked_in, None, 0)
    length = _points_minutes(activity)
    recent = activity.ends_at > ctx.now - timedelta(days=21)
    decision = ctx.rng.choice((RecordStatus.CONFIRMED, RecordStatus.CONFIRMED, RecordStatus.REFUSED))
    status = RecordStatus.PENDING if recent and ctx.chance(0.6) else decision
    decider = staff_of(ctx, people.district) if activity.organiser is None else activity.organiser
    decided = status != RecordStatus.PENDING
    return _record(
        activity,
        volunteer,
        RecordSource.MANUAL,
        status,
        None,
        None,
        ctx.rng.randint(length // 2, length),
        reason=ctx.rng.choice(MANUAL_REASONS),
        requested_by_volunteer=ctx.chance(0.7),
        decided_by=decider if decided else None,
        decided_at=min(ctx.now, activity.ends_at + timedelta(days=ctx.rng.randint(1, 5))) if decided else None,
        decision_note=("经现场负责人核实" if status == RecordStatus.CONFIRMED else "签到表无记录，不予补录")
        if decided
        else "",
    )


def _corrections(ctx: DemoContext, records: list[ServiceRecord]) -> list[HoursCorrection]:
    """A few confirmed scanned records corrected upwards (the volunteer stayed to tidy up after the
    organiser closed the code): the old and new minutes kept, the record's minutes changed."""
    candidates = [
        record
        for record in records
        if record.status == RecordStatus.CONFIRMED
        and record.source == RecordSource.SCAN
        and record.activity.organiser is not None
        and record.minutes < _points_minutes(record.activity)
    ]
    rows = []
    for record in ctx.rng.sample(candidates, min(len(candidates), ctx.scaled(12, 300))):
        new = min(_points_minutes(record.activity), record.minutes + ctx.rng.choice((15, 30, 45)))
        rows.append(
            HoursCorrection(
                record=record,
                old_minutes=record.minutes,
                new_minutes=new,
                reason="活动结束后留下整理物资，经现场负责人核实补记时长",
                by=record.activity.organiser,
                at=min(ctx.now, record.activity.ends_at + timedelta(days=ctx.rng.randint(1, 7))),
            )
        )
        ServiceRecord.objects.filter(pk=record.pk).update(minutes=new)
        record.minutes = new
    bulk_insert(HoursCorrection, rows, keep_ids=False)
    return rows


def _record_beyond_service(ctx: DemoContext, people: People, records: list[ServiceRecord]) -> None:
    """Trainings, awards, evaluations and certificates of hours in each of the demo's years."""
    volunteers = [volunteer for volunteer in people.volunteers if volunteer.withdrawn_at is None]
    street_of: dict[int, Unit] = {}
    streets = {unit.pk: unit for unit in people.streets}
    parent_of = parents(people)
    for unit in people.grassroots:
        street_of[unit.pk] = streets.get(parent_of[unit.pk], people.district)
    trainings, awards = [], []
    for year in ctx.years:
        earlier = [volunteer for volunteer in volunteers if volunteer.created_at.year <= year]
        for _ in range(ctx.scaled(40, 2500)):
            volunteer = ctx.rng.choice(earlier)
            giver = street_of.get(volunteer.unit_id, people.district) if ctx.chance(0.6) else people.district
            trainings.append(
                Training(
                    unit=giver,
                    volunteer=volunteer,
                    course=ctx.rng.choice(COURSES),
                    held_on=ctx.random_date_between(
                        max(date(year, 1, 1), volunteer.created_at.date()), date(year, 12, 31)
                    ),
                    minutes=ctx.rng.choice((90, 120, 180, 240)),
                    result=ctx.rng.choice(("合格", "合格", "优秀")),
                )
            )
        for _ in range(ctx.scaled(12, 400)):
            volunteer = ctx.rng.choice(earlier)
            honour, level, issuer = ctx.rng.choice(HONOURS)
            awards.append(
                Award(
                    unit=street_of.get(volunteer.unit_id, people.district),
                    volunteer=volunteer,
                    honour=f"{year}年度{honour}",
                    level=level,
                    issuer=issuer,
                    awarded_on=ctx.random_date_between(date(year, 3, 5), date(year, 12, 20)),
                )
            )
    bulk_insert(Training, trainings, keep_ids=False)
    bulk_insert(Award, awards, keep_ids=False)
    confirmed = [record for record in records if record.status == RecordStatus.CONFIRMED]
    evaluations = [
        Evaluation(
            unit_id=record.unit_id,
            created_at=record.activity.ends_at + timedelta(hours=3),
            volunteer=record.volunteer,
            activity=record.activity,
            rating=ctx.rng.choice((5, 5, 5, 4, 4, 3)),
            comment=ctx.rng.choice(COMMENTS),
        )
        for record in confirmed
        if ctx.chance(0.06)
    ]
    bulk_insert(Evaluation, evaluations, keep_ids=False)
    certificates = _certificates(ctx, confirmed)
    ctx.log(
        f"培训 {len(trainings)} 人次，表彰 {len(awards)} 人次，评价 {len(evaluations)} 条，"
        f"志愿服务记录证明 {len(certificates)} 份"
    )


def _certificates(ctx: DemoContext, confirmed: list[ServiceRecord]) -> list[Certificate]:
    """A few certificates a year, each from one unit's confirmed records of a volunteer in the
    year up to the day it was issued (谁记录谁证明); one revoked."""
    totals: dict[tuple[int, int, int], list[ServiceRecord]] = defaultdict(list)
    for record in confirmed:
        totals[(record.served_on.year, record.unit_id, record.volunteer_id)].append(record)
    rows = []
    for year in ctx.years:
        keys = sorted(key for key in totals if key[0] == year)
        for number, key in enumerate(ctx.rng.sample(keys, min(len(keys), ctx.scaled(10, 200))), start=1):
            served_records = totals[key]
            last = max(record.served_on for record in served_records)
            issued = min(ctx.now, at(last + timedelta(days=ctx.rng.randint(1, 20)), 10))
            if issued.year != year:
                issued = min(ctx.now, at(date(year, 12, 30), 10))
                if issued.date() < last:
                    continue
            inside = [record for record in served_records if record.served_on <= issued.date()]
            revoked = issued + timedelta(days=2) if number == 2 and issued + timedelta(days=2) < ctx.now else None
            rows.append(
                Certificate(
                    unit_id=key[1],
                    created_at=issued,
                    number=f"ZYZM{year}{number:05d}",
                    volunteer=served_records[0].volunteer,
                    period_start=date(year, 1, 1),
                    period_end=issued.date(),
                    minutes=sum(record.minutes for record in inside),
                    activities=len(inside),
                    issued_at=issued,
                    revoked_at=revoked,
                    revoke_reason="时长统计有误，已重新出具" if revoked else "",
                )
            )
    bulk_insert(Certificate, rows, keep_ids=False)
    return rows
