"""Security headers: one strict Content-Security-Policy, loosened only where a library needs it."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.urls import reverse
from csp.middleware import CSPMiddleware, PolicyParts


class PlatformCSPMiddleware(CSPMiddleware):
    """Our pages run no inline script. The admin theme (django-simpleui) is a Vue application
    with inline scripts and templates compiled in the browser, so the admin alone gets
    ``'unsafe-inline'`` and ``'unsafe-eval'``; it is reachable only by staff."""

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if request.path.startswith(reverse("admin:index")):
            scripts = [*settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["script-src"], "'unsafe-inline'", "'unsafe-eval'"]
            parts.replace = {**(parts.replace or {}), "script-src": scripts}
        return parts
