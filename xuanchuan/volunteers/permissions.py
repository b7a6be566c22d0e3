"""Who may do what in volunteer service and good-deed points: the checks every service starts with.

Staff (the department's administrators, units' reporters and community workers) keep the practice
sites, brands, teams, volunteers, projects and activities of their own unit and the units below it
(the unit scope is checked separately, with ``require_visible_unit``). Hours entered by hand and
good deeds reported count only once a member of staff other than the one who entered them approves
them (``services`` checks the person). Deductions are for administrators and community workers.
Points clerks (积分兑换核销员) only confirm redemptions at the merchants they serve.

Residents act as volunteers without a staff account: ``volunteers.session`` holds who they are
on their phone, and the services take ``volunteer=`` for what they do themselves.
"""

from __future__ import annotations

from typing import Any

from xuanchuan.org.models import RoleCode

MANAGE_ROLES = (RoleCode.DEPARTMENT_ADMIN, RoleCode.UNIT_REPORTER, RoleCode.COMMUNITY_WORKER)
APPROVE_ROLES = MANAGE_ROLES
DEDUCT_ROLES = (RoleCode.DEPARTMENT_ADMIN, RoleCode.COMMUNITY_WORKER)
POINTS_ROLES = (RoleCode.DEPARTMENT_ADMIN, RoleCode.COMMUNITY_WORKER, RoleCode.UNIT_REPORTER)
CLERK_ROLES = (RoleCode.POINTS_CLERK, RoleCode.DEPARTMENT_ADMIN, RoleCode.COMMUNITY_WORKER)


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.is_active


def may_view(user: Any) -> bool:
    """Every signed-in member of staff with a unit sees the volunteer work in their scope."""
    return _signed_in(user) and bool(getattr(user, "unit_id", None)) and not _clerk_only(user)


def _clerk_only(user: Any) -> bool:
    return not user.is_superuser and user.role_codes == {RoleCode.POINTS_CLERK}


def may_manage(user: Any) -> bool:
    """Keep sites, brands, teams and members, volunteers (and their training, awards, evaluations),
    projects and activities; run an activity on the day (the check-in screen); issue certificates."""
    return _signed_in(user) and user.has_role(*MANAGE_ROLES)


def may_approve_hours(user: Any) -> bool:
    """Approve or refuse hours entered by hand, and correct confirmed hours (with a reason)."""
    return _signed_in(user) and user.has_role(*APPROVE_ROLES)


def may_manage_points(user: Any) -> bool:
    """Keep the points rules, households, shops and goods; record and approve good deeds."""
    return _signed_in(user) and user.has_role(*POINTS_ROLES)


def may_deduct(user: Any) -> bool:
    """Deduct points for misconduct (always with a reason)."""
    return _signed_in(user) and user.has_role(*DEDUCT_ROLES)


def may_confirm_redemptions(user: Any) -> bool:
    """Confirm a redemption by scanning the volunteer's code (at a merchant the user serves, or any
    in scope for administrators and community workers)."""
    return _signed_in(user) and user.has_role(*CLERK_ROLES)


def clerk_desk_only(user: Any) -> bool:
    """A points clerk without any other volunteer work: their navigation is the redemption desk."""
    return may_confirm_redemptions(user) and not may_view(user)
