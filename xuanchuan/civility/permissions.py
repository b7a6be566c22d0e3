"""Who may do what in civilised-city casework: the checks every service starts with.

Inspectors (创城督查员) and department administrators find problems, issue tickets and verify
rectifications; the responsible unit's staff reply; nobody verifies their own unit's
rectification (``services`` checks that on the ticket).
"""

from __future__ import annotations

from typing import Any

from xuanchuan.org.models import RoleCode

INSPECTOR_ROLES = (RoleCode.CIVILITY_INSPECTOR, RoleCode.DEPARTMENT_ADMIN)
REPLY_ROLES = (RoleCode.UNIT_REPORTER, RoleCode.COMMUNITY_WORKER, RoleCode.DEPARTMENT_ADMIN)
STANDARD_ROLES = (RoleCode.CIVILITY_INSPECTOR, RoleCode.DEPARTMENT_ADMIN)
CLIENT_ROLES = (RoleCode.DEPARTMENT_ADMIN,)


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.is_active


def may_view(user: Any) -> bool:
    """Every signed-in member of staff with a unit sees the casework in their scope."""
    return _signed_in(user) and bool(getattr(user, "unit_id", None))


def may_inspect(user: Any) -> bool:
    """Record problems, verify citizens' reports, merge, issue tickets, verify and escalate."""
    return _signed_in(user) and user.has_role(*INSPECTOR_ROLES)


def may_reply(user: Any) -> bool:
    """The responsible unit's staff reply to its tickets with what was done and evidence."""
    return _signed_in(user) and user.has_role(*REPLY_ROLES)


def may_manage_standards(user: Any) -> bool:
    """Keep the category standard (versions, Excel import), the places and the responsibilities."""
    return _signed_in(user) and user.has_role(*STANDARD_ROLES)


def may_manage_clients(user: Any) -> bool:
    """Department administrators issue and revoke Open311 client keys."""
    return _signed_in(user) and user.has_role(*CLIENT_ROLES)
