"""To-dos of the culture app's venues part, for those who keep associations: arts associations
still in preparation more than 180 days after they were recorded (to be marked established, or
dissolved if given up)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from xuanchuan.core.navigation import Todo
from xuanchuan.culture.models import AssociationStatus
from xuanchuan.culture.permissions import may_manage_events
from xuanchuan.culture.queries import venues as queries


def todos(user: Any) -> Iterable[Todo]:
    if not may_manage_events(user):
        return []
    waiting = queries.preparing_too_long(user).count()
    if not waiting:
        return []
    url = f"{reverse('culture:association_list')}?status={AssociationStatus.PREPARING}"
    return [
        Todo(
            _("筹备中的文艺协会（超过 %(days)d 天）") % {"days": queries.PREPARING_TOO_LONG_DAYS},
            waiting,
            url,
            "warning",
        )
    ]
