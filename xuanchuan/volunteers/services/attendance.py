"""Attendance and service hours: check-in and check-out by the changing code of the organiser's
screen, the minutes that come of them, hours entered by hand (补录) and their approval, corrections
of certified minutes with their history, and closing an activity's attendance.

Minutes count only inside the activity's time (travel before and after does not count, as the
2012 draft of the record rules says): the overlap of [check-in, check-out] with [start, end], in
whole minutes rounded down. Hours entered by hand are PENDING until a member of staff other than
the one who entered them approves them, and stay marked as ``manual``. Every write of certified
minutes sends ``hours_confirmed`` / ``hours_corrected`` inside its transaction, so the points the
points part posts for them commit or roll back with it.

A volunteer who finds the certified minutes of a CONFIRMED record wrong reports it on their phone
(纠错, ``dispute_hours``); an approver verifies it and either corrects the minutes through
``correct_hours`` (so the correction history and the points follow the one path) or answers why the
record stands (``resolve_dispute``).
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xuanchuan.core.services import ServiceError, require
from xuanchuan.org.scoping import require_visible_unit
from xuanchuan.volunteers import checkin_codes, signals
from xuanchuan.volunteers.models import (
    Activity,
    ActivityStatus,
    DisputeStatus,
    HoursCorrection,
    HoursDispute,
    RecordSource,
    RecordStatus,
    ServiceRecord,
    SignUp,
    SignUpStatus,
    Volunteer,
)
from xuanchuan.volunteers.permissions import may_approve_hours, may_manage

STALE_CODE = "二维码已过期，请重新扫描现场屏幕上的二维码"
REASON_MAX = 300


def activity_minutes(activity: Activity) -> int:
    """The length of the activity in whole minutes (the most any record of it can hold)."""
    return int((activity.ends_at - activity.starts_at).total_seconds() // 60)


def served_minutes(activity: Activity, checked_in_at: datetime, checked_out_at: datetime) -> int:
    """Whole minutes (rounded down) of [check-in, check-out] inside [start, end]."""
    start = max(checked_in_at, activity.starts_at)
    end = min(checked_out_at, activity.ends_at)
    if end <= start:
        return 0
    return math.floor((end - start).total_seconds() / 60)


def _require_code(activity: Activity, code: str, at: datetime) -> None:
    if not checkin_codes.is_valid(activity, code, at.timestamp()):
        raise ServiceError(_(STALE_CODE))


def _require_running(activity: Activity) -> None:
    if activity.status not in (ActivityStatus.OPEN, ActivityStatus.CLOSED):
        raise ServiceError(_("该活动未在进行，不能签到签退。"))
    if activity.closed_at is not None:
        raise ServiceError(_("组织者已结束本次活动的签到签退。"))


def _clean_reason(reason: str, message: str) -> str:
    text = (reason or "").strip()
    if not text:
        raise ServiceError(message)
    if len(text) > REASON_MAX:
        raise ServiceError(_("说明不能超过 %(n)s 个字。") % {"n": REASON_MAX})
    return text


def _confirmed_signup(activity: Activity, volunteer: Volunteer) -> bool:
    # scoping: allowed — the volunteer's own sign-up (or staff acting on a visible activity).
    return SignUp.objects.filter(activity=activity, volunteer=volunteer, status=SignUpStatus.CONFIRMED).exists()


def next_step(activity: Activity, volunteer: Volunteer) -> str:
    """What a scan does for this volunteer now: ``checkin``, ``checkout`` or ``done`` (a record
    that is no longer open)."""
    # scoping: allowed — the volunteer's own record.
    status = ServiceRecord.objects.filter(activity=activity, volunteer=volunteer).values_list("status", flat=True)
    found = list(status[:1])
    if not found:
        return "checkin"
    return "checkout" if found[0] == RecordStatus.OPEN else "done"


def check_in(activity: Activity, *, volunteer: Volunteer, code: str, at: datetime | None = None) -> ServiceRecord:
    """The volunteer checks in by the code of the organiser's screen: a CONFIRMED sign-up, from
    ``VOLUNTEERS_CHECKIN_EARLY_MINUTES`` before the start until the end, not after the organiser
    closed attendance; one record per volunteer and activity (two scans at once make one)."""
    at = at or timezone.now()
    _require_code(activity, code, at)
    _require_running(activity)
    opens = activity.starts_at - timedelta(minutes=settings.VOLUNTEERS_CHECKIN_EARLY_MINUTES)
    if at < opens:
        raise ServiceError(
            _("签到尚未开始：活动开始前 %(n)s 分钟起可以签到。") % {"n": settings.VOLUNTEERS_CHECKIN_EARLY_MINUTES}
        )
    if at > activity.ends_at:
        raise ServiceError(_("活动已结束，不能再签到。如确实参加了服务，请申请补录。"))
    if not _confirmed_signup(activity, volunteer):
        raise ServiceError(_("您没有该活动的有效报名（候补或已取消的报名不能签到）。"))
    try:
        with transaction.atomic():
            # scoping: allowed — the volunteer's own record.
            return ServiceRecord.objects.create(
                unit_id=activity.unit_id,
                activity=activity,
                volunteer=volunteer,
                source=RecordSource.SCAN,
                status=RecordStatus.OPEN,
                checked_in_at=at,
                served_on=timezone.localdate(activity.starts_at),
            )
    except IntegrityError:
        # The unique (activity, volunteer) constraint: a record exists already (a second scan,
        # or two scans of the same moment of which the other one won).
        step = next_step(activity, volunteer)
        if step == "checkout":
            raise ServiceError(_("您已签到。")) from None
        raise ServiceError(_("您在本次活动已有服务记录，不能再次签到。")) from None


def check_out(activity: Activity, *, volunteer: Volunteer, code: str, at: datetime | None = None) -> ServiceRecord:
    """The volunteer checks out by the code of the screen, until ``VOLUNTEERS_CHECKOUT_LATE_MINUTES``
    after the end: the minutes are the overlap with the activity's time; the record is CONFIRMED
    and ``hours_confirmed`` is sent inside the transaction."""
    at = at or timezone.now()
    _require_code(activity, code, at)
    _require_running(activity)
    if at > activity.ends_at + timedelta(minutes=settings.VOLUNTEERS_CHECKOUT_LATE_MINUTES):
        raise ServiceError(_("签退时间已过。如确实参加了服务，请申请补录。"))
    with transaction.atomic():
        # scoping: allowed — the volunteer's own record.
        record = ServiceRecord.objects.select_for_update().filter(activity=activity, volunteer=volunteer).first()
        if record is None:
            raise ServiceError(_("您还没有签到，不能签退。"))
        if record.status != RecordStatus.OPEN:
            raise ServiceError(_("您已签退，本次服务时长已记录。"))
        out = max(at, record.checked_in_at)
        record.checked_out_at = out
        record.minutes = served_minutes(activity, record.checked_in_at, out)
        record.status = RecordStatus.CONFIRMED
        record.save(update_fields=["checked_out_at", "minutes", "status", "updated_at"])
        signals.hours_confirmed.send(sender=ServiceRecord, record=record, by=None)
    return record


def _check_minutes(activity: Activity, minutes: Any) -> int:
    try:
        value = int(minutes)
    except (TypeError, ValueError):
        raise ServiceError(_("请填写服务时长（分钟）。")) from None
    if value <= 0:
        raise ServiceError(_("服务时长须大于 0 分钟。"))
    longest = activity_minutes(activity)
    if value > longest:
        raise ServiceError(_("补录时长不能超过活动时长（%(n)s 分钟）。") % {"n": longest})
    return value


def _manual_record(
    activity: Activity, volunteer: Volunteer, *, minutes: int, reason: str, by: Any, by_volunteer: bool
) -> ServiceRecord:
    """A PENDING manual record: a new one, or the VOID one of a volunteer who did not check out."""
    with transaction.atomic():
        # scoping: allowed — the volunteer's own record, or staff acting on a visible activity.
        record = ServiceRecord.objects.select_for_update().filter(activity=activity, volunteer=volunteer).first()
        if record is not None and record.status != RecordStatus.VOID:
            raise ServiceError(
                _("该志愿者在本次活动已有服务记录（%(s)s），不能再补录。") % {"s": record.get_status_display()}
            )
        if record is None:
            record = ServiceRecord(
                unit_id=activity.unit_id,
                activity=activity,
                volunteer=volunteer,
                served_on=timezone.localdate(activity.starts_at),
            )
        record.source = RecordSource.MANUAL
        record.status = RecordStatus.PENDING
        record.minutes = minutes
        record.reason = reason
        record.requested_by_volunteer = by_volunteer
        record.created_by = by
        record.decided_by = None
        record.decided_at = None
        record.decision_note = ""
        try:
            with transaction.atomic():
                record.save()
        except IntegrityError:
            raise ServiceError(_("该志愿者在本次活动已有服务记录，不能再补录。")) from None
    return record


def _require_ended(activity: Activity) -> None:
    if activity.status == ActivityStatus.CANCELLED:
        raise ServiceError(_("该活动已取消，不能补录时长。"))
    if timezone.now() < activity.ends_at:
        raise ServiceError(_("活动结束后才能补录时长。"))


def request_hours(activity: Activity, *, volunteer: Volunteer, minutes: Any, reason: str) -> ServiceRecord:
    """A volunteer asks on their phone for hours of an activity they signed up for that has ended
    and where they have no record (or a VOID one: checked in, never checked out)."""
    _require_ended(activity)
    if not _confirmed_signup(activity, volunteer):
        raise ServiceError(_("您没有报名该活动，不能申请补录。"))
    value = _check_minutes(activity, minutes)
    text = _clean_reason(reason, _("请说明补录的原因（如忘记签退）。"))
    return _manual_record(activity, volunteer, minutes=value, reason=text, by=None, by_volunteer=True)


def enter_hours(activity: Activity, volunteer: Volunteer, *, minutes: Any, reason: str, by: Any) -> ServiceRecord:
    """A member of staff enters hours for a volunteer signed up to the activity (补录); they count
    only once someone else approves them."""
    require(may_manage(by))
    require_visible_unit(by, activity.unit)
    _require_ended(activity)
    if not _confirmed_signup(activity, volunteer):
        raise ServiceError(_("该志愿者没有报名本次活动，不能补录。"))
    value = _check_minutes(activity, minutes)
    text = _clean_reason(reason, _("请说明补录的原因。"))
    return _manual_record(activity, volunteer, minutes=value, reason=text, by=by, by_volunteer=False)


def _decide(record: ServiceRecord, by: Any) -> ServiceRecord:
    require(may_approve_hours(by))
    require_visible_unit(by, record.unit)
    # scoping: allowed — the unit was checked just above.
    locked = ServiceRecord.objects.select_for_update().select_related("activity").get(pk=record.pk)
    if locked.status != RecordStatus.PENDING:
        raise ServiceError(_("该补录已审核（%(s)s）。") % {"s": locked.get_status_display()})
    if locked.created_by_id is not None and locked.created_by_id == by.pk:
        raise ServiceError(_("补录的时长须由录入人以外的工作人员审核。"))
    return locked


def approve_hours(record: ServiceRecord, *, by: Any, note: str = "") -> ServiceRecord:
    """Approve hours entered by hand: they become certified (and earn points)."""
    with transaction.atomic():
        locked = _decide(record, by)
        locked.status = RecordStatus.CONFIRMED
        locked.decided_by = by
        locked.decided_at = timezone.now()
        locked.decision_note = (note or "").strip()[:REASON_MAX]
        locked.save(update_fields=["status", "decided_by", "decided_at", "decision_note", "updated_at"])
        signals.hours_confirmed.send(sender=ServiceRecord, record=locked, by=by)
    return locked


def refuse_hours(record: ServiceRecord, *, by: Any, note: str) -> ServiceRecord:
    """Refuse hours entered by hand, saying why (the volunteer sees it on their phone)."""
    text = _clean_reason(note, _("请填写不予通过的理由。"))
    with transaction.atomic():
        locked = _decide(record, by)
        locked.status = RecordStatus.REFUSED
        locked.decided_by = by
        locked.decided_at = timezone.now()
        locked.decision_note = text
        locked.save(update_fields=["status", "decided_by", "decided_at", "decision_note", "updated_at"])
    return locked


def correct_hours(record: ServiceRecord, *, new_minutes: Any, reason: str, by: Any) -> HoursCorrection:
    """Correct the certified minutes of a CONFIRMED record (with a reason): the old and new value
    are kept in a ``HoursCorrection`` and ``hours_corrected`` is sent."""
    require(may_approve_hours(by))
    require_visible_unit(by, record.unit)
    text = _clean_reason(reason, _("请填写更正原因。"))
    with transaction.atomic():
        # scoping: allowed — the unit was checked just above.
        locked = ServiceRecord.objects.select_for_update().select_related("activity").get(pk=record.pk)
        if locked.status != RecordStatus.CONFIRMED:
            raise ServiceError(_("只能更正已确认的服务时长。"))
        try:
            value = int(new_minutes)
        except (TypeError, ValueError):
            raise ServiceError(_("请填写更正后的时长（分钟）。")) from None
        if value < 0:
            raise ServiceError(_("时长不能为负数。"))
        longest = activity_minutes(locked.activity)
        if value > longest:
            raise ServiceError(_("更正后的时长不能超过活动时长（%(n)s 分钟）。") % {"n": longest})
        old = locked.minutes
        if value == old:
            raise ServiceError(_("更正后的时长与原时长相同。"))
        correction = HoursCorrection.objects.create(
            record=locked, old_minutes=old, new_minutes=value, reason=text, by=by, at=timezone.now()
        )
        locked.minutes = value
        locked.save(update_fields=["minutes", "updated_at"])
        signals.hours_corrected.send(sender=ServiceRecord, record=locked, old_minutes=old, by=by)
    record.minutes = value
    return correction


def _close(activity: Activity, at: datetime) -> int:
    # scoping: allowed — callers checked the user (or are the periodic task).
    locked = Activity.objects.select_for_update().get(pk=activity.pk)
    if locked.closed_at is not None:
        raise ServiceError(_("本次活动已结束签到签退。"))
    locked.closed_at = at
    locked.save(update_fields=["closed_at", "updated_at"])
    activity.closed_at = at
    return void_open_records(locked)


def void_open_records(activity: Activity) -> int:
    """Records still OPEN (checked in, never checked out) of a closed activity become VOID: no
    hours; the volunteer may ask for 补录."""
    # scoping: allowed — the activity's own records, for its close.
    return ServiceRecord.objects.filter(activity=activity, status=RecordStatus.OPEN).update(
        status=RecordStatus.VOID, updated_at=timezone.now()
    )


def close_activity(activity: Activity, *, by: Any) -> int:
    """The organiser closes attendance: no more check-in or check-out; open records become VOID.
    Returns how many became VOID."""
    require(may_manage(by))
    require_visible_unit(by, activity.unit)
    with transaction.atomic():
        return _close(activity, timezone.now())


def close_finished(at: datetime | None = None) -> int:
    """Close every activity that ended more than ``VOLUNTEERS_CHECKOUT_LATE_MINUTES`` ago and is
    not closed, as its organiser would; also void records a check-in racing a close left OPEN.
    Returns the number of activities closed."""
    now = at or timezone.now()
    limit = now - timedelta(minutes=settings.VOLUNTEERS_CHECKOUT_LATE_MINUTES)
    closed = 0
    # scoping: allowed — the periodic task acts for every unit.
    due = Activity.objects.filter(closed_at__isnull=True, ends_at__lt=limit).exclude(
        status__in=(ActivityStatus.DRAFT, ActivityStatus.CANCELLED)
    )
    for activity in due.only("pk").iterator():
        try:
            with transaction.atomic():
                _close(activity, now)
                closed += 1
        except ServiceError:
            continue
    # scoping: allowed — the periodic task acts for every unit.
    stray = Activity.objects.filter(closed_at__isnull=False, records__status=RecordStatus.OPEN).distinct()
    for activity in stray:
        void_open_records(activity)
    return closed


def dispute_hours(
    record: ServiceRecord, *, volunteer: Volunteer, text: str, minutes_claimed: Any = None
) -> HoursDispute:
    """A volunteer reports an error in the certified minutes of their own CONFIRMED record, saying
    what happened and, if they know it, how many minutes they think are right. One report per
    record is open at a time (the unique constraint settles two at the same moment)."""
    if record.volunteer_id != volunteer.pk:
        raise ServiceError(_("只能对本人的服务记录反映时长有误。"))
    account = _clean_reason(text, _("请说明时长哪里有误。"))
    claimed = None
    if minutes_claimed not in (None, ""):
        try:
            claimed = int(minutes_claimed)
        except (TypeError, ValueError):
            raise ServiceError(_("您认为的时长须为分钟数。")) from None
        if claimed < 0:
            raise ServiceError(_("时长不能为负数。"))
    with transaction.atomic():
        # scoping: allowed — the volunteer's own record (checked just above).
        locked = ServiceRecord.objects.select_for_update().select_related("activity").get(pk=record.pk)
        if locked.status != RecordStatus.CONFIRMED:
            raise ServiceError(_("只能对已确认的服务时长反映有误（补录请走补录申请）。"))
        if claimed is not None:
            longest = activity_minutes(locked.activity)
            if claimed > longest:
                raise ServiceError(_("您认为的时长不能超过活动时长（%(n)s 分钟）。") % {"n": longest})
            if claimed == locked.minutes:
                raise ServiceError(_("您认为的时长与记录的时长相同。"))
        # scoping: allowed — the volunteer's own record.
        if HoursDispute.objects.filter(record=locked, status=DisputeStatus.OPEN).exists():
            raise ServiceError(_("该记录已有待核实的反映，请等待工作人员处理后再反映。"))
        try:
            with transaction.atomic():
                # scoping: allowed — the volunteer's own record.
                return HoursDispute.objects.create(
                    record=locked, text=account, minutes_claimed=claimed, created_at=timezone.now()
                )
        except IntegrityError:
            raise ServiceError(_("该记录已有待核实的反映，请等待工作人员处理后再反映。")) from None


def resolve_dispute(dispute: HoursDispute, *, by: Any, new_minutes: Any = None, answer: str) -> HoursDispute:
    """An approver resolves a volunteer's report: with ``new_minutes`` the record is corrected by
    ``correct_hours`` (the answer is the correction's reason; history kept, points adjusted by its
    signal) and the report is CORRECTED; without, it is REJECTED with the answer (required, the
    volunteer reads it on their phone)."""
    require(may_approve_hours(by))
    # scoping: allowed — the record's unit is checked on the next line.
    record = ServiceRecord.objects.select_related("unit").get(pk=dispute.record_id)
    require_visible_unit(by, record.unit)
    text = _clean_reason(answer, _("请填写处理答复（志愿者会在手机上看到）。"))
    with transaction.atomic():
        # scoping: allowed — the unit was checked just above.
        locked = HoursDispute.objects.select_for_update().get(pk=dispute.pk)
        if locked.status != DisputeStatus.OPEN:
            raise ServiceError(_("该反映已处理（%(s)s）。") % {"s": locked.get_status_display()})
        if new_minutes not in (None, ""):
            correct_hours(record, new_minutes=new_minutes, reason=text, by=by)
            locked.status = DisputeStatus.CORRECTED
        else:
            locked.status = DisputeStatus.REJECTED
        locked.decided_by = by
        locked.decided_at = timezone.now()
        locked.answer = text
        locked.save(update_fields=["status", "decided_by", "decided_at", "answer"])
    dispute.status, dispute.decided_by, dispute.decided_at, dispute.answer = (
        locked.status,
        by,
        locked.decided_at,
        text,
    )
    return locked
