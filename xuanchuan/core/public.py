"""Guards for the public pages residents use without an account.

- ``rate_limit(group, rate)``: a per-client limit (django-ratelimit, counted in the cache — Redis
  in production, so every web process shares the count). Over the limit, the client gets a
  Chinese 429 page (or JSON for API calls) saying when to try again.
- ``HumanCheckFormMixin``: checks that stop the common form robots without any outside
  service: a honeypot field hidden from people, and a signed time stamp the form was served with
  (a form sent back within ``min_seconds``, or older than ``max_age``, is refused). The stamp is
  single-use: once a form has been accepted with it, it is kept in the cache until it would have
  expired, and a second submission with it is refused (so a robot cannot fetch one stamp and
  replay it; production shares the cache between processes through Redis). A form shown again
  after being accepted — a service refused the submission — carries a fresh stamp.

Usage::

    @rate_limit("arrivals-register", "30/m")
    def register(request): ...

    class ArrivalForm(HumanCheckFormMixin, forms.ModelForm): ...
    # template: {% include "core/public/human_check.html" %} inside the <form>
"""

from __future__ import annotations

import copy
import hashlib
import secrets
import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.core import signing
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django_ratelimit.core import is_ratelimited

from xuanchuan.core.http import client_ip

_SALT = "xuanchuan.core.public.human-check"
_USED_PREFIX = "xuanchuan:human-check:used:"


def human_check_token(started: float | None = None) -> str:
    """A signed "form served at ``started``" stamp (now by default), unique by its random nonce."""
    return signing.dumps([time.time() if started is None else started, secrets.token_urlsafe(9)], salt=_SALT)


def _started_at(token: str, max_age: int) -> float:
    """The time a stamp was made (``BadSignature``/``TypeError``/``ValueError`` when it is not one)."""
    value = signing.loads(token, salt=_SALT, max_age=max_age)
    return float(value[0] if isinstance(value, list) else value)


def use_token_once(token: str, lifetime: int) -> bool:
    """Mark ``token`` as used; ``False`` if it already was (atomic: ``cache.add``)."""
    key = _USED_PREFIX + hashlib.sha256(token.encode()).hexdigest()
    return cache.add(key, 1, timeout=lifetime + 60)


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
    """A honeypot and a signed, single-use "form served at" time; both invisible to people."""

    min_seconds = 2
    max_age = 2 * 60 * 60
    # Tests that post one prepared submission several times may switch this off for their form.
    single_use = True

    hp_website = forms.CharField(
        label=_("网站（请勿填写）"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    hp_started = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:  # a submitted form is shown again with the time stamp it was sent with
            self.fields["hp_started"].initial = human_check_token()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("hp_website"):
            raise forms.ValidationError(_("提交未通过自动校验，请刷新页面后重新填写。"), code="honeypot")
        try:
            started = _started_at(cleaned.get("hp_started") or "", self.max_age)
        except (signing.BadSignature, TypeError, ValueError, IndexError):
            raise forms.ValidationError(_("页面已过期，请刷新页面后重新填写。"), code="expired") from None
        if time.time() - started > self.max_age:
            raise forms.ValidationError(_("页面已过期，请刷新页面后重新填写。"), code="expired")
        if time.time() - started < self.min_seconds:
            raise forms.ValidationError(_("提交过快，请确认填写内容后再提交。"), code="too_fast")
        return cleaned

    def _post_clean(self) -> None:
        """Spend the stamp once the whole form (model validation included) is valid."""
        super()._post_clean()
        token = self.cleaned_data.get("hp_started") if hasattr(self, "cleaned_data") else None
        if not self.single_use or self._errors or not token:
            return
        if not use_token_once(token, self.max_age):
            self.add_error(None, forms.ValidationError(_("该表单已经提交过，请刷新页面后重新填写。"), code="replayed"))
            return
        # Shown again (a service refused the submission), the form must not carry the spent stamp.
        data = copy.copy(self.data)  # QueryDict: a shallow, mutable copy
        data[self.add_prefix("hp_started")] = human_check_token()
        self.data = data
