"""Guards for the public pages residents use without an account.

- ``rate_limit(group, rate)``: a per-client limit (django-ratelimit, counted in the cache — Redis
  in production, so every web process shares the count). Over the limit, the client gets a
  Chinese 429 page (or JSON for API calls) saying when to try again.
- ``HumanCheckFormMixin``: two checks that stop the common form robots without any outside
  service: a honeypot field hidden from people, and a signed time stamp the form was served with
  (a form sent back within ``min_seconds``, or older than ``max_age``, is refused).

Usage::

    @rate_limit("arrivals-register", "30/m")
    def register(request): ...

    class ArrivalForm(HumanCheckFormMixin, forms.ModelForm): ...
    # template: {% include "core/public/human_check.html" %} inside the <form>
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.core import signing
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django_ratelimit.core import is_ratelimited

from xuanchuan.core.http import client_ip

_SALT = "xuanchuan.core.public.human-check"


def _client_key(group: str, request: HttpRequest) -> str:
    return client_ip(request) or "unknown"


def rate_limit(group: str, rate: str, *, methods: tuple[str, ...] = ("POST",)) -> Callable:
    """Limit ``methods`` of a view to ``rate`` (``"30/m"``, ``"500/h"``) per client address."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            limited = is_ratelimited(
                request, group=group, key=_client_key, rate=rate, method=list(methods), increment=True
            )
            if limited:
                return too_many_requests(request, rate)
            return view(request, *args, **kwargs)

        return guarded

    return decorate


def too_many_requests(request: HttpRequest, rate: str) -> HttpResponse:
    period = {"s": _("秒"), "m": _("分钟"), "h": _("小时"), "d": _("天")}.get(rate[-1], _("分钟"))
    message = _("提交过于频繁，请%(period)s后再试。") % {"period": f"1{period}"}
    if request.path.startswith("/api/") or "application/json" in request.headers.get("Accept", ""):
        return JsonResponse({"detail": str(message)}, status=429)
    return render(request, "core/public/rate_limited.html", {"message": message}, status=429)


class HumanCheckFormMixin(forms.Form):
    """A honeypot and a signed "form served at" time; both invisible to people."""

    min_seconds = 2
    max_age = 2 * 60 * 60

    hp_website = forms.CharField(
        label=_("网站（请勿填写）"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    hp_started = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:  # a submitted form is shown again with the time stamp it was sent with
            self.fields["hp_started"].initial = signing.dumps(time.time(), salt=_SALT)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("hp_website"):
            raise forms.ValidationError(_("提交未通过自动校验，请刷新页面后重新填写。"), code="honeypot")
        try:
            started = float(signing.loads(cleaned.get("hp_started") or "", salt=_SALT, max_age=self.max_age))
        except (signing.BadSignature, TypeError, ValueError):
            raise forms.ValidationError(_("页面已过期，请刷新页面后重新填写。"), code="expired") from None
        if time.time() - started > self.max_age:
            raise forms.ValidationError(_("页面已过期，请刷新页面后重新填写。"), code="expired")
        if time.time() - started < self.min_seconds:
            raise forms.ValidationError(_("提交过快，请确认填写内容后再提交。"), code="too_fast")
        return cleaned
