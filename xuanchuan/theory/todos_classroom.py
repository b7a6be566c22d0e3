"""The theory app's to-do entries of the classroom part, for those who upload and publish: items
uploaded more than a week ago and still not published, and uploads of their own left unfinished."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xuanchuan.core.navigation import Todo
from xuanchuan.theory.models import ItemStatus
from xuanchuan.theory.permissions import may_manage_classroom
from xuanchuan.theory.queries import classroom as queries

DRAFT_DAYS = 7


def todos(user: Any) -> Iterable[Todo]:
    if not may_manage_classroom(user):
        return []
    found: list[Todo] = []
    week_ago = timezone.now() - timedelta(days=DRAFT_DAYS)
    drafts = queries.items(user).filter(status=ItemStatus.DRAFT, created_at__lt=week_ago).count()
    if drafts:
        url = f"{reverse('theory:item_list')}?status={ItemStatus.DRAFT}"
        found.append(Todo(_("上传一周仍未发布的云课堂课程"), drafts, url, "warning"))
    unfinished = queries.uploads(user).filter(created_by=user).count()
    if unfinished:
        found.append(Todo(_("未完成的课程上传"), unfinished, reverse("theory:item_upload"), "info"))
    return found
