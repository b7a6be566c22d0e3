"""The service contract every module app follows, and the one helper that turns a refusal into
a message on the page.

A service function (``<app>/services.py``) takes the acting user as the keyword ``by=``, checks
the permission first (``PermissionDenied`` when refused), wraps its writes in
``transaction.atomic()`` and refuses a rule with ``ServiceError``. Views, the API, imports and the
demo data all call the same functions, so they all behave the same.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _

T = TypeVar("T")

NO_PERMISSION = "您没有办理此事项的权限。"


class ServiceError(ValidationError):
    """A rule of the work refused the change (a wrong status, a missing reason, a duplicate).

    It is a ``ValidationError``, so a form's ``clean()`` may let it through to the field errors,
    and ``messages`` holds the Chinese sentences to show.
    """


def require(allowed: bool, message: str = "") -> None:
    """The permission check a service starts with."""
    if not allowed:
        raise PermissionDenied(message or _(NO_PERMISSION))


def refusal_text(exc: PermissionDenied | ValidationError) -> str:
    """The sentence(s) a refused service call shows to the person who asked."""
    if isinstance(exc, ValidationError):
        return "；".join(str(message) for message in exc.messages)
    return str(exc) or _(NO_PERMISSION)


def run_service(request: HttpRequest, action: Callable[[], T], success: str = "") -> T | None:
    """Call a service for a page: its result, or ``None`` with the refusal as an error message.

    ``success`` (if given) is shown as a success message when the call went through.
    """
    try:
        result = action()
    except (PermissionDenied, ValidationError) as exc:
        messages.error(request, refusal_text(exc))
        return None
    if success:
        messages.success(request, success)
    return result
