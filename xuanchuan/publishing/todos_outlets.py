"""To-dos of the publishing app's outlets part (see ``todos.py``): stale outlets the user keeps."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from xuanchuan.core.navigation import Todo
from xuanchuan.publishing.permissions import may_manage_outlets
from xuanchuan.publishing.queries.outlets import kept_stale_count


def todos(user: Any) -> Iterable[Todo]:
    """网站和政务新媒体长期未更新: for their keepers (the unit's reporters, the department)."""
    if not may_manage_outlets(user):
        return []
    count = kept_stale_count(user)
    if not count:
        return []
    url = f"{reverse('publishing:outlet_list')}?stale=yes"
    return [Todo(_("网站和政务新媒体长期未更新"), count, url, "warning")]
