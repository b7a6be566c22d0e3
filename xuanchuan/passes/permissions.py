"""Who may do what in the pass system: the checks every service starts with (``require(may_x(by))``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from xuanchuan.org.models import RoleCode

DECIDING_ROLES = (RoleCode.COMMUNITY_WORKER, RoleCode.UNIT_REPORTER, RoleCode.DEPARTMENT_ADMIN)
CHECKING_ROLES = (RoleCode.CHECKPOINT_GUARD, RoleCode.DEPARTMENT_ADMIN)
KEY_ROLES = (RoleCode.DEPARTMENT_ADMIN,)


def may_decide(user: Any) -> bool:
    """Community staff (and the street and department above them) approve, refuse and revoke."""
    return bool(getattr(user, "is_authenticated", False)) and user.has_role(*DECIDING_ROLES)


@dataclass(frozen=True)
class Checker:
    """Someone proven to ``may_check``, as a verification needs them: by a checkpoint token
    (``passes.checkers``) or, for a signed-in user, by ``checkers.checker_of``.

    ``pk`` and ``unit_id`` as a user has them, so the verification log takes either;
    ``keys_version`` is the key set's version read together with the token (``None``: read it).
    """

    pk: int
    unit_id: int | None
    keys_version: str | None = None
    is_authenticated: bool = True


def may_check(user: Any) -> bool:
    """Checkpoint guards (and department administrators) verify passes and record movements."""
    if isinstance(user, Checker):
        return True
    return bool(getattr(user, "is_authenticated", False)) and user.has_role(*CHECKING_ROLES)


def may_manage_keys(user: Any) -> bool:
    """Department administrators rotate and retire the district's signing keys."""
    return bool(getattr(user, "is_authenticated", False)) and user.has_role(*KEY_ROLES)
