"""Who may do what in the pass system: the checks every service starts with (``require(may_x(by))``)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from xuanchuan.org.models import RoleCode, Unit, User

DECIDING_ROLES = (RoleCode.COMMUNITY_WORKER, RoleCode.UNIT_REPORTER, RoleCode.DEPARTMENT_ADMIN)
CHECKING_ROLES = (RoleCode.CHECKPOINT_GUARD, RoleCode.DEPARTMENT_ADMIN)
KEY_ROLES = (RoleCode.DEPARTMENT_ADMIN,)


def may_decide(user: Any) -> bool:
    """Community staff (and the street and department above them) approve, refuse and revoke."""
    return bool(getattr(user, "is_authenticated", False)) and user.has_role(*DECIDING_ROLES)


def may_check(user: Any) -> bool:
    """Checkpoint guards (and department administrators) verify passes and record movements."""
    return bool(getattr(user, "is_authenticated", False)) and user.has_role(*CHECKING_ROLES)


def may_manage_keys(user: Any) -> bool:
    """Department administrators rotate and retire the district's signing keys."""
    return bool(getattr(user, "is_authenticated", False)) and user.has_role(*KEY_ROLES)


def require_visible_unit(user: User, unit: Unit) -> None:
    """The acting user's scope must cover ``unit`` (the same rule as every page)."""
    if not Unit.objects.visible_to(user).filter(pk=unit.pk).exists():
        raise PermissionDenied(_("该单位不在您的管辖范围内。"))
