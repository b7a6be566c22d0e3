"""What the staff pages of every culture part share: the staff list with the part's tabs and its
"new" button (each part names its own template in ``<part>.StaffListView``), and the confirmation
of an action whose reason a form refuses."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from xuanchuan.core.views import StaffListView as CoreStaffListView
from xuanchuan.core.views import confirm_then_run as core_confirm_then_run
from xuanchuan.culture.permissions import may_manage_events, may_view


class PartListView(CoreStaffListView):
    """A staff list of a culture part (``may_view``); anonymous visitors go to the login page. The
    page shows the part's ``tab`` and, for those who may manage, a "new" button
    (``create_url_name``, ``create_label``). The first column links to the row's page
    (``detail_url_name``)."""

    permission = staticmethod(may_view)
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


def confirm_then_run(request: HttpRequest, action: Callable[..., Any], **kwargs: Any) -> HttpResponse:
    """``core.views.confirm_then_run``; a reason refused by its form answers 400."""
    return core_confirm_then_run(request, action, invalid_status=400, **kwargs)
