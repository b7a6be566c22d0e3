"""Filters of the activities part's staff lists (choices limited to what the user sees)."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xuanchuan.org.models import Unit
from xuanchuan.volunteers.models import Activity, ActivityStatus, Brand, Project, ProjectStatus, Team
from xuanchuan.volunteers.services.activities import brands_offered


def _years() -> list[tuple[int, str]]:
    this = timezone.localdate().year
    return [(year, f"{year}年") for year in range(this + 1, this - 5, -1)]


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _user(request: Any) -> Any:
    return getattr(request, "user", None)


class ProjectFilterSet(django_filters.FilterSet):
    """Projects by year, team, brand and status."""

    year = django_filters.ChoiceFilter(label=_("年度"), choices=_years, empty_label=_("全部"))
    team = django_filters.ModelChoiceFilter(label=_("队伍"), queryset=Team.objects.none(), empty_label=_("全部"))
    brand = django_filters.ModelChoiceFilter(label=_("品牌"), queryset=Brand.objects.none(), empty_label=_("全部"))
    status = django_filters.ChoiceFilter(label=_("状态"), choices=ProjectStatus.choices, empty_label=_("全部"))

    class Meta:
        model = Project
        fields = ["year", "team", "brand", "status"]

    def __init__(self, *args: Any, request: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, request=request, **kwargs)
        user = _user(request)
        teams = Team.objects.visible_to(user).order_by("unit__path", "name")
        brands = brands_offered(user).order_by("name")
        for name, queryset in (("team", teams), ("brand", brands)):
            self.filters[name].queryset = queryset
            self.form.fields[name].queryset = queryset


class ActivityFilterSet(django_filters.FilterSet):
    """Activities by the date range of their start, project, team, status and unit (with the units
    below it)."""

    start_from = django_filters.DateFilter(
        label=_("开始日期从"), field_name="starts_at", lookup_expr="date__gte", widget=_date_input()
    )
    start_to = django_filters.DateFilter(
        label=_("至"), field_name="starts_at", lookup_expr="date__lte", widget=_date_input()
    )
    project = django_filters.ModelChoiceFilter(label=_("项目"), queryset=Project.objects.none(), empty_label=_("全部"))
    team = django_filters.ModelChoiceFilter(
        label=_("队伍"), field_name="project__team", queryset=Team.objects.none(), empty_label=_("全部")
    )
    status = django_filters.ChoiceFilter(label=_("状态"), choices=ActivityStatus.choices, empty_label=_("全部"))
    unit = django_filters.ModelChoiceFilter(
        label=_("单位"), queryset=Unit.objects.none(), method="filter_unit", empty_label=_("全部")
    )

    class Meta:
        model = Activity
        fields = ["project", "status"]

    def __init__(self, *args: Any, request: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, request=request, **kwargs)
        user = _user(request)
        this_year = timezone.localdate().year
        choices = {
            "project": Project.objects.visible_to(user).filter(year__gte=this_year - 2).order_by("-year", "title"),
            "team": Team.objects.visible_to(user).order_by("unit__path", "name"),
            "unit": Unit.objects.visible_to(user).order_by("path"),
        }
        for name, queryset in choices.items():
            self.filters[name].queryset = queryset
            self.form.fields[name].queryset = queryset

    def filter_unit(self, queryset: QuerySet, name: str, value: Unit | None) -> QuerySet:
        return queryset.within(value) if value is not None else queryset
