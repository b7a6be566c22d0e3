"""The theory app's to-do entries of the lectures part, for those who keep lectures: requests
waiting for a team, and planned lectures whose time has passed without being recorded (held or
cancelled)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from xuanchuan.core.navigation import Todo
from xuanchuan.theory.permissions import may_manage_lectures
from xuanchuan.theory.queries import lectures as queries


def todos(user: Any) -> Iterable[Todo]:
    if not may_manage_lectures(user):
        return []
    found: list[Todo] = []
    waiting = queries.waiting_requests(user).count()
    if waiting:
        found.append(
            Todo(_("待安排队伍的宣讲点单"), waiting, f"{reverse('theory:request_list')}?status=new", "warning")
        )
    unrecorded = queries.unrecorded_lectures(user).count()
    if unrecorded:
        url = f"{reverse('theory:lecture_list')}?due=overdue"
        found.append(Todo(_("时间已过、尚未登记开展情况的宣讲"), unrecorded, url, "warning"))
    return found
