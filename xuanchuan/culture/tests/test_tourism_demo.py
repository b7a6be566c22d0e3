"""The tourism part's demo data: the three years' holiday dates (published ones where known), one
holiday whose length differs between two years, figures growing year on year, nothing for a
holiday not yet over, and Mid-Autumn within National Day entered under National Day only."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.db.models import Sum
from django.utils import timezone

from xuanchuan.core.demo import DemoContext
from xuanchuan.culture import demo_tourism
from xuanchuan.culture.models import Holiday, HolidayPeriod, TourismStat
from xuanchuan.org.models import RoleCode, UnitType

pytestmark = pytest.mark.django_db


def seeded(district, alice, now: datetime) -> DemoContext:
    ctx = DemoContext(now=now, write=lambda text: None)
    ctx.shared.update(
        {
            "users_by_role": {RoleCode.DEPARTMENT_ADMIN: [alice]},
            "units_by_type": {UnitType.STREET: [district.east, district.west]},
        }
    )
    demo_tourism.seed(ctx)
    return ctx


def test_three_years_of_dates_and_growing_figures(district, alice) -> None:
    ctx = seeded(district, alice, timezone.make_aware(datetime(2026, 12, 5, 10)))
    assert sorted(set(HolidayPeriod.objects.values_list("year", flat=True))) == [2024, 2025, 2026]
    spring = HolidayPeriod.objects.get(holiday=Holiday.SPRING_FESTIVAL, year=2026)
    assert (spring.starts_on.isoformat(), spring.days) == ("2026-02-15", 9)
    national = {period.year: period.days for period in HolidayPeriod.objects.filter(holiday=Holiday.NATIONAL_DAY)}
    assert national == {2024: 7, 2025: 8, 2026: 7}
    assert not TourismStat.objects.filter(holiday=Holiday.MID_AUTUMN, year=2025).exists()
    for holiday in (Holiday.MAY_DAY, Holiday.QINGMING, Holiday.NATIONAL_DAY):
        totals = [
            TourismStat.objects.filter(holiday=holiday, year=year).aggregate(total=Sum("visitors"))["total"]
            for year in ctx.years
        ]
        assert totals[0] < totals[1] or holiday == Holiday.NATIONAL_DAY, (holiday, totals)
        assert all(totals), (holiday, totals)
    per_day = {}
    for year in ctx.years:
        period = HolidayPeriod.objects.get(holiday=Holiday.NATIONAL_DAY, year=year)
        visitors = TourismStat.objects.filter(holiday=Holiday.NATIONAL_DAY, year=year).aggregate(t=Sum("visitors"))["t"]
        per_day[year] = visitors / period.days
    assert per_day[2024] < per_day[2025] < per_day[2026]


def test_nothing_for_a_holiday_not_yet_over(district, alice) -> None:
    seeded(district, alice, timezone.make_aware(datetime(2026, 5, 3, 10)))  # during 劳动节 2026
    this_year = set(TourismStat.objects.filter(year=2026).values_list("holiday", flat=True))
    assert this_year == {Holiday.SPRING_FESTIVAL, Holiday.QINGMING}
    assert HolidayPeriod.objects.filter(year=2026).count() == 6
