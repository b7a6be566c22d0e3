"""Pages of signing in and out, the password and the second factor.

Django's auth views do the work; the TOTP pages hand every change of state to
``xuanchuan.accounts.otp``.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView

from xuanchuan.accounts import otp
from xuanchuan.accounts.forms import LoginForm, PasswordChangeForm, TokenForm


class LoginView(auth_views.LoginView):
    """The sign-in page. django-axes watches every attempt and answers a locked account
    with ``xuanchuan.accounts.lockout.lockout_response`` instead of this page."""

    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True
    extra_context = {"title": _("登录")}


class LogoutView(auth_views.LogoutView):
    """Signing out, by POST only (Django's rule), back to the sign-in page with a notice."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        messages.info(request, _("您已安全退出登录。"))
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    """Changing one's own password; the rules of ``AUTH_PASSWORD_VALIDATORS`` apply."""

    template_name = "accounts/password_change.html"
    form_class = PasswordChangeForm
    success_url = reverse_lazy("accounts:password_change_done")
    extra_context = {"title": _("修改密码")}


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    """Confirms the change; the session stays signed in (and verified)."""

    template_name = "accounts/password_change_done.html"
    extra_context = {"title": _("密码已修改")}


def url_with_next(url_name: str, next_url: str) -> str:
    url = reverse(url_name)
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


class SecondFactorView(LoginRequiredMixin, auth_views.RedirectURLMixin, FormView):
    """Base of the TOTP pages: a code form for ``self.device``, then on to the safe ``next``.

    Subclasses set ``self.device`` in :meth:`detour`, or return a response that sends the
    person to the page that fits their state.
    """

    form_class = TokenForm
    next_page = settings.LOGIN_REDIRECT_URL
    device: Any = None

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            response = self.detour()
            if response is not None:
                return response
        return super().dispatch(request, *args, **kwargs)

    def detour(self) -> HttpResponse | None:
        """Where to send a signed-in person whose state does not fit this page (none by default)."""
        return None

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "device": self.device}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update({"redirect_field_name": self.redirect_field_name, "next": self.get_redirect_url()})
        return context


class OTPVerifyView(SecondFactorView):
    """Asks a person with an enrolled device for the current code."""

    template_name = "accounts/otp_verify.html"
    extra_context = {"title": _("动态口令验证")}

    def detour(self) -> HttpResponse | None:
        if self.request.user.is_verified():
            return HttpResponseRedirect(self.get_success_url())
        self.device = otp.confirmed_device(self.request.user)
        if self.device is None:
            return redirect(url_with_next("accounts:otp_setup", self.get_redirect_url()))
        return None

    def form_valid(self, form: TokenForm) -> HttpResponse:
        otp.mark_verified(self.request, form.device)
        return HttpResponseRedirect(self.get_success_url())


class OTPSetupView(SecondFactorView):
    """Enrolment: a QR code and the secret of a new device, confirmed by its first code.

    Someone who already has a device must pass it first; otherwise a stolen password alone
    could swap the device for the thief's own.
    """

    template_name = "accounts/otp_setup.html"
    extra_context = {"title": _("动态口令")}

    def detour(self) -> HttpResponse | None:
        user = self.request.user
        self.replacing = otp.has_confirmed_device(user)
        if self.replacing and not user.is_verified():
            return redirect(url_with_next("accounts:otp_verify", self.get_redirect_url()))
        self.device = otp.pending_device(user)
        return None

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            {
                "replacing": self.replacing,
                "required": self.request.user.needs_second_factor,
                "qr_code": otp.qr_code_data_uri(self.device),
                "secret": otp.secret_base32(self.device),
                "issuer": otp.issuer(),
            }
        )
        return context

    def form_valid(self, form: TokenForm) -> HttpResponse:
        otp.confirm_enrolment(self.request, form.device)
        messages.success(self.request, _("动态口令已启用，今后登录时需输入验证器中的动态口令。"))
        return HttpResponseRedirect(self.get_success_url())
