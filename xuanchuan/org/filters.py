"""Filters of the organisation's lists."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xuanchuan.org.models import Role, Unit, UnitType, User
from xuanchuan.org.services import people_missing_second_factor


class UnitFilterSet(django_filters.FilterSet):
    """Filter units by type and whether they still exist."""

    unit_type = django_filters.ChoiceFilter(label=_("类型"), choices=UnitType.choices, empty_label=_("全部"))
    state = django_filters.ChoiceFilter(
        label=_("状态"),
        choices=[("active", _("存续")), ("dissolved", _("已撤销"))],
        empty_label=_("全部"),
        method="filter_state",
    )

    class Meta:
        model = Unit
        fields = ["unit_type"]

    def filter_state(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        today = timezone.localdate()
        if value == "active":
            return queryset.active_on(today)
        if value == "dissolved":
            return queryset.filter(dissolved_on__lte=today)
        return queryset


class PersonFilterSet(django_filters.FilterSet):
    """Filter people by unit (within the units the viewer may see), role and account state."""

    unit = django_filters.ModelChoiceFilter(
        label=_("单位（含下级）"), queryset=Unit.objects.none(), method="filter_unit", empty_label=_("全部")
    )
    roles = django_filters.ModelChoiceFilter(label=_("角色"), queryset=Role.objects.all(), empty_label=_("全部"))
    is_active = django_filters.ChoiceFilter(
        label=_("账号状态"), choices=[(True, _("启用")), (False, _("停用"))], empty_label=_("全部")
    )
    second_factor = django_filters.ChoiceFilter(
        label=_("动态口令"),
        choices=[("missing", _("应绑定而未绑定"))],
        method="filter_second_factor",
        empty_label=_("全部"),
    )
    unit_missing = django_filters.ChoiceFilter(
        label=_("单位分配"),
        choices=[(1, _("未分配单位"))],
        empty_label=_("全部"),
        method="filter_unit_missing",
    )

    class Meta:
        model = User
        fields = ["unit", "roles", "is_active"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.filters["unit"].queryset = Unit.objects.visible_to(self.request.user)

    def filter_unit(self, queryset: QuerySet, name: str, value: Unit | None) -> QuerySet:
        return queryset.within(value) if value else queryset

    def filter_unit_missing(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(unit__isnull=True) if value else queryset

    def filter_second_factor(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value != "missing":
            return queryset
        return queryset.filter(pk__in=people_missing_second_factor(self.request.user).values("pk"))
