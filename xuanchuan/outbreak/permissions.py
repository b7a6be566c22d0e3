"""Who may do what with the epidemic daily reports: the checks every service starts with
(``require(may_x(by), message)``), and what pages and to-dos show to whom.

Filing is for the reporters of a unit the user sees; reopening a locked unit-day, approving a day
and defining the report are for the department (部管理员).
"""

from __future__ import annotations

from typing import Any

from xuanchuan.org.models import RoleCode, Unit

REPORTER_ROLES = (RoleCode.UNIT_REPORTER, RoleCode.COMMUNITY_WORKER, RoleCode.DEPARTMENT_ADMIN)
SUPERVISOR_ROLES = (RoleCode.DEPARTMENT_ADMIN,)


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and bool(getattr(user, "is_active", False))


def may_fill(user: Any) -> bool:
    """Unit reporters, community workers and the department file daily reports."""
    return _signed_in(user) and user.has_role(*REPORTER_ROLES)


def may_fill_for(user: Any, unit: Unit) -> bool:
    """A reporter files for the units they see: their own and those below it."""
    return may_fill(user) and Unit.objects.visible_to(user).filter(pk=unit.pk).exists()


def may_supervise(user: Any) -> bool:
    """The department reopens locked unit-days, approves days and defines the report."""
    return _signed_in(user) and user.has_role(*SUPERVISOR_ROLES)
