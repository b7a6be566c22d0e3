"""Forms and filters of the classroom part: input checks only (the rules are in
``services.classroom``). Choices are limited to what the user sees."""

from __future__ import annotations

import re
from typing import Any

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xuanchuan.theory.models import Category, ClassItem, ItemStatus, Lecture, MediaKind

_DURATION = re.compile(r"(?:(\d{1,2}):)?(\d{1,4}):([0-5]\d)")


def parse_duration(text: str) -> int | None:
    """Seconds of ``时:分:秒`` or ``分:秒`` (``12:30``, ``1:02:03``); ``None`` when empty; a
    ``ValidationError`` when it is neither."""
    text = (text or "").strip().replace("：", ":")
    if not text:
        return None
    match = _DURATION.fullmatch(text)
    if match is None:
        raise forms.ValidationError(_("请按“分:秒”填写时长，例如 12:30。"))
    hours, minutes, seconds = (int(part or 0) for part in match.groups())
    total = hours * 3600 + minutes * 60 + seconds
    if total <= 0:
        raise forms.ValidationError(_("时长必须大于 0。"))
    if total > 24 * 3600:
        raise forms.ValidationError(_("时长不能超过 24 小时。"))
    return total


def format_duration(seconds: int | None) -> str:
    if not seconds:
        return ""
    hours, rest = divmod(int(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


class CategoryForm(forms.ModelForm):
    """A category's name and its place in the order."""

    class Meta:
        model = Category
        fields = ["name", "order"]
        help_texts = {"order": _("数字小的排在前面。")}


class UploadStartForm(forms.Form):
    """What the upload page's script sends before the first byte."""

    filename = forms.CharField(max_length=500)
    size = forms.IntegerField(min_value=1, max_value=2**62)
    type = forms.CharField(max_length=100, required=False)


class ItemForm(forms.Form):
    """The description of an item (its media comes from the finished upload)."""

    title = forms.CharField(label=_("标题"), max_length=120)
    category = forms.ModelChoiceField(label=_("类别"), queryset=Category.objects.none())
    speaker = forms.CharField(label=_("主讲人"), max_length=100, required=False)
    lecture = forms.ModelChoiceField(
        label=_("录自宣讲活动"), queryset=Lecture.objects.none(), required=False, help_text=_("可不选。")
    )
    duration = forms.CharField(
        label=_("时长（分:秒）"),
        max_length=10,
        required=False,
        help_text=_("已安装 ffmpeg 时自动读取，可不填。"),
        widget=forms.TextInput(attrs={"placeholder": "12:30", "inputmode": "numeric"}),
    )
    poster = forms.FileField(
        label=_("封面图片"),
        required=False,
        help_text=_("JPEG 或 PNG；不上传时从视频中自动截取（需安装 ffmpeg）。"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    description = forms.CharField(
        label=_("简介"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args: Any, user: Any, item: ClassItem | None = None, **kwargs: Any) -> None:
        if item is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "title": item.title,
                "category": item.category_id,
                "speaker": item.speaker,
                "lecture": item.lecture_id,
                "duration": format_duration(item.duration_seconds),
                "description": item.description,
            }
        super().__init__(*args, **kwargs)
        # A stopped category is offered only to the item already in it.
        current = Q(pk=item.category_id) if item is not None else Q(pk__in=[])
        categories = Category.objects.visible_to(user).filter(Q(active=True) | current)
        self.fields["category"].queryset = categories.select_related("unit").order_by("order", "name")
        self.fields["lecture"].queryset = Lecture.objects.visible_to(user).order_by("-starts_at")
        if item is not None:
            self.fields["duration"].help_text = ""
            self.fields["poster"].help_text = _("JPEG 或 PNG，替换现有封面。")

    def clean_duration(self) -> int | None:
        return parse_duration(self.cleaned_data.get("duration", ""))


class ItemFilterSet(django_filters.FilterSet):
    """Items by category, kind and status."""

    category = django_filters.ModelChoiceFilter(
        label=_("类别"), queryset=Category.objects.none(), empty_label=_("全部")
    )
    kind = django_filters.ChoiceFilter(label=_("类型"), choices=MediaKind.choices, empty_label=_("全部"))
    status = django_filters.ChoiceFilter(label=_("状态"), choices=ItemStatus.choices, empty_label=_("全部"))

    class Meta:
        model = ClassItem
        fields = ["category", "kind", "status"]

    def __init__(self, *args: Any, request: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, request=request, **kwargs)
        queryset = Category.objects.visible_to(getattr(request, "user", None)).order_by("order", "name")
        self.filters["category"].queryset = queryset
        self.form.fields["category"].queryset = queryset


class CategoryFilterSet(django_filters.FilterSet):
    """Categories in use or not."""

    active = django_filters.BooleanFilter(
        label=_("状态"),
        widget=forms.Select(choices=[("", _("全部")), ("true", _("启用")), ("false", _("停用"))]),
    )

    class Meta:
        model = Category
        fields = ["active"]
