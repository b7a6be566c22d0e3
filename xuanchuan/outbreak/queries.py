"""Read-only views of the daily reports: the status board, the district roll-up and the
reporting rates. Every function takes the viewer and reads through ``visible_to``; each costs a
fixed number of queries however many units there are."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from xuanchuan.org.models import Unit, User
from xuanchuan.outbreak import services
from xuanchuan.outbreak.models import (
    DailyReport,
    DayApproval,
    EntryReopening,
    EntryState,
    Indicator,
    Reminder,
    ReportForm,
    ReportValue,
)
from xuanchuan.outbreak.services import entry_state

# The longest span the roll-up and the export cover at once.
MAX_RANGE_DAYS = 92


def rate(part: int, whole: int) -> Decimal | None:
    """``part / whole`` as a percentage with one decimal, or ``None`` when nothing was due."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def forms_for(user: User) -> QuerySet[ReportForm]:
    return ReportForm.objects.visible_to(user).select_related("unit")


def required_units(form: ReportForm, user: User, scope: Unit | None = None) -> QuerySet[Unit]:
    """The units that must file ``form`` that ``user`` sees, within ``scope``."""
    return form.required_units.visible_to(user).within(scope)


def day_approval(form: ReportForm, day: date) -> DayApproval | None:
    # The approval is a fact about the whole day, owned by the district and shown to every unit.
    return DayApproval.objects.filter(form=form, day=day).select_related("created_by").first()  # scoping: allowed


# --- Status board ------------------------------------------------------------------------------------


@dataclass
class BoardRow:
    """One required unit on the status board."""

    unit: Unit
    report: DailyReport | None
    state: EntryState
    reminded: bool

    @property
    def status(self) -> str:
        if self.report is None:
            return _("未报")
        return _("迟报") if self.report.is_late else _("按时上报")

    @property
    def css(self) -> str:
        if self.report is None:
            return "danger" if self.state not in EntryState.writable() or self.state == EntryState.LATE else "secondary"
        return "warning" if self.report.is_late else "success"


@dataclass
class Board:
    """Who has and has not filed ``form`` for ``day``."""

    form: ReportForm
    day: date
    rows: list[BoardRow]
    approval: DayApproval | None
    deadline: datetime
    lock: datetime

    @property
    def required(self) -> int:
        return len(self.rows)

    @property
    def reported(self) -> int:
        return sum(1 for row in self.rows if row.report is not None)

    @property
    def on_time(self) -> int:
        return sum(1 for row in self.rows if row.report is not None and not row.report.is_late)

    @property
    def late(self) -> int:
        return self.reported - self.on_time

    @property
    def missing(self) -> int:
        return self.required - self.reported

    @property
    def reporting_rate(self) -> Decimal | None:
        return rate(self.reported, self.required)

    @property
    def on_time_rate(self) -> Decimal | None:
        return rate(self.on_time, self.required)


def board(form: ReportForm, day: date, user: User, *, at: datetime | None = None) -> Board:
    """The status board of ``day``: five queries for any number of units."""
    at = at or services.now()
    units = list(required_units(form, user).active_on(day))
    reports = {
        report.unit_id: report
        for report in DailyReport.objects.visible_to(user).filter(form=form, day=day).select_related("created_by")
    }
    reminded = set(Reminder.objects.visible_to(user).filter(form=form, day=day).values_list("unit_id", flat=True))
    open_reopenings = EntryReopening.objects.visible_to(user).filter(form=form, day=day, used_at__isnull=True)
    reopened = set(open_reopenings.values_list("unit_id", flat=True))
    approval = day_approval(form, day)
    rows = [
        BoardRow(
            unit=unit,
            report=reports.get(unit.pk),
            state=entry_state(form, unit, day, at=at, approved=approval is not None, reopened=unit.pk in reopened),
            reminded=unit.pk in reminded,
        )
        for unit in units
    ]
    return Board(form, day, rows, approval, form.deadline_at(day), form.lock_at(day))


# --- Roll-up ---------------------------------------------------------------------------------------------


def days_between(start: date, end: date) -> list[date]:
    return [start + timedelta(days=offset) for offset in range((end - start).days + 1)]


