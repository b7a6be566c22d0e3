"""Forms and list filters of the events part: input checks only, the rules are the services'
(``services.events``)."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xuanchuan.core.forms import MultiplePhotoField, datetime_field, year_choices
from xuanchuan.culture.models import Association, Event, EventKind, EventStatus, Series, Venue
from xuanchuan.culture.services import events as services
from xuanchuan.org.models import Unit
from xuanchuan.reports.registry import ArgumentError, clean_argument

TOO_MANY_PHOTOS = _("每场活动最多 %(n)d 张照片。")

PLATFORMS = ("抖音", "视频号", "学习强国", "快手", "微信公众号", "哔哩哔哩", "今日头条", "新闻网站")


class SeriesChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Series) -> str:
        return f"{obj.name}（{obj.year} · {obj.unit.name}）"


class NamedChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}（{obj.unit.name}）"


# --- Series ---------------------------------------------------------------------------------------


class SeriesForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("所属单位"), queryset=Unit.objects.none(), empty_label=_("请选择"))
    name = forms.CharField(
        label=_("名称"),
        max_length=100,
        help_text=_("报告中按名称统计本系列的活动场次；名称中不能有 ( ) { } | / \\ 等字符，可用中文括号或书名号"),
    )
    year = forms.TypedChoiceField(label=_("年度"), choices=year_choices, coerce=int)
    description = forms.CharField(label=_("说明"), max_length=2000, required=False, widget=forms.Textarea({"rows": 3}))
    active = forms.BooleanField(label=_("启用（新活动可归入本系列）"), required=False, initial=True)

    def __init__(self, *args: Any, user: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["unit"]
        else:
            del self.fields["active"]
            self.fields["unit"].queryset = Unit.objects.visible_to(user).order_by("path")
            self.fields["unit"].initial = getattr(user, "unit_id", None)
            self.fields["year"].initial = timezone.localdate().year

    def clean_name(self) -> str:
        try:
            return clean_argument(self.cleaned_data["name"])
        except ArgumentError as exc:
            raise forms.ValidationError(str(exc)) from None

    @classmethod
    def initial_for(cls, item: Series) -> dict[str, Any]:
        return {"name": item.name, "year": item.year, "description": item.description, "active": item.active}


# --- Events ---------------------------------------------------------------------------------------


def offered_series(user: Any, current: Series | None = None) -> QuerySet:
    """Active series of last year, this year and next that the user's events may join: those in
    scope and those of the units above the user's; the event's own series when editing."""
    this = timezone.localdate().year
    condition = Q(pk__in=Series.objects.visible_to(user).values("pk"))
    if getattr(user, "unit_id", None):
        condition |= Q(unit__path__in=services.ancestor_paths(user.unit))
    condition &= Q(active=True, year__gte=this - 1, year__lte=this + 1)
    if current is not None:
        condition |= Q(pk=current.pk)
    # scoping: allowed — the series above the user's unit are offered on purpose (see docstring).
    return Series.objects.filter(condition).select_related("unit").order_by("-year", "unit__path", "name")


def offered_venues(user: Any, current: Venue | None = None) -> QuerySet:
    """Open venues in scope and those of the units above the user's (the event's own when editing)."""
    condition = Q(pk__in=Venue.objects.visible_to(user).values("pk"))
    if getattr(user, "unit_id", None):
        condition |= Q(unit__path__in=services.ancestor_paths(user.unit))
    condition &= Q(active=True)
    if current is not None:
        condition |= Q(pk=current.pk)
    # scoping: allowed — the venues above the user's unit are offered on purpose (see docstring).
    return Venue.objects.filter(condition).select_related("unit").order_by("unit__path", "kind", "name")


def offered_associations(user: Any, current: Association | None = None) -> QuerySet:
    """Associations in scope and those of the units above the user's, not dissolved."""
    condition = Q(pk__in=Association.objects.visible_to(user).values("pk"))
    if getattr(user, "unit_id", None):
        condition |= Q(unit__path__in=services.ancestor_paths(user.unit))
    condition &= Q(dissolved_on__isnull=True)
    if current is not None:
        condition |= Q(pk=current.pk)
    # scoping: allowed — the associations above the user's unit are offered on purpose.
    return Association.objects.filter(condition).select_related("unit").order_by("unit__path", "name")


class EventForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("主办单位"), queryset=Unit.objects.none(), empty_label=_("请选择"), help_text=_("活动记在哪个单位")
    )
    title = forms.CharField(label=_("活动名称"), max_length=150)
    kind = forms.ChoiceField(label=_("类型"), choices=[("", _("请选择")), *EventKind.choices])
    series = SeriesChoiceField(
        label=_("所属系列"),
        queryset=Series.objects.none(),
        required=False,
        empty_label=_("不属于系列活动"),
        help_text=_("只能选择本单位或上级单位、与活动同一年度的系列"),
    )
    starts_at = datetime_field(_("开始时间"))
    ends_at = datetime_field(_("结束时间"))
    venue = NamedChoiceField(
        label=_("场馆"), queryset=Venue.objects.none(), required=False, empty_label=_("不在场馆（填写地点）")
    )
    address = forms.CharField(label=_("地点"), max_length=200, required=False, help_text=_("不在场馆举办时填写"))
    performers = forms.CharField(label=_("演职人员或主讲"), max_length=300, required=False)
    association = NamedChoiceField(
        label=_("承办协会"), queryset=Association.objects.none(), required=False, empty_label=_("无")
    )
    summary = forms.CharField(label=_("活动内容"), max_length=4000, required=False, widget=forms.Textarea({"rows": 3}))

    def __init__(self, *args: Any, user: Any, event: Event | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        current = event or Event()
        self.fields["unit"].queryset = Unit.objects.visible_to(user).order_by("path")
        self.fields["unit"].initial = getattr(user, "unit_id", None)
        self.fields["series"].queryset = offered_series(user, current.series)
        self.fields["venue"].queryset = offered_venues(user, current.venue)
        self.fields["association"].queryset = offered_associations(user, current.association)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("结束时间应晚于开始时间。"))
        if "venue" in data and not data.get("venue") and not (data.get("address") or "").strip():
            self.add_error("address", _("请选择场馆或填写活动地点。"))
        return data

    def event_input(self) -> services.EventInput:
        data = self.cleaned_data
        return services.EventInput(
            unit=data["unit"],
            title=data["title"],
            kind=data["kind"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            series=data.get("series"),
            venue=data.get("venue"),
            address=data.get("address", ""),
            performers=data.get("performers", ""),
            association=data.get("association"),
            summary=data.get("summary", ""),
        )

    @classmethod
    def initial_for(cls, event: Event) -> dict[str, Any]:
        return {
            "unit": event.unit_id,
            "title": event.title,
            "kind": event.kind,
            "series": event.series_id,
            "starts_at": timezone.localtime(event.starts_at),
            "ends_at": timezone.localtime(event.ends_at),
            "venue": event.venue_id,
            "address": event.address,
            "performers": event.performers,
            "association": event.association_id,
            "summary": event.summary,
        }


class HeldForm(forms.Form):
    audience = forms.IntegerField(
        label=_("参与群众人数"),
        min_value=1,
        max_value=services.MAX_AUDIENCE,
        error_messages={"required": _("请填写参与群众人数。")},
    )
    summary = forms.CharField(
        label=_("活动情况"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("请填写活动情况。")},
    )
    photos = MultiplePhotoField(
        label=_("照片"),
        required=False,
        help_text=_("JPEG 或 PNG，每张不超过 10 MB，每场最多 %(n)d 张") % {"n": services.MAX_PHOTOS},
        max_count=services.MAX_PHOTOS,
        too_many=TOO_MANY_PHOTOS,
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("取消原因"), max_length=200, widget=forms.Textarea(attrs={"rows": 2}))


class PhotoForm(forms.Form):
    photos = MultiplePhotoField(
        label=_("照片"),
        help_text=_("JPEG 或 PNG，每张不超过 10 MB，每场最多 %(n)d 张") % {"n": services.MAX_PHOTOS},
        max_count=services.MAX_PHOTOS,
        too_many=TOO_MANY_PHOTOS,
        error_messages={"required": _("请选择要上传的照片。")},
    )
    caption = forms.CharField(label=_("说明"), max_length=100, required=False)


class LinkForm(forms.Form):
    url = forms.URLField(
        label=_("链接"),
        max_length=500,
        assume_scheme="https",
        error_messages={"invalid": _("请填写以 https:// 开头的完整链接。")},
    )
    title = forms.CharField(label=_("标题"), max_length=150, required=False)
    platform = forms.CharField(
        label=_("平台"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"list": "platforms"}),
        help_text=_("如：抖音、视频号、学习强国"),
    )

    def clean_url(self) -> str:
        url = self.cleaned_data["url"]
        if not url.lower().startswith("https://"):
            raise forms.ValidationError(_("请填写以 https:// 开头的完整链接。"))
        return url


