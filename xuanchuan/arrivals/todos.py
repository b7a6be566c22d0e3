"""The home page's to-do entry of 来返人员: people under follow-up without today's check-in."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xuanchuan.core.navigation import Todo


def follow_up_todos(user: Any) -> Iterable[Todo]:
    from xuanchuan.arrivals.models import CheckIn, FollowUpStatus, Registration

    today = timezone.localdate()
    checked = CheckIn.objects.filter(registration=OuterRef("pk"), day=today)
    waiting = (
        Registration.objects.visible_to(user)
        .filter(follow_up_status=FollowUpStatus.ACTIVE, follow_up_start__lte=today)
        .exclude(Exists(checked))
        .count()
    )
    yield Todo(_("来返人员今日未打卡"), waiting, reverse("arrivals:daily_list"), level="warning")
