"""Facts about the HTTP request that several apps need."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: REMOTE_ADDR, or behind the TLS proxy the address it appended.

    Only the right-most ``X-Forwarded-For`` entry is trusted — the one our own proxy wrote —
    and only when the deployment says it runs behind one (``BEHIND_TLS_PROXY``).
    """
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if settings.SECURE_PROXY_SSL_HEADER and forwarded:
        return forwarded.split(",")[-1].strip() or None
    return request.META.get("REMOTE_ADDR") or None
