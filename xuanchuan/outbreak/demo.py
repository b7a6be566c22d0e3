"""The daily reports' part of the demo data.

One form, 疫情防控日报 (deadline 10:00, lock 18:00, reminder an hour before), that every active
community and village files, with seven indicators (three pre-filled from the arrivals and
passes systems). History: 30 days (``--size large``: 730, two years, so the year-end report
compares this year with last) of reports, most on time, some late, a few missing, some "no change
since yesterday", a few corrected, none before the unit was set up; every day before yesterday
approved. Yesterday waits for approval and has one unit reopened by the department
administrator; today is half filed, through the services, as the reporters would.

Each earlier year of the demo that the form's history does not reach (with ``--size small``, the
two years before this one) had a week of daily reports during the Spring Festival travel season
on a form of its own, since closed (``疫情防控日报（2025年春运）``, 20-26 January, all approved):
so every figure of the daily reports has data in each of the demo's three years, and the report
of last year compares with the year before.

Left in ``ctx.shared``: ``"outbreak_form"`` (``ReportForm``).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from xuanchuan.core.demo import DemoContext, DemoError, bulk_insert
from xuanchuan.core.services import ServiceError
from xuanchuan.org.models import GRASSROOTS_TYPES, RoleCode, Unit, User
from xuanchuan.outbreak import services
from xuanchuan.outbreak.models import (
    REPORT_TZ,
    DailyReport,
    DayApproval,
    Indicator,
    Reminder,
    ReportForm,
    ReportStatus,
    ReportValue,
    ValueCorrection,
)

ORDER = 60

# The week of an earlier year's daily reports: (month, first day, days).
EARLIER_WAVE = (1, 20, 7)

# (name, measure unit, figure key, typical daily value of a community); the first three are
# pre-filled from the arrivals and passes systems today, their history is drawn at their scale.
INDICATORS: tuple[tuple[str, str, str, int], ...] = (
    ("新增来返人员", "人", "arrivals.registrations", 1),
    ("在管随访人员", "人", "arrivals.under_follow_up", 3),
    ("通行证出行", "人次", "passes.outings", 20),
    ("体温检测", "人次", "", 600),
    ("发现发热人员", "人", "", 1),
    ("居家健康监测", "人", "", 6),
    ("排查重点场所", "处", "", 8),
)
CORRECTION_REASONS = ("录入笔误", "补录漏报人员", "核对后更正", "街道复核后调整")


def seed(ctx: DemoContext) -> None:
    admin = _first(ctx, RoleCode.DEPARTMENT_ADMIN)
    units = [
        unit
        for kind in GRASSROOTS_TYPES
        for unit in ctx.shared["units_by_type"].get(str(kind), [])
        if unit.dissolved_on is None
    ]
    days = ctx.scaled(30, 730)
    starts_on = ctx.today - timedelta(days=days - 1)
    form = _create_form(ctx, admin, units, starts_on)
    indicators = list(form.indicators.all())
    history = [ctx.today - timedelta(days=offset) for offset in range(days - 1, 0, -1)]
    reports = _history(ctx, form, indicators, units, history)
    _approve_history(form, admin, history[:-1], reports)
    _yesterday(ctx, form, admin, units, history[-1])
    _today(ctx, form, units, indicators)
    # After this year's reports, so that they stay what they were before the earlier years came.
    earlier = sum(_earlier_wave(ctx, admin, units, year) for year in ctx.years if year < starts_on.year)
    ctx.shared["outbreak_form"] = form
    ctx.log(f"疫情日报：{len(units)} 个应报单位，{days} 天，历史日报 {len(reports)} 份；往年春运期间 {earlier} 份")


def _earlier_wave(ctx: DemoContext, admin: User, units: list[Unit], year: int) -> int:
    """A closed form of ``year`` with a week of filed and approved reports; how many were filed."""
    month, day, length = EARLIER_WAVE
    first = date(year, month, day)
    form = _create_form(ctx, admin, units, first, ends_on=first + timedelta(days=length - 1), year=year)
    days = [first + timedelta(days=offset) for offset in range(length)]
    reports = _history(ctx, form, list(form.indicators.all()), units, days)
    _approve_history(form, admin, days, reports)
    return len(reports)


def _first(ctx: DemoContext, role: str) -> User:
    people = ctx.shared.get("users_by_role", {}).get(role)
    if not people:
        raise DemoError("疫情日报的演示数据需要组织机构的演示数据（部管理员）。")
    return people[0]


def _create_form(
    ctx: DemoContext,
    admin: User,
    units: list[Unit],
    starts_on: date,
    *,
    ends_on: date | None = None,
    year: int | None = None,
) -> ReportForm:
    """The daily form (``year``: the closed form of that year's Spring Festival week)."""
    form = ReportForm.objects.create(
        name=f"疫情防控日报（{year}年春运）" if year else "疫情防控日报",
        unit=ctx.shared["district"],
        created_by=admin,
        deadline=time(10, 0),
        lock_time=time(18, 0),
        reminder_minutes=60,
        starts_on=starts_on,
        ends_on=ends_on,
        is_active=ends_on is None,
    )
    form.required_units.set(units)
    Indicator.objects.bulk_create(
        Indicator(form=form, name=name, measure_unit=unit, figure_key=key, position=position)
        for position, (name, unit, key, _typical) in enumerate(INDICATORS, start=1)
    )
    return form


def _at(day: date, hour: int, minute: int) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=REPORT_TZ)


