"""Filters of the registration list."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from xuanchuan.arrivals.models import FollowUpPlan, FollowUpStatus, Registration, RiskLevel, Source
from xuanchuan.org.models import GRASSROOTS_TYPES, Unit


def visible_communities(request: HttpRequest | None) -> QuerySet[Unit]:
    """The communities the user sees, for the community filter."""
    if request is None:
        return Unit.objects.none()
    return Unit.objects.visible_to(request.user).filter(unit_type__in=GRASSROOTS_TYPES)


class RegistrationFilterSet(django_filters.FilterSet):
    """By risk level, follow-up, community, source and arrival dates."""

    risk_level = django_filters.ChoiceFilter(label=_("风险等级"), choices=RiskLevel.choices)
    plan = django_filters.ChoiceFilter(label=_("跟踪措施"), choices=FollowUpPlan.choices)
    follow_up_status = django_filters.ChoiceFilter(label=_("跟踪状态"), choices=FollowUpStatus.choices)
    unit = django_filters.ModelChoiceFilter(label=_("社区（村）"), queryset=visible_communities)
    source = django_filters.ChoiceFilter(label=_("登记方式"), choices=Source.choices)
    arrived_from = django_filters.DateFilter(
        label=_("到达日期自"), field_name="arrival_date", lookup_expr="gte",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )  # fmt: skip
    arrived_to = django_filters.DateFilter(
        label=_("到达日期至"), field_name="arrival_date", lookup_expr="lte",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )  # fmt: skip

    class Meta:
        model = Registration
        fields = ["risk_level", "plan", "follow_up_status", "unit", "source"]
