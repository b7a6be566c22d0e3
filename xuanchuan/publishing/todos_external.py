"""To-dos of the publishing app's external part (see ``todos.py``): posts waiting for a person."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from xuanchuan.core.navigation import Todo
from xuanchuan.publishing.models import PublicationStatus
from xuanchuan.publishing.models.external import OutletPost, PostStatus
from xuanchuan.publishing.permissions import may_handle_posts


def todos(user: Any) -> list[Todo]:
    """Posts waiting for a person: links to record, failed automatic posts, copies of taken-down
    items still to be removed on their platform. One query."""
    if not may_handle_posts(user):
        return []
    waiting = Q(manual=True, status=PostStatus.PENDING, publication__status=PublicationStatus.PUBLISHED)
    counts = OutletPost.objects.visible_to(user).aggregate(
        record=Count("pk", filter=waiting),
        failed=Count("pk", filter=Q(status=PostStatus.FAILED, publication__status=PublicationStatus.PUBLISHED)),
        remove=Count("pk", filter=Q(removal_needed=True)),
    )
    url = reverse("publishing:post_list")
    return [
        Todo(_("待登记外部平台发布链接"), counts["record"], f"{url}?status=pending&manual=true"),
        Todo(_("外部平台发布失败"), counts["failed"], f"{url}?status=failed", "danger"),
        Todo(_("已下架稿件待到平台删除"), counts["remove"], f"{url}?removal_needed=true", "warning"),
    ]
