"""Filters of the organisation's lists."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from xuanchuan.org.models import Role, Unit, UnitType, User
from xuanchuan.org.services import people_missing_second_factor


class UnitFilterSet(django_filters.FilterSet):
    """Filter units by type and whether they still exist."""

    unit_type = django_filters.ChoiceFilter(label=_("类型"), choices=UnitType.choices, empty_label=_("全部"))
    active = django_filters.BooleanFilter(label=_("状态"), method="filter_active", widget=django_filters.widgets.BooleanWidget())

    class Meta:
        model = Unit
        fields = ["unit_type"]

    def filter_active(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return queryset
        return queryset.filter(dissolved_on__isnull=value)


class PersonFilterSet(django_filters.FilterSet):
    """Filter people by unit (within the units the viewer may see), role and account state."""

    unit = django_filters.ModelChoiceFilter(label=_("单位（含下级）"), queryset=Unit.objects.none(), method="filter_unit")
    roles = django_filters.ModelChoiceFilter(label=_("角色"), queryset=Role.objects.all())
    is_active = django_filters.BooleanFilter(label=_("启用"), widget=django_filters.widgets.BooleanWidget())
    second_factor = django_filters.ChoiceFilter(
        label=_("动态口令"), choices=[("missing", _("应绑定而未绑定"))], method="filter_second_factor"
    )
    unit_missing = django_filters.BooleanFilter(label=_("未分配单位"), field_name="unit", lookup_expr="isnull")

    class Meta:
        model = User
        fields = ["unit", "roles", "is_active"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.filters["unit"].queryset = Unit.objects.visible_to(self.request.user)

    def filter_unit(self, queryset: QuerySet, name: str, value: Unit | None) -> QuerySet:
        return queryset.within(value) if value else queryset

    def filter_second_factor(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value != "missing":
            return queryset
        return queryset.filter(pk__in=people_missing_second_factor(self.request.user).values("pk"))
