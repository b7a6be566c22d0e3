"""The theory app's to-do entries of the viewers part: residents' questions waiting for review, and
shown questions still without an answer (for those who may manage the classroom, in their scope)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from xuanchuan.core.navigation import Todo
from xuanchuan.theory.permissions import may_manage_classroom
from xuanchuan.theory.queries.viewers import waiting_answer_count, waiting_review_count


def todos(user: Any) -> Iterable[Todo]:
    if not may_manage_classroom(user):
        return []
    queue = reverse("theory:question_queue")
    return [
        Todo(_("云课堂提问待审核"), waiting_review_count(user), queue + "?status=pending", "warning"),
        Todo(_("云课堂提问待解答"), waiting_answer_count(user), queue + "?status=shown&answered=false", "primary"),
    ]
