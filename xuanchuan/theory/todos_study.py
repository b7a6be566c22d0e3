"""The theory app's to-do entries of the study part.

Staff (``may_manage_study``, in their scope): leave waiting for a decision, make-ups overdue, held
sessions without minutes (attendance closed, nothing written). Members (anyone signed in): sessions
today they have not checked in to, make-ups due (approved leave not yet made up)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xuanchuan.core.navigation import Todo
from xuanchuan.theory.models import Attendance, Leave, LeaveStatus, SessionStatus, StudySession
from xuanchuan.theory.permissions import may_manage_study, may_take_part
from xuanchuan.theory.queries.study import overdue_makeups


def _staff(user: Any) -> list[Todo]:
    todos = []
    pending = Leave.objects.visible_to(user).filter(status=LeaveStatus.PENDING).count()
    if pending:
        todos.append(Todo(_("中心组请假待批准"), pending, reverse("theory:leave_queue") + "?status=pending"))
    overdue = overdue_makeups(user).count()
    if overdue:
        todos.append(Todo(_("中心组补学已逾期"), overdue, reverse("theory:leave_queue") + "?overdue=true"))
    no_minutes = (
        StudySession.objects.visible_to(user)
        .filter(closed_at__isnull=False, minutes="")
        .exclude(status=SessionStatus.CANCELLED)
        .count()
    )
    if no_minutes:
        todos.append(Todo(_("学习会议待填写纪要"), no_minutes, reverse("theory:session_list") + "?status=scheduled"))
    return todos


def _member(user: Any) -> list[Todo]:
    todos = []
    now = timezone.now()
    start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    today = (
        StudySession.objects.filter(  # own memberships: a member may sit in a group of another unit
            group__members__user=user,
            group__members__left_on__isnull=True,
            status=SessionStatus.SCHEDULED,
            starts_at__gte=start,
            starts_at__lt=start + timedelta(days=1),
            ends_at__gte=now,
        )
        .exclude(pk__in=Attendance.objects.filter(member__user=user).values("session_id"))
        .exclude(
            pk__in=Leave.objects.filter(member__user=user).exclude(status=LeaveStatus.REFUSED).values("session_id")
        )
    )
    count = today.distinct().count()
    if count:
        todos.append(Todo(_("今天的中心组学习会议"), count, reverse("theory:my_study")))
    due = Leave.objects.filter(member__user=user, status=LeaveStatus.APPROVED, made_up_at__isnull=True).count()
    if due:
        todos.append(Todo(_("请假后待补学"), due, reverse("theory:my_study")))
    return todos


def todos(user: Any) -> Iterable[Todo]:
    result: list[Todo] = []
    if may_manage_study(user):
        result += _staff(user)
    if may_take_part(user):
        result += _member(user)
    return result