# --- List filters ---------------------------------------------------------------------------------


class SeriesFilterSet(django_filters.FilterSet):
    year = django_filters.ChoiceFilter(label=_("年度"), choices=year_choices, empty_label=_("全部"))
    unit = django_filters.ModelChoiceFilter(
        label=_("所属单位"), queryset=Unit.objects.none(), method="filter_unit", empty_label=_("全部")
    )
    active = django_filters.BooleanFilter(
        label=_("启用"), widget=forms.Select(choices=[("", _("全部")), ("true", _("启用")), ("false", _("已停用"))])
    )

    class Meta:
        model = Series
        fields = ["year", "unit", "active"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["unit"].queryset = Unit.objects.visible_to(self.request.user).order_by("path")

    def filter_unit(self, queryset: QuerySet, name: str, value: Unit | None) -> QuerySet:
        return queryset.within(value) if value else queryset


class EventFilterSet(django_filters.FilterSet):
    year = django_filters.ChoiceFilter(
        label=_("年度"), choices=year_choices, method="filter_year", empty_label=_("全部")
    )
    month = django_filters.ChoiceFilter(
        label=_("月份"),
        choices=[(str(m), _("%(m)d月") % {"m": m}) for m in range(1, 13)],
        method="filter_month",
        empty_label=_("全部"),
    )
    kind = django_filters.ChoiceFilter(label=_("类型"), choices=EventKind.choices, empty_label=_("全部"))
    series = django_filters.ModelChoiceFilter(
        label=_("所属系列"), queryset=Series.objects.none(), empty_label=_("全部")
    )
    status = django_filters.ChoiceFilter(label=_("状态"), choices=EventStatus.choices, empty_label=_("全部"))
    unit = django_filters.ModelChoiceFilter(
        label=_("单位"), queryset=Unit.objects.none(), method="filter_unit", empty_label=_("全部")
    )
    due = django_filters.ChoiceFilter(
        label=_("登记"), choices=[("overdue", _("已结束未登记"))], method="filter_due", empty_label=_("全部")
    )

    class Meta:
        model = Event
        fields = ["year", "month", "kind", "series", "status", "unit", "due"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = self.request.user
        from xuanchuan.culture.queries import events as queries

        self.filters["series"].queryset = queries.series_in_sight(user).order_by("-year", "name")
        self.filters["unit"].queryset = Unit.objects.visible_to(user).order_by("path")

    def filter_year(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(starts_at__year=int(value)) if str(value).isdigit() else queryset

    def filter_month(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(starts_at__month=int(value)) if str(value).isdigit() else queryset

    def filter_unit(self, queryset: QuerySet, name: str, value: Unit | None) -> QuerySet:
        return queryset.within(value) if value else queryset

    def filter_due(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == "overdue":
            return queryset.filter(status=EventStatus.PLANNED, ends_at__lt=timezone.now())
        return queryset
