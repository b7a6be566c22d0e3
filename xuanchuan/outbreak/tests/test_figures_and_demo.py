"""The figures the report reads, and the demo data (small size; large is timed by hand)."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command

from xuanchuan.outbreak import services
from xuanchuan.outbreak.models import DailyReport, DayApproval, EntryReopening, ReportForm, ValueCorrection
from xuanchuan.outbreak.tests.conftest import DAY, at
from xuanchuan.reports.registry import Period, all_figures, compute

pytestmark = pytest.mark.django_db
KEYS = (
    "outbreak.reports_submitted",
    "outbreak.reports_on_time",
    "outbreak.reports_late",
    "outbreak.reports_expected",
    "outbreak.reporting_rate",
    "outbreak.on_time_rate",
)


def test_figures_are_registered_with_labels_and_descriptions() -> None:
    figures = {item.key: item for item in all_figures()}
    for key in KEYS:
        assert figures[key].label and figures[key].unit and figures[key].description


def test_figures_count_reports_rates_and_scope(form, district, bob, charlie, dora, monkeypatch) -> None:
    monkeypatch.setattr(services, "now", lambda: at(DAY, 20))
    values = {indicator.pk: 1 for indicator in form.indicators.all()}
    for unit, user, moment in (
        (district.east, bob, at(DAY, 9)),
        (district.east_community, dora, at(DAY, 11)),
        (district.west, charlie, at(DAY, 9, 30)),
    ):
        services.submit_report(form=form, unit=unit, day=DAY, values=values, by=user, at=moment)
    day = Period.days(DAY, DAY)
    assert compute("outbreak.reports_submitted", day).value == 3
    assert compute("outbreak.reports_on_time", day).value == 2
    assert compute("outbreak.reports_late", day).value == 1
    assert compute("outbreak.reports_expected", day).value == 4
    assert compute("outbreak.reporting_rate", day).value == Decimal("75.0")
    assert compute("outbreak.on_time_rate", day).value == Decimal("50.0")
    assert compute("outbreak.reporting_rate", day, district.east).value == Decimal("100.0")
    assert compute("outbreak.on_time_rate", day, district.east).records.count() == 1
    # Days of the form before today count as due; days before it started do not.
    week = Period.days(DAY - timedelta(days=12), DAY)
    assert compute("outbreak.reports_expected", week).value == 4 * 10


def test_small_demo_makes_a_believable_month() -> None:
    out = io.StringIO()
    call_command("seed_demo", "--seed", "3", "--force", stdout=out)
    form = ReportForm.objects.get(is_active=True)
    assert form.indicators.count() == 7 and form.required_units.count() > 30
    today = services.report_today()
    this_month = DailyReport.objects.filter(form=form, day__lt=today)
    assert this_month.count() > 0.9 * 29 * form.required_units.count()
    assert DailyReport.objects.filter(is_late=True).exists() and DailyReport.objects.filter(carried_over=True).exists()
    assert ValueCorrection.objects.exists() and EntryReopening.objects.count() <= 1
    assert not DayApproval.objects.filter(day__gte=today - timedelta(days=1)).exists()
    assert DayApproval.objects.filter(form=form).count() == 28
    assert "疫情日报" in out.getvalue()
    period = Period.days(today - timedelta(days=29), today - timedelta(days=1))
    assert 85 <= compute("outbreak.reporting_rate", period).value <= 100


def test_small_demo_has_a_spring_festival_week_in_each_earlier_year() -> None:
    """The two years before this one: a closed form each, a week filed and approved, so that every
    figure of the daily reports has data in all three years of the demo (and rates near 95%)."""
    call_command("seed_demo", "--seed", "3", "--force", stdout=io.StringIO())
    today = services.report_today()
    for year in (today.year - 2, today.year - 1):
        form = ReportForm.objects.get(name=f"疫情防控日报（{year}年春运）")
        assert not form.is_active and (form.ends_on - form.starts_on).days == 6
        assert form.indicators.count() == 7
        assert DayApproval.objects.filter(form=form).count() == 7
        assert not DailyReport.objects.filter(form=form).exclude(status="approved").exists()
        period = Period.year(year)
        for key in KEYS:
            assert compute(key, period).value, (key, year)
        assert 85 <= compute("outbreak.reporting_rate", period).value <= 100


def test_large_demo_is_two_years_in_bulk_and_quick() -> None:
    """``--size large``: the organisation's part, then this part alone, timed."""
    import time

    from xuanchuan.core.demo import DemoContext, discover_parts, seed_all

    parts = [part for part in discover_parts() if part.label in ("org", "outbreak")]
    started = time.perf_counter()
    seed_all(DemoContext(seed=5, size="large", write=lambda line: None), parts)
    assert time.perf_counter() - started < 120
    form = ReportForm.objects.get(is_active=True)
    assert form.starts_on == services.report_today() - timedelta(days=729)
    assert DailyReport.objects.count() > 0.9 * 729 * form.required_units.count()
