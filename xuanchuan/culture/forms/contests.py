"""Forms and list filters of the contests part: input checks only, the rules are the services'
(``services.contests``)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xuanchuan.core.forms import year_choices
from xuanchuan.core.pii import MobileField
from xuanchuan.culture.models import Competition, Contestant, ProductCampaign, Series
from xuanchuan.culture.services import contests as services
from xuanchuan.org.models import Unit

OTHER = "__other__"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def date_field(label: Any, required: bool = True) -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DateInput(), input_formats=["%Y-%m-%d"])


def year_field() -> forms.IntegerField:
    return forms.IntegerField(
        label=_("年度"), min_value=services.MIN_YEAR, max_value=services.MAX_YEAR, initial=timezone.localdate().year
    )


class UnitFormMixin:
    """A new record's unit: the user's own by default, any unit in scope."""

    def add_unit(self, user: Any, editing: bool) -> None:
        if editing:
            del self.fields["unit"]  # type: ignore[attr-defined]
            return
        self.fields["unit"].queryset = Unit.objects.visible_to(user).order_by("path")  # type: ignore[attr-defined]
        self.fields["unit"].initial = getattr(user, "unit_id", None)  # type: ignore[attr-defined]


class CompetitionForm(UnitFormMixin, forms.Form):
    unit = forms.ModelChoiceField(label=_("主办单位"), queryset=Unit.objects.none(), empty_label=_("请选择"))
    title = forms.CharField(label=_("比赛名称"), max_length=150)
    year = year_field()
    series = forms.ModelChoiceField(
        label=_("所属系列活动"), queryset=Series.objects.none(), required=False, empty_label=_("（不属于系列活动）")
    )
    next_level = forms.CharField(
        label=_("推荐参加"), max_length=120, required=False, help_text=_("如：市级比赛、市上决赛")
    )
    description = forms.CharField(label=_("说明"), max_length=4000, required=False, widget=forms.Textarea({"rows": 3}))

    def __init__(self, *args: Any, user: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_unit(user, editing)
        self.fields["series"].queryset = Series.objects.visible_to(user).order_by("-year", "name")


class RoundForm(forms.Form):
    name = forms.CharField(label=_("轮次"), max_length=30, help_text=_("如：初赛、复赛、决赛"))
    order = forms.IntegerField(
        label=_("顺序"), min_value=1, max_value=services.MAX_ROUNDS, required=False, help_text=_("留空则排在最后")
    )
    held_on = date_field(_("比赛日期"), required=False)


class ContestantForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50)
    organisation = forms.CharField(label=_("单位或村（社区）"), max_length=120, required=False)
    phone = MobileField(label=_("联系电话"), required=False)


class ScoresForm(forms.Form):
    """One score field per contestant (``c<pk>``), 0–100 with two decimals; blank for no score."""

    def __init__(self, *args: Any, contestants: list[Contestant], initial_scores: dict[int, Decimal], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.contestants = contestants
        for person in contestants:
            self.fields[f"c{person.pk}"] = forms.DecimalField(
                label=person.name,
                required=False,
                min_value=Decimal(0),
                max_value=services.MAX_SCORE,
                max_digits=5,
                decimal_places=2,
                initial=initial_scores.get(person.pk),
                widget=forms.NumberInput({"step": "0.01", "min": "0", "max": "100", "inputmode": "decimal"}),
                error_messages={
                    "invalid": _("请填写数字。"),
                    "min_value": _("成绩不能小于 0。"),
                    "max_value": _("成绩不能大于 100。"),
                    "max_decimal_places": _("最多保留两位小数。"),
                    "max_digits": _("成绩不能大于 100。"),
                },
            )

    def rows(self) -> list[tuple[Contestant, forms.BoundField]]:
        return [(person, self[f"c{person.pk}"]) for person in self.contestants]

    def scores(self) -> dict[int, Decimal | None]:
        return {person.pk: self.cleaned_data.get(f"c{person.pk}") for person in self.contestants}


class CampaignForm(UnitFormMixin, forms.Form):
    unit = forms.ModelChoiceField(label=_("主办单位"), queryset=Unit.objects.none(), empty_label=_("请选择"))
    title = forms.CharField(label=_("活动名称"), max_length=150)
    year = year_field()
    products = forms.CharField(label=_("推介的特产"), max_length=300, help_text=_("如：天炕之品、甜糯玉米"))
    description = forms.CharField(label=_("说明"), max_length=4000, required=False, widget=forms.Textarea({"rows": 3}))

    def __init__(self, *args: Any, user: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_unit(user, editing)


class VideoForm(forms.Form):
    title = forms.CharField(label=_("短片名称"), max_length=150)
    platform = forms.ChoiceField(
        label=_("发布平台"),
        choices=[("", _("请选择")), *[(name, name) for name in services.PLATFORMS], (OTHER, _("其他（请填写）"))],
    )
    platform_other = forms.CharField(label=_("其他平台名称"), max_length=40, required=False)
    url = forms.URLField(
        label=_("链接"), max_length=500, required=False, assume_scheme="https", help_text=_("以 https:// 开头")
    )
    published_on = date_field(_("发布日期"))
    views = forms.IntegerField(label=_("播放量"), min_value=0, max_value=services.MAX_REACH, required=False)
    likes = forms.IntegerField(label=_("点赞数"), min_value=0, max_value=services.MAX_REACH, required=False)
    counted_on = date_field(_("统计日期"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        initial = kwargs.get("initial") or {}
        platform = initial.get("platform")
        if platform and platform not in services.PLATFORMS:
            kwargs["initial"] = {**initial, "platform": OTHER, "platform_other": platform}
        super().__init__(*args, **kwargs)
        self.fields["counted_on"].help_text = _("填写播放量、点赞数时必填：平台显示这些数字的日期")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("platform") == OTHER:
            if not (data.get("platform_other") or "").strip():
                self.add_error("platform_other", _("请填写平台名称。"))
            data["platform"] = (data.get("platform_other") or "").strip()
        return data

    def video_input(self) -> services.VideoInput:
        data = self.cleaned_data
        return services.VideoInput(
            title=data["title"],
            platform=data["platform"],
            published_on=data["published_on"],
            url=data["url"],
            views=data["views"] or 0,
            likes=data["likes"] or 0,
            counted_on=data["counted_on"],
        )


class ReachForm(forms.Form):
    views = forms.IntegerField(label=_("播放量"), min_value=0, max_value=services.MAX_REACH)
    likes = forms.IntegerField(label=_("点赞数"), min_value=0, max_value=services.MAX_REACH)
    counted_on = date_field(_("统计日期"))


# --- List filters ---------------------------------------------------------------------------------


class _YearUnitFilterSet(django_filters.FilterSet):
    year = django_filters.ChoiceFilter(label=_("年度"), choices=year_choices, empty_label=_("全部"))
    unit = django_filters.ModelChoiceFilter(
        label=_("单位"), queryset=Unit.objects.none(), method="filter_unit", empty_label=_("全部")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["unit"].queryset = Unit.objects.visible_to(self.request.user).order_by("path")

    def filter_unit(self, queryset: QuerySet, name: str, value: Unit | None) -> QuerySet:
        """A unit and the units below it."""
        return queryset.within(value) if value else queryset


class CompetitionFilterSet(_YearUnitFilterSet):
    recommended = django_filters.ChoiceFilter(
        label=_("推荐"),
        choices=[("yes", _("已推荐选手")), ("no", _("尚未推荐"))],
        method="filter_recommended",
        empty_label=_("全部"),
    )

    class Meta:
        model = Competition
        fields = ["year", "unit", "recommended"]

    def filter_recommended(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        condition = Q(contestants__recommended_at__isnull=False)
        if value == "yes":
            return queryset.filter(pk__in=Competition.objects.filter(condition).values("pk"))
        if value == "no":
            return queryset.exclude(pk__in=Competition.objects.filter(condition).values("pk"))
        return queryset


class CampaignFilterSet(_YearUnitFilterSet):
    platform = django_filters.ChoiceFilter(
        label=_("平台"),
        choices=[(name, name) for name in services.PLATFORMS],
        method="filter_platform",
        empty_label=_("全部"),
    )

    class Meta:
        model = ProductCampaign
        fields = ["year", "unit", "platform"]

    def filter_platform(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(videos__platform=value).distinct() if value else queryset
