"""To-dos of the culture app's works part: works residents submitted that wait for review, for those
who review them (``may_manage_works``), in their scope."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from xuanchuan.core.navigation import Todo
from xuanchuan.culture.permissions import may_manage_works
from xuanchuan.culture.queries import works as queries


def todos(user: Any) -> Iterable[Todo]:
    if not may_manage_works(user):
        return []
    waiting = queries.pending(user).count()
    if not waiting:
        return []
    return [Todo(_("待审核的征集作品"), waiting, f"{reverse('culture:submission_queue')}?status=pending", "warning")]