def _history(
    ctx: DemoContext, form: ReportForm, indicators: list[Indicator], units: list[Unit], days: list[date]
) -> list[DailyReport]:
    """Reports of past days in bulk: ~95% filed, ~88% of those on time."""
    reports: list[DailyReport] = []
    values: list[tuple[DailyReport, list[int]]] = []
    for unit in units:
        staff = ctx.shared["staff_by_unit"].get(unit.code, [None])[0]
        level = [max(1, round(typical * ctx.rng.uniform(0.4, 1.8))) for *_rest, typical in INDICATORS]
        previous: list[int] | None = None
        for day in days:
            if unit.established_on is not None and day < unit.established_on:
                continue  # nothing to report before the unit was set up
            if not ctx.chance(0.95):
                previous = None
                continue
            carried = previous is not None and ctx.chance(0.06)
            numbers = list(previous) if carried else [_draw(ctx, base) for base in level]
            late = ctx.chance(0.12)
            at = (
                _at(day, ctx.rng.randint(10, 17), ctx.rng.randint(1, 59))
                if late
                else _at(day, ctx.rng.randint(7, 9), ctx.rng.randint(0, 59))
            )
            report = DailyReport(
                form=form, unit=unit, day=day, created_by=staff, created_at=at, submitted_at=at,
                is_late=late, carried_over=carried,
            )  # fmt: skip
            reports.append(report)
            values.append((report, numbers))
            previous = numbers
    bulk_insert(DailyReport, reports)
    bulk_insert(
        ReportValue,
        (
            ReportValue(report_id=report.pk, indicator_id=indicator.pk, value=number)
            for report, numbers in values
            for indicator, number in zip(indicators, numbers, strict=True)
        ),
        batch_size=5000,
        keep_ids=False,
    )
    _corrections(ctx, form, values, indicators)
    return reports


def _draw(ctx: DemoContext, base: int) -> int:
    return max(0, round(ctx.rng.gauss(base, max(1.0, base * 0.25))))


def _corrections(
    ctx: DemoContext, form: ReportForm, values: list[tuple[DailyReport, list[int]]], indicators: list[Indicator]
) -> None:
    """About 2% of past reports had one value corrected later the same day."""
    rows: list[ValueCorrection] = []
    for report, numbers in values:
        if not ctx.chance(0.02):
            continue
        index = ctx.rng.randrange(len(indicators))
        old = max(0, numbers[index] + ctx.rng.choice((-3, -2, -1, 1, 2, 3)))
        rows.append(
            ValueCorrection(
                unit=report.unit, report_id=report.pk, indicator=indicators[index], old_value=old,
                new_value=numbers[index], reason=ctx.rng.choice(CORRECTION_REASONS), created_by=report.created_by,
                created_at=_before_lock(form, report, ctx.rng.randint(5, 120)),
            )
        )  # fmt: skip
    bulk_insert(ValueCorrection, rows)


