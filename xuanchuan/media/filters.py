"""Filters of the outreach lists."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from xuanchuan.media.models import Account, Campaign, Level, Material, MaterialKind, Platform, Post, PressArticle
from xuanchuan.org.models import Unit

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class UnitFilterMixin(django_filters.FilterSet):
    """A unit (and the units below it) among those the viewer sees."""

    unit = django_filters.ModelChoiceFilter(
        label=_("单位（含下级）"), queryset=Unit.objects.none(), method="filter_unit", empty_label=_("全部")
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.filters["unit"].queryset = Unit.objects.visible_to(self.request.user).order_by("path")

    def filter_unit(self, queryset: QuerySet, name: str, value: Unit | None) -> QuerySet:
        return queryset.within(value) if value else queryset


class ArticleFilterSet(UnitFilterMixin):
    level = django_filters.ChoiceFilter(label=_("媒体级别"), choices=Level.choices, empty_label=_("全部"))
    after = django_filters.DateFilter(field_name="published_on", lookup_expr="gte", label=_("日期从"), widget=DATE)
    before = django_filters.DateFilter(field_name="published_on", lookup_expr="lte", label=_("日期至"), widget=DATE)

    class Meta:
        model = PressArticle
        fields = ["level", "unit"]


class PostFilterSet(UnitFilterMixin):
    platform = django_filters.ChoiceFilter(label=_("平台"), choices=Platform.choices, empty_label=_("全部"))
    account = django_filters.ModelChoiceFilter(label=_("账号"), queryset=Account.objects.none(), empty_label=_("全部"))
    after = django_filters.DateFilter(
        field_name="published_at", lookup_expr="date__gte", label=_("日期从"), widget=DATE
    )
    before = django_filters.DateFilter(
        field_name="published_at", lookup_expr="date__lte", label=_("日期至"), widget=DATE
    )

    class Meta:
        model = Post
        fields = ["platform", "account", "unit"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.filters["account"].queryset = Account.objects.visible_to(self.request.user)


class MaterialFilterSet(UnitFilterMixin):
    campaign = django_filters.ModelChoiceFilter(
        label=_("宣传活动"), queryset=Campaign.objects.none(), empty_label=_("全部")
    )
    kind = django_filters.ChoiceFilter(label=_("类别"), choices=MaterialKind.choices, empty_label=_("全部"))
    after = django_filters.DateFilter(field_name="placed_on", lookup_expr="gte", label=_("日期从"), widget=DATE)
    before = django_filters.DateFilter(field_name="placed_on", lookup_expr="lte", label=_("日期至"), widget=DATE)

    class Meta:
        model = Material
        fields = ["campaign", "kind", "unit"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.filters["campaign"].queryset = Campaign.objects.visible_to(self.request.user)


class EpisodeFilterSet(django_filters.FilterSet):
    after = django_filters.DateFilter(field_name="aired_on", lookup_expr="gte", label=_("日期从"), widget=DATE)
    before = django_filters.DateFilter(field_name="aired_on", lookup_expr="lte", label=_("日期至"), widget=DATE)
