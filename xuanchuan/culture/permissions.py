"""Who may do what in culture and tourism: the checks every service starts with (the unit scope is
checked separately, with ``org.scoping.require_visible_unit``).

Units' reporters, community workers and the department's administrators record their own events,
venues, associations, competitions and product campaigns (the district sees all, through the unit
scope); calls for works are published and their submissions reviewed by reporters and
administrators; holiday tourism figures are entered and imported by the department's
administrators and units' reporters (the culture and tourism bureau's reporter in practice).
"""

from __future__ import annotations

from typing import Any

from xuanchuan.org.models import RoleCode

EVENT_ROLES = (RoleCode.DEPARTMENT_ADMIN, RoleCode.UNIT_REPORTER, RoleCode.COMMUNITY_WORKER)
WORKS_ROLES = (RoleCode.DEPARTMENT_ADMIN, RoleCode.UNIT_REPORTER)
TOURISM_ROLES = (RoleCode.DEPARTMENT_ADMIN, RoleCode.UNIT_REPORTER)


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.is_active


def may_view(user: Any) -> bool:
    """Every signed-in member of staff with a unit sees the culture work in their scope."""
    return _signed_in(user) and bool(getattr(user, "unit_id", None))


def may_manage_events(user: Any) -> bool:
    """Keep series, events with photos and links, venues, associations, competitions and product
    campaigns."""
    return _signed_in(user) and user.has_role(*EVENT_ROLES)


def may_manage_works(user: Any) -> bool:
    """Publish calls for works, review the submissions, open the online exhibition."""
    return _signed_in(user) and user.has_role(*WORKS_ROLES)


def may_manage_tourism(user: Any) -> bool:
    """Keep the holidays' dates and enter or import holiday tourism figures."""
    return _signed_in(user) and user.has_role(*TOURISM_ROLES)
