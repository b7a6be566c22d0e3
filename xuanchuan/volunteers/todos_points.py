"""To-dos of the points part (home page): good deeds waiting for approval (not the ones the user
entered), goods out of stock, and reserved redemptions whose hold ends today for clerks."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from xuanchuan.core.navigation import Todo
from xuanchuan.volunteers.models import RedemptionStatus
from xuanchuan.volunteers.permissions import may_confirm_redemptions, may_manage_points
from xuanchuan.volunteers.queries import points as queries


def todos(user: Any) -> Iterable[Todo]:
    items = []
    if may_manage_points(user):
        items.append(
            Todo(
                _("待审核的好人好事申报"),
                queries.claims_to_decide_count(user),
                reverse("volunteers:claim_queue"),
                "warning",
            )
        )
        items.append(
            Todo(
                _("已缺货的兑换物品"),
                queries.goods_out_of_stock(user).count(),
                reverse("volunteers:merchant_list"),
                "secondary",
            )
        )
    if may_confirm_redemptions(user):
        url = f"{reverse('volunteers:redemption_list')}?status={RedemptionStatus.RESERVED}"
        if not may_manage_points(user):
            url = reverse("volunteers:redemption_lookup")
        items.append(Todo(_("今天到期待核销的兑换"), queries.expiring_today(user).count(), url, "info"))
    return items