def _before_lock(form: ReportForm, report: DailyReport, minutes: int) -> datetime:
    """A moment after the filing and before the day's lock, for a correction."""
    latest = max(report.submitted_at, form.lock_at(report.day) - timedelta(minutes=1))
    return min(report.submitted_at + timedelta(minutes=minutes), latest)


def _approve_history(form: ReportForm, admin: User, days: list[date], reports: list[DailyReport]) -> None:
    """Every day before yesterday was approved the next morning; its reports are locked."""
    bulk_insert(
        DayApproval,
        (
            DayApproval(
                form=form, day=day, unit=form.unit, created_by=admin, created_at=_at(day + timedelta(days=1), 11, 0)
            )
            for day in days
        ),
    )
    if days:
        DailyReport.objects.filter(form=form, day__lte=days[-1]).update(status=ReportStatus.APPROVED)
    filed = {(report.unit_id, report.day) for report in reports}
    established = {report.unit_id: report.unit.established_on for report in reports}
    reminders = [
        Reminder(form=form, unit_id=unit_id, day=day, created_at=_at(day, 9, 0))
        for unit_id in sorted(established)
        for day in days
        if (unit_id, day) not in filed and (established[unit_id] is None or day >= established[unit_id])
    ]
    bulk_insert(Reminder, reminders)


def _yesterday(ctx: DemoContext, form: ReportForm, admin: User, units: list[Unit], day: date) -> None:
    """Yesterday is locked but not yet approved; one unit that missed it is reopened."""
    filed = set(DailyReport.objects.filter(form=form, day=day).values_list("unit_id", flat=True))
    missing = [unit for unit in units if unit.pk not in filed]
    if missing:
        services.reopen_entry(
            form=form, unit=missing[0], day=day, by=admin, reason="网格员系统故障，申请补报", at=ctx.now
        )


def _today(ctx: DemoContext, form: ReportForm, units: list[Unit], indicators: list[Indicator]) -> None:
    """Half the units have filed today, through the services; the rest are reminded if due."""
    # Filed from seven in the morning, mostly before the deadline; never after now or the lock.
    end = min(ctx.now, form.lock_at(ctx.today) - timedelta(minutes=1))
    start = max(_at(ctx.today, 0, 0), min(_at(ctx.today, 7, 0), end))
    on_time_end = max(start, min(end, form.deadline_at(ctx.today) - timedelta(minutes=1)))
    for number, unit in enumerate(units[: len(units) // 2]):
        staff = ctx.shared["staff_by_unit"].get(unit.code)
        if not staff:
            continue
        at = ctx.random_datetime_between(start, end if ctx.chance(0.15) else on_time_end)
        if number % 7 == 3:
            try:
                services.submit_unchanged(form=form, unit=unit, day=ctx.today, by=staff[0], at=at)
                continue
            except ServiceError:
                pass
        values = _today_values(ctx, form, unit, indicators)
        services.submit_report(form=form, unit=unit, day=ctx.today, values=values, by=staff[0], at=at)
    reminder_at = form.reminder_at(ctx.today)
    if reminder_at <= ctx.now:
        services.send_deadline_reminders(at=min(ctx.now, form.deadline_at(ctx.today) - timedelta(minutes=1)))


def _today_values(ctx: DemoContext, form: ReportForm, unit: Unit, indicators: list[Indicator]) -> dict[int, Any]:
    known = services.prefill(form, unit, ctx.today)
    return {
        indicator.pk: known.get(indicator.pk, _draw(ctx, typical))
        for indicator, (*_rest, typical) in zip(indicators, INDICATORS, strict=True)
    }
