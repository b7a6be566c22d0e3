"""来返人员登记's part of the demo data.

Risk areas: a few episodes in each of the three years (a big city at medium or high risk for a
few weeks; the first of each year high, and one across each past New Year so that people are under
follow-up at every year's end), one of them still in force, so the daily list has people on it.
Every figure of ``metrics.py`` has data in each of the three years (``tests/test_demo.py``). Registrations:
arrivals spread over the three years with more in the last three weeks, from every province,
a quarter of them from the cities of the episodes; each classified by the same rules as a real
one (``rules.classify``), with its follow-up completed once its days have run, or still active.
Check-ins: every day of every follow-up, at both sizes; about one day in ten is missed. A few
people registered twice (a wrong arrival date) wait on the duplicates page, and two such pairs
are already merged; one registered again on the same day with another phone is a possible
duplicate (the duplicates page and the to-do).

Small: about 600 registrations and 1,600 check-ins; large: 150,000 registrations and about
370,000 check-ins (personal fields are encrypted row by row, which is most of the time it takes).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from xuanchuan.arrivals.divisions import COUNTY, covers, divisions
from xuanchuan.arrivals.models import (
    CheckIn,
    FollowUpPlan,
    FollowUpStatus,
    HealthStatus,
    Registration,
    RiskArea,
    RiskLevel,
    Source,
    Transport,
)
from xuanchuan.arrivals.rules import classify
from xuanchuan.arrivals.services import apply_classification, merge_registrations, set_keys
from xuanchuan.core.demo import DemoContext, DemoError, bulk_insert
from xuanchuan.core.pii.validators import id_check_character
from xuanchuan.org.demo import GIVEN_NAME_CHARS, ROADS, SURNAMES
from xuanchuan.org.models import GRASSROOTS_TYPES, RoleCode, Unit, User

ORDER = 40
EPISODE_CITIES = (
    "420100", "310100", "440100", "110100", "510100", "610100", "320100", "210200", "650100", "130100",
)  # fmt: skip
RECEIPT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789"
RECENT_DAYS = 21
TRIP_PREFIX = {Transport.TRAIN: "G", Transport.PLANE: "CA", Transport.BUS: "K", Transport.SHIP: "S"}


def seed(ctx: DemoContext) -> None:
    """Risk areas, registrations, check-ins and a few duplicates (see the module docstring)."""
    communities = [
        unit
        for kind in GRASSROOTS_TYPES
        for unit in ctx.shared.get("units_by_type", {}).get(str(kind), [])
        if unit.dissolved_on is None
    ]
    if not communities:
        raise DemoError("来返人员的演示数据需要组织机构的演示数据（社区和村）。")
    areas = _risk_areas(ctx)
    total = ctx.scaled(600, 150_000)
    counties = [code for code, item in divisions().by_code.items() if item.level == COUNTY]
    registrations = _registrations(ctx, total, communities, counties, areas)
    inserted = bulk_insert(Registration, registrations, batch_size=2000, keep_ids=False)
    ctx.log(f"来返人员登记 {inserted} 条，风险地区 {len(areas)} 个")
    _check_ins(ctx)
    _duplicates(ctx, communities)


def _risk_areas(ctx: DemoContext) -> list[RiskArea]:
    admin = _first(ctx, RoleCode.DEPARTMENT_ADMIN)
    areas = []
    for year in ctx.years:
        for episode in range(3):
            start = ctx.random_date(year)
            end = start + timedelta(days=ctx.rng.randint(14, 35))
            # The first episode of each year is high-risk, so every year has home observations.
            level = RiskLevel.HIGH if episode == 0 else ""
            areas.append(_area(ctx, admin, ctx.rng.choice(EPISODE_CITIES), start, end, level))
        if year != ctx.today.year:
            # One across the New Year, so people are under follow-up at the end of every past year.
            start = date(year, 12, 10)
            areas.append(_area(ctx, admin, ctx.rng.choice(EPISODE_CITIES), start, start + timedelta(days=28)))
    # One in force now, begun ten days ago, so that follow-ups are running today.
    areas.append(_area(ctx, admin, EPISODE_CITIES[0], ctx.today - timedelta(days=10), None, RiskLevel.HIGH))
    areas.append(_area(ctx, admin, "440300", ctx.today - timedelta(days=6), None, RiskLevel.MEDIUM))
    bulk_insert(RiskArea, areas)
    return list(RiskArea.objects.all())


def _area(ctx: DemoContext, admin: User, code: str, start: date, end: date | None, level: str = "") -> RiskArea:
    level = level or ctx.rng.choice((RiskLevel.HIGH, RiskLevel.MEDIUM, RiskLevel.MEDIUM, RiskLevel.LOW))
    return RiskArea(
        unit=admin.unit, created_by=admin, division_code=code, division_name=divisions().full_name(code),
        level=level, starts_on=start, ends_on=None if end is None else min(end, ctx.today), note="演示数据",
    )  # fmt: skip


def _first(ctx: DemoContext, role: str) -> User:
    people = ctx.shared.get("users_by_role", {}).get(role)
    if not people:
        raise DemoError("来返人员的演示数据需要组织机构的演示数据（部管理员）。")
    return people[0]


def _origin_and_date(ctx: DemoContext, counties: list[str], areas: list[RiskArea]) -> tuple[str, date]:
    """A quarter of the people come from an episode's city while it is at risk."""
    if ctx.chance(0.25):
        area = ctx.rng.choice(areas)
        inside = [item.code for item in divisions().children(area.division_code) if item.level == COUNTY]
        last = min(area.ends_on or ctx.today, ctx.today)
        return ctx.rng.choice(inside or [area.division_code]), ctx.random_date_between(area.starts_on, last)
    if ctx.chance(0.15):
        return ctx.rng.choice(counties), ctx.random_date_between(ctx.today - timedelta(days=RECENT_DAYS), ctx.today)
    return ctx.rng.choice(counties), ctx.random_date()


