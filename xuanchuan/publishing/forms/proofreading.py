"""Forms of the proofreading part: the text to check, lexicon entries, the import, names and
titles; and the list filters. Input checks only — the rules are in ``services.lexicons``."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from xuanchuan.publishing.models import EntryKind, EntrySource, LexiconEntry, NameTitle, Severity
from xuanchuan.publishing.proofreading import MAX_FILE_BYTES, MAX_TEXT_CHARS

IMPORT_MAX_BYTES = 5 * 1024 * 1024


class ProofreadForm(forms.Form):
    """Paste a text or upload a .txt/.docx (the file wins when both are given)."""

    text = forms.CharField(
        label=_("待校对文字"),
        required=False,
        strip=False,
        max_length=MAX_TEXT_CHARS,
        widget=forms.Textarea(attrs={"rows": 10, "placeholder": _("在此粘贴要校对的文字")}),
    )
    file = forms.FileField(
        label=_("或上传文件（.txt、.docx，不超过 2 MB）"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".txt,.docx"}),
    )

    def clean_text(self) -> str:
        return (self.cleaned_data.get("text") or "").replace("\r\n", "\n").replace("\r", "\n")

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if upload and upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(_("文件不能超过 2 MB。"))
        return upload


class EntryForm(forms.Form):
    kind = forms.ChoiceField(label=_("类别"), choices=EntryKind.choices)
    term = forms.CharField(label=_("词语"), max_length=LexiconEntry._meta.get_field("term").max_length)
    suggestion = forms.CharField(
        label=_("建议改为"), required=False, max_length=LexiconEntry._meta.get_field("suggestion").max_length
    )
    category = forms.CharField(
        label=_("分类"),
        required=False,
        max_length=LexiconEntry._meta.get_field("category").max_length,
        help_text=_("如：时政、民族宗教、港澳台、错别字"),
    )
    severity = forms.ChoiceField(label=_("严重程度"), choices=Severity.choices, initial=Severity.MEDIUM)
    reason = forms.CharField(
        label=_("说明"), required=False, max_length=LexiconEntry._meta.get_field("reason").max_length
    )

    def __init__(self, *args: Any, default_row: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if default_row:
            # A shipped term keeps its word and kind: only how it is flagged changes.
            for name in ("kind", "term"):
                self.fields[name].disabled = True


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Excel 文件（.xlsx）"), widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > IMPORT_MAX_BYTES:
            raise forms.ValidationError(_("文件不能超过 5 MB。"))
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("请上传 .xlsx 格式的 Excel 文件。"))
        return upload


class NameTitleForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=NameTitle._meta.get_field("name").max_length)
    titles = forms.CharField(
        label=_("现任职务"),
        max_length=NameTitle._meta.get_field("titles").max_length,
        help_text=_("多个职务用、或空格分开，如：区委副书记、区长"),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("说明（可不填）"), required=False, max_length=200)


ACTIVE_CHOICES = (("1", _("启用")), ("0", _("已停用")))


class LexiconEntryFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("类别"), choices=EntryKind.choices)
    category = django_filters.CharFilter(label=_("分类"), lookup_expr="icontains", max_length=50)
    severity = django_filters.ChoiceFilter(label=_("严重程度"), choices=Severity.choices)
    source = django_filters.ChoiceFilter(label=_("来源"), choices=EntrySource.choices)
    active = django_filters.ChoiceFilter(label=_("状态"), choices=ACTIVE_CHOICES, method="filter_active")

    class Meta:
        model = LexiconEntry
        fields = ["kind", "category", "severity", "source", "active"]

    def filter_active(self, queryset: Any, name: str, value: str) -> Any:
        return queryset.filter(is_active=value == "1")


class NameTitleFilterSet(django_filters.FilterSet):
    active = django_filters.ChoiceFilter(label=_("状态"), choices=ACTIVE_CHOICES, method="filter_active")

    class Meta:
        model = NameTitle
        fields = ["active"]

    def filter_active(self, queryset: Any, name: str, value: str) -> Any:
        return queryset.filter(is_active=value == "1")


class AllowedFindingFilterSet(django_filters.FilterSet):
    scope = django_filters.ChoiceFilter(label=_("范围"), choices=(("site", _("全站")), ("publication", _("本稿件"))))

    class Meta:
        from xuanchuan.publishing.models import AllowedFinding

        model = AllowedFinding
        fields = ["scope"]


class DefaultTermFilter(forms.Form):
    """Filters of the shipped default terms (kept in files, not in the database)."""

    kind = forms.ChoiceField(label=_("类别"), required=False, choices=[("", "---------"), *EntryKind.choices])
    severity = forms.ChoiceField(label=_("严重程度"), required=False, choices=[("", "---------"), *Severity.choices])
    category = forms.CharField(label=_("分类"), required=False, max_length=50)
    active = forms.ChoiceField(label=_("状态"), required=False, choices=[("", "---------"), *ACTIVE_CHOICES])
