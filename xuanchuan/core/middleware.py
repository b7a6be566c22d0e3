"""Security headers: one strict policy for framing and scripts, loosened only where a library needs it.

The admin theme (django-simpleui) is a Vue application that shows admin pages in frames of its
own, runs inline scripts and compiles templates in the browser. So the admin, reachable only by
staff, may be framed by the site itself and gets ``'unsafe-inline'``/``'unsafe-eval'`` scripts;
every other page may be framed by nobody and runs only the site's script files.
"""

from __future__ import annotations

from dataclasses import asdict
from functools import lru_cache
from typing import Any

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware, PolicyParts
from csp.utils import build_policy
from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseBase
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.urls import get_script_prefix, get_urlconf, reverse


def is_admin(request: HttpRequest) -> bool:
    return request.path.startswith(_admin_prefix(get_urlconf() or settings.ROOT_URLCONF, get_script_prefix()))


@lru_cache(maxsize=16)
def _admin_prefix(urlconf: str, script_prefix: str) -> str:
    """``reverse("admin:index")``, once per URLconf (asked two or three times by every response)."""
    return reverse("admin:index", urlconf=urlconf)


class PlatformCSPMiddleware(CSPMiddleware):
    """``CONTENT_SECURITY_POLICY`` everywhere; the admin's exceptions above.

    Most responses (every API answer, most pages) use no nonce and no per-view policy: their
    header is the same text every time, so it is built once per policy and area (site or admin)
    instead of on every response (about a tenth of a checkpoint verification's cost).
    """

    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        if _uses_the_plain_policy(request, response):
            headers = _plain_headers(self, is_admin(request))
            for name, value in headers:
                if value and name not in response:
                    response[name] = value
            request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
            return response
        return super().process_response(request, response)

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if is_admin(request):
            scripts = [
                *settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["script-src"],
                "'unsafe-inline'",
                "'unsafe-eval'",
            ]
            parts.replace = {**(parts.replace or {}), "script-src": scripts, "frame-ancestors": ["'self'"]}
        return parts


_PER_RESPONSE = (
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_exempt",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
    "_csp_exempt_ro",
)


def _uses_the_plain_policy(request: HttpRequest, response: HttpResponseBase) -> bool:
    """No nonce was asked for, no view changed the policy, no URL prefix is excluded."""
    if getattr(request, "_csp_nonce", None) is not None or settings.DEBUG:
        return False
    if any(hasattr(response, name) for name in _PER_RESPONSE):
        return False
    for name in ("CONTENT_SECURITY_POLICY", "CONTENT_SECURITY_POLICY_REPORT_ONLY"):
        if (getattr(settings, name, None) or {}).get("EXCLUDE_URL_PREFIXES"):
            return False
    return True


_plain: dict[bool, tuple[object, object, tuple[tuple[str, str], ...]]] = {}


def _plain_headers(middleware: PlatformCSPMiddleware, admin: bool) -> tuple[tuple[str, str], ...]:
    """The two headers of the plain policy for the site or the admin, built again only when the
    policy settings are other objects than last time (tests override them)."""
    policy = getattr(settings, "CONTENT_SECURITY_POLICY", None)
    report_only = getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
    known = _plain.get(admin)
    if known is not None and known[0] is policy and known[1] is report_only:
        return known[2]
    request = HttpRequest()
    request.path = request.path_info = (
        _admin_prefix(get_urlconf() or settings.ROOT_URLCONF, get_script_prefix()) if admin else "/"
    )
    response = HttpResponse()
    parts = middleware.get_policy_parts(request, response)
    parts_ro = middleware.get_policy_parts(request, response, report_only=True)
    headers = (
        (HEADER, build_policy(**asdict(parts))),
        (HEADER_REPORT_ONLY, build_policy(**asdict(parts_ro), report_only=True)),
    )
    _plain[admin] = (policy, report_only, headers)
    return headers


class FrameOptionsMiddleware(XFrameOptionsMiddleware):
    """``X-Frame-Options: DENY``, but ``SAMEORIGIN`` in the admin.

    django-simpleui removes Django's own ``XFrameOptionsMiddleware`` from the settings when it
    starts (to frame its pages); this subclass keeps the header for every other page.
    """

    def get_xframe_options_value(self, request: HttpRequest, response: HttpResponse) -> str:
        return "SAMEORIGIN" if is_admin(request) else super().get_xframe_options_value(request, response)


class NulQueryMiddleware:
    """A query string holding a NUL character (``%00``) is answered 400 before any view runs: no
    page searches or filters for one, and PostgreSQL cannot compare text holding it (every list's
    ``?q=`` and filters would otherwise end in a database error, a 500). The JSON API and the
    Open311 endpoints refuse it themselves, in their own error formats, so they are passed through."""

    OWN_ANSWER_PREFIXES = ("/api/", "/open311/")

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        raw = request.META.get("QUERY_STRING", "")
        if ("%00" in raw or "\x00" in raw) and not request.path_info.startswith(self.OWN_ANSWER_PREFIXES):
            return HttpResponseBadRequest(
                "查询条件含有非法字符（空字符）。".encode(), content_type="text/plain; charset=utf-8"
            )
        return self.get_response(request)
