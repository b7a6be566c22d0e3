"""Forms of the civility app's standards part: input checks only (the rules are in
``services.standards``), and the filters of the place and responsibility lists."""

from __future__ import annotations

import datetime
from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xuanchuan.civility.models import Assignment, Category, Place, PlaceKind
from xuanchuan.civility.queries.standards import current_categories, in_force
from xuanchuan.core.views import style_form
from xuanchuan.org.models import Unit, UnitType, User

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
DATE_MIN, DATE_MAX = datetime.date(2000, 1, 1), datetime.date(2100, 12, 31)


def _district_units() -> QuerySet[Unit]:
    # The district's units to choose from (keeping the place list is district-wide work).
    return Unit.objects.active_on(timezone.localdate())  # scoping: allowed (the district's unit list)


def _check_day(value: datetime.date | None) -> datetime.date | None:
    if value is not None and not DATE_MIN <= value <= DATE_MAX:
        raise forms.ValidationError(_("日期应在 2000 年到 2100 年之间。"))
    return value


class VersionForm(forms.Form):
    """A new version's number and name (copy or import)."""

    version = forms.CharField(label=_("版本号"), max_length=30)
    name = forms.CharField(label=_("名称"), max_length=100)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self, "")


class ImportForm(VersionForm):
    file = forms.FileField(
        label=_("Excel 文件"),
        help_text=_(
            "列：代码、名称、大类、默认严重程度（一般/较重/严重）、整改期限（天）、说明。版本号已存在时按代码更新。"
        ),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("文件不能超过 5 MB。"))
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("请上传 .xlsx 格式的 Excel 文件。"))
        return upload


class PlaceImportForm(forms.Form):
    file = forms.FileField(
        label=_("Excel 文件"),
        help_text=_(
            "列：名称、点位类型、所在街道（乡镇）、地址或范围（点位列表导出的文件可直接导入）。已有的点位按名称更新。"
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self, "")

    clean_file = ImportForm.clean_file


class CategoryForm(forms.ModelForm):
    class Meta:
        model = Category
        fields = ["name", "group", "default_severity", "deadline_days", "description", "position"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self, "")

    def clean_deadline_days(self) -> int:
        days = self.cleaned_data["deadline_days"]
        if not 1 <= days <= 365:
            raise forms.ValidationError(_("整改期限应为 1 到 365 天。"))
        return days


class PlaceForm(forms.ModelForm):
    class Meta:
        model = Place
        fields = ["name", "area", "kind", "address", "latitude", "longitude"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = _district_units().filter(unit_type__in=[UnitType.STREET, UnitType.TOWN])
        style_form(self, "")

    def clean_latitude(self) -> Any:
        value = self.cleaned_data.get("latitude")
        if value is not None and not -90 <= value <= 90:
            raise forms.ValidationError(_("纬度应在 -90 到 90 之间。"))
        return value

    def clean_longitude(self) -> Any:
        value = self.cleaned_data.get("longitude")
        if value is not None and not -180 <= value <= 180:
            raise forms.ValidationError(_("经度应在 -180 到 180 之间。"))
        return value


class AssignmentForm(forms.ModelForm):
    categories = forms.ModelMultipleChoiceField(
        label=_("负责的问题类别"),
        queryset=Category.objects.none(),
        required=False,
        help_text=_("不选即负责全部类别。"),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    class Meta:
        model = Assignment
        fields = ["unit", "kind", "starts_on", "ends_on", "leader", "categories", "note"]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "ends_on": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = _district_units()
        self.fields["unit"].label = _("责任单位")
        self.fields["leader"].queryset = User.objects.filter(  # scoping: allowed (the chosen unit's staff)
            is_active=True, unit__isnull=False
        ).select_related("unit")
        self.fields["leader"].label_from_instance = lambda user: f"{user.get_full_name()}（{user.unit}）"
        self.fields["categories"].queryset = current_categories()
        self.fields["categories"].label_from_instance = lambda category: f"{category.group}：{category.name}"
        if not self.is_bound and self.instance.pk is None:
            self.initial.setdefault("starts_on", timezone.localdate())
        style_form(self, "")

    def clean_starts_on(self) -> Any:
        return _check_day(self.cleaned_data.get("starts_on"))

    def clean_ends_on(self) -> Any:
        return _check_day(self.cleaned_data.get("ends_on"))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("结束日期不能早于开始日期。"))
        return data


class EndAssignmentForm(forms.Form):
    ends_on = forms.DateField(label=_("结束日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self, "")

    def clean_ends_on(self) -> Any:
        return _check_day(self.cleaned_data.get("ends_on"))


class PlaceFilterSet(django_filters.FilterSet):
    """Places by kind, area, in use, and "无责任单位" (no responsibility in force today)."""

    kind = django_filters.ChoiceFilter(label=_("点位类型"), choices=PlaceKind.choices, empty_label=_("全部"))
    area = django_filters.ModelChoiceFilter(
        label=_("所在街道（乡镇）"), queryset=Unit.objects.none(), empty_label=_("全部")
    )
    is_active = django_filters.ChoiceFilter(
        label=_("状态"), choices=[("yes", _("启用")), ("no", _("停用"))], method="filter_active", empty_label=_("全部")
    )
    gap = django_filters.ChoiceFilter(
        label=_("责任单位"),
        choices=[("yes", _("无责任单位")), ("no", _("已落实"))],
        method="filter_gap",
        empty_label=_("全部"),
    )

    class Meta:
        model = Place
        fields = ["kind", "area", "is_active", "gap"]

    def __init__(self, *args: Any, day: datetime.date | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.day = day or timezone.localdate()
        self.filters["area"].queryset = Unit.objects.visible_to(self.request.user).filter(
            unit_type__in=[UnitType.STREET, UnitType.TOWN]
        )

    def filter_active(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(is_active=value == "yes") if value else queryset

    def filter_gap(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if not value:
            return queryset
        answered = Assignment.objects.filter(in_force(self.day)).values("place_id")  # scoping: allowed (ids only)
        if value == "yes":
            return queryset.filter(is_active=True).exclude(pk__in=answered)
        return queryset.filter(pk__in=answered)
