"""To-dos of the volunteers app's sites part, for the people who keep sites and teams: teams
without a leader, and communities or villages in scope without a practice station."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from xuanchuan.core.navigation import Todo
from xuanchuan.volunteers.permissions import may_manage
from xuanchuan.volunteers.queries.sites import stations_without_site, teams_without_leader


def todos(user: Any) -> Iterable[Todo]:
    if not may_manage(user):
        return []
    found: list[Todo] = []
    leaderless = teams_without_leader(user).count()
    if leaderless:
        url = f"{reverse('volunteers:team_list')}?state=active&leader=none"
        found.append(Todo(_("未设队长的志愿服务队伍"), leaderless, url, "warning"))
    missing = stations_without_site(user).count()
    if missing:
        url = f"{reverse('volunteers:site_list')}#missing-stations"
        found.append(Todo(_("未建文明实践站的社区（村）"), missing, url, "warning"))
    return found
