"""Forms of the daily-report pages: the report itself (one field per indicator), the reasons
for reopening and approval, and the pickers of form, day, span and unit."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from xuanchuan.core.views import style_form
from xuanchuan.org.models import Unit, User
from xuanchuan.outbreak.models import Indicator, ReportForm
from xuanchuan.outbreak.queries import MAX_RANGE_DAYS, forms_for
from xuanchuan.outbreak.services import MAX_REASON_LENGTH, MAX_VALUE
from xuanchuan.reports.registry import MAX_YEAR, MIN_YEAR

FIELD_PREFIX = "indicator_"
# Days a page may ask for: the years the platform reports on (date arithmetic stays in range).
FIRST_DAY = date(MIN_YEAR, 1, 1)
LAST_DAY = date(MAX_YEAR, 12, 31)
DAY_OUT_OF_RANGE = _("日期须在 %(first)s 至 %(last)s 之间") % {"first": FIRST_DAY, "last": LAST_DAY}
DAY_VALIDATORS = [MinValueValidator(FIRST_DAY, DAY_OUT_OF_RANGE), MaxValueValidator(LAST_DAY, DAY_OUT_OF_RANGE)]


def within_years(day: date) -> bool:
    """Whether ``day`` is one a page or the API may ask for."""
    return FIRST_DAY <= day <= LAST_DAY


class ReportEntryForm(forms.Form):
    """One whole-number field per indicator, and the reason when filed values change."""

    reason = forms.CharField(
        label=_("更正原因"),
        max_length=MAX_REASON_LENGTH,
        required=False,
        help_text=_("修改已上报的数值时必填，原值保留在更正记录中"),
    )

    def __init__(self, *args: Any, indicators: list[Indicator], correcting: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.indicators = indicators
        self.correcting = correcting
        for indicator in indicators:
            self.fields[f"{FIELD_PREFIX}{indicator.pk}"] = forms.IntegerField(
                label=f"{indicator.name}（{indicator.measure_unit}）",
                min_value=0,
                max_value=MAX_VALUE,
                error_messages={
                    "required": _("请填写此项"),
                    "invalid": _("请输入整数"),
                    "min_value": _("不能为负数"),
                },
            )
        self.order_fields([*(f"{FIELD_PREFIX}{i.pk}" for i in indicators), "reason"])
        if not correcting:
            del self.fields["reason"]
        style_form(self, size="md")

    def values(self) -> dict[int, int]:
        return {indicator.pk: self.cleaned_data[f"{FIELD_PREFIX}{indicator.pk}"] for indicator in self.indicators}


class ReasonForm(forms.Form):
    """A supervisor's reason for reopening a locked unit-day."""

    reason = forms.CharField(
        label=_("重新开放原因"), max_length=MAX_REASON_LENGTH, error_messages={"required": _("请填写原因")}
    )


class ApprovalForm(forms.Form):
    """The district's approval of a day."""

    day = forms.DateField(
        label=_("日期"),
        validators=DAY_VALIDATORS,
        error_messages={"required": _("请选择日期"), "invalid": _("日期格式不正确")},
    )
    note = forms.CharField(label=_("审核意见"), max_length=MAX_REASON_LENGTH, required=False)


class PickerForm(forms.Form):
    """Which report form, which day or span, and which unit a page shows."""

    form = forms.ModelChoiceField(label=_("日报表"), queryset=None, required=False, empty_label=None)
    start = forms.DateField(
        label=_("开始日期"),
        required=False,
        validators=DAY_VALIDATORS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    end = forms.DateField(
        label=_("结束日期"),
        required=False,
        validators=DAY_VALIDATORS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    unit = forms.ModelChoiceField(label=_("单位（含下级）"), queryset=None, required=False, empty_label=_("全部"))

    def __init__(self, *args: Any, user: User, today: date, span: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["form"].queryset = forms_for(user)
        self.fields["unit"].queryset = Unit.objects.visible_to(user)
        self.fields["unit"].label_from_instance = lambda unit: "\u3000" * (unit.depth - 1) + unit.name
        if not span:
            del self.fields["start"]
            self.fields["end"].label = _("日期")
        style_form(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.errors:
            return data  # a day out of range: nothing to compute from
        end = data.get("end") or self.today
        start = data.get("start") or end - timedelta(days=13)
        if start > end:
            raise forms.ValidationError(_("开始日期不能晚于结束日期"))
        if (end - start).days >= MAX_RANGE_DAYS:
            raise forms.ValidationError(_("一次最多查看 %(days)s 天") % {"days": MAX_RANGE_DAYS})
        data["start"], data["end"] = start, end
        return data


class ReportFormDefinitionForm(forms.ModelForm):
    """The district's definition of a daily report: times, span and the units that must file."""

    class Meta:
        model = ReportForm
        fields = (
            "name",
            "deadline",
            "lock_time",
            "reminder_minutes",
            "starts_on",
            "ends_on",
            "is_active",
            "required_units",
        )
        widgets = {
            "deadline": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "lock_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "required_units": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = self.fields["required_units"]
        units.queryset = Unit.objects.visible_to(user).exclude(depth=1)
        units.label_from_instance = lambda unit: "\u3000" * (unit.depth - 2) + unit.name
        units.error_messages["required"] = _("请至少选择一个应报单位")
        units.required = True
        style_form(self, size="md")
        units.widget.attrs["class"] = "form-check-input"
        self.fields["is_active"].widget.attrs["class"] = "form-check-input"

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        deadline, lock_time = data.get("deadline"), data.get("lock_time")
        if deadline and lock_time and lock_time <= deadline:
            self.add_error("lock_time", _("锁定时间必须晚于截止时间"))
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("停用日期不能早于启用日期"))
        return data


def figure_choices(current: str = "") -> list[tuple[str, str]]:
    """Registered figures a value can be pre-filled from, plus the key already chosen."""
    from xuanchuan.reports.registry import all_figures

    choices = [("", _("不预填"))] + [(item.key, f"{item.label}（{item.key}）") for item in all_figures()]
    if current and current not in dict(choices):
        choices.append((current, _("%(key)s（尚未登记）") % {"key": current}))
    return choices


class IndicatorForm(forms.ModelForm):
    """One indicator row of the definition."""

    class Meta:
        model = Indicator
        fields = ("position", "name", "measure_unit", "figure_key")
        widgets = {"position": forms.NumberInput(attrs={"style": "width:5em"})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["figure_key"] = forms.ChoiceField(
            label=_("自动预填指标"), choices=figure_choices(self.initial.get("figure_key", "")), required=False
        )
        style_form(self)


IndicatorFormSet = forms.inlineformset_factory(
    ReportForm, Indicator, form=IndicatorForm, extra=2, can_delete=True, min_num=1, validate_min=True
)
