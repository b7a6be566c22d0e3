"""Filters of the daily-report list."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from xuanchuan.org.models import Unit
from xuanchuan.outbreak.models import DailyReport, ReportForm, ReportStatus

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DailyReportFilterSet(django_filters.FilterSet):
    """Filter reports by form, day, unit (within those the viewer sees), timeliness and status."""

    form = django_filters.ModelChoiceFilter(
        label=_("日报表"), queryset=ReportForm.objects.none(), empty_label=_("全部")
    )
    day_after = django_filters.DateFilter(field_name="day", lookup_expr="gte", label=_("日期从"), widget=DATE)
    day_before = django_filters.DateFilter(field_name="day", lookup_expr="lte", label=_("日期至"), widget=DATE)
    unit = django_filters.ModelChoiceFilter(
        label=_("单位（含下级）"), queryset=Unit.objects.none(), method="filter_unit", empty_label=_("全部")
    )
    is_late = django_filters.ChoiceFilter(
        label=_("是否按时"), choices=[(False, _("按时")), (True, _("迟报"))], empty_label=_("全部")
    )
    status = django_filters.ChoiceFilter(label=_("状态"), choices=ReportStatus.choices, empty_label=_("全部"))

    class Meta:
        model = DailyReport
        fields = ["form", "unit", "is_late", "status"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        user = self.request.user
        self.filters["form"].queryset = ReportForm.objects.visible_to(user)
        self.filters["unit"].queryset = Unit.objects.visible_to(user)

    def filter_unit(self, queryset: QuerySet, name: str, value: Unit | None) -> QuerySet:
        return queryset.within(value) if value else queryset
