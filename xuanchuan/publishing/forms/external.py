"""Forms and filters of the external publishing part: the publishing log's filters, recording a
post made by hand, and a WeChat account's interface credentials (input checks only: the rules are
in ``services/external.py``)."""

from __future__ import annotations

import re

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xuanchuan.publishing.models import OutletKind
from xuanchuan.publishing.models.external import OutletPost, PostStatus

TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9]{3,32}$")
APP_ID_PATTERN = re.compile(r"^wx[0-9a-zA-Z]{6,30}$")
YES_NO = [("", _("全部")), ("true", _("是")), ("false", _("否"))]


class OutletPostFilterSet(django_filters.FilterSet):
    """The publishing log by state, platform kind, and what still needs a person."""

    status = django_filters.ChoiceFilter(label=_("状态"), choices=PostStatus.choices, empty_label=_("全部"))
    kind = django_filters.ChoiceFilter(
        label=_("平台类型"), field_name="outlet__kind", choices=OutletKind.choices, empty_label=_("全部")
    )
    manual = django_filters.BooleanFilter(label=_("人工登记"), widget=forms.Select(choices=YES_NO))
    removal_needed = django_filters.BooleanFilter(label=_("下架后待人工删除"), widget=forms.Select(choices=YES_NO))

    class Meta:
        model = OutletPost
        fields = ["status", "kind", "manual", "removal_needed"]


class ManualRecordForm(forms.Form):
    url = forms.URLField(
        label=_("链接"),
        max_length=500,
        assume_scheme="https",
        help_text=_("在该平台发布后的文章或作品链接"),
        error_messages={"invalid": _("请输入有效的链接，如 https://weibo.com/…")},
    )
    published_on = forms.DateField(
        label=_("发布日期"), widget=forms.DateInput(attrs={"type": "date"}), initial=timezone.localdate
    )


class CredentialForm(forms.Form):
    app_id = forms.CharField(label=_("AppID（开发者ID）"), max_length=40)
    app_secret = forms.CharField(
        label=_("AppSecret（开发者密码）"),
        max_length=64,
        required=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_("加密保存，不再显示；已设置时留空表示不修改。"),
    )
    callback_token = forms.CharField(
        label=_("消息推送令牌 Token"),
        max_length=32,
        required=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_(
            "与公众平台“设置与开发 → 基本配置 → 服务器配置”中填写的令牌相同（3–32 位字母或数字）；留空表示不修改。"
        ),
    )
    thumb_media_id = forms.CharField(
        label=_("默认封面素材 media_id"),
        max_length=100,
        help_text=_("公众号永久图片素材的 media_id，作为图文消息的封面。"),
    )
    enabled = forms.BooleanField(label=_("启用自动发布"), required=False, initial=True)

    def clean_app_id(self) -> str:
        value = self.cleaned_data["app_id"].strip()
        if not APP_ID_PATTERN.match(value):
            raise forms.ValidationError(_("AppID 以 wx 开头，由字母和数字组成。"))
        return value

    def clean_app_secret(self) -> str:
        value = self.cleaned_data["app_secret"].strip()
        if value and not re.fullmatch(r"[0-9A-Za-z]{16,64}", value):
            raise forms.ValidationError(_("AppSecret 由 16–64 位字母和数字组成。"))
        return value

    def clean_callback_token(self) -> str:
        value = self.cleaned_data["callback_token"].strip()
        if value and not TOKEN_PATTERN.match(value):
            raise forms.ValidationError(_("令牌须为 3–32 位字母或数字。"))
        return value

    def clean_thumb_media_id(self) -> str:
        value = self.cleaned_data["thumb_media_id"].strip()
        if not re.fullmatch(r"[0-9A-Za-z_\-]{1,100}", value):
            raise forms.ValidationError(_("media_id 由字母、数字、下划线和连字符组成。"))
        return value
