"""Writes of the tickets part: issue a numbered 交办单, the unit's reply, verification (accept or
reopen), closing as not fixable, and escalation of overdue tickets (督办).

Rules (see ``deadlines.py`` for the due date):

* only an inspector (``may_inspect``) issues, verifies, closes and escalates; only staff of the
  ticket's unit line (their unit is the ticket's unit or below it) with ``may_reply`` reply;
* nobody verifies their own unit's rectification: an inspector whose unit is the ticket's unit or
  below it is refused;
* a reopened ticket keeps its due date (复核未通过，按原期限整改); every step stays in ``TicketEvent``;
* ``on_time`` is decided when the ticket is accepted: the last reply came on or before the due date.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from xuanchuan.civility.deadlines import ticket_deadline
from xuanchuan.civility.models.cases import (
    OPEN_TICKET_STATUSES,
    EventKind,
    Photo,
    PhotoStage,
    Problem,
    ProblemStatus,
    SupervisionNotice,
    Ticket,
    TicketEvent,
    TicketStatus,
)
from xuanchuan.civility.permissions import REPLY_ROLES, may_inspect, may_reply
from xuanchuan.core.services import ServiceError, require
from xuanchuan.org.models import RoleCode, Unit, User

NUMBER_PREFIX = "文明办交"
MAX_TEXT = 4000
ISSUE_ATTEMPTS = 10  # a clash of sequence numbers (two inspectors at once) is retried with the next one


def ticket_number(year: int, sequence: int) -> str:
    """The 交办单's number, e.g. 文明办交〔2026〕17号."""
    return f"{NUMBER_PREFIX}〔{year}〕{sequence}号"


def in_unit_line(user: Any, unit: Unit) -> bool:
    """Whether ``user``'s unit is ``unit`` or below it."""
    path = getattr(user, "unit_path", None)
    return bool(path) and path.startswith(unit.path)


