"""Who the volunteer on this phone is: residents have no staff account, so a volunteer is signed in
by a signed cookie (``xc_volunteer``) holding their id and their ``session_generation``. It is set
after self-registration or after a code sent by SMS to the registered phone (proof of holding it),
lasts ``VOLUNTEERS_SIGNIN_DAYS`` and is cut everywhere by raising the generation (sign out on every
phone, withdrawal). HttpOnly, SameSite=Lax, Secure like the session cookie.

Views use ``current_volunteer(request)`` (``None`` when nobody is signed in or the volunteer
withdrew) or the decorator ``volunteer_required``, which sends the phone to the sign-in page and
back afterwards.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode

from xuanchuan.volunteers.models import Volunteer, VolunteerStatus

COOKIE = "xc_volunteer"
SALT = "xuanchuan.volunteers.session"
_CACHE_ATTR = "_xc_volunteer"


def max_age() -> int:
    return settings.VOLUNTEERS_SIGNIN_DAYS * 24 * 3600


def sign_in(response: HttpResponse, volunteer: Volunteer) -> HttpResponse:
    """Set the cookie that makes ``volunteer`` the volunteer of this phone."""
    value = signing.dumps([volunteer.pk, volunteer.session_generation], salt=SALT, compress=False)
    response.set_cookie(
        COOKIE,
        value,
        max_age=max_age(),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response


def sign_out(response: HttpResponse) -> HttpResponse:
    """Forget the volunteer on this phone (the cookie only; ``Volunteer.session_generation`` += 1
    signs out every phone)."""
    response.delete_cookie(COOKIE, samesite="Lax")
    return response


def current_volunteer(request: HttpRequest) -> Volunteer | None:
    """The signed-in, active volunteer of this request, or ``None`` (read once per request)."""
    if hasattr(request, _CACHE_ATTR):
        return getattr(request, _CACHE_ATTR)
    volunteer = None
    raw = request.COOKIES.get(COOKIE)
    if raw:
        try:
            pk, generation = signing.loads(raw, salt=SALT, max_age=max_age())
            # scoping: allowed — the volunteer proved who they are with the signed cookie.
            found = Volunteer.objects.filter(pk=int(pk), status=VolunteerStatus.ACTIVE).first()
            if found is not None and found.session_generation == int(generation):
                volunteer = found
        except (signing.BadSignature, TypeError, ValueError):
            volunteer = None
    setattr(request, _CACHE_ATTR, volunteer)
    return volunteer


def signin_url(next_url: str) -> str:
    return f"{reverse('volunteers:signin')}?{urlencode({'next': next_url})}"


def safe_next(request: HttpRequest, default: str) -> str:
    """The ``next`` address of a sign-in, when it is one of ours; else ``default``."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def volunteer_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Run ``view`` with ``request.volunteer`` set, or send the phone to sign in first."""

    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        volunteer = current_volunteer(request)
        if volunteer is None:
            return HttpResponseRedirect(signin_url(request.get_full_path()))
        request.volunteer = volunteer  # type: ignore[attr-defined]
        return view(request, *args, **kwargs)

    return guarded