def _id_number(ctx: DemoContext, origin: str, used: set[str]) -> str:
    while True:
        birth = date(1950, 1, 1) + timedelta(days=ctx.rng.randint(0, 365 * 55))
        first17 = f"{origin}{birth:%Y%m%d}{ctx.rng.randint(0, 999):03d}"
        number = first17 + id_check_character(first17)
        if number not in used:
            used.add(number)
            return number


def _registrations(
    ctx: DemoContext, total: int, communities: list[Unit], counties: list[str], areas: list[RiskArea]
) -> Iterator[Registration]:
    used: set[str] = set()
    workers = ctx.shared.get("staff_by_unit", {})
    for _number in range(total):
        community = ctx.rng.choice(communities)
        origin, arrival = _origin_and_date(ctx, counties, areas)
        via = ctx.rng.choice(counties) if ctx.chance(0.1) else ""
        staff = ctx.chance(0.15)
        transport = ctx.rng.choice(Transport.values)
        registration = Registration(
            unit=community,
            created_by=(workers.get(community.code) or [None])[0] if staff else None,
            created_at=timezone.make_aware(datetime.combine(arrival, time(8)))
            + timedelta(minutes=ctx.rng.randint(0, 720)),
            source=Source.STAFF if staff else Source.SELF,
            receipt_code="".join(ctx.rng.choices(RECEIPT_ALPHABET, k=22)),
            name=ctx.rng.choice(SURNAMES) + "".join(ctx.rng.choices(GIVEN_NAME_CHARS, k=ctx.rng.choice((1, 2)))),
            id_number=_id_number(ctx, origin, used),
            phone=f"1{ctx.rng.choice('3578')}{ctx.rng.randint(0, 999_999_999):09d}",
            origin_code=origin,
            via_codes=via,
            transport=transport,
            trip_number=f"{TRIP_PREFIX[transport]}{ctx.rng.randint(100, 9999)}" if transport in TRIP_PREFIX else "",
            arrival_date=arrival,
            address=f"{ctx.rng.choice(ROADS)}{ctx.rng.randint(1, 300)}号{ctx.rng.randint(1, 20)}栋",
            health_status=HealthStatus.SYMPTOMS if ctx.chance(0.02) else HealthStatus.HEALTHY,
            consent_at=None if staff else timezone.make_aware(datetime.combine(arrival, time(9))),
        )
        if registration.health_status == HealthStatus.SYMPTOMS:
            registration.symptoms = ctx.rng.choice(("咳嗽", "低热", "咽痛", "乏力"))
        set_keys(registration)
        _classify(ctx, registration, areas)
        yield registration


