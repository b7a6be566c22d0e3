"""What the events part's staff pages share: the staff list (tabs, the "new" button), the form
page and the confirmation (``core.views.confirm_then_run``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from xuanchuan.core.views import StaffListView as CoreStaffListView
from xuanchuan.core.views import confirm_then_run as core_confirm_then_run
from xuanchuan.core.views import style_form
from xuanchuan.culture.permissions import may_manage_events, may_view

FORM_TEMPLATE = "culture/events/_form.html"


class StaffListView(CoreStaffListView):
    """A staff list of the events part (``may_view``); anonymous visitors go to the login page.
    The first column links to the row's page (``detail_url_name``)."""

    permission = staticmethod(may_view)
    template_name = "culture/events/list.html"
    tab = ""
    create_url_name = ""
    create_label: Any = ""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["may_manage"] = may_manage_events(self.request.user)
        context["tab"] = self.tab
        context["create_url"] = reverse(self.create_url_name) if self.create_url_name else ""
        context["create_label"] = self.create_label
        return context


def form_page(request: HttpRequest, form: Form, *, title: str, back: str, **extra: Any) -> HttpResponse:
    """A form of the part; a POST that comes back to it was refused (400), with what was typed."""
    style_form(form)
    template = extra.pop("template", FORM_TEMPLATE)
    context = {"form": form, "title": title, "back": back, **extra}
    return render(request, template, context, status=400 if form.errors or request.method == "POST" else 200)


def confirm_then_run(request: HttpRequest, action: Callable[..., Any], **kwargs: Any) -> HttpResponse:
    """``core.views.confirm_then_run``; a reason refused by its form answers 400."""
    return core_confirm_then_run(request, action, invalid_status=400, **kwargs)
