"""To-dos of the civility app's tickets part (see ``todos.py``): my unit's tickets to reply to
(overdue ones counted apart), tickets waiting for my verification, unread 督办 notices."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xuanchuan.civility.models.cases import OPEN_TICKET_STATUSES, SupervisionNotice, Ticket, TicketStatus
from xuanchuan.civility.permissions import may_inspect, may_reply, may_view
from xuanchuan.core.navigation import Todo


def todos(user: Any) -> Iterable[Todo]:
    if not may_view(user):
        return []
    items: list[Todo] = []
    if may_reply(user) and user.unit_path:
        mine = Ticket.objects.visible_to(user).filter(unit__path=user.unit_path, status__in=OPEN_TICKET_STATUSES)
        overdue = mine.filter(due_on__lt=timezone.localdate()).count()
        waiting = mine.count()
        url = reverse("civility:ticket_queue")
        if overdue:
            items.append(Todo(_("已逾期、待反馈整改情况的交办单"), overdue, url, "danger"))
        items.append(Todo(_("本单位待整改反馈的交办单"), waiting, url, "warning"))
    if may_inspect(user):
        pending = (
            Ticket.objects.visible_to(user)
            .filter(status=TicketStatus.REPLIED)
            .exclude(unit__path__in=_own_line(user))
            .count()
        )
        items.append(
            Todo(
                _("待复核的整改情况"),
                pending,
                f"{reverse('civility:ticket_list')}?status={TicketStatus.REPLIED}",
                "info",
            )
        )
    unread = SupervisionNotice.objects.filter(recipient=user, read_at__isnull=True).count()  # own notices only
    if unread:
        items.append(Todo(_("未读的督办通知"), unread, reverse("civility:notice_list"), "danger"))
    return items


def _own_line(user: Any) -> list[str]:
    """The paths of the user's unit and the units above it: their tickets the user may not verify."""
    unit = user.unit
    return [unit.path, *(above.path for above in type(unit).objects.get_ancestors(unit))]