def _text(value: str, name: str, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ServiceError(_("请填写%(name)s。") % {"name": name})
    if len(value) > MAX_TEXT:
        raise ServiceError(_("%(name)s不能超过 %(max)s 字。") % {"name": name, "max": MAX_TEXT})
    return value


def suggested_unit(problem: Problem, day: Any = None) -> Unit | None:
    """The unit answering for the problem's place and category (包街包帮), else the street or town it
    lies in."""
    day = day or timezone.localdate()
    if problem.place_id:
        from xuanchuan.civility.queries.standards import responsible_assignment

        assignment = responsible_assignment(problem.place, problem.category, day)
        if assignment is not None:
            return assignment.unit
    return problem.area


def _next_sequence(year: int) -> int:
    return (Ticket.objects.filter(year=year).aggregate(top=Max("sequence"))["top"] or 0) + 1


def issue_ticket(
    problems: Sequence[Problem],
    *,
    unit: Unit,
    requirement: str = "",
    by: User,
    issued_at: datetime | None = None,
) -> Ticket:
    """Assign open problems to ``unit`` in a new numbered 交办单, due on the earliest deadline."""
    require(may_inspect(by))
    if not problems:
        raise ServiceError(_("请至少选择一个待交办的问题。"))
    if unit is None:
        raise ServiceError(_("请选择责任单位。"))
    requirement = _text(requirement, _("整改要求"), required=False)
    issued_at = issued_at or timezone.now()
    keys = sorted({problem.pk for problem in problems})
    for attempt in range(ISSUE_ATTEMPTS):
        try:
            with transaction.atomic():
                locked = list(
                    Problem.objects.visible_to(by)
                    .select_for_update(of=("self",))
                    .filter(pk__in=keys)
                    .select_related("category")
                    .order_by("pk")
                )
                if len(locked) != len(keys):
                    raise ServiceError(_("所选问题不存在或不在您的工作范围内。"))
                if any(problem.status != ProblemStatus.OPEN for problem in locked):
                    raise ServiceError(_("只能交办待交办状态的问题。"))
                year = timezone.localtime(issued_at).year
                sequence = _next_sequence(year)
                ticket = Ticket.objects.create(
                    unit=unit,
                    created_by=by,
                    number=ticket_number(year, sequence),
                    year=year,
                    sequence=sequence,
                    issued_by=by,
                    issuing_unit=by.unit,
                    issued_at=issued_at,
                    due_on=ticket_deadline(locked, timezone.localtime(issued_at).date()),
                    requirement=requirement,
                )
                Problem.objects.filter(pk__in=keys).update(ticket=ticket, status=ProblemStatus.TICKETED)
                TicketEvent.objects.create(ticket=ticket, kind=EventKind.ISSUED, by=by, at=issued_at, note=requirement)
                return ticket
        except IntegrityError:
            if attempt == ISSUE_ATTEMPTS - 1:
                raise ServiceError(_("交办单编号冲突，请重试。")) from None
    raise AssertionError("unreachable")


def _locked(ticket: Ticket) -> Ticket:
    return Ticket.objects.select_for_update().select_related("unit").get(pk=ticket.pk)


def reply(ticket: Ticket, *, text: str, by: User, photos: Iterable[Any] = (), at: datetime | None = None) -> Ticket:
    """The responsible unit reports what it did, with evidence photos (uploaded files)."""
    require(may_reply(by) and in_unit_line(by, ticket.unit))
    text = _text(text, _("整改情况"))
    from xuanchuan.civility.services.photos import check_photos

    at = at or timezone.now()
    already = ticket.photos.filter(stage=PhotoStage.EVIDENCE).count()
    checked = check_photos(list(photos), already=already)
    with transaction.atomic():
        ticket = _locked(ticket)
        if ticket.status not in OPEN_TICKET_STATUSES:
            raise ServiceError(_("只能对整改中的交办单反馈整改情况。"))
        for photo in checked:
            Photo.objects.create(
                ticket=ticket,
                stage=PhotoStage.EVIDENCE,
                image=photo.content,
                latitude=photo.latitude,
                longitude=photo.longitude,
                uploaded_by=by,
            )
        ticket.status = TicketStatus.REPLIED
        ticket.reply = text
        ticket.replied_at = at
        ticket.replied_by = by
        ticket.save(update_fields=["status", "reply", "replied_at", "replied_by", "updated_at"])
        TicketEvent.objects.create(ticket=ticket, kind=EventKind.REPLIED, by=by, at=at, note=text)
    return ticket


def _verifier(ticket: Ticket, by: User) -> None:
    require(may_inspect(by))
    if not Ticket.objects.visible_to(by).filter(pk=ticket.pk).exists():
        require(False)
    if in_unit_line(by, ticket.unit):
        raise ServiceError(_("不能复核本单位的整改情况，请由其他单位的督查员复核。"))


def accept(ticket: Ticket, *, by: User, note: str = "", at: datetime | None = None) -> Ticket:
    """Verification passed: the ticket is closed (销号) and its problems rectified."""
    _verifier(ticket, by)
    note = _text(note, _("复核意见"), required=False)
    at = at or timezone.now()
    with transaction.atomic():
        ticket = _locked(ticket)
        if ticket.status != TicketStatus.REPLIED:
            raise ServiceError(_("只能复核已反馈整改情况的交办单。"))
        ticket.status = TicketStatus.ACCEPTED
        ticket.closed_at = at
        ticket.closed_by = by
        ticket.on_time = timezone.localtime(ticket.replied_at).date() <= ticket.due_on
        ticket.save(update_fields=["status", "closed_at", "closed_by", "on_time", "updated_at"])
        ticket.problems.update(status=ProblemStatus.RECTIFIED)
        TicketEvent.objects.create(ticket=ticket, kind=EventKind.ACCEPTED, by=by, at=at, note=note)
    return ticket


def reopen(ticket: Ticket, *, reason: str, by: User, at: datetime | None = None) -> Ticket:
    """Verification failed: back to the unit with the reasons, same due date, history kept."""
    _verifier(ticket, by)
    reason = _text(reason, _("复核未通过的理由"))
    at = at or timezone.now()
    with transaction.atomic():
        ticket = _locked(ticket)
        if ticket.status != TicketStatus.REPLIED:
            raise ServiceError(_("只能复核已反馈整改情况的交办单。"))
        ticket.status = TicketStatus.REOPENED
        ticket.reopen_count += 1
        ticket.save(update_fields=["status", "reopen_count", "updated_at"])
        TicketEvent.objects.create(ticket=ticket, kind=EventKind.REOPENED, by=by, at=at, note=reason)
    return ticket


def close_unfixable(ticket: Ticket, *, reason: str, by: User, at: datetime | None = None) -> Ticket:
    """Close a ticket whose problems cannot be fixed (e.g. awaiting a rebuild), with the reason."""
    require(may_inspect(by))
    if not Ticket.objects.visible_to(by).filter(pk=ticket.pk).exists():
        require(False)
    reason = _text(reason, _("无法整改的理由"))
    at = at or timezone.now()
    with transaction.atomic():
        ticket = _locked(ticket)
        if ticket.status in (TicketStatus.ACCEPTED, TicketStatus.UNFIXABLE):
            raise ServiceError(_("交办单已关闭。"))
        ticket.status = TicketStatus.UNFIXABLE
        ticket.close_reason = reason
        ticket.closed_at = at
        ticket.closed_by = by
        ticket.save(update_fields=["status", "close_reason", "closed_at", "closed_by", "updated_at"])
        ticket.problems.update(status=ProblemStatus.UNFIXABLE)
        TicketEvent.objects.create(ticket=ticket, kind=EventKind.UNFIXABLE, by=by, at=at, note=reason)
    return ticket


def notice_recipients(ticket: Ticket) -> list[User]:
    """The leader of the responsibility for the problems' places (责任领导), else the unit's reporters
    (else whoever of the unit may reply)."""
    from xuanchuan.civility.models.responsibility import Assignment

    place_ids = [pk for pk in ticket.problems.values_list("place_id", flat=True) if pk]
    leaders = list(
        User.objects.filter(
            pk__in=Assignment.objects.filter(unit=ticket.unit, place_id__in=place_ids, leader__isnull=False).values(
                "leader"
            ),
            is_active=True,
        )
    )
    if leaders:
        return leaders
    staff = User.objects.filter(unit=ticket.unit, is_active=True)
    reporters = list(staff.filter(roles__code=RoleCode.UNIT_REPORTER).distinct())
    return reporters or list(staff.filter(roles__code__in=REPLY_ROLES).distinct())


def escalate_overdue(today: Any = None, at: datetime | None = None) -> int:
    """督办: every open ticket past its due date, once — event ESCALATED and a notice to the unit's
    leader. A system job (Celery beat); returns how many tickets were escalated."""
    today = today or timezone.localdate()
    at = at or timezone.now()
    count = 0
    candidates = Ticket.objects.filter(  # scoping: allowed (system job over every unit)
        status__in=OPEN_TICKET_STATUSES, due_on__lt=today, escalated_at__isnull=True
    ).values_list("pk", flat=True)
    for pk in list(candidates):
        with transaction.atomic():
            ticket = Ticket.objects.select_for_update().select_related("unit").get(pk=pk)
            if ticket.escalated_at is not None or ticket.status not in OPEN_TICKET_STATUSES:
                continue
            ticket.escalated_at = at
            ticket.save(update_fields=["escalated_at", "updated_at"])
            days = (today - ticket.due_on).days
            text = _("交办单%(number)s已超过整改期限%(days)s天，请督促%(unit)s立即整改并反馈。") % {
                "number": ticket.number,
                "days": days,
                "unit": ticket.unit.name,
            }
            TicketEvent.objects.create(ticket=ticket, kind=EventKind.ESCALATED, at=at, note=text)
            for recipient in notice_recipients(ticket):
                SupervisionNotice.objects.create(unit=ticket.unit, ticket=ticket, recipient=recipient, text=text[:300])
            count += 1
    return count


def mark_notice_read(notice: SupervisionNotice, *, by: User) -> SupervisionNotice:
    """The recipient has read a 督办 notice."""
    require(notice.recipient_id == by.pk)
    if notice.read_at is None:
        notice.read_at = timezone.now()
        notice.save(update_fields=["read_at", "updated_at"])
    return notice
