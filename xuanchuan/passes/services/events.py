"""Events of checkpoint devices, live or replayed from an offline queue: exits, entries and
verifications made offline, each recorded once, judged at the server's time."""

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
from xuanchuan.passes.cose import Reason, Verdict
from xuanchuan.passes.models import Direction, Movement, Verification
from xuanchuan.passes.permissions import Checker, may_check
from xuanchuan.passes.services.verification import log_row, verify_online

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
    """What the device is told about one event: the outcome, the verdict code and a sentence."""

    event_id: uuid.UUID
    outcome: str
    reason: str
    message: str
    movement: Movement | None = None


def record_event(event: CheckpointEvent, *, by: User | Checker) -> EventResult:
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


def _record(event: CheckpointEvent, by: User | Checker) -> EventResult:
    now = timezone.now()
    refusal = _time_refusal(event.occurred_at, now)
    at = min(event.occurred_at, now)
    moving = event.direction in Direction.values
    direction = event.direction if moving else ""
    keys_version = by.keys_version if isinstance(by, Checker) else None
    verdict, state = verify_online(
        event.text, now, direction="" if refusal else direction, rule_at=at, keys_version=keys_version
    )
    breached = verdict.reason == Reason.OVER_USED and event.offline
    row = log_row(
        verdict,
        state,
        by=by,
        direction=direction,
        checkpoint=event.checkpoint,
        offline=event.offline,
        device_time=event.occurred_at,
        event_id=event.event_id,
    )
    row.save(force_insert=True)  # in this transaction: its event_id makes the event happen once
    if refusal:
        return EventResult(event.event_id, EventOutcome.REFUSED, BAD_TIME, refusal)
    if not moving:
        return EventResult(event.event_id, EventOutcome.LOGGED, verdict.reason, verdict.label)
    if not (verdict.valid or breached) or state is None:
        return EventResult(event.event_id, EventOutcome.REFUSED, verdict.reason, _refusal_message(verdict))
    movement = Movement.objects.create(
        unit_id=state.unit_id,
        created_by_id=by.pk,
        event_id=event.event_id,
        pass_obj_id=state.pk,
        household_id=state.household_id,
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


def record_events(events: Iterable[CheckpointEvent], *, by: User | Checker) -> list[EventResult]:
    """Replay a device's queue in the order the events happened (every event checked first)."""
    events = list(events)
    require(may_check(by))
    for event in events:
        _check_event(event)
    return [record_event(event, by=by) for event in sorted(events, key=lambda item: item.occurred_at)]
