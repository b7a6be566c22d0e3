"""To-dos of the culture app's events part, for those who keep events: planned events whose end has
passed without being recorded as held or cancelled."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from xuanchuan.core.navigation import Todo
from xuanchuan.culture.permissions import may_manage_events
from xuanchuan.culture.queries import events as queries


def todos(user: Any) -> Iterable[Todo]:
    if not may_manage_events(user):
        return []
    unrecorded = queries.unrecorded_events(user).count()
    if not unrecorded:
        return []
    url = f"{reverse('culture:event_list')}?due=overdue"
    return [Todo(_("待登记的文化活动（已结束、未登记举办或取消）"), unrecorded, url, "warning")]
