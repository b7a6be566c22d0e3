"""The Content-Security-Policy header built once per policy is the header django-csp builds."""

from __future__ import annotations

import copy

import pytest
from csp.middleware import CSPMiddleware
from django.http import HttpResponse, JsonResponse
from django.test import RequestFactory

from xuanchuan.core.middleware import PlatformCSPMiddleware


def header(middleware: CSPMiddleware, path: str, *, nonce: bool = False) -> str:
    request = RequestFactory().get(path)
    middleware.process_request(request)
    if nonce:
        str(request.csp_nonce)
    response = middleware.process_response(request, JsonResponse({}))
    return response["Content-Security-Policy"]


def test_the_plain_header_is_django_csps_own(settings) -> None:
    ours, theirs = PlatformCSPMiddleware(HttpResponse), CSPMiddleware(HttpResponse)
    assert header(ours, "/api/me") == header(theirs, "/api/me")
    assert "'unsafe-eval'" in header(ours, "/admin/") and "'unsafe-eval'" not in header(ours, "/api/me")
    # A page that asked for a nonce takes django-csp's own way (the policy names no nonce today).
    assert header(ours, "/", nonce=True) == header(theirs, "/", nonce=True)
    # A changed policy is seen at once (a new settings object, as override_settings makes).
    policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
    policy["DIRECTIVES"]["img-src"] = ["'self'", "data:", "https://tiles.example"]
    settings.CONTENT_SECURITY_POLICY = policy
    assert "https://tiles.example" in header(ours, "/api/me")
    assert header(ours, "/api/me") == header(theirs, "/api/me")


def test_the_nonce_cannot_be_asked_for_after_the_header_is_written() -> None:
    from csp.exceptions import CSPNonceError

    middleware = PlatformCSPMiddleware(HttpResponse)
    request = RequestFactory().get("/api/me")
    middleware.process_request(request)
    middleware.process_response(request, JsonResponse({}))
    with pytest.raises(CSPNonceError):
        str(request.csp_nonce)
