"""Forms of the staff pages: the entry grid, check-ins, risk areas and merging."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xuanchuan.arrivals.divisions import divisions
from xuanchuan.arrivals.forms.fields import CommunityChoiceField, check_document_and_trip, clean_arrival_date
from xuanchuan.arrivals.models import DocumentType, HealthStatus, RiskArea, RiskLevel, Transport
from xuanchuan.core.pii import MobileField
from xuanchuan.org.models import Unit

GRID_ROWS = 10


def clean_division_code(code: str, *, label: str) -> str:
    code = (code or "").strip()
    if not code:
        return ""
    if divisions().get(code) is None:
        raise ValidationError(_("%(label)s“%(code)s”不是有效的6位行政区划代码") % {"label": label, "code": code})
    return code


class GridRowForm(forms.Form):
    """One row of the entry grid: the essentials of one arrival, entered by staff."""

    name = forms.CharField(label=_("姓名"), max_length=50)
    document_type = forms.ChoiceField(
        label=_("证件类型"), choices=DocumentType.choices, initial=DocumentType.RESIDENT_ID
    )
    id_number = forms.CharField(label=_("证件号码"), max_length=30)
    phone = MobileField(label=_("手机号码"))
    origin_code = forms.CharField(label=_("出发地代码"), max_length=6, help_text=_("6位行政区划代码"))
    via_codes = forms.CharField(label=_("途经地代码"), max_length=200, required=False, help_text=_("多个用逗号分隔"))
    transport = forms.ChoiceField(label=_("交通方式"), choices=[("", "—")] + Transport.choices)
    trip_number = forms.CharField(label=_("车次/航班"), max_length=30, required=False)
    arrival_date = forms.DateField(
        label=_("到达日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    community = CommunityChoiceField(label=_("目的地社区"), queryset=Unit.objects.none())
    address = forms.CharField(label=_("居住地址"), max_length=200)
    health_status = forms.ChoiceField(label=_("健康状况"), choices=HealthStatus.choices, initial=HealthStatus.HEALTHY)

    def __init__(self, *args: Any, communities: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities if communities is not None else Unit.objects.none()
        for field in self.fields.values():
            field.error_messages.setdefault("required", _("必填"))
            field.error_messages["required"] = _("必填")

    def clean_origin_code(self) -> str:
        return clean_division_code(self.cleaned_data.get("origin_code", ""), label=str(_("出发地")))

    def clean_via_codes(self) -> str:
        codes = [code.strip() for code in self.cleaned_data.get("via_codes", "").replace("，", ",").split(",")]
        return ",".join(clean_division_code(code, label=str(_("途经地"))) for code in codes if code)

    def clean_arrival_date(self) -> Any:
        return clean_arrival_date(self.cleaned_data.get("arrival_date"))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        check_document_and_trip(self, cleaned)
        return cleaned


class BaseGridFormSet(forms.BaseFormSet):
    """Empty rows are skipped; the same person twice in one grid is pointed out."""

    def __init__(self, *args: Any, communities: Any = None, **kwargs: Any) -> None:
        self.communities = communities
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        return {"communities": self.communities}

    def clean(self) -> None:
        seen: dict[tuple[str, Any], int] = {}
        for number, form in enumerate(self.forms, 1):
            if not form.has_changed() or not hasattr(form, "cleaned_data"):
                continue
            key = (form.cleaned_data.get("id_number"), form.cleaned_data.get("arrival_date"))
            if key in seen and all(key):
                form.add_error("id_number", _("与第%(row)s行是同一人同一到达日期") % {"row": seen[key]})
            seen.setdefault(key, number)


GridFormSet = forms.formset_factory(GridRowForm, formset=BaseGridFormSet, extra=GRID_ROWS, max_num=200)


class CheckInForm(forms.Form):
    """One day's check-in, recorded by community staff."""

    day = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    temperature = forms.DecimalField(
        label=_("体温（℃）"), min_value=34, max_value=43, decimal_places=1,
        error_messages={
            "required": _("请填写体温"),
            "min_value": _("体温应在34至43℃之间"),
            "max_value": _("体温应在34至43℃之间"),
            "invalid": _("请填写数字，如36.5"),
        },
    )  # fmt: skip
    symptoms = forms.CharField(label=_("症状"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["day"].initial = timezone.localdate()


class RiskAreaForm(forms.ModelForm):
    """Declare or change a risk area by its division code."""

    class Meta:
        model = RiskArea
        fields = ["division_code", "level", "starts_on", "ends_on", "note"]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {
            "division_code": _("省、市或区县的6位代码，如 420100（武汉市）"),
            "starts_on": _("风险开始的日期，可早于今天：此后到过该地区的已登记人员会被追溯判定"),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = [(value, label) for value, label in RiskLevel.choices if value != RiskLevel.NONE]

    def clean_division_code(self) -> str:
        code = clean_division_code(self.cleaned_data.get("division_code", ""), label=str(_("地区")))
        if not code:
            raise ValidationError(_("请填写行政区划代码"))
        return code

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("结束日期不能早于开始日期"))
        return cleaned


class MergeForm(forms.Form):
    """Name the record a duplicate is folded into, by its number."""

    keep = forms.IntegerField(
        label=_("保留的登记编号"), min_value=1, error_messages={"required": _("请填写要保留的登记编号")}
    )
