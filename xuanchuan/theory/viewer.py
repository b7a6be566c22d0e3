"""Who the viewer of the public classroom is: an anonymous random id (32 hex characters) in a
long-lived cookie ``xc_viewer``, set on the first classroom page a phone opens.

Residents watch without an account, yet plays must be counted once per viewer and day, watch time
once per stretch, and a returning viewer resumes where they stopped: all three need to recognise
the same phone again, and nothing more. The id is random (``secrets``), says nothing about the
person and is never shown to staff or in the API; the cookie is HttpOnly, SameSite=Lax, Secure
when the request came over HTTPS, and lasts two years.

Views call ``get_or_set(request, response)`` after building the page (the id of this request is
``current(request)``, made on first use), or read ``current(request, create=False)`` where a
missing cookie means "no viewer" (the progress beacons: the page that plays sets the cookie).
"""

from __future__ import annotations

import re
import secrets

from django.http import HttpRequest, HttpResponse

COOKIE = "xc_viewer"
MAX_AGE = 2 * 365 * 24 * 3600
_PATTERN = re.compile(r"[0-9a-f]{32}")
_ATTR = "_xc_viewer"
_NEW_ATTR = "_xc_viewer_new"


def valid(value: str | None) -> bool:
    """Whether ``value`` is a viewer id as this module makes them (32 lower-case hex)."""
    return bool(value) and _PATTERN.fullmatch(value) is not None


def current(request: HttpRequest, *, create: bool = True) -> str | None:
    """The viewer id of this request: the cookie's, or (``create``) a new random one that
    ``get_or_set`` will put in the response; ``None`` without a valid cookie when not creating."""
    if hasattr(request, _ATTR):
        return getattr(request, _ATTR)
    raw = request.COOKIES.get(COOKIE, "")
    value: str | None = raw if valid(raw) else None
    if value is None and create:
        value = secrets.token_hex(16)
        setattr(request, _NEW_ATTR, True)
    if value is not None:
        setattr(request, _ATTR, value)
    return value


def get_or_set(request: HttpRequest, response: HttpResponse) -> str:
    """The viewer id of this request; a new one is set as the cookie on ``response``."""
    value = current(request)
    assert value is not None
    if getattr(request, _NEW_ATTR, False):
        response.set_cookie(COOKIE, value, max_age=MAX_AGE, secure=request.is_secure(), httponly=True, samesite="Lax")
    return value
