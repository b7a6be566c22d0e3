"""To-dos of the publishing app's review part (see ``todos.py``): the steps waiting in the user's
review queue (and of them the overdue ones), the user's returned items, unread notices."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from xuanchuan.core.navigation import Todo
from xuanchuan.publishing.models import PublicationStatus
from xuanchuan.publishing.permissions import may_review, may_write


def todos(user: Any) -> Iterable[Todo]:
    from xuanchuan.publishing.queries import review as queries

    found: list[Todo] = []
    if may_review(user):
        waiting, overdue = queries.queue_counts(user)
        url = reverse("publishing:review_queue")
        found.append(Todo(_("待审稿件"), waiting, url, "warning"))
        if overdue:
            found.append(Todo(_("超时未审的稿件"), overdue, url, "danger"))
    if may_write(user):
        returned = queries.my_returned(user).count()
        if returned:
            url = f"{reverse('publishing:publication_list')}?status={PublicationStatus.RETURNED}"
            found.append(Todo(_("被退回待修改的稿件"), returned, url, "danger"))
    unread = queries.unread_notices(user).count()
    if unread:
        found.append(Todo(_("未读审核消息"), unread, reverse("publishing:notice_list"), "info"))
    return found
