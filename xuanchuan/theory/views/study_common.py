"""What the study part's pages share: the role checks, the staff list, the form and confirmation
pages. The list and confirmation are ``core.views``' (shared with the other apps)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from xuanchuan.core.views import StaffListView, style_form
from xuanchuan.core.views import confirm_then_run as core_confirm_then_run
from xuanchuan.core.views import require_role as require
from xuanchuan.theory.permissions import may_manage_study, may_view

FORM_TEMPLATE = "theory/study/_form.html"


def require_view(request: HttpRequest) -> None:
    require(may_view(request.user))


def require_manager(request: HttpRequest) -> None:
    require(may_manage_study(request.user))


class StudyListView(StaffListView):
    """A staff list of the study part (``may_view``); rows link to ``detail_url_name`` by pk."""

    permission = staticmethod(may_view)
    template_name = "theory/study/_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["may_manage"] = may_manage_study(self.request.user)
        return context


def form_page(request: HttpRequest, form: Form, *, title: str, back: str, **extra: Any) -> HttpResponse:
    """The staff form of the part (400 after a refused POST so a test sees the refusal)."""
    style_form(form)
    context = {"form": form, "title": title, "back": back, **extra}
    return render(request, FORM_TEMPLATE, context, status=400 if request.method == "POST" else 200)


def confirm_then_run(request: HttpRequest, action: Callable[..., Any], **kwargs: Any) -> HttpResponse:
    """``core.views.confirm_then_run``; a POST that comes back to the page (the form or the service
    refused) answers 400."""
    return core_confirm_then_run(request, action, invalid_status=400, refused_status=400, **kwargs)
