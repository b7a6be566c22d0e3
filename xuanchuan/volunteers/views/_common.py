"""What the staff pages of the volunteers app share: the role check, the list page that makes it
and the form template. The confirmation page in front of an action that cannot be undone is
``xuanchuan.core.views.confirm_then_run`` / ``confirm_page`` (``core/confirm.html``)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from xuanchuan.core.views import StaffListView as CoreStaffListView
from xuanchuan.volunteers.permissions import may_view

FORM_TEMPLATE = "volunteers/_form.html"


def require(allowed: bool) -> None:
    """Refuse the page (403) where the user's role does not allow it; the unit scope is checked
    separately, by ``visible_or_404`` (404)."""
    if not allowed:
        raise PermissionDenied


class StaffListView(CoreStaffListView):
    """A staff list of the app: only for a role that may see volunteers' work (``may_view``). An
    anonymous visitor is left to ``ScopedListView``, which sends them to the login page."""

    permission = staticmethod(may_view)
