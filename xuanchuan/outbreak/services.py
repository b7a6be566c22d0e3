"""Every state change of the daily reports: filing, correcting, "no change", reopening,
approving and reminding. Views, the API, the Celery task and the demo data all call these.

Each function follows the platform's service contract (``xuanchuan.core.services``): the acting
user as ``by=``, the permission first (``outbreak.permissions``, ``PermissionDenied``), then whether
the unit-day is open, the writes inside one transaction; a move the rules refuse raises
``ServiceError`` with a message for the user, in Chinese.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from xuanchuan.core.services import ServiceError, require
from xuanchuan.org.models import Unit, User
from xuanchuan.org.services import district_root
from xuanchuan.outbreak.models import (
    REPORT_TZ,
    DailyReport,
    DayApproval,
    EntryReopening,
    EntryState,
    Indicator,
    Reminder,
    ReportForm,
    ReportStatus,
    ReportValue,
    ValueCorrection,
)
from xuanchuan.outbreak.permissions import REPORTER_ROLES, may_fill, may_fill_for, may_supervise
from xuanchuan.outbreak.sms import get_sms_backend, send_sms
from xuanchuan.reports.registry import FigureError, Period, compute

logger = logging.getLogger(__name__)

# The bounds of what a report holds, the same for the page, the API and any other caller.
MAX_VALUE = 10_000_000
MAX_REASON_LENGTH = 200


# --- Time and state ------------------------------------------------------------------------------


def now() -> datetime:
    return timezone.now()


def report_today(at: datetime | None = None) -> date:
    """The reporting day at ``at`` (China Standard Time)."""
    return (at or now()).astimezone(REPORT_TZ).date()


def is_required(form: ReportForm, unit: Unit) -> bool:
    return form.required_units.filter(pk=unit.pk).exists()


def entry_state(
    form: ReportForm,
    unit: Unit,
    day: date,
    *,
    at: datetime | None = None,
    approved: bool | None = None,
    reopened: bool | None = None,
) -> EntryState:
    """Whether ``unit``'s report of ``day`` can be written at ``at``.

    ``approved`` and ``reopened`` may be passed in by a caller that already knows them (the
    status board), so that a page of units costs no query per unit.
    """
    at = at or now()
    if day > report_today(at) or not form.runs_on(day):
        return EntryState.NOT_YET
    if approved is None:
        approved = DayApproval.objects.filter(form=form, day=day).exists()
    if approved:
        return EntryState.APPROVED
    if at < form.lock_at(day):
        return EntryState.LATE if at > form.deadline_at(day) else EntryState.OPEN
    if reopened is None:
        reopened = EntryReopening.objects.filter(form=form, unit=unit, day=day, used_at__isnull=True).exists()
    return EntryState.REOPENED if reopened else EntryState.LOCKED


def _lock(form: ReportForm) -> None:
    """Serialise the changes of one form's unit-days, so that an approval or a reopening and a
    filing of the same day never interleave (PostgreSQL row lock; SQLite already serialises)."""
    ReportForm.objects.select_for_update().filter(pk=form.pk).values_list("pk", flat=True).first()


def _check_may_fill(by: User, form: ReportForm, unit: Unit) -> None:
    require(may_fill(by), _("您没有填报疫情日报的权限。"))
    require(may_fill_for(by, unit), _("您不能为该单位填报。"))
    _check_required(form, unit)


def _check_required(form: ReportForm, unit: Unit) -> None:
    if not is_required(form, unit):
        raise ServiceError(_("%(unit)s不是“%(form)s”的应报单位。") % {"unit": unit.name, "form": form.name})


def _check_writable(form: ReportForm, unit: Unit, day: date, at: datetime) -> EntryState:
    state = entry_state(form, unit, day, at=at)
    messages = {
        EntryState.NOT_YET: _("还不能填报该日期的日报。"),
        EntryState.APPROVED: _("该日数据已经区里审核，已锁定，不能再修改。"),
        EntryState.LOCKED: _("该日填报已锁定，需由部管理员重新开放后才能填报。"),
    }
    if state not in EntryState.writable():
        raise ServiceError(messages[state])
    return state


# --- Pre-fill ----------------------------------------------------------------------------------------


def prefill(form: ReportForm, unit: Unit, day: date) -> dict[int, int]:
    """Values the platform already knows, by indicator id: each indicator with a ``figure_key``
    takes that figure for the day and the unit; keys nobody has registered are skipped."""
    values: dict[int, int] = {}
    period = Period.days(day, day)
    for indicator in form.indicators.exclude(figure_key=""):
        try:
            # A savepoint: another app's failing figure must not spoil the filing's transaction.
            with transaction.atomic():
                value = compute(indicator.figure_key, period, unit).value
        except FigureError:
            continue
        except Exception:
            # Pre-fill is a convenience: a broken figure elsewhere must not stop the daily report.
            logger.exception("疫情日报预填失败：%s", indicator.figure_key)
            continue
        if value is not None:
            values[indicator.pk] = int(value)
    return values


# --- Filing and correcting ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Filing:
    """What a filing did: the report, whether it was new, and the corrections it recorded."""

    report: DailyReport
    created: bool
    corrections: int


def submit_report(
    *,
    form: ReportForm,
    unit: Unit,
    day: date,
    values: Mapping[int, int],
    by: User,
    reason: str = "",
    at: datetime | None = None,
) -> Filing:
    """File ``unit``'s report of ``day``, or correct it if filed already.

    A first filing after the deadline is marked late. A correction must give a reason and keeps
    each earlier value as a ``ValueCorrection``. After the lock only a reopened unit-day can be
    written, and the reopening is used up by this filing.
    """
    at = at or now()
    _check_may_fill(by, form, unit)
    indicators = list(form.indicators.all())
    _check_values(indicators, values)
    _check_reason(reason)
    with transaction.atomic():
        _lock(form)
        state = _check_writable(form, unit, day, at)
        report = DailyReport.objects.select_for_update().filter(form=form, unit=unit, day=day).first()
        known = prefill(form, unit, day)
        if report is None:
            report = _create_report(form, unit, day, by, at, {i.pk: values[i.pk] for i in indicators}, known)
            filing = Filing(report, True, 0)
        else:
            filing = Filing(report, False, _correct(report, indicators, values, by, reason, at, known))
        if state == EntryState.REOPENED:
            _use_reopening(form, unit, day, at)
    return filing


def _check_values(indicators: list[Indicator], values: Mapping[int, int]) -> None:
    missing = [indicator.name for indicator in indicators if values.get(indicator.pk) is None]
    if missing:
        raise ServiceError(_("请填写：%(names)s。") % {"names": "、".join(missing)})
    numbers = [int(values[indicator.pk]) for indicator in indicators]
    if any(number < 0 for number in numbers):
        raise ServiceError(_("数值不能为负数。"))
    if any(number > MAX_VALUE for number in numbers):
        raise ServiceError(_("数值不能超过 %(max)s。") % {"max": MAX_VALUE})


def _check_reason(reason: str) -> None:
    if len(reason.strip()) > MAX_REASON_LENGTH:
        raise ServiceError(_("原因不能超过 %(max)s 个字。") % {"max": MAX_REASON_LENGTH})


def _create_report(
    form: ReportForm,
    unit: Unit,
    day: date,
    by: User,
    at: datetime,
    values: Mapping[int, int],
    known: Mapping[int, int],
    *,
    carried_over: bool = False,
) -> DailyReport:
    try:
        with transaction.atomic():
            report = DailyReport.objects.create(
                form=form,
                unit=unit,
                day=day,
                created_by=by,
                created_at=at,
                submitted_at=at,
                is_late=at > form.deadline_at(day),
                carried_over=carried_over,
            )
    except IntegrityError:
        raise ServiceError(_("%(unit)s该日的日报已经上报，请刷新后修改。") % {"unit": unit.name}) from None
    ReportValue.objects.bulk_create(
        ReportValue(report=report, indicator_id=pk, value=int(value), prefilled=known.get(pk) == int(value))
        for pk, value in values.items()
    )
    return report


def _correct(
    report: DailyReport,
    indicators: list[Indicator],
    values: Mapping[int, int],
    by: User,
    reason: str,
    at: datetime,
    known: Mapping[int, int],
) -> int:
    """Write changed values and a history row per change; returns how many changed."""
    current = {row.indicator_id: row for row in report.values.all()}
    changed = [i for i in indicators if i.pk not in current or current[i.pk].value != int(values[i.pk])]
    if not changed:
        return 0
    reason = reason.strip()
    if not reason:
        raise ServiceError(_("修改已上报的数值，请填写更正原因。"))
    for indicator in changed:
        new = int(values[indicator.pk])
        row = current.get(indicator.pk)
        if row is None:
            ReportValue.objects.create(
                report=report, indicator=indicator, value=new, prefilled=known.get(indicator.pk) == new
            )
            old = 0
        else:
            old, row.value, row.prefilled = row.value, new, known.get(indicator.pk) == new
            row.save(update_fields=["value", "prefilled"])
        ValueCorrection.objects.create(
            unit=report.unit, report=report, indicator=indicator, old_value=old, new_value=new,
            reason=reason, created_by=by, created_at=at,
        )  # fmt: skip
    report.carried_over = False
    report.save(update_fields=["carried_over", "updated_at"])
    return len(changed)


def submit_unchanged(*, form: ReportForm, unit: Unit, day: date, by: User, at: datetime | None = None) -> DailyReport:
    """File ``day``'s report as "较昨日无变化" (no change since yesterday), with yesterday's values.

    It is a report like any other (on time or late by the clock); it needs yesterday's report
    and no report of ``day`` yet.
    """
    at = at or now()
    _check_may_fill(by, form, unit)
    with transaction.atomic():
        _lock(form)
        state = _check_writable(form, unit, day, at)
        if DailyReport.objects.filter(form=form, unit=unit, day=day).exists():
            raise ServiceError(_("该日的日报已经上报；如需修改请直接更正。"))
        yesterday = DailyReport.objects.filter(form=form, unit=unit, day=day - timedelta(days=1)).first()
        if yesterday is None:
            raise ServiceError(_("昨日没有上报，不能使用“较昨日无变化”，请直接填写。"))
        previous = dict(yesterday.values.values_list("indicator_id", "value"))
        indicator_ids = list(form.indicators.values_list("pk", flat=True))
        if set(indicator_ids) - set(previous):
            raise ServiceError(_("报表指标较昨日有增加，请直接填写。"))
        values = {pk: previous[pk] for pk in indicator_ids}
        known = prefill(form, unit, day)
        report = _create_report(form, unit, day, by, at, values, known, carried_over=True)
        if state == EntryState.REOPENED:
            _use_reopening(form, unit, day, at)
    return report


# --- Supervision ---------------------------------------------------------------------------------------


def reopen_entry(
    *, form: ReportForm, unit: Unit, day: date, by: User, reason: str, at: datetime | None = None
) -> EntryReopening:
    """A supervisor reopens a locked unit-day for one more filing, giving the reason."""
    at = at or now()
    require(may_supervise(by), _("只有部管理员可以重新开放填报。"))
    if not reason.strip():
        raise ServiceError(_("请填写重新开放的原因。"))
    _check_reason(reason)
    _check_required(form, unit)
    with transaction.atomic():
        _lock(form)
        state = entry_state(form, unit, day, at=at)
        if state == EntryState.APPROVED:
            raise ServiceError(_("该日数据已审核锁定，不能重新开放。"))
        if state == EntryState.REOPENED:
            raise ServiceError(_("该单位该日已重新开放，尚未使用。"))
        if state != EntryState.LOCKED:
            raise ServiceError(_("该日尚未锁定，单位可以直接填报。"))
        return EntryReopening.objects.create(
            form=form, unit=unit, day=day, reason=reason.strip(), created_by=by, created_at=at
        )


def _use_reopening(form: ReportForm, unit: Unit, day: date, at: datetime) -> None:
    # Saved row by row (there is at most one) so that the audit trail records its use.
    for reopening in EntryReopening.objects.filter(form=form, unit=unit, day=day, used_at__isnull=True):
        reopening.used_at = at
        reopening.save(update_fields=["used_at", "updated_at"])


def approve_day(*, form: ReportForm, day: date, by: User, note: str = "", at: datetime | None = None) -> DayApproval:
    """The district approves ``day``'s figures: every report of the day becomes approved and the
    day is locked, missing reports included. Not before the day's deadline."""
    at = at or now()
    require(may_supervise(by), _("只有部管理员可以审核日报。"))
    _check_reason(note)
    if not form.runs_on(day) or at <= form.deadline_at(day):
        raise ServiceError(_("截止时间之前不能审核该日数据。"))
    with transaction.atomic():
        _lock(form)
        if DayApproval.objects.filter(form=form, day=day).exists():
            raise ServiceError(_("该日数据已经审核。"))
        try:
            with transaction.atomic():
                approval = DayApproval.objects.create(
                    form=form, day=day, note=note.strip(), unit=form.unit, created_by=by, created_at=at
                )
        except IntegrityError:
            raise ServiceError(_("该日数据已经审核。")) from None
        DailyReport.objects.filter(form=form, day=day, status=ReportStatus.SUBMITTED).update(
            status=ReportStatus.APPROVED, updated_at=at
        )
    return approval


