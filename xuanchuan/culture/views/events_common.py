"""What the events part's staff pages share: the staff list (``common.PartListView`` with the
part's template) and the form page. The confirmation is ``common.confirm_then_run``."""

from __future__ import annotations

from typing import Any

from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from xuanchuan.core.views import style_form
from xuanchuan.culture.views.common import PartListView

FORM_TEMPLATE = "culture/events/_form.html"


class StaffListView(PartListView):
    """A staff list of the events part (``may_view``); anonymous visitors go to the login page.
    The first column links to the row's page (``detail_url_name``)."""

    template_name = "culture/events/list.html"


def form_page(request: HttpRequest, form: Form, *, title: str, back: str, **extra: Any) -> HttpResponse:
    """A form of the part; a POST that comes back to it was refused (400), with what was typed."""
    style_form(form)
    template = extra.pop("template", FORM_TEMPLATE)
    context = {"form": form, "title": title, "back": back, **extra}
    return render(request, template, context, status=400 if form.errors or request.method == "POST" else 200)
