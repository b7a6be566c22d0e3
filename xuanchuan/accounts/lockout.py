"""When a locked account unlocks, and the response that says so.

django-axes counts failed logins in ``AccessAttempt`` rows (one per account, address and
browser) and refuses a sign-in while the failures of the last cool-off period reach a limit.
Two limits apply (:class:`AccountLockoutHandler`):

- per account *and* address (``AXES_LOCKOUT_PARAMETERS``, ``AXES_FAILURE_LIMIT``, 5): someone
  guessing from one address is stopped, and the account's owner, from another address, still
  signs in — a stranger cannot lock someone else out;
- per account from any address (``ACCOUNTS_USERNAME_FAILURE_LIMIT``, 20 in the same period): a
  guessing attack spread over many addresses is slowed down to that many tries per period.

Administrators (a 部管理员, a superuser) unlock an account in the admin (人员 → 解除所选人员的
登录锁定, or by deleting its 登录锁定 rows). ``settings.AXES_LOCKOUT_CALLABLE`` points at
:func:`lockout_response`, which reads the rows back to tell the person the minute at which the
lock lifts, instead of axes' generic English "try again later".
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import (
    get_client_parameters,
    get_client_username,
    get_cool_off,
    get_failure_limit,
)
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import QuerySet, Sum
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _

from xuanchuan.accounts.middleware import wants_json


def account_failures(request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
    """Failed sign-ins to the request's account, from any address, in the current cool-off period."""
    username = get_client_username(request, credentials)
    cool_off = get_cool_off(request)
    if not username or cool_off is None:
        return 0
    since = (getattr(request, "axes_attempt_time", None) or timezone.now()) - cool_off
    attempts = AccessAttempt.objects.filter(username=username, attempt_time__gte=since)
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


def account_throttled(request: HttpRequest, credentials: dict[str, Any] | None = None) -> bool:
    """Whether the account has had ``ACCOUNTS_USERNAME_FAILURE_LIMIT`` failures from all addresses."""
    return account_failures(request, credentials) >= settings.ACCOUNTS_USERNAME_FAILURE_LIMIT


class AccountLockoutHandler(AxesDatabaseHandler):
    """``AXES_HANDLER``: axes' database handler (account + address), plus the per-account limit."""

    def is_locked(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> bool:
        return super().is_locked(request, credentials) or account_throttled(request, credentials)

    def user_login_failed(
        self, sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
    ) -> None:
        super().user_login_failed(sender, credentials, request=request, **kwargs)
        locked = request is None or getattr(request, "axes_locked_out", False)
        if not locked and account_throttled(request, credentials):
            request.axes_locked_out = True
            request.axes_credentials = credentials


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
    if username:
        account = AccessAttempt.objects.filter(username=username)
        ends.append(lock_lifts_at(account, settings.ACCOUNTS_USERNAME_FAILURE_LIMIT, cool_off))
    now = timezone.now()
    known = [end for end in ends if end is not None and end > now]
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
