from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Signing in, lockout (django-axes) and the TOTP second factor (django-otp)."""

    name = "xuanchuan.accounts"
    label = "accounts"
    verbose_name = _("账号与登录")
