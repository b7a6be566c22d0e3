"""To-dos of the civility app's standards part (see ``todos.py``): places nobody answers for
today (空白点位), for the people who keep the standard, places and responsibilities."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from xuanchuan.civility.permissions import may_manage_standards
from xuanchuan.civility.queries.standards import places_without_responsibility
from xuanchuan.core.navigation import Todo


def todos(user: Any) -> Iterable[Todo]:
    if not may_manage_standards(user):
        return []
    gaps = places_without_responsibility(user).count()
    if not gaps:
        return []
    url = f"{reverse('civility:responsibility_list')}?gap=yes"
    return [Todo(_("无责任单位的点位"), gaps, url, "danger")]
