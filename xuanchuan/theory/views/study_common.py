"""What the study part's pages share: the role checks, the staff list, the form and confirmation
pages (the theory app's own, as a module app does not import another's views)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from xuanchuan.core.services import run_service
from xuanchuan.core.views import ScopedListView, style_form
from xuanchuan.theory.permissions import may_manage_study, may_view

CONFIRM_TEMPLATE = "theory/study/_confirm.html"
FORM_TEMPLATE = "theory/study/_form.html"


def require(allowed: bool) -> None:
    """403 where the role does not allow the page; the unit scope is ``visible_or_404`` (404)."""
    if not allowed:
        raise PermissionDenied


def require_view(request: HttpRequest) -> None:
    require(may_view(request.user))


def require_manager(request: HttpRequest) -> None:
    require(may_manage_study(request.user))


class StudyListView(ScopedListView):
    """A staff list of the study part (``may_view``); rows link to ``detail_url`` by pk."""

    template_name = "theory/study/_list.html"
    detail_url = ""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            require_view(request)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["detail_url"] = self.detail_url
        context["may_manage"] = may_manage_study(self.request.user)
        return context


def form_page(request: HttpRequest, form: Form, *, title: str, back: str, **extra: Any) -> HttpResponse:
    """The staff form of the part (400 after a refused POST so a test sees the refusal)."""
    style_form(form)
    context = {"form": form, "title": title, "back": back, **extra}
    return render(request, FORM_TEMPLATE, context, status=400 if request.method == "POST" else 200)


def confirm_then_run(
    request: HttpRequest,
    action: Callable[..., Any],
    *,
    success: str,
    done_url: str,
    form: Form | None = None,
    **page: Any,
) -> HttpResponse:
    """GET shows the confirmation (``title``, ``question``, ``explain``, ``button``, ``danger``);
    POST runs the service (with the form's data if there is a form) and goes on to ``done_url``."""
    if request.method == "POST" and (form is None or form.is_valid()):
        if form is None:
            run_service(request, action, success=success)
            return redirect(done_url)
        if run_service(request, lambda: action(form.cleaned_data), success=success) is not None:
            return redirect(done_url)
    if form is not None:
        page["form"] = style_form(form)
    status = 400 if request.method == "POST" else 200
    return render(request, CONFIRM_TEMPLATE, {"back": done_url, **page}, status=status)
