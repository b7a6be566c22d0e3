"""To-dos of the volunteers app's activities part: open activities in scope starting within three
days that still have free places (to recruit for), and this year's projects still in draft (not
yet seen by residents)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from xuanchuan.core.navigation import Todo
from xuanchuan.volunteers.models import ActivityStatus, ProjectStatus
from xuanchuan.volunteers.permissions import may_manage
from xuanchuan.volunteers.queries.activities import draft_projects_this_year, starting_soon_with_places

SOON_DAYS = 3


def todos(user: Any) -> Iterable[Todo]:
    if not may_manage(user):
        return []
    today = timezone.localdate()
    soon = urlencode(
        {
            "status": ActivityStatus.OPEN,
            "start_from": today.isoformat(),
            "start_to": (today + timedelta(days=SOON_DAYS)).isoformat(),
        }
    )
    drafts = urlencode({"status": ProjectStatus.DRAFT, "year": today.year})
    return [
        Todo(
            _("3天内开始、仍有空余名额的志愿服务活动"),
            starting_soon_with_places(user, SOON_DAYS).count(),
            f"{reverse('volunteers:activity_list')}?{soon}",
            "warning",
        ),
        Todo(
            _("今年尚未发布的志愿服务项目"),
            draft_projects_this_year(user).count(),
            f"{reverse('volunteers:project_list')}?{drafts}",
        ),
    ]
