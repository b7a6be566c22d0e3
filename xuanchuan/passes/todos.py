"""The pass system's entries in the home page's to-do list."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from xuanchuan.core.navigation import Todo
from xuanchuan.passes.models import Pass, PassStatus
from xuanchuan.passes.permissions import may_decide


def pass_todos(user: Any) -> Iterable[Todo]:
    """Applications waiting for the user's decision."""
    if not may_decide(user):
        return []
    pending = Pass.objects.visible_to(user).filter(status=PassStatus.PENDING).count()
    url = f"{reverse('passes:pass_list')}?status={PassStatus.PENDING}"
    return [Todo(_("待审批的通行证申请"), pending, url, "warning")]