# --- Definition ----------------------------------------------------------------------------------------


def save_definition(*, by: User, definition: Any, indicators: Any) -> ReportForm:
    """Save the district's definition of a daily report and its indicators (a valid model form
    and inline formset). A new form belongs to the district; an indicator that already holds
    filed values cannot be deleted."""
    require(may_supervise(by), _("只有部管理员可以设置日报表。"))
    with transaction.atomic():
        report_form = definition.save(commit=False)
        if report_form.pk is None:
            report_form.unit = district_root()
            report_form.created_by = by
        report_form.save()
        definition.save_m2m()
        indicators.instance = report_form
        try:
            with transaction.atomic():
                indicators.save()
        except ProtectedError:
            raise ServiceError(_("已有填报数据的指标不能删除，可以修改名称或另设报表。")) from None
    return report_form


# --- Reminders -------------------------------------------------------------------------------------------


def units_not_reported(form: ReportForm, day: date) -> list[Unit]:
    reported = DailyReport.objects.filter(form=form, day=day).values("unit_id")
    return list(form.required_units.exclude(pk__in=reported).active_on(day))


def send_deadline_reminders(at: datetime | None = None) -> int:
    """Remind each unit that has not reported, from ``reminder_minutes`` before the deadline
    until the deadline: an in-app reminder and a text to its reporters. Once per unit and day,
    however often this runs. Returns how many units were reminded."""
    at = at or now()
    day = report_today(at)
    reminded = 0
    for form in ReportForm.objects.active().filter(starts_on__lte=day):
        if not form.runs_on(day) or not form.reminder_at(day) <= at < form.deadline_at(day):
            continue
        for unit in units_not_reported(form, day):
            reminded += _remind(form, unit, day, at)
    if reminded:
        logger.info("疫情日报截止提醒：%s 个未上报单位", reminded)
    return reminded


def _remind(form: ReportForm, unit: Unit, day: date, at: datetime) -> int:
    with transaction.atomic():
        _reminder, created = Reminder.objects.get_or_create(form=form, unit=unit, day=day, defaults={"created_at": at})
        if not created:
            return 0
        text = _("【%(district)s】%(unit)s：今日“%(form)s”尚未上报，请于%(deadline)s前完成填报。") % {
            "district": settings.XUANCHUAN_DISTRICT_NAME,
            "unit": unit.name,
            "form": form.name,
            "deadline": f"{form.deadline:%H:%M}",
        }
        gateway = get_sms_backend()
        for person in _reporters_of(unit):
            send_sms(gateway, person, text)
    logger.debug("已提醒未上报单位：%s %s", unit.name, day)
    return 1


def _reporters_of(unit: Unit) -> list[User]:
    people = User.objects.filter(unit=unit, is_active=True, roles__code__in=REPORTER_ROLES).distinct()
    return list(people.order_by("pk"))
