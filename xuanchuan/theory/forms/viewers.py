"""Forms of the viewers part: the player's beacons (numbers only, bounded), a resident's question
(with the public forms' human check), staff's answer, and the filters of the question queue. They
check input only; the services decide."""

from __future__ import annotations

import math
from typing import Any

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from xuanchuan.core.public import HumanCheckFormMixin
from xuanchuan.theory.models import ClassItem, Question, QuestionStatus
from xuanchuan.theory.services.viewers import NICKNAME_MAX, QUESTION_MAX, QUESTION_MIN

#: Larger numbers are no position of any lecture (a week of seconds); the service clamps the rest.
MAX_SECONDS = 7 * 24 * 3600


class SecondsField(forms.FloatField):
    """Seconds into an item: a finite number 0 … a week (NaN and infinity are refused)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(min_value=0, max_value=MAX_SECONDS, **kwargs)

    def to_python(self, value: Any) -> float | None:
        number = super().to_python(value)
        if number is not None and not math.isfinite(number):
            raise forms.ValidationError(_("请输入有效的数字。"), code="invalid")
        return number


class ProgressForm(forms.Form):
    """A beacon of the player: where it is, and the stretch played since the last beacon."""

    position = SecondsField(required=True)
    watched_from = SecondsField(required=False)
    watched_to = SecondsField(required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("watched_from"), data.get("watched_to")
        if (start is None) != (end is None):
            raise forms.ValidationError(_("播放片段须有起点和终点。"))
        if start is not None and end is not None and end < start:
            raise forms.ValidationError(_("播放片段的终点早于起点。"))
        return data


class QuestionForm(HumanCheckFormMixin, forms.Form):
    """A resident's question under an item."""

    nickname = forms.CharField(
        label=_("称呼（可不填）"),
        max_length=NICKNAME_MAX,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )
    text = forms.CharField(
        label=_("我的问题"),
        min_length=QUESTION_MIN,
        max_length=QUESTION_MAX,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": QUESTION_MAX}),
        error_messages={
            "required": _("请填写问题。"),
            "min_length": _("问题至少写 %(limit_value)d 个字。"),
            "max_length": _("问题最多 %(limit_value)d 个字。"),
        },
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("解答"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("请填写解答内容。")},
    )


def _yes_no() -> forms.Select:
    return forms.Select(choices=(("", _("全部")), ("true", _("是")), ("false", _("否"))))


class QuestionFilterSet(django_filters.FilterSet):
    """The question queue's filters: status and item (of the user's scope)."""

    status = django_filters.ChoiceFilter(label=_("状态"), choices=QuestionStatus.choices, empty_label=_("全部"))
    item = django_filters.ModelChoiceFilter(
        label=_("课程"), queryset=ClassItem.objects.none(), empty_label=_("全部课程")
    )
    flagged = django_filters.BooleanFilter(label=_("有敏感词提示"), method="filter_flagged", widget=_yes_no())
    answered = django_filters.BooleanFilter(label=_("已解答"), method="filter_answered", widget=_yes_no())

    class Meta:
        model = Question
        fields = ["status", "item", "flagged", "answered"]

    def __init__(self, *args: Any, request: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, request=request, **kwargs)
        user = getattr(request, "user", None)
        self.filters["item"].queryset = ClassItem.objects.visible_to(user).order_by("-pk")

    def filter_flagged(self, queryset: Any, name: str, value: bool | None) -> Any:
        if value is None:
            return queryset
        return queryset.exclude(flags=[]) if value else queryset.filter(flags=[])

    def filter_answered(self, queryset: Any, name: str, value: bool | None) -> Any:
        if value is None:
            return queryset
        return queryset.exclude(answer="") if value else queryset.filter(answer="")
