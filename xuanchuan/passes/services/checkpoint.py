"""Verification at the checkpoint (online, and offline events replayed) and the exit/entry log."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xuanchuan.core.services import ServiceError, require
from xuanchuan.org.models import User
from xuanchuan.org.services import district_root
from xuanchuan.passes import cose
from xuanchuan.passes.cose import Reason, Verdict
from xuanchuan.passes.models import (
    Direction,
    Movement,
    Pass,
    PassStatus,
    SigningKey,
    Verification,
)
from xuanchuan.passes.permissions import may_check
from xuanchuan.passes.services.keys import published_key

# --- Verification at the checkpoint --------------------------------------------------------------


def verify_signature(text: str, now: datetime | None = None) -> Verdict:
    """Signature, key and validity only, with the keys in the database (what a device does offline)."""
    now = now or timezone.now()
    rows = SigningKey.objects.only("kid", "public_key_pem", "retires_at")  # scoping: allowed (public keys)
    keys = {key.kid: published_key(key) for key in rows}
    return cose.verify(text, keys, now=int(now.timestamp()))


def verify_online(
    text: str, now: datetime | None = None, *, direction: str = "", rule_at: datetime | None = None
) -> tuple[Verdict, Pass | None]:
    """The full online check: signature, key, validity, revocation, the pass in our records and,
    for an exit, the household's outing rule. Validity is judged at ``now`` (the server's time);
    the outing rule counts the exits before ``rule_at`` (an uploaded event's own time; ``now``)."""
    now = now or timezone.now()
    verdict = verify_signature(text, now)
    if verdict.claims is None:
        return verdict, None
    pass_obj = (
        Pass.objects.select_related("household", "unit")  # scoping: allowed (guards check every pass)
        .filter(public_id=verdict.claims.pass_id)
        .first()
    )
    if not verdict.valid:
        return verdict, pass_obj
    if pass_obj is None or pass_obj.status == PassStatus.PENDING or pass_obj.status == PassStatus.REFUSED:
        return Verdict(Reason.UNKNOWN_PASS, verdict.kid, verdict.claims), pass_obj
    if pass_obj.status == PassStatus.REVOKED:
        return Verdict(Reason.REVOKED, verdict.kid, verdict.claims), pass_obj
    if direction == Direction.EXIT:
        last = last_outing(pass_obj.household_id, rule_at or now, pass_obj.outing_interval_days)
        if last is not None:
            return Verdict(Reason.OVER_USED, verdict.kid, verdict.claims, {"last_outing": last}), pass_obj
    return verdict, pass_obj


def last_outing(household_id: int, now: datetime, interval_days: int) -> datetime | None:
    """The household's exit within the rule's window before ``now``, if there was one."""
    if interval_days <= 0:
        return None
    window_start = now - timedelta(days=interval_days)
    exits = Movement.objects.filter(  # scoping: allowed (the rule counts every checkpoint's exits)
        household_id=household_id, direction=Direction.EXIT, occurred_at__gt=window_start, occurred_at__lte=now
    )
    return exits.order_by("-occurred_at").values_list("occurred_at", flat=True).first()


def check(text: str, *, by: User, direction: str = "", checkpoint: str = "") -> tuple[Verdict, Pass | None]:
    """A guard checks a pass online; the check is logged whatever the verdict."""
    require(may_check(by))
    if direction and direction not in Direction.values:
        raise ServiceError(_("方向只能是外出或返回。"))
    verdict, pass_obj = verify_online(text, direction=direction)
    log_verification(verdict, pass_obj, by=by, direction=direction, checkpoint=checkpoint)
    return verdict, pass_obj


def log_verification(
    verdict: Verdict,
    pass_obj: Pass | None,
    *,
    by: User,
    direction: str = "",
    checkpoint: str = "",
    offline: bool = False,
    device_time: datetime | None = None,
    event_id: uuid.UUID | None = None,
) -> Verification:
    """The verification log's row of one verdict, at the server's time."""
    return Verification.objects.create(
        event_id=event_id,
        unit_id=by.unit_id or district_root().pk,  # the id only: no query for the guard's unit
        created_by=by,
        pass_obj=pass_obj,
        pass_public_id=verdict.claims.pass_id if verdict.claims else "",
        kid=verdict.kid[:16],
        result=verdict.reason,
        direction=direction,
        checked_at=timezone.now(),
        device_time=device_time,
        checkpoint=checkpoint[:60],
        offline=offline,
    )


# --- Movements, live or replayed from an offline queue -------------------------------------------

# The kind of a device event that is a verification only (no one passed).
CHECK_ONLY = "check"
# The result code of an event whose time is outside what is accepted (not a verdict on the pass).
BAD_TIME = "bad_time"
# A device's clock may run this far ahead of the server's.
CLOCK_SKEW = timedelta(minutes=5)


class EventOutcome:
    """What happened to one event sent by a checkpoint device."""

    RECORDED = "recorded"
    LOGGED = "logged"
    DUPLICATE = "duplicate"
    REFUSED = "refused"


@dataclass(frozen=True)
class CheckpointEvent:
    """An exit or entry as the device recorded it."""

    event_id: uuid.UUID
    text: str
    direction: str
    occurred_at: datetime
    checkpoint: str = ""
    offline: bool = False


@dataclass(frozen=True)
class EventResult:
    event_id: uuid.UUID
    outcome: str
    reason: str
    message: str
    movement: Movement | None = None


def record_event(event: CheckpointEvent, *, by: User) -> EventResult:
    """Record one event of a checkpoint device, once per ``event_id``.

    ``exit``/``entry``: the movement, after an online check. Online, an exit over the household's
    outing limit is refused. An event replayed from an offline queue has already happened (the
    guard let the person through on the device's own verdict), so it is recorded even then,
    marked ``rule_breached`` for the community to follow up; a pass whose signature fails is
    refused in both cases. ``check`` (``CHECK_ONLY``): a verification the device made offline,
    logged so that the log holds every verification.

    The pass is always judged at the server's time: the device's time of the event only places
    the movement (and the outing rule's window), so back-dating cannot make an expired pass
    valid. An event dated more than ``PASSES_EVENT_BACKDATE_MINUTES`` before now, or ahead of
    the server's clock by more than ``CLOCK_SKEW``, is logged and refused (``BAD_TIME``).
    """
    require(may_check(by))
    _check_event(event)
    duplicate = _duplicate(event)
    if duplicate is not None:
        return duplicate
    try:
        with transaction.atomic():
            return _record(event, by)
    except IntegrityError:  # the same event sent twice at once: the other request recorded it
        return _duplicate(event) or EventResult(event.event_id, EventOutcome.DUPLICATE, Reason.VALID, _("已记录"))


def _check_event(event: CheckpointEvent) -> None:
    if event.direction not in (*Direction.values, CHECK_ONLY):
        raise ServiceError(_("事件类型只能是外出、返回或核验。"))
    if timezone.is_naive(event.occurred_at):
        raise ServiceError(_("发生时间必须带时区，如 2026-12-05T08:30:00+08:00。"))


def _time_refusal(occurred_at: datetime, now: datetime) -> str:
    """Why an event's time is not accepted, or "" when it is."""
    allowance = settings.PASSES_EVENT_BACKDATE_MINUTES
    if occurred_at < now - timedelta(minutes=allowance):
        return _("记录时间早于服务器时间 %(minutes)d 分钟以上，不予记录。") % {"minutes": allowance}
    if occurred_at > now + CLOCK_SKEW:
        return _("记录时间晚于服务器时间，不予记录：请校准设备时钟。")
    return ""


def _duplicate(event: CheckpointEvent) -> EventResult | None:
    logged = Verification.objects.filter(event_id=event.event_id).exists()  # scoping: allowed (idempotency key)
    if not logged:
        return None
    movement = Movement.objects.filter(event_id=event.event_id).first()  # scoping: allowed (idempotency key)
    return EventResult(event.event_id, EventOutcome.DUPLICATE, Reason.VALID, _("已记录（重复提交）"), movement)


def _record(event: CheckpointEvent, by: User) -> EventResult:
    now = timezone.now()
    refusal = _time_refusal(event.occurred_at, now)
    at = min(event.occurred_at, now)
    moving = event.direction in Direction.values
    direction = event.direction if moving else ""
    verdict, pass_obj = verify_online(event.text, now, direction="" if refusal else direction, rule_at=at)
    breached = verdict.reason == Reason.OVER_USED and event.offline
    log_verification(
        verdict,
        pass_obj,
        by=by,
        direction=direction,
        checkpoint=event.checkpoint,
        offline=event.offline,
        device_time=event.occurred_at,
        event_id=event.event_id,
    )
    if refusal:
        return EventResult(event.event_id, EventOutcome.REFUSED, BAD_TIME, refusal)
    if not moving:
        return EventResult(event.event_id, EventOutcome.LOGGED, verdict.reason, verdict.label)
    if not (verdict.valid or breached) or pass_obj is None:
        return EventResult(event.event_id, EventOutcome.REFUSED, verdict.reason, _refusal_message(verdict))
    movement = Movement.objects.create(
        unit=pass_obj.unit,
        created_by=by,
        event_id=event.event_id,
        pass_obj=pass_obj,
        household=pass_obj.household,
        direction=event.direction,
        occurred_at=at,
        checkpoint=event.checkpoint[:60],
        offline=event.offline,
        rule_breached=breached,
    )
    message = _("已记录，但超出外出次数限制，已提示社区跟进") if breached else _("已记录")
    return EventResult(event.event_id, EventOutcome.RECORDED, verdict.reason, message, movement)


def _refusal_message(verdict: Verdict) -> str:
    last = verdict.extra.get("last_outing")
    if last is None:
        return verdict.label
    when = timezone.localtime(last).strftime("%m-%d %H:%M")
    return _("%(label)s：本户上次外出 %(when)s") % {"label": verdict.label, "when": when}


def record_events(events: Iterable[CheckpointEvent], *, by: User) -> list[EventResult]:
    """Replay a device's queue in the order the events happened (every event checked first)."""
    events = list(events)
    require(may_check(by))
    for event in events:
        _check_event(event)
    return [record_event(event, by=by) for event in sorted(events, key=lambda item: item.occurred_at)]
