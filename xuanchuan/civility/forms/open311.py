"""The form that issues an Open311 client key (input checks only; the rules are in the service)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class ApiClientForm(forms.Form):
    name = forms.CharField(label=_("客户端名称"), max_length=100, help_text=_("如 市民随手拍小程序、12345 热线系统"))
    contact = forms.CharField(label=_("联系人"), max_length=100, required=False)
