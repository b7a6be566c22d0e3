"""Who may do what with the outreach records: the checks every service starts with, and what
pages, navigation and to-dos show to whom.

Units record their own press coverage, programmes, accounts (and import their statistics) and the
campaign material they put up; the department (部管理员) sees and sums everything and sets up the
campaigns.
"""

from __future__ import annotations

from typing import Any

from xuanchuan.org.models import RoleCode, Unit

ENTRY_ROLES = (RoleCode.UNIT_REPORTER, RoleCode.COMMUNITY_WORKER, RoleCode.DEPARTMENT_ADMIN)
CAMPAIGN_ROLES = (RoleCode.DEPARTMENT_ADMIN,)


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and bool(getattr(user, "is_active", False))


def may_view(user: Any) -> bool:
    """Everyone signed in with a unit reads the records of the units they see."""
    return _signed_in(user) and (bool(getattr(user, "unit_id", None)) or bool(getattr(user, "is_superuser", False)))


def may_enter(user: Any) -> bool:
    """Unit reporters, community workers and the department enter records and import exports."""
    return _signed_in(user) and user.has_role(*ENTRY_ROLES)


def may_enter_for(user: Any, unit: Unit) -> bool:
    """An entry is for a unit the user sees: their own or one below it."""
    return may_enter(user) and Unit.objects.visible_to(user).filter(pk=unit.pk).exists()


def may_manage_campaigns(user: Any) -> bool:
    """The department sets up the publicity campaigns the units report material for."""
    return _signed_in(user) and user.has_role(*CAMPAIGN_ROLES)
