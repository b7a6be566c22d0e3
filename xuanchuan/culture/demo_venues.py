"""Demo data of the culture app, venues part: the district's library, museum, cultural centre and
flower expo hall (区花博馆); a cultural station (综合文化站) in every street and town; 文化大院 in
communities and villages and 农家书屋 in the villages, some opened before the three years and the
rest over them, so the counts grow year by year (one courtyard closed); arts associations of the
district: 书法家协会 established the year before last, 美术家协会 last year, 摄影家协会 and 音乐家协会
in preparation, with members (phones obviously fake, 1380000xxxx, in the encrypted field), one of
whom left last year.

Everything goes through ``services.venues`` as the department's administrator would enter it;
the dates of recording are then set back to when the venue opened or the preparation began.
Leaves ``ctx.shared["culture_venues"]`` (the open venues) and ``ctx.shared["culture_associations"]``.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from xuanchuan.core.demo import DemoContext, DemoError
from xuanchuan.culture.models import Association, AssociationMember, Venue, VenueKind
from xuanchuan.culture.services import venues as services
from xuanchuan.org.demo import GIVEN_NAME_CHARS, SURNAMES
from xuanchuan.org.models import RoleCode, Unit, User

HOURS = {
    VenueKind.LIBRARY: "周二至周日 9:00—17:30，周一闭馆",
    VenueKind.MUSEUM: "周二至周日 9:00—17:00（16:30 停止入馆），周一闭馆",
    VenueKind.CULTURAL_CENTRE: "每日 8:30—21:00",
    VenueKind.EXHIBITION_HALL: "每日 9:00—18:00",
    VenueKind.OTHER: "周一至周五 8:30—17:30，周末有活动时开放",
    VenueKind.COURTYARD: "每日 7:00—21:00",
    VenueKind.BOOKSHOP: "每日 8:00—20:00",
}
CAPACITY = {
    VenueKind.LIBRARY: (600, 800),
    VenueKind.MUSEUM: (500, 1000),
    VenueKind.CULTURAL_CENTRE: (300, 800),
    VenueKind.EXHIBITION_HALL: (1000, 3000),
    VenueKind.OTHER: (100, 300),
    VenueKind.COURTYARD: (50, 200),
    VenueKind.BOOKSHOP: (20, 40),
}


def at(day: date, hour: int = 9) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _name(ctx: DemoContext) -> str:
    given = "".join(ctx.rng.choice(GIVEN_NAME_CHARS) for _ in range(ctx.rng.choice((1, 2))))
    return ctx.rng.choice(SURNAMES) + given


def _admin(ctx: DemoContext) -> User:
    admins = ctx.shared.get("users_by_role", {}).get(RoleCode.DEPARTMENT_ADMIN)
    if not admins:
        raise DemoError("演示数据缺少部管理员，无法录入文化场馆和文艺协会")
    return admins[0]


def seed(ctx: DemoContext) -> None:
    admin = _admin(ctx)
    venues = _venues(ctx, admin)
    associations = _associations(ctx, admin)
    ctx.shared["culture_venues"] = [venue for venue in venues if venue.active]
    ctx.shared["culture_associations"] = associations
    members = AssociationMember.objects.filter(association__in=associations).count()
    ctx.log(
        f"文化场馆 {len(venues)} 个（开放 {len(ctx.shared['culture_venues'])} 个），"
        f"文艺协会 {len(associations)} 个，会员 {members} 名"
    )


def _venue(ctx: DemoContext, admin: User, unit: Unit, name: str, kind: str, address: str, opened: date) -> Venue:
    low, high = CAPACITY[kind]
    data = services.VenueInput(
        name=name,
        kind=kind,
        address=address,
        opening_hours=HOURS[kind],
        capacity=ctx.rng.randrange(low, high + 1, 10),
        phone=f"0000-8{ctx.rng.randint(0, 999999):06d}"
        if kind not in (VenueKind.COURTYARD, VenueKind.BOOKSHOP)
        else "",
    )
    venue = services.create_venue(data, unit=unit, by=admin)
    venue.created_at = min(at(opened), ctx.now)
    Venue.objects.filter(pk=venue.pk).update(created_at=venue.created_at)
    return venue


def _venues(ctx: DemoContext, admin: User) -> list[Venue]:
    by_type: dict[str, list[Unit]] = ctx.shared["units_by_type"]
    district: Unit = ctx.shared["district"]
    live = {kind: [unit for unit in units if unit.dissolved_on is None] for kind, units in by_type.items()}
    by_name = {unit.name: unit for units in live.values() for unit in units}
    long_ago = date(ctx.years[0] - 3, 6, 1)
    venues = [
        _venue(ctx, admin, by_name.get("区图书馆", district), "区图书馆", VenueKind.LIBRARY, "文化路 18 号", long_ago),
        _venue(ctx, admin, by_name.get("区博物馆", district), "区博物馆", VenueKind.MUSEUM, "人民路 66 号", long_ago),
        _venue(ctx, admin, by_name.get("区文化馆", district), "区文化馆", VenueKind.CULTURAL_CENTRE, "文化路 20 号",
               long_ago),
        _venue(
            ctx, admin, by_name.get("区文化和旅游局", district), "区花博馆", VenueKind.EXHIBITION_HALL, "长江路 1 号",
            date(ctx.years[0] - 1, 9, 28),
        ),
    ]  # fmt: skip
    for subdistrict in live.get("street", []) + live.get("town", []):
        venues.append(
            _venue(
                ctx,
                admin,
                subdistrict,
                f"{subdistrict.name}综合文化站",
                VenueKind.OTHER,
                f"{subdistrict.name}便民服务中心二楼",
                long_ago,
            )  # fmt: skip
        )
    grassroots = live.get("community", []) + live.get("village", [])
    # Opened before the three years, then in each of them: the counts grow every year.
    for index, unit in enumerate(grassroots):
        opened = _opened(ctx, index)
        if unit.unit_type == "village" or index % 2 == 0:
            venues.append(
                _venue(
                    ctx,
                    admin,
                    unit,
                    f"{unit.name}文化大院",
                    VenueKind.COURTYARD,
                    f"{unit.name}党群服务中心院内",
                    opened,
                )
            )
        if unit.unit_type == "village" or index % 3 == 0:
            venues.append(
                _venue(
                    ctx, admin, unit, f"{unit.name}农家书屋", VenueKind.BOOKSHOP, f"{unit.name}党群服务中心一楼", opened
                )
            )
    courtyards = [venue for venue in venues if venue.kind == VenueKind.COURTYARD]
    if len(courtyards) > 3:
        venues[venues.index(courtyards[1])] = services.close_venue(courtyards[1], by=admin)
    return venues


def _opened(ctx: DemoContext, index: int) -> date:
    """Half the grass-roots venues opened before the three years, the rest one sixth a year … the
    last sixth this year (never after today)."""
    slot = index % 6
    if slot < 3:
        return date(ctx.years[0] - 1, 1 + slot * 3, 15)
    year = ctx.years[slot - 3]
    return ctx.random_date_between(date(year, 1, 1), min(date(year, 10, 31), ctx.today))


def _associations(ctx: DemoContext, admin: User) -> list[Association]:
    district: Unit = ctx.shared["district"]
    before_last, last, this = ctx.years
    plans = (
        # name, art form, leader, began preparing, established on
        ("书法家协会", "书法", date(before_last - 1, 10, 8), date(before_last, 5, 20)),
        ("美术家协会", "美术", date(before_last, 3, 1), date(last, 3, 18)),
        ("摄影家协会", "摄影", date(before_last, 6, 1), None),
        ("音乐家协会", "音乐", date(last, 4, 10), None),
    )
    found = []
    for name, art_form, began, established in plans:
        data = services.AssociationInput(
            name=f"{district.name}{name}",
            art_form=art_form,
            leader=_name(ctx),
            description=f"由全区{art_form}工作者和爱好者自愿组成的群众性文艺团体，在区文联指导下开展创作、交流、培训和惠民展演活动。",
        )
        association = services.create_association(data, unit=district, by=admin)
        Association.objects.filter(pk=association.pk).update(created_at=at(began))
        if established is not None:
            association = services.establish_association(association, on=established, by=admin)
        _members(ctx, admin, association, began, established)
        found.append(association)
    return found


def _members(ctx: DemoContext, admin: User, association: Association, began: date, established: date | None) -> None:
    """A president, a vice-president and a secretary-general from the start, members joining year
    by year once established; in the first established association one member left last year."""
    first = established or began
    for role in ("会长", "副会长", "秘书长"):
        services.add_member(association, _member(ctx, role, first), by=admin)
    if established is None:
        return
    for year in range(established.year, ctx.today.year + 1):
        for _ in range(ctx.rng.randint(3, 5)):
            joined = ctx.random_date_between(max(established, date(year, 1, 1)), date(year, 12, 31))
            services.add_member(association, _member(ctx, "会员", joined), by=admin)
    last_year = ctx.years[1]
    leaving = AssociationMember.objects.filter(association=association, role="会员", joined_on__year__lt=last_year)
    member = leaving.order_by("pk").first()
    if member is not None:
        services.member_leave(member, on=date(last_year, 12, 1) - timedelta(days=ctx.rng.randint(0, 60)), by=admin)


def _member(ctx: DemoContext, role: str, joined: date) -> services.MemberInput:
    return services.MemberInput(
        name=_name(ctx), joined_on=min(joined, ctx.today), role=role, phone=f"1380000{ctx.rng.randint(0, 9999):04d}"
    )
