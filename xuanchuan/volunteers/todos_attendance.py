"""To-dos of the volunteers app's attendance part: hours entered by hand waiting for an approver's
decision (in the approver's scope, not those they entered themselves), and volunteers' reports of
wrong hours waiting to be verified (the organisation must fix them promptly, 67号)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from xuanchuan.core.navigation import Todo
from xuanchuan.volunteers.permissions import may_approve_hours
from xuanchuan.volunteers.queries.attendance import open_dispute_count, pending_count


def todos(user: Any) -> Iterable[Todo]:
    if not may_approve_hours(user):
        return []
    return [
        Todo(_("补录时长待审核"), pending_count(user), reverse("volunteers:hours_queue"), "warning"),
        Todo(
            _("志愿者反映时长有误"),
            open_dispute_count(user),
            reverse("volunteers:dispute_list") + "?status=open",
            "warning",
        ),
    ]
