"""Forms of the problems pages (input checks only; the rules are in ``services.problems``)."""

from __future__ import annotations

import uuid
from typing import Any

import django_filters
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from xuanchuan.civility.models import Category, Problem, ProblemSource, ProblemStatus, Severity
from xuanchuan.civility.queries import problems as queries
from xuanchuan.civility.services.photos import max_photos
from xuanchuan.core.forms import MultiplePhotoField
from xuanchuan.core.views import style_form


class CategoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Category) -> str:
        return f"{obj.group} · {obj.name}"


class ProblemForm(forms.Form):
    """An inspector's report of a problem found (phone first)."""

    category = CategoryChoiceField(label=_("问题类别"), queryset=Category.objects.none(), empty_label=_("请选择"))
    place = forms.ModelChoiceField(label=_("点位"), queryset=None, required=False, empty_label=_("（不在点位清单中）"))
    area = forms.ModelChoiceField(label=_("所在街道（乡镇）"), queryset=None, required=False, empty_label=_("请选择"))
    address = forms.CharField(label=_("地址"), max_length=200, required=False, help_text=_("不在点位清单中时必填"))
    latitude = forms.DecimalField(label=_("纬度"), required=False, min_value=-90, max_value=90, decimal_places=6)
    longitude = forms.DecimalField(label=_("经度"), required=False, min_value=-180, max_value=180, decimal_places=6)
    description = forms.CharField(label=_("问题描述"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
    severity = forms.ChoiceField(
        label=_("严重程度"), required=False, choices=[("", _("按类别默认")), *Severity.choices]
    )
    immediate = forms.BooleanField(label=_("立行立改"), required=False, help_text=_("整改期限为 1 天"))
    photos = MultiplePhotoField(
        label=_("照片"),
        required=False,
        max_count=max_photos,
        too_many=_("每个问题最多 %(n)d 张照片。"),
        accept="image/*",
    )
    client_key = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("client_key", str(uuid.uuid4()))
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = queries.categories()
        self.fields["place"].queryset = queries.places(user)
        self.fields["area"].queryset = queries.areas(user)
        style_form(self, size="lg")
        self.fields["photos"].help_text = _("最多 %(n)d 张，每张不超过 %(mb)d MB") % {
            "n": max_photos(),
            "mb": settings.CIVILITY_PHOTO_MAX_MB,
        }
        self.fields["latitude"].widget.attrs.update({"inputmode": "decimal", "step": "any"})
        self.fields["longitude"].widget.attrs.update({"inputmode": "decimal", "step": "any"})

    def clean(self) -> dict:
        data = super().clean()
        if not data.get("place") and not (data.get("address") or "").strip():
            self.add_error("address", _("请选择点位或填写地址。"))
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            self.add_error("longitude", _("经纬度要同时填写。"))
        return data


class VerifyForm(forms.Form):
    """Confirm a citizen's report: its category and where it lies."""

    category = CategoryChoiceField(label=_("问题类别"), queryset=Category.objects.none())
    place = forms.ModelChoiceField(label=_("点位"), queryset=None, required=False, empty_label=_("（不在点位清单中）"))
    area = forms.ModelChoiceField(label=_("所在街道（乡镇）"), queryset=None, required=False, empty_label=_("请选择"))
    severity = forms.ChoiceField(label=_("严重程度"), choices=Severity.choices)

    def __init__(self, *args: Any, user: Any, problem: Problem, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "category": problem.category_id,
                "place": problem.place_id,
                "area": problem.area_id,
                "severity": problem.severity,
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = queries.categories()
        self.fields["place"].queryset = queries.places(user)
        self.fields["area"].queryset = queries.areas(user)
        style_form(self)

    def clean(self) -> dict:
        data = super().clean()
        if not data.get("place") and not data.get("area"):
            self.add_error("area", _("请选择点位或所在街道（乡镇），以便交办。"))
        return data


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("不属实的理由"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self)


class ProblemFilterSet(django_filters.FilterSet):
    """Problems by status, category group, area, source and the date found."""

    status = django_filters.ChoiceFilter(label=_("状态"), choices=ProblemStatus.choices, empty_label=_("全部"))
    category = django_filters.ModelChoiceFilter(
        label=_("问题类别"), queryset=Category.objects.filter(standard__is_current=True), empty_label=_("全部")
    )
    area = django_filters.ModelChoiceFilter(label=_("所在街道（乡镇）"), queryset=None, empty_label=_("全部"))
    source = django_filters.ChoiceFilter(label=_("来源"), choices=ProblemSource.choices, empty_label=_("全部"))
    found_from = django_filters.DateFilter(
        label=_("发现日期自"),
        field_name="found_at",
        lookup_expr="date__gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    found_to = django_filters.DateFilter(
        label=_("至"), field_name="found_at", lookup_expr="date__lte", widget=forms.DateInput(attrs={"type": "date"})
    )

    class Meta:
        model = Problem
        fields = ["status", "category", "area", "source"]

    def __init__(self, *args: Any, request: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, request=request, **kwargs)
        self.filters["area"].queryset = queries.areas(request.user) if request else queries.areas(None)
