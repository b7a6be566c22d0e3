"""Forms of the publications and the review: input checks only (the rules are in the services)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xuanchuan.core.views import style_form
from xuanchuan.publishing.models import Publication, PublicationStatus, ReviewStep, Urgency
from xuanchuan.publishing.services.publications import allowed_columns, allowed_outlets

MAX_BODY_CHARS = 200_000


class PublicationForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=120)
    summary = forms.CharField(label=_("摘要"), max_length=300, required=False)
    body = forms.CharField(
        label=_("正文"),
        max_length=MAX_BODY_CHARS,
        required=False,
        widget=forms.Textarea(attrs={"rows": 12, "data-editor": "quill"}),
    )
    author_name = forms.CharField(label=_("作者"), max_length=60, required=False)
    source = forms.CharField(label=_("来源"), max_length=100, required=False)
    outlets = forms.ModelMultipleChoiceField(
        label=_("发布平台"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    columns = forms.ModelMultipleChoiceField(
        label=_("栏目"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    urgency = forms.ChoiceField(label=_("紧急程度"), choices=Urgency.choices, initial=Urgency.NORMAL)
    planned_at = forms.DateTimeField(
        label=_("计划发布时间"),
        required=False,
        help_text=_("留空则终审通过后立即发布"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
    )
    note = forms.CharField(label=_("修改说明"), max_length=200, required=False)

    def __init__(self, *args: Any, user: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not editing:
            del self.fields["note"]
        self.fields["outlets"].queryset = allowed_outlets(user).order_by("-is_news_site", "name")
        self.fields["columns"].queryset = allowed_columns(user).order_by("outlet__name", "position", "name")
        self.fields["columns"].label_from_instance = lambda column: f"{column.outlet.name} · {column.name}"
        style_form(self)
        for name in ("outlets", "columns"):
            self.fields[name].widget.attrs["class"] = "form-check-input"

    def clean_planned_at(self):
        value = self.cleaned_data.get("planned_at")
        if value is not None:
            now = timezone.now()
            if value < now - timedelta(days=1) or value > now + timedelta(days=366):
                raise forms.ValidationError(_("计划发布时间须在今天至一年以内。"))
        return value

    @classmethod
    def initial_for(cls, publication: Publication) -> dict[str, Any]:
        return {
            "title": publication.title,
            "summary": publication.summary,
            "body": publication.body,
            "author_name": publication.author_name,
            "source": publication.source,
            "outlets": list(publication.outlets.all()),
            "columns": list(publication.columns.all()),
            "urgency": publication.urgency,
            "planned_at": timezone.localtime(publication.planned_at) if publication.planned_at else None,
        }


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("图片或附件"))


class ApproveForm(forms.Form):
    comment = forms.CharField(
        label=_("审核意见"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    override_reason = forms.CharField(
        label=_("放行理由（有高风险校对问题时必填）"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self)


class PublicationFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("状态"), choices=PublicationStatus.choices)
    current_step = django_filters.ChoiceFilter(label=_("审核环节"), choices=ReviewStep.choices)
    urgency = django_filters.ChoiceFilter(label=_("紧急程度"), choices=Urgency.choices)

    class Meta:
        model = Publication
        fields = ["status", "current_step", "urgency"]
