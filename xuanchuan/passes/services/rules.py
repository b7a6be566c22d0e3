"""Settings of the pass rules and who may do what: the checks every service starts with."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from xuanchuan.org.models import RoleCode, Unit, User

# --- Settings: read with these defaults; settings.py may set them from the environment ------------


def valid_days() -> int:
    """Days a pass is valid for, counted from its first day."""
    return int(getattr(settings, "XUANCHUAN_PASS_VALID_DAYS", 14))


def outing_interval_days() -> int:
    """A household may go out once in this many days (the rule checked at exits)."""
    return int(getattr(settings, "XUANCHUAN_PASS_OUTING_INTERVAL_DAYS", 2))


def key_overlap_days() -> int:
    """After a rotation the old key keeps verifying this long; at least a pass's validity."""
    return max(int(getattr(settings, "XUANCHUAN_PASS_KEY_OVERLAP_DAYS", 15)), valid_days() + 1)


# --- Who may do what ------------------------------------------------------------------------------

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
    return bool(getattr(user, "is_authenticated", False)) and user.has_role(*KEY_ROLES)


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("您没有办理此事项的权限。"))


def require_visible_unit(user: User, unit: Unit) -> None:
    """The acting user's scope must cover ``unit`` (the same rule as every page)."""
    if not Unit.objects.visible_to(user).filter(pk=unit.pk).exists():
        raise PermissionDenied(_("该单位不在您的管辖范围内。"))


def district_root() -> Unit:
    root = Unit.objects.get_first_root_node()
    if root is None:
        raise ValidationError(_("尚未建立本区的单位树。"))
    return root
