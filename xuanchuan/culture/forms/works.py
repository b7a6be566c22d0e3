"""Forms and list filters of the works part: input checks only, the rules are the services'
(``services.works``)."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xuanchuan.core.forms import MultipleFileInput, datetime_field, year_choices
from xuanchuan.core.pii import MobileField
from xuanchuan.core.public import HumanCheckFormMixin
from xuanchuan.culture.models import CallForWorks, CallStatus, Submission, SubmissionStatus
from xuanchuan.culture.services import works as services
from xuanchuan.org.models import Unit


class CallForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("主办单位"), queryset=Unit.objects.none(), empty_label=_("请选择"))
    title = forms.CharField(label=_("征集名称"), max_length=150)
    art_forms = forms.CharField(label=_("作品门类"), max_length=200, help_text=_("用顿号分隔，如：剪纸、沙画、书画"))
    opens_at = datetime_field(_("开始时间"))
    closes_at = datetime_field(_("截止时间"))
    theme = forms.CharField(
        label=_("征集主题与要求"), max_length=4000, widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("主题、作品要求、评选与展示方式，将显示在居民手机页面上"),
    )  # fmt: skip
    consent_text = forms.CharField(
        label=_("个人信息使用说明"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("投稿人须勾选同意；收到作品后不能再修改"),
    )  # fmt: skip

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.visible_to(user).order_by("path")
        self.fields["unit"].initial = getattr(user, "unit_id", None)
        self.fields["consent_text"].initial = services.DEFAULT_CONSENT

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("截止时间应晚于开始时间。"))
        return data

    def call_input(self) -> services.CallInput:
        data = self.cleaned_data
        return services.CallInput(
            unit=data["unit"],
            title=data["title"],
            theme=data["theme"],
            art_forms=data["art_forms"],
            opens_at=data["opens_at"],
            closes_at=data["closes_at"],
            consent_text=data["consent_text"],
        )

    @staticmethod
    def initial_for(call: CallForWorks) -> dict[str, Any]:
        return {
            "unit": call.unit_id,
            "title": call.title,
            "art_forms": call.art_forms,
            "opens_at": timezone.localtime(call.opens_at),
            "closes_at": timezone.localtime(call.closes_at),
            "theme": call.theme,
            "consent_text": call.consent_text,
        }


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("审核结果"),
        choices=[("accept", _("入选")), ("reject", _("不入选"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择入选或不入选。")},
    )
    note = forms.CharField(
        label=_("审核意见"), max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("不入选时必填"),
    )  # fmt: skip

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("decision") == "reject" and not (data.get("note") or "").strip():
            self.add_error("note", _("不入选时请填写审核意见。"))
        return data


# --- The public submission ----------------------------------------------------------------------


class MultipleImageField(forms.FileField):
    """1 to ``MAX_IMAGES`` images in one field (their content is checked by the service, through
    ``core.photos``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        attrs = {"accept": "image/jpeg,image/png,image/webp", "multiple": True}
        kwargs.setdefault("widget", MultipleFileInput(attrs=attrs))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list:
        files = [item for item in (data if isinstance(data, list | tuple) else [data]) if item]
        if not files:
            raise forms.ValidationError(_("请选择作品图片（1 到 %(n)d 张）。") % {"n": services.MAX_IMAGES})
        if len(files) > services.MAX_IMAGES:
            raise forms.ValidationError(_("最多上传 %(n)d 张作品图片。") % {"n": services.MAX_IMAGES})
        too_large = [item.name for item in files if item.size > services.IMAGE_MAX_MB * 1024 * 1024]
        if too_large:
            raise forms.ValidationError(
                _("图片“%(names)s”超过 %(mb)d MB，请压缩后再上传。")
                % {"names": "、".join(too_large), "mb": services.IMAGE_MAX_MB}
            )
        return [super(MultipleImageField, self).clean(item) for item in files]


class SubmissionForm(HumanCheckFormMixin, forms.Form):
    """A work submitted on a phone: the work, its images, the author (personal data) and consent."""

    title = forms.CharField(label=_("作品名称"), max_length=100)
    art_form = forms.ChoiceField(label=_("作品门类"))
    description = forms.CharField(
        label=_("作品说明"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("创作思路、尺寸、材料等，选填"),
    )  # fmt: skip
    images = MultipleImageField(
        label=_("作品图片"),
        help_text=_("1 到 %(n)d 张，JPEG、PNG 或 WEBP，每张不超过 %(mb)d MB")
        % {"n": services.MAX_IMAGES, "mb": services.IMAGE_MAX_MB},
    )
    public_name = forms.CharField(
        label=_("展示署名"), max_length=30, required=False,
        help_text=_("作品入选后在网上展览中显示的名字，可以用笔名；不填则显示“佚名”"),
    )  # fmt: skip
    author_name = forms.CharField(label=_("作者姓名"), max_length=50, help_text=_("不公开，只用于核对与联系"))
    author_phone = MobileField(label=_("手机号码"), help_text=_("不公开，只用于联系"))
    author_org = forms.CharField(label=_("单位或村（社区）"), max_length=120, required=False)
    consent = forms.BooleanField(label=_("我已阅读并同意以上个人信息使用说明"), required=True)

    def __init__(self, *args: Any, call: CallForWorks, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offered = services.art_form_list(call)
        self.fields["art_form"].choices = [("", _("请选择")), *((name, name) for name in offered)]
        self.fields["consent"].error_messages["required"] = _("请先阅读并同意个人信息使用说明。")
        self.consent_text = call.consent_text

    def submission_input(self) -> services.SubmissionInput:
        data = self.cleaned_data
        return services.SubmissionInput(
            title=data["title"],
            art_form=data["art_form"],
            description=data.get("description", ""),
            images=list(data["images"]),
            public_name=data.get("public_name", ""),
            author_name=data["author_name"],
            author_phone=data["author_phone"],
            author_org=data.get("author_org", ""),
            consent=bool(data["consent"]),
        )


class StatusForm(forms.Form):
    reference = forms.CharField(
        label=_("作品编号"), max_length=10, min_length=10,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
        error_messages={"min_length": _("作品编号为 10 位字母和数字。")},
    )  # fmt: skip

    def clean_reference(self) -> str:
        value = self.cleaned_data["reference"].strip().upper()
        if not value.isalnum():
            raise forms.ValidationError(_("作品编号为 10 位字母和数字。"))
        return value


# --- List filters --------------------------------------------------------------------------------


class _UnitFilterMixin(django_filters.FilterSet):
    unit = django_filters.ModelChoiceFilter(
        label=_("单位"), queryset=Unit.objects.none(), method="filter_unit", empty_label=_("全部")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["unit"].queryset = Unit.objects.visible_to(self.request.user).order_by("path")

    def filter_unit(self, queryset: QuerySet, name: str, value: Unit | None) -> QuerySet:
        return queryset.within(value) if value else queryset


class CallFilterSet(_UnitFilterMixin):
    status = django_filters.ChoiceFilter(label=_("状态"), choices=CallStatus.choices, empty_label=_("全部"))
    year = django_filters.ChoiceFilter(
        label=_("年度"), choices=year_choices, method="filter_year", empty_label=_("全部")
    )

    class Meta:
        model = CallForWorks
        fields = ["status", "year", "unit"]

    def filter_year(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(opens_at__year=int(value)) if str(value).isdigit() else queryset


class SubmissionFilterSet(_UnitFilterMixin):
    status = django_filters.ChoiceFilter(label=_("状态"), choices=SubmissionStatus.choices, empty_label=_("全部"))
    call = django_filters.ModelChoiceFilter(
        label=_("作品征集"), queryset=CallForWorks.objects.none(), empty_label=_("全部")
    )
    year = django_filters.ChoiceFilter(
        label=_("提交年度"), choices=year_choices, method="filter_year", empty_label=_("全部")
    )

    class Meta:
        model = Submission
        fields = ["status", "call", "year", "unit"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["call"].queryset = CallForWorks.objects.visible_to(self.request.user).order_by("-opens_at")

    def filter_year(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(created_at__year=int(value)) if str(value).isdigit() else queryset
