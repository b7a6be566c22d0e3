"""When a locked account unlocks, and the response that says so.

django-axes counts failed logins in ``AccessAttempt`` rows and refuses an account while the
failures of the last cool-off period reach the limit. ``settings.AXES_LOCKOUT_CALLABLE`` points
at :func:`lockout_response`, which reads those rows back to tell the person the minute at
which the lock lifts, instead of axes' generic English "try again later".
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_parameters, get_client_username, get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _

from xuanchuan.accounts.middleware import wants_json


def lock_lifts_at(attempts: QuerySet[AccessAttempt], limit: int, cool_off: timedelta) -> datetime | None:
    """The moment the failures in ``attempts`` stop adding up to ``limit``, or ``None`` if they never did.

    Axes sums the failures of the rows newer than the cool-off. Rows drop out oldest first, so
    going from the newest row backwards, the row at which the sum reaches the limit is the one
    whose expiry lifts the lock.
    """
    total = 0
    rows = attempts.order_by("-attempt_time").values_list("attempt_time", "failures_since_start")
    for attempt_time, failures in rows:
        total += failures
        if total >= limit:
            return attempt_time + cool_off
    return None


def round_up_to_minute(moment: datetime) -> datetime:
    """Shown to the minute, an unlock time must not be earlier than the real one."""
    if moment.second or moment.microsecond:
        return moment.replace(second=0, microsecond=0) + timedelta(minutes=1)
    return moment


def unlock_time(request: HttpRequest, credentials: dict[str, Any] | None = None) -> datetime | None:
    """When the lockout that refused this request ends (``None``: never by itself, or unknown)."""
    cool_off = get_cool_off(request)
    if cool_off is None:
        return None
    AxesProxyHandler.update_request(request)
    limit = get_failure_limit(request, credentials)
    username = get_client_username(request, credentials)
    ip_address, user_agent = (
        getattr(request, "axes_ip_address", None),
        getattr(request, "axes_user_agent", ""),
    )
    filters = get_client_parameters(username, ip_address, user_agent, request, credentials)
    ends = [lock_lifts_at(AccessAttempt.objects.filter(**kwargs), limit, cool_off) for kwargs in filters]
    known = [end for end in ends if end is not None]
    return round_up_to_minute(max(known)) if known else None


def lockout_message(unlock_at: datetime | None) -> str:
    if unlock_at is None:
        return _("账号已锁定，请联系系统管理员解锁。")
    when = dateformat.format(timezone.localtime(unlock_at), "Y-m-d H:i")
    return _("账号已锁定，将于 %(time)s 自动解锁。") % {"time": when}


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """``AXES_LOCKOUT_CALLABLE``: the locked-out page (or JSON for API and XHR calls), status 429."""
    unlock_at = unlock_time(request, credentials)
    message = lockout_message(unlock_at)
    status = settings.AXES_HTTP_RESPONSE_CODE
    if wants_json(request):
        return JsonResponse(
            {"detail": message, "unlock_at": unlock_at.isoformat() if unlock_at else None}, status=status
        )
    context = {
        "title": _("账号已锁定"),
        "lockout_message": message,
        "unlock_at": unlock_at,
        "failure_limit": get_failure_limit(request, credentials),
        "username": get_client_username(request, credentials) or "",
    }
    return render(request, settings.AXES_LOCKOUT_TEMPLATE, context, status=status)