@dataclass
class Rollup:
    """Sums of each indicator by day and by unit over a span, for one scope."""

    form: ReportForm
    start: date
    end: date
    scope: Unit | None
    indicators: list[Indicator]
    days: list[date]
    # day → indicator id → sum
    by_day: dict[date, dict[int, int]]
    # day → (reported, on time)
    counts: dict[date, tuple[int, int]]
    expected: int
    # unit → indicator id → value, for ``end`` (the day shown unit by unit)
    units: list[Unit]
    by_unit: dict[int, dict[int, int]]
    reports_of_end: dict[int, DailyReport] = field(default_factory=dict)

    def day_rows(self) -> list[dict[str, Any]]:
        rows = []
        for day in self.days:
            reported, on_time = self.counts.get(day, (0, 0))
            totals = self.by_day.get(day, {})
            rows.append(
                {
                    "day": day,
                    "values": [totals.get(indicator.pk) for indicator in self.indicators],
                    "reported": reported,
                    "reporting_rate": rate(reported, self.expected),
                    "on_time_rate": rate(on_time, self.expected),
                }
            )
        return rows

    def unit_rows(self) -> list[dict[str, Any]]:
        return [
            {
                "unit": unit,
                "report": self.reports_of_end.get(unit.pk),
                "values": [self.by_unit.get(unit.pk, {}).get(indicator.pk) for indicator in self.indicators],
            }
            for unit in self.units
        ]

    def totals_of_end(self) -> list[int | None]:
        totals = self.by_day.get(self.end, {})
        return [totals.get(indicator.pk) for indicator in self.indicators]

    def chart(self) -> dict[str, Any]:
        """What the trend chart draws (read by ``outbreak/js/charts.js``)."""
        rows = self.day_rows()
        return {
            "days": [f"{day:%m-%d}" for day in self.days],
            "series": [
                {
                    "name": f"{indicator.name}（{indicator.measure_unit}）",
                    "data": [row["values"][i] for row in rows],  # None: nobody filed, a gap in the line
                }
                for i, indicator in enumerate(self.indicators)
            ],
            "rates": {
                _("上报率"): [float(row["reporting_rate"] or 0) for row in rows],
                _("按时上报率"): [float(row["on_time_rate"] or 0) for row in rows],
            },
        }


def rollup(form: ReportForm, start: date, end: date, user: User, scope: Unit | None = None) -> Rollup:
    """Six queries: the indicators, the units, sums by day, counts by day, the last day by unit."""
    reports = DailyReport.objects.visible_to(user).within(scope).filter(form=form, day__range=(start, end))
    indicators = list(form.indicators.all())
    units = list(required_units(form, user, scope).active_on(end))
    by_day: dict[date, dict[int, int]] = defaultdict(dict)
    sums = (
        ReportValue.objects.filter(report__in=reports)
        .values("report__day", "indicator_id")
        .annotate(total=Sum("value"))
    )
    for row in sums:
        by_day[row["report__day"]][row["indicator_id"]] = row["total"]
    counts = {
        row["day"]: (row["reported"], row["on_time"])
        for row in reports.values("day").annotate(reported=Count("pk"), on_time=Count("pk", filter=Q(is_late=False)))
    }
    last_day = list(reports.filter(day=end).prefetch_related("values"))
    by_unit = {
        report.unit_id: {value.indicator_id: value.value for value in report.values.all()} for report in last_day
    }
    return Rollup(
        form=form,
        start=start,
        end=end,
        scope=scope,
        indicators=indicators,
        days=days_between(start, end),
        by_day=dict(by_day),
        counts=counts,
        expected=len(units),
        units=units,
        by_unit=by_unit,
        reports_of_end={report.unit_id: report for report in last_day},
    )


# --- Reporting rates per unit -------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitRate:
    """How often one unit filed, and how often on time, over a span."""

    unit: Unit
    expected: int
    reported: int
    on_time: int

    @property
    def late(self) -> int:
        return self.reported - self.on_time

    @property
    def missing(self) -> int:
        return max(self.expected - self.reported, 0)

    @property
    def reporting_rate(self) -> Decimal | None:
        return rate(self.reported, self.expected)

    @property
    def on_time_rate(self) -> Decimal | None:
        return rate(self.on_time, self.expected)


def expected_days(form: ReportForm, unit: Unit, start: date, end: date, today: date) -> int:
    """Days in ``start``–``end`` on which ``unit`` had to file ``form`` (none after today)."""
    first = max(start, form.starts_on, unit.established_on or start)
    last = min(end, today, form.ends_on or end)
    if unit.dissolved_on is not None:
        last = min(last, unit.dissolved_on - timedelta(days=1))
    return max((last - first).days + 1, 0)


def unit_rates(form: ReportForm, start: date, end: date, user: User, scope: Unit | None = None) -> list[UnitRate]:
    """Reporting and on-time rate of every required unit the user sees: two queries."""
    today = services.report_today()
    units = list(required_units(form, user, scope))
    reports = DailyReport.objects.visible_to(user).filter(form=form, day__range=(start, min(end, today)))
    counts = {
        row["unit_id"]: (row["reported"], row["on_time"])
        for row in reports.values("unit_id").annotate(
            reported=Count("pk"), on_time=Count("pk", filter=Q(is_late=False))
        )
    }
    return [
        UnitRate(unit, expected_days(form, unit, start, end, today), *counts.get(unit.pk, (0, 0))) for unit in units
    ]
