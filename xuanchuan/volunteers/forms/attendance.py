"""Forms of the attendance pages: the records' filters, entering and asking for hours by hand,
deciding them, correcting certified minutes, typing the screen's code on a phone, and a volunteer's
report of wrong hours (纠错) with its resolution."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from xuanchuan.org.models import Unit
from xuanchuan.volunteers.checkin_codes import CODE_LENGTH
from xuanchuan.volunteers.models import (
    Activity,
    DisputeStatus,
    HoursDispute,
    RecordSource,
    RecordStatus,
    ServiceRecord,
)
from xuanchuan.volunteers.services.attendance import REASON_MAX

MAX_MINUTES = 24 * 60 * 7


class RecordFilterSet(django_filters.FilterSet):
    """Service records by activity, status, source, unit and date served."""

    activity = django_filters.ModelChoiceFilter(
        label=_("活动"), queryset=Activity.objects.none(), empty_label=_("全部")
    )
    status = django_filters.ChoiceFilter(label=_("状态"), choices=RecordStatus.choices, empty_label=_("全部"))
    source = django_filters.ChoiceFilter(label=_("记录方式"), choices=RecordSource.choices, empty_label=_("全部"))
    unit = django_filters.ModelChoiceFilter(label=_("所属单位"), queryset=Unit.objects.none(), empty_label=_("全部"))
    served_from = django_filters.DateFilter(
        label=_("服务日期自"), field_name="served_on", lookup_expr="gte", widget=forms.DateInput(attrs={"type": "date"})
    )
    served_to = django_filters.DateFilter(
        label=_("至"), field_name="served_on", lookup_expr="lte", widget=forms.DateInput(attrs={"type": "date"})
    )

    class Meta:
        model = ServiceRecord
        fields = ["activity", "status", "source", "unit"]

    def __init__(self, *args: Any, request: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, request=request, **kwargs)
        user = request.user if request else None
        self.filters["activity"].queryset = Activity.objects.visible_to(user).order_by("-starts_at")
        self.filters["unit"].queryset = Unit.objects.visible_to(user).order_by("path")


class HoursEnterForm(forms.Form):
    """Staff enter hours (补录) for a volunteer signed up to the activity."""

    volunteer = forms.ModelChoiceField(label=_("志愿者"), queryset=None)
    minutes = forms.IntegerField(label=_("服务时长（分钟）"), min_value=1, max_value=MAX_MINUTES)
    reason = forms.CharField(label=_("补录原因"), max_length=REASON_MAX, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, volunteers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["volunteer"].queryset = volunteers
        self.fields["volunteer"].label_from_instance = lambda v: f"{v.number} {v.name[:1]}**"


class HoursRequestForm(forms.Form):
    """A volunteer asks for hours of an activity they served at without a complete check-out."""

    minutes = forms.IntegerField(label=_("实际服务时长（分钟）"), min_value=1, max_value=MAX_MINUTES)
    reason = forms.CharField(
        label=_("补录原因"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": _("如：手机没电未能签退")}),
    )


class DecisionForm(forms.Form):
    note = forms.CharField(label=_("审核意见"), max_length=REASON_MAX, required=False)


class RefuseForm(forms.Form):
    note = forms.CharField(label=_("不予通过的理由"), max_length=REASON_MAX)


class CorrectForm(forms.Form):
    new_minutes = forms.IntegerField(label=_("更正后的时长（分钟）"), min_value=0, max_value=MAX_MINUTES)
    reason = forms.CharField(label=_("更正原因"), max_length=REASON_MAX, widget=forms.Textarea(attrs={"rows": 2}))


class CodeForm(forms.Form):
    """The 8-character code shown on the screen, typed on a phone that cannot scan."""

    activity = forms.ModelChoiceField(label=_("活动"), queryset=None, empty_label=None)
    code = forms.CharField(
        label=_("现场屏幕上的签到码"),
        min_length=CODE_LENGTH,
        max_length=CODE_LENGTH + 4,  # room for spaces or a hyphen typed in the middle
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )

    def __init__(self, *args: Any, activities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["activity"].queryset = activities


class DisputeFilterSet(django_filters.FilterSet):
    """Reports of wrong hours by status and unit."""

    status = django_filters.ChoiceFilter(label=_("状态"), choices=DisputeStatus.choices, empty_label=_("全部"))
    unit = django_filters.ModelChoiceFilter(
        label=_("所属单位"), field_name="record__unit", queryset=Unit.objects.none(), empty_label=_("全部")
    )

    class Meta:
        model = HoursDispute
        fields = ["status", "unit"]

    def __init__(self, *args: Any, request: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, request=request, **kwargs)
        user = request.user if request else None
        self.filters["unit"].queryset = Unit.objects.visible_to(user).order_by("path")


class DisputeForm(forms.Form):
    """A volunteer reports that the certified minutes of their record are wrong."""

    text = forms.CharField(
        label=_("哪里有误"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": _("如：我 9:00 到场，签到时手机没信号，10:20 才签上")}),
    )
    minutes_claimed = forms.IntegerField(
        label=_("您认为的服务时长（分钟，可不填）"), min_value=0, max_value=MAX_MINUTES, required=False
    )


class ResolveForm(forms.Form):
    """Staff resolve a report: a corrected value, or none (the record stands), and the answer."""

    new_minutes = forms.IntegerField(
        label=_("更正后的时长（分钟；核实无误则不填）"), min_value=0, max_value=MAX_MINUTES, required=False
    )
    answer = forms.CharField(
        label=_("处理答复（志愿者可见）"), max_length=REASON_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )
