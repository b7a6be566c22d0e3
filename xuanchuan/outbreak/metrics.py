"""Figures of the epidemic daily reports for the report (e.g. 累计上报疫情日报×份，按时上报率×%)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from xuanchuan.org.models import Unit
from xuanchuan.outbreak.models import DailyReport, ReportForm
from xuanchuan.outbreak.queries import expected_days, rate
from xuanchuan.outbreak.services import report_today
from xuanchuan.reports.registry import Measure, Period, figure, shared


def _reports(period: Period, unit: Unit | None) -> QuerySet:
    return DailyReport.objects.within(unit).filter(day__range=(period.start, period.end))


def _required() -> list[Any]:
    """Every (form, unit) pair that must report, with both loaded: one query."""
    return list(ReportForm.required_units.through.objects.select_related("reportform", "unit"))


def _expected(period: Period, unit: Unit | None) -> int:
    """Reports due in ``period`` from the units in ``unit``'s scope: the pairs that must report,
    read once while the dashboards compute many values (``shared``), whatever the forms."""
    today = report_today()
    last_start = min(period.end, today)
    return sum(
        expected_days(row.reportform, row.unit, period.start, period.end, today)
        for row in shared("outbreak.required_units", _required)
        if row.reportform.starts_on <= last_start
        and (row.reportform.ends_on is None or row.reportform.ends_on >= period.start)
        and (unit is None or row.unit.path.startswith(unit.path))
    )


@figure(
    "outbreak.reports_submitted",
    label="疫情日报上报数",
    unit="份",
    synonyms=("疫情日报", "疫情上报", "日报上报", "上报疫情信息"),
    date_field="day",
)
def reports_submitted(period: Period, unit: Unit | None) -> QuerySet:
    """期间内各应报单位上报的疫情日报（每单位每日一份，含迟报）。"""
    return _reports(period, unit)


@figure(
    "outbreak.reports_on_time",
    label="按时上报的疫情日报数",
    unit="份",
    synonyms=("按时上报", "按时报送"),
    date_field="day",
)
def reports_on_time(period: Period, unit: Unit | None) -> QuerySet:
    """期间内在当日截止时间之前上报的疫情日报。"""
    return _reports(period, unit).filter(is_late=False)


@figure("outbreak.reports_late", label="迟报的疫情日报数", unit="份", synonyms=("迟报", "逾期上报"), date_field="day")
def reports_late(period: Period, unit: Unit | None) -> QuerySet:
    """期间内晚于当日截止时间上报的疫情日报。"""
    return _reports(period, unit).filter(is_late=True)


@figure("outbreak.reports_expected", label="应报疫情日报数", unit="份", synonyms=("应报", "应上报"))
def reports_expected(period: Period, unit: Unit | None) -> Measure:
    """期间内（至今日为止）各应报单位在报表启用、单位存续期间应上报的日报份数。"""
    return Measure(_expected(period, unit))


@figure(
    "outbreak.reporting_rate",
    label="疫情日报上报率",
    unit="%",
    synonyms=("上报率", "报送率"),
    parts=("outbreak.reports_submitted", "outbreak.reports_expected"),
    combine=rate,
)
def reporting_rate(period: Period, unit: Unit | None) -> Measure:
    """已上报份数 ÷ 应报份数 × 100%。"""
    records = _reports(period, unit)
    return Measure(rate(records.count(), _expected(period, unit)), records)


@figure(
    "outbreak.on_time_rate",
    label="疫情日报按时上报率",
    unit="%",
    synonyms=("按时上报率", "及时率"),
    parts=("outbreak.reports_on_time", "outbreak.reports_expected"),
    combine=rate,
)
def on_time_rate(period: Period, unit: Unit | None) -> Measure:
    """截止时间前上报的份数 ÷ 应报份数 × 100%。"""
    records = _reports(period, unit).filter(is_late=False)
    return Measure(rate(records.count(), _expected(period, unit)), records)
