"""Holding back people who still owe their second factor."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from xuanchuan.accounts import otp

API_PATH_PREFIX = "/api/"
# The pages a person can use before the second factor: to get it done, or to give up and leave.
# Changing the password is not among them: a stolen password alone must not be able to replace it.
OPEN_URL_NAMES = ("accounts:login", "accounts:logout", "accounts:otp_setup", "accounts:otp_verify")


def is_api_request(request: HttpRequest) -> bool:
    return request.path_info.startswith(API_PATH_PREFIX)


def wants_json(request: HttpRequest) -> bool:
    """API calls and script (XHR) calls get JSON answers rather than pages."""
    return is_api_request(request) or request.headers.get("X-Requested-With") == "XMLHttpRequest"


def is_open_path(request: HttpRequest) -> bool:
    if request.path.startswith(settings.STATIC_URL):
        return True
    return request.path in {reverse(name) for name in OPEN_URL_NAMES}


class SecondFactorRequiredMiddleware:
    """After the password, someone who needs a second factor sees only the TOTP pages until
    they pass it: those with a confirmed device are sent to verify a code, the others to enrol.

    The second factor is needed by everyone who may read personal data in full
    (``User.needs_second_factor``) and by anyone who enrolled a device of their own accord.
    API calls get a JSON 403 instead of a redirect. Must come after django-otp's ``OTPMiddleware``.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if not user.is_authenticated or is_open_path(request) or user.is_verified():
            return self.get_response(request)
        has_device = otp.has_confirmed_device(user)
        if has_device or user.needs_second_factor:
            return self.refuse(request, has_device)
        return self.get_response(request)

    @staticmethod
    def refuse(request: HttpRequest, has_device: bool) -> HttpResponse:
        if is_api_request(request):
            return JsonResponse({"detail": _("需要动态口令验证")}, status=403)
        target = reverse("accounts:otp_verify" if has_device else "accounts:otp_setup")
        response = redirect_to_login(request.get_full_path(), target)
        if request.headers.get("HX-Request"):
            # htmx would swap the verification page into a fragment; have it load the whole page.
            return HttpResponse(status=204, headers={"HX-Redirect": response["Location"]})
        return response


class SessionIdleRefreshMiddleware:
    """Keep a signed-in session alive while it is used, writing it at most once a minute.

    ``SESSION_COOKIE_AGE`` is an idle timeout. Django's ``SESSION_SAVE_EVERY_REQUEST`` would push
    the expiry back by writing the session on every request — a database write per page and API
    call, and two concurrent requests of one browser (a page's parallel fetches) racing to update
    the same row. Here a request marks the session for saving only when its last refresh is
    ``REFRESH_SECONDS`` old or more, so the timeout holds to within a minute at one write a minute.
    Placed after ``SessionMiddleware``, so that it saves what this marks.
    """

    REFRESH_SECONDS = 60
    KEY = "_idle_refreshed_at"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or session.is_empty() or not session.get("_auth_user_id"):
            return response
        now = int(time.time())
        if now - int(session.get(self.KEY, 0)) >= self.REFRESH_SECONDS:
            session[self.KEY] = now
        return response
