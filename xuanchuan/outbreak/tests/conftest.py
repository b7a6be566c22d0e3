"""Fixtures of the outbreak tests: a daily form filed by both streets and their communities."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from xuanchuan.outbreak.models import REPORT_TZ, Indicator, ReportForm

DAY = date(2026, 3, 10)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    """An aware moment of ``day`` in China Standard Time."""
    return datetime.combine(day, time(hour, minute), tzinfo=REPORT_TZ)


def create_form(district) -> ReportForm:
    """The daily form of the tests: both streets and both communities file it from 1 March."""
    form = ReportForm.objects.create(
        name="疫情防控日报",
        unit=district.root,
        deadline=time(10, 0),
        lock_time=time(18, 0),
        reminder_minutes=60,
        starts_on=date(2026, 3, 1),
    )
    form.required_units.set([district.east, district.east_community, district.west, district.west_community])
    Indicator.objects.create(
        form=form, name="新增来返人员", measure_unit="人", figure_key="testing.arrivals", position=1
    )
    Indicator.objects.create(form=form, name="体温检测", measure_unit="人次", position=2)
    Indicator.objects.create(form=form, name="通行证出行", measure_unit="人次", figure_key="passes.nowhere", position=3)
    return form


@pytest.fixture
def form(district) -> ReportForm:
    return create_form(district)


@pytest.fixture
def indicators(form) -> list[Indicator]:
    return list(form.indicators.all())
