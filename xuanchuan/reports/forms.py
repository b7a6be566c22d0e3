"""Forms of the report pages: template editing, import, generation."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from xuanchuan.core.views import style_form
from xuanchuan.org.models import Unit
from xuanchuan.org.scoping import user_sees_all_units
from xuanchuan.reports import templating
from xuanchuan.reports.models import ReportTemplate
from xuanchuan.reports.registry import Period, PeriodError
from xuanchuan.reports.services import IMPORT_SUFFIXES, known_figures, variable_names

DEFAULT_CHOICE = "default"


def parse_variables(text: str) -> dict[str, str]:
    values: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        name, separator, value = line.partition("=")
        name = name.strip()
        if not separator or not name.isidentifier():
            raise forms.ValidationError(
                _("第 %(n)s 行应写成“变量名=内容”，变量名用英文字母、数字和下划线"), params={"n": number}
            )
        values[name] = value.strip()
    return values


class TemplateForm(forms.ModelForm):
    """Name, text and variables of a template; the text is checked reference by reference."""

    variables_text = forms.CharField(
        label=_("模板变量"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("每行一个：变量名=内容，例如 addressee=各位领导、同志们；正文里写 {{ var.addressee }}"),
    )

    class Meta:
        model = ReportTemplate
        fields = ["name", "description", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 22, "class": "font-monospace", "spellcheck": "false"})}
        help_texts = {
            "body": _(
                "每行一段。“# ”开头为标题，“## ”一级标题，“### ”二级标题，“> ”顶格段落；"
                "{{ 指标代码 }} 引用指标，可加 about（约数）、wan（万）、change（同比）、previous（上年）。"
            )
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance and self.instance.pk and not self.is_bound:
            self.fields["variables_text"].initial = "\n".join(
                f"{name}={value}" for name, value in (self.instance.variables or {}).items()
            )
        style_form(self)

    def clean_variables_text(self) -> dict[str, str]:
        return parse_variables(self.cleaned_data.get("variables_text", ""))

    def clean_body(self) -> str:
        body = self.cleaned_data["body"].replace("\r\n", "\n")
        found = templating.problems(body, known_figures())
        if found:
            raise forms.ValidationError([f"第 {number} 行：{message}" for number, message in found[:20]])
        return body

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        body, variables = cleaned.get("body"), cleaned.get("variables_text")
        if body is not None and variables is not None:
            for name in variable_names(body):
                variables.setdefault(name, "")
        return cleaned

    def save(self, commit: bool = True) -> ReportTemplate:
        self.instance.variables = self.cleaned_data["variables_text"]
        return super().save(commit)


class ImportForm(forms.Form):
    document = forms.FileField(
        label=_("文档"),
        help_text=_("数字已涂成 ×、XX、** 等的 .txt 或 .docx 文件，不超过 5 MB"),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(IMPORT_SUFFIXES)}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self)


class GenerateForm(forms.Form):
    """Which template, for which period and which unit."""

    template = forms.ChoiceField(label=_("模板"))
    period = forms.CharField(
        label=_("期间"), max_length=30, help_text=_("年度 2025，月份 2025-05，或 2025-01-01..2025-06-30")
    )
    unit = forms.ChoiceField(label=_("单位"), required=False)

    def __init__(self, *args: Any, user: Any, templates: Any, units: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["template"].choices = [(DEFAULT_CHOICE, _("系统默认模板"))] + [
            (str(item.pk), item.name) for item in templates
        ]
        self._templates = {str(item.pk): item for item in templates}
        district = [("", _("全区"))] if user_sees_all_units(user) else []
        self.fields["unit"].choices = district + [(str(pk), label) for pk, label in units]
        self._units = {str(pk) for pk, _label in units}
        style_form(self)

    def clean_period(self) -> Period:
        try:
            return Period.parse(self.cleaned_data["period"])
        except PeriodError as exc:
            raise forms.ValidationError(str(exc)) from exc

    def clean_template(self) -> ReportTemplate | None:
        value = self.cleaned_data["template"]
        return None if value == DEFAULT_CHOICE else self._templates[value]

    def clean_unit(self) -> Unit | None:
        value = self.cleaned_data.get("unit") or ""
        if not value:
            if not user_sees_all_units(self.user):
                raise forms.ValidationError(_("请选择单位"))
            return None
        if value not in self._units:
            raise forms.ValidationError(_("不能为这个单位生成报告"))
        return Unit.objects.visible_to(self.user).get(pk=int(value))
