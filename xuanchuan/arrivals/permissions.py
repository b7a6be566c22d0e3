"""Who may do what in 来返人员: the checks every service of ``services.py`` starts with, and
what the navigation and the to-do list show.

Follow-up (check-ins, completion, merging, the entry grid and deciding a registrant's pending
correction) belongs to community staff and the department administrators above them. Both roles
may read personal data in full, so the second factor (``SecondFactorRequiredMiddleware``) is
required of them before any page; 卡口核验员 and 网络管理员 hold none of these roles.
"""

from __future__ import annotations

from typing import Any

from xuanchuan.org.models import RoleCode
from xuanchuan.org.scoping import user_sees_all_units

# The roles that own an arrival's follow-up; each must be a personal-data role (tested).
FOLLOW_UP_ROLES = (RoleCode.COMMUNITY_WORKER, RoleCode.DEPARTMENT_ADMIN)


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def may_follow_up(user: Any) -> bool:
    """Record check-ins, complete, merge, enter arrivals in the grid, decide corrections."""
    return _signed_in(user) and user.has_role(*FOLLOW_UP_ROLES)


def may_manage_risk_areas(user: Any) -> bool:
    """District-wide staff keep the risk-area list."""
    return _signed_in(user) and user_sees_all_units(user)
