"""What the staff pages of the volunteers app share: the role check, the list page that makes it,
and the confirmation page in front of an action that cannot be undone.

Each part's views use these instead of writing them again, so a change to how a refused role or a
confirmation behaves is made once for the whole app."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from xuanchuan.core.services import run_service
from xuanchuan.core.views import ScopedListView, style_form
from xuanchuan.volunteers.permissions import may_view

CONFIRM_TEMPLATE = "volunteers/_confirm.html"
FORM_TEMPLATE = "volunteers/_form.html"


def require(allowed: bool) -> None:
    """Refuse the page (403) where the user's role does not allow it; the unit scope is checked
    separately, by ``visible_or_404`` (404)."""
    if not allowed:
        raise PermissionDenied


class StaffListView(ScopedListView):
    """A staff list of the app: only for a role that may see volunteers' work (``may_view``). An
    anonymous visitor is left to ``ScopedListView``, which sends them to the login page."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            require(may_view(request.user))
        return super().dispatch(request, *args, **kwargs)


def confirm_page(request: HttpRequest, *, status: int = 200, **context: Any) -> HttpResponse:
    """The confirmation page: ``title``, ``question``, ``explain``, ``button``, ``back``, and
    optionally ``danger`` (a red button) and ``form`` (e.g. the reason asked for)."""
    return render(request, CONFIRM_TEMPLATE, context, status=status)


def confirm_then_run(
    request: HttpRequest,
    action: Callable[..., Any],
    *,
    success: str,
    done_url: str,
    form: Form | None = None,
    **page: Any,
) -> HttpResponse:
    """An action behind a confirmation page. GET shows the page; POST runs ``action`` through
    ``run_service`` (called with the form's ``cleaned_data`` where a ``form`` asks for something,
    e.g. a reason) and goes on to ``done_url``. Without a form it goes on whether the service did
    it or refused (the message says which: there is nothing to correct on the page); with a form
    a refusal shows the page again with what was typed."""
    if request.method == "POST" and (form is None or form.is_valid()):
        if form is None:
            run_service(request, action, success=success)
            return redirect(done_url)
        if run_service(request, lambda: action(form.cleaned_data), success=success) is not None:
            return redirect(done_url)
    if form is not None:
        page["form"] = style_form(form)
    return confirm_page(request, back=done_url, **page)
