"""What waits on the home page: a running campaign the user's unit has not reported material for."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from xuanchuan.core.navigation import Todo
from xuanchuan.media.models import Campaign, Material
from xuanchuan.media.permissions import may_enter


def media_todos(user: Any) -> Iterator[Todo]:
    if not may_enter(user) or not getattr(user, "unit_id", None):
        return
    today = timezone.localdate()
    reported = Material.objects.filter(campaign=OuterRef("pk"), unit_id=user.unit_id)
    running = (
        Campaign.objects.visible_to(user)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today), starts_on__lte=today)
        .exclude(Exists(reported))
    )
    for campaign in running[:5]:
        yield Todo(
            _("宣传活动“%(name)s”：本单位尚未登记投放的宣传品") % {"name": campaign.name},
            1,
            campaign.get_absolute_url(),
            "warning",
        )
