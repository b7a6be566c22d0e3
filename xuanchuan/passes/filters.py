"""Filters of the pass system's lists."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from xuanchuan.passes.cose import Reason
from xuanchuan.passes.models import ApplicationChannel, Direction, Movement, Pass, PassStatus, Verification


class PassFilterSet(django_filters.FilterSet):
    """Passes by status and application channel."""

    status = django_filters.ChoiceFilter(label=_("状态"), choices=PassStatus.choices, empty_label=_("全部"))
    channel = django_filters.ChoiceFilter(
        label=_("申请方式"), choices=ApplicationChannel.choices, empty_label=_("全部")
    )

    class Meta:
        model = Pass
        fields = ["status", "channel"]


class VerificationFilterSet(django_filters.FilterSet):
    """Verifications by verdict and mode."""

    result = django_filters.ChoiceFilter(label=_("核验结果"), choices=Reason.choices(), empty_label=_("全部"))
    offline = django_filters.BooleanFilter(label=_("离线核验"))

    class Meta:
        model = Verification
        fields = ["result", "offline"]


class MovementFilterSet(django_filters.FilterSet):
    """Movements by direction and whether they broke the outing rule."""

    direction = django_filters.ChoiceFilter(label=_("方向"), choices=Direction.choices, empty_label=_("全部"))

    class Meta:
        model = Movement
        fields = ["direction", "rule_breached", "offline"]