def _classify(ctx: DemoContext, registration: Registration, areas: list[RiskArea]) -> None:
    relevant = [
        area
        for area in areas
        if any(covers(area.division_code, code) for code in (registration.origin_code, registration.via_codes) if code)
    ]
    result = classify([registration.origin_code, registration.via_codes], registration.arrival_date, relevant)
    registration.risk_level, registration.risk_reason = result.level, result.reason
    registration.plan, registration.follow_up_days = result.plan, result.days
    registration.classified_at = registration.created_at
    if result.plan == FollowUpPlan.NONE:
        return
    registration.follow_up_start = registration.arrival_date
    end = registration.follow_up_end
    if end < ctx.today:
        registration.follow_up_status = FollowUpStatus.COMPLETED
        registration.completed_on = end + timedelta(days=ctx.rng.choice((0, 0, 1)))
    else:
        registration.follow_up_status = FollowUpStatus.ACTIVE


def _check_ins(ctx: DemoContext) -> None:
    # Only the columns the check-ins need: reading whole registrations would decrypt every one.
    rows = (
        Registration.objects.exclude(plan=FollowUpPlan.NONE)
        .order_by(*Registration._meta.ordering)
        .values_list("pk", "unit_id", "follow_up_start", "follow_up_days")
    )
    workers = ctx.shared.get("staff_by_unit", {})
    codes = {unit.pk: unit.code for unit in ctx.shared.get("units_by_code", {}).values()}
    today = ctx.today
    mornings: dict[date, datetime] = {}

    def generate() -> Iterator[CheckIn]:
        for registration_id, unit_id, first, days in rows.iterator(chunk_size=5000):
            worker = (workers.get(codes.get(unit_id, "")) or [None])[0]
            last = min(first + timedelta(days=days - 1), today)
            for offset in range((last - first).days + 1):
                day = first + timedelta(days=offset)
                if ctx.chance(0.1) or (day == today and ctx.chance(0.5)):
                    continue
                if day not in mornings:
                    mornings[day] = timezone.make_aware(datetime.combine(day, time(10)))
                temperature = round(
                    ctx.rng.uniform(36.0, 37.1) if not ctx.chance(0.01) else ctx.rng.uniform(37.3, 38.5), 1
                )
                yield CheckIn(
                    registration_id=registration_id, unit_id=unit_id, created_by=worker, day=day,
                    day_number=offset + 1, temperature=f"{temperature:.1f}", abnormal=temperature >= 37.3,
                    created_at=mornings[day],
                )  # fmt: skip

    ctx.log(f"健康打卡 {bulk_insert(CheckIn, generate(), batch_size=5000, keep_ids=False)} 条")


def _duplicates(ctx: DemoContext, communities: list[Unit]) -> None:
    """Five people registered again with another arrival date, two of them already merged; the
    first also again on the same day from another phone (a possible duplicate)."""
    worker = _first(ctx, RoleCode.COMMUNITY_WORKER)
    recent = list(
        Registration.objects.filter(arrival_date__gte=ctx.today - timedelta(days=RECENT_DAYS), unit=worker.unit)[:5]
    )
    if not recent:  # the worker's community had no recent arrival: a district administrator merges
        worker = _first(ctx, RoleCode.DEPARTMENT_ADMIN)
        recent = list(Registration.objects.filter(arrival_date__gte=ctx.today - timedelta(days=RECENT_DAYS))[:5])
    for index, original in enumerate(recent):
        copy = _copy(ctx, original)
        if index < 2:
            merge_registrations(original, copy, by=worker)
    if recent:
        # The first person again on the same day from another phone: a possible duplicate.
        _copy(ctx, recent[0], days_before=0, phone=f"1{ctx.rng.choice('3578')}{ctx.rng.randint(0, 999_999_999):09d}")


def _copy(ctx: DemoContext, original: Registration, *, days_before: int = 1, phone: str = "") -> Registration:
    fields: dict[str, Any] = {
        name: getattr(original, name)
        for name in ("unit", "name", "document_type", "id_number", "phone", "origin_code", "transport",
                     "trip_number", "address", "health_status")
    }  # fmt: skip
    if phone:
        fields["phone"] = phone
    copy = Registration(
        **fields, arrival_date=original.arrival_date - timedelta(days=days_before), source=Source.SELF,
        consent_at=original.consent_at, receipt_code="".join(ctx.rng.choices(RECEIPT_ALPHABET, k=22)),
    )  # fmt: skip
    set_keys(copy)
    if days_before == 0:
        copy.day_key = None  # the original holds this person's day
    apply_classification(copy)
    copy.save()
    return copy
