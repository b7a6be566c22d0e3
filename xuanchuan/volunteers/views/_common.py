"""What the staff pages of the volunteers app share: the list page that checks the role and the
form template. The role check itself is ``xuanchuan.core.views.require_role``; the confirmation
page in front of an action that cannot be undone is ``xuanchuan.core.views.confirm_then_run`` /
``confirm_page`` (``core/confirm.html``)."""

from __future__ import annotations

from xuanchuan.core.views import StaffListView as CoreStaffListView
from xuanchuan.volunteers.permissions import may_view

FORM_TEMPLATE = "volunteers/_form.html"


class StaffListView(CoreStaffListView):
    """A staff list of the app: only for a role that may see volunteers' work (``may_view``). An
    anonymous visitor is left to ``ScopedListView``, which sends them to the login page."""

    permission = staticmethod(may_view)
