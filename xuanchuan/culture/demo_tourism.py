"""Demo data of the culture app's tourism part: the six holidays' dates of the three years (as
published by the State Council for 2023–2026; other years get typical dates, the National Day
holiday 8 days in odd years and 7 in even ones, so one holiday's length always differs), and for
each street and town every holiday's visitors and revenue, growing from year to year (this year up
to the last holiday that has ended). Where Mid-Autumn shares its days with National Day (2023,
2025), the figures are entered under National Day only, as the services require; the figures of
Mid-Autumn read them there for that year.

Everything goes through ``services.tourism`` as the district's administrator (``xcb_admin``)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from xuanchuan.core.demo import DemoContext
from xuanchuan.culture.models import Holiday
from xuanchuan.culture.services import tourism as services
from xuanchuan.org.models import RoleCode, UnitType

H = Holiday
PUBLISHED: dict[int, dict[str, tuple[date, date]]] = {
    2023: {
        H.SPRING_FESTIVAL: (date(2023, 1, 21), date(2023, 1, 27)),
        H.QINGMING: (date(2023, 4, 5), date(2023, 4, 5)),
        H.MAY_DAY: (date(2023, 4, 29), date(2023, 5, 3)),
        H.DRAGON_BOAT: (date(2023, 6, 22), date(2023, 6, 24)),
        H.MID_AUTUMN: (date(2023, 9, 29), date(2023, 10, 6)),
        H.NATIONAL_DAY: (date(2023, 9, 29), date(2023, 10, 6)),
    },
    2024: {
        H.SPRING_FESTIVAL: (date(2024, 2, 10), date(2024, 2, 17)),
        H.QINGMING: (date(2024, 4, 4), date(2024, 4, 6)),
        H.MAY_DAY: (date(2024, 5, 1), date(2024, 5, 5)),
        H.DRAGON_BOAT: (date(2024, 6, 8), date(2024, 6, 10)),
        H.MID_AUTUMN: (date(2024, 9, 15), date(2024, 9, 17)),
        H.NATIONAL_DAY: (date(2024, 10, 1), date(2024, 10, 7)),
    },
    2025: {
        H.SPRING_FESTIVAL: (date(2025, 1, 28), date(2025, 2, 4)),
        H.QINGMING: (date(2025, 4, 4), date(2025, 4, 6)),
        H.MAY_DAY: (date(2025, 5, 1), date(2025, 5, 5)),
        H.DRAGON_BOAT: (date(2025, 5, 31), date(2025, 6, 2)),
        H.MID_AUTUMN: (date(2025, 10, 1), date(2025, 10, 8)),
        H.NATIONAL_DAY: (date(2025, 10, 1), date(2025, 10, 8)),
    },
    2026: {
        H.SPRING_FESTIVAL: (date(2026, 2, 15), date(2026, 2, 23)),
        H.QINGMING: (date(2026, 4, 4), date(2026, 4, 6)),
        H.MAY_DAY: (date(2026, 5, 1), date(2026, 5, 5)),
        H.DRAGON_BOAT: (date(2026, 6, 19), date(2026, 6, 21)),
        H.MID_AUTUMN: (date(2026, 9, 25), date(2026, 9, 27)),
        H.NATIONAL_DAY: (date(2026, 10, 1), date(2026, 10, 7)),
    },
}
# Visitors per day of holiday of a street in the first year (a town: half as many again), and what
# a visitor spends (元).
BASE_PER_DAY = {
    H.SPRING_FESTIVAL: 3200,
    H.QINGMING: 3600,
    H.MAY_DAY: 4800,
    H.DRAGON_BOAT: 3300,
    H.MID_AUTUMN: 3000,
    H.NATIONAL_DAY: 5200,
}
SPEND_YUAN = {
    H.SPRING_FESTIVAL: 420,
    H.QINGMING: 260,
    H.MAY_DAY: 380,
    H.DRAGON_BOAT: 300,
    H.MID_AUTUMN: 320,
    H.NATIONAL_DAY: 450,
}


def dates_of(year: int) -> dict[str, tuple[date, date]]:
    """The six holidays' dates in ``year``: as published, or typical ones."""
    if year in PUBLISHED:
        return PUBLISHED[year]
    national_end = date(year, 10, 8 if year % 2 else 7)
    return {
        H.SPRING_FESTIVAL: (date(year, 2, 1), date(year, 2, 8)),
        H.QINGMING: (date(year, 4, 4), date(year, 4, 6)),
        H.MAY_DAY: (date(year, 5, 1), date(year, 5, 5)),
        H.DRAGON_BOAT: (date(year, 6, 10), date(year, 6, 12)),
        H.MID_AUTUMN: (date(year, 9, 15), date(year, 9, 17)),
        H.NATIONAL_DAY: (date(year, 10, 1), national_end),
    }


def seed(ctx: DemoContext) -> None:
    ctx = ctx.for_part("culture.tourism")
    admin = ctx.shared["users_by_role"][RoleCode.DEPARTMENT_ADMIN][0]
    by_type = ctx.shared["units_by_type"]
    units = [
        unit for kind in (UnitType.STREET, UnitType.TOWN) for unit in by_type.get(kind, []) if unit.dissolved_on is None
    ]
    made = 0
    for step, year in enumerate(ctx.years):
        periods = dates_of(year)
        for code, (starts_on, ends_on) in periods.items():
            services.set_holiday_period(holiday=code, year=year, starts_on=starts_on, ends_on=ends_on, by=admin)
        shared = periods[H.MID_AUTUMN] == periods[H.NATIONAL_DAY]
        for code, (starts_on, ends_on) in periods.items():
            if ends_on >= ctx.today or (shared and code == H.MID_AUTUMN):
                continue
            days = (ends_on - starts_on).days + 1
            for index, unit in enumerate(units):
                size = (1.5 if unit.unit_type == UnitType.TOWN else 1.0) * (1 + index % 3 * 0.2)
                trend = (1 + ctx.rng.uniform(0.06, 0.12)) ** step
                visitors = int(BASE_PER_DAY[code] * days * size * trend * ctx.rng.uniform(0.97, 1.03))
                revenue = Decimal(visitors * SPEND_YUAN[code] * trend / 10000).quantize(Decimal("0.01"))
                services.create_stat(
                    services.StatInput(
                        unit=unit,
                        holiday=code,
                        year=year,
                        visitors=visitors,
                        revenue=revenue,
                        note="景区、乡村旅游点接待汇总",
                    ),
                    by=admin,
                )
                made += 1
    ctx.write(f"    假日旅游：{len(ctx.years) * 6} 个假日安排，{made} 条统计")
