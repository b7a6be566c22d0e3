"""Forms of signing in and of the second factor."""

from __future__ import annotations

import math
from typing import Any

from axes.helpers import get_failure_limit
from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_otp.models import VerifyNotAllowed
from django_otp.plugins.otp_totp.models import TOTPDevice

from xuanchuan.accounts import otp
from xuanchuan.accounts.lockout import account_failures


class LoginForm(auth_forms.AuthenticationForm):
    """Django's login form in Chinese, telling how many attempts are left before the lockout."""

    error_messages = {
        "invalid_login": _("用户名或密码不正确。"),
        "inactive": _("该账号已停用，请联系系统管理员。"),
    }

    def __init__(self, request: Any = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("用户名")
        self.fields["username"].widget.attrs.update({"class": "form-control", "autocomplete": "username"})
        self.fields["password"].label = _("密码")
        self.fields["password"].widget.attrs.update({"class": "form-control", "autocomplete": "current-password"})

    def get_invalid_login_error(self) -> ValidationError:
        message = str(self.error_messages["invalid_login"])
        remaining = self.attempts_left()
        if remaining is not None and remaining > 0:
            message += gettext("再连续输错 %(count)d 次，账号将被临时锁定。") % {"count": remaining}
        return ValidationError(message, code="invalid_login")

    def attempts_left(self) -> int | None:
        """Failures still allowed before a lock (``None`` if unknown): the fewer of those left at
        this address and those left to the account from all addresses."""
        failures = getattr(self.request, "axes_failures_since_start", None)
        if failures is None:
            return None
        credentials = {"username": self.cleaned_data.get("username")}
        here = get_failure_limit(self.request, credentials) - failures
        anywhere = settings.ACCOUNTS_USERNAME_FAILURE_LIMIT - account_failures(self.request, credentials)
        return min(here, anywhere)


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    """Django's password change form, styled for Bootstrap."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-control"


class TokenForm(forms.Form):
    """One TOTP code, checked against ``device``: wrong, replayed and too-hasty codes each get
    their own message. The device row is locked while checking, so one code cannot pass twice
    in two simultaneous requests."""

    token = forms.CharField(
        label=_("动态口令"),
        max_length=16,
        widget=forms.TextInput(
            attrs={
                "class": "form-control form-control-lg text-center font-monospace",
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "pattern": "[0-9 ]*",
                "autofocus": True,
            }
        ),
    )

    def __init__(self, *args: Any, device: TOTPDevice, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.device = device
        self.fields["token"].help_text = _("请输入验证器应用中显示的 %(digits)d 位数字。") % {"digits": device.digits}

    def clean_token(self) -> str:
        token = self.cleaned_data["token"].replace(" ", "")
        if not token.isdigit() or len(token) != self.device.digits:
            raise ValidationError(
                _("动态口令应为 %(digits)d 位数字。"), code="format", params={"digits": self.device.digits}
            )
        # The verdict is raised only after the transaction: raising inside it would roll back
        # the failure count that django-otp's throttling relies on.
        with transaction.atomic():
            device = TOTPDevice.objects.select_for_update().get(pk=self.device.pk)
            error = self.check_token(device, token)
        self.device = device
        if error is not None:
            raise error
        return token

    @staticmethod
    def check_token(device: TOTPDevice, token: str) -> ValidationError | None:
        allowed, details = device.verify_is_allowed()
        if not allowed and details and details.get("reason") == VerifyNotAllowed.N_FAILED_ATTEMPTS:
            wait = math.ceil((details["locked_until"] - timezone.now()).total_seconds())
            return ValidationError(
                _("尝试过于频繁，请 %(seconds)d 秒后再输入。"),
                code="throttled",
                params={"seconds": max(wait, 1)},
            )
        if device.verify_token(token):
            return None
        if otp.was_used_before(device, int(token)):
            return ValidationError(_("该动态口令已经使用过，请等待验证器显示新的口令后再输入。"), code="reused")
        return ValidationError(_("动态口令不正确，请核对手机时间是否准确后重试。"), code="invalid")
