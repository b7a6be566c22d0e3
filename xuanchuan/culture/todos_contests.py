"""To-dos of the culture app, contests part, for those who keep competitions: rounds held before
today still short of scores (``queries.contests.rounds_awaiting_scores``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from xuanchuan.core.navigation import Todo
from xuanchuan.culture.permissions import may_manage_events
from xuanchuan.culture.queries import contests as queries


def todos(user: Any) -> Iterable[Todo]:
    if not may_manage_events(user):
        return []
    waiting = list(queries.rounds_awaiting_scores(user).values_list("competition_id", flat=True)[:100])
    if not waiting:
        return []
    if len(set(waiting)) == 1:
        url = reverse("culture:competition_detail", kwargs={"pk": waiting[0]})
    else:
        url = reverse("culture:competition_list")
    return [Todo(_("待录入成绩的比赛轮次"), queries.rounds_awaiting_scores(user).count(), url, "warning")]
