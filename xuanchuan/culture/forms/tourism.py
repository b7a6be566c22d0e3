"""Forms of the tourism part: they check the input only; the rules (dates, scope, duplicates) are
the services' (``services.tourism``)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from xuanchuan.culture.models import Holiday, TourismStat
from xuanchuan.culture.queries import tourism as queries
from xuanchuan.culture.services.tourism import IMPORT_MAX_BYTES, MAX_VISITORS, StatInput
from xuanchuan.org.models import Unit

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class HolidayPeriodForm(forms.Form):
    starts_on = forms.DateField(label=_("放假开始"), widget=DATE)
    ends_on = forms.DateField(
        label=_("放假结束"),
        widget=DATE,
        help_text=_(
            "按国务院办公厅公布的放假安排填写，含调休连休的日期，最长 15 天。"
            "中秋节与国庆节连休时（如 2025 年 10月1日至8日），两个假日都填这段日期（允许重叠），"
            "这段假期的旅游数据只填在国庆节下，以免重复计算。"
        ),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("放假结束日期不能早于开始日期。"))
        return data


def year_choices() -> list[tuple[str, str]]:
    return [(str(year), f"{year}年") for year in queries.holiday_years()]


class StatForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("单位"), queryset=Unit.objects.none())
    holiday = forms.ChoiceField(label=_("假日"), choices=Holiday.choices)
    year = forms.TypedChoiceField(label=_("年度"), coerce=int, choices=year_choices)
    visitors = forms.IntegerField(
        label=_("旅游人数（人次）"), min_value=0, max_value=MAX_VISITORS, help_text=_("整个假期的接待人次。")
    )
    revenue = forms.DecimalField(
        label=_("旅游综合收入（万元）"),
        min_value=Decimal(0),
        max_digits=14,
        decimal_places=2,
        help_text=_("单位为万元，最多两位小数。"),
    )
    note = forms.CharField(label=_("说明"), max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = Unit.objects.visible_to(user).filter(dissolved_on__isnull=True).order_by("path")
        self.fields["unit"].queryset = units
        if getattr(user, "unit_id", None) and not self.is_bound and "unit" not in self.initial:
            self.initial["unit"] = user.unit_id

    @staticmethod
    def initial_for(stat: TourismStat) -> dict[str, Any]:
        return {
            "unit": stat.unit_id,
            "holiday": stat.holiday,
            "year": stat.year,
            "visitors": stat.visitors,
            "revenue": stat.revenue,
            "note": stat.note,
        }

    def stat_input(self) -> StatInput:
        data = self.cleaned_data
        return StatInput(
            unit=data["unit"],
            holiday=data["holiday"],
            year=data["year"],
            visitors=data["visitors"],
            revenue=data["revenue"],
            note=data["note"],
        )


class TableFilterForm(forms.Form):
    """The filters of the year-on-year table and the records under it."""

    holiday = forms.ChoiceField(label=_("假日"), required=False, choices=[("", _("全部"))] + list(Holiday.choices))
    year_from = forms.TypedChoiceField(label=_("起始年度"), required=False, coerce=int, empty_value=None)
    year_to = forms.TypedChoiceField(label=_("截止年度"), required=False, coerce=int, empty_value=None)
    unit = forms.ModelChoiceField(
        label=_("单位（含下级）"), required=False, queryset=Unit.objects.none(), empty_label=_("全部")
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        years = [("", _("不限"))] + year_choices()
        self.fields["year_from"].choices = years
        self.fields["year_to"].choices = years
        self.fields["unit"].queryset = Unit.objects.visible_to(user).order_by("path")


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Excel 文件（.xlsx）"),
        help_text=_("请使用下载的模板填写；不超过 2 MB。上传后先预览，确认后才保存。"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise ValidationError(_("只能上传 .xlsx 格式的文件（Excel 2007 及以后版本）。"))
        if upload.size > IMPORT_MAX_BYTES:
            raise ValidationError(_("文件超过 2 MB，请拆分后再上传。"))
        return upload


class ConfirmImportForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput, max_length=64)
    skip_errors = forms.BooleanField(
        label=_("跳过错误行，只导入其余行"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
