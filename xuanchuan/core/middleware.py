"""Security headers: one strict policy for framing and scripts, loosened only where a library needs it.

The admin theme (django-simpleui) is a Vue application that shows admin pages in frames of its
own, runs inline scripts and compiles templates in the browser. So the admin, reachable only by
staff, may be framed by the site itself and gets ``'unsafe-inline'``/``'unsafe-eval'`` scripts;
every other page may be framed by nobody and runs only the site's script files.
"""

from __future__ import annotations

from functools import lru_cache

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.urls import get_script_prefix, get_urlconf, reverse


def is_admin(request: HttpRequest) -> bool:
    return request.path.startswith(_admin_prefix(get_urlconf() or settings.ROOT_URLCONF, get_script_prefix()))


@lru_cache(maxsize=16)
def _admin_prefix(urlconf: str, script_prefix: str) -> str:
    """``reverse("admin:index")``, once per URLconf (asked two or three times by every response)."""
    return reverse("admin:index", urlconf=urlconf)


class PlatformCSPMiddleware(CSPMiddleware):
    """``CONTENT_SECURITY_POLICY`` everywhere; the admin's exceptions above."""

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


class FrameOptionsMiddleware(XFrameOptionsMiddleware):
    """``X-Frame-Options: DENY``, but ``SAMEORIGIN`` in the admin.

    django-simpleui removes Django's own ``XFrameOptionsMiddleware`` from the settings when it
    starts (to frame its pages); this subclass keeps the header for every other page.
    """

    def get_xframe_options_value(self, request: HttpRequest, response: HttpResponse) -> str:
        return "SAMEORIGIN" if is_admin(request) else super().get_xframe_options_value(request, response)
