"""Who may do what in theory study, lectures and the cloud classroom: the checks every service
starts with (the unit scope is checked separately, with ``org.scoping.require_visible_unit``).

Units' reporters and the department's administrators keep their units' central study groups, plans
and sessions (minutes, attendance recorded by hand, leave); any member of a group takes part
(scans the session's code, asks for leave, submits a speech: ``services`` checks the membership).
Lectures are also recorded by community workers, whose communities hold most of them. The
classroom's items are uploaded and published, and residents' questions reviewed and answered, by
reporters and administrators.
"""

from __future__ import annotations

from typing import Any

from xuanchuan.org.models import RoleCode

STUDY_ROLES = (RoleCode.DEPARTMENT_ADMIN, RoleCode.UNIT_REPORTER)
LECTURE_ROLES = (RoleCode.DEPARTMENT_ADMIN, RoleCode.UNIT_REPORTER, RoleCode.COMMUNITY_WORKER)
CLASSROOM_ROLES = (RoleCode.DEPARTMENT_ADMIN, RoleCode.UNIT_REPORTER)


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.is_active


def may_view(user: Any) -> bool:
    """Every signed-in member of staff with a unit sees the theory work in their scope."""
    return _signed_in(user) and bool(getattr(user, "unit_id", None))


def may_take_part(user: Any) -> bool:
    """Anyone signed in may scan a session's code, ask for leave and submit a speech — for the
    groups they are a member of (the services check the membership)."""
    return _signed_in(user)


def may_manage_study(user: Any) -> bool:
    """Keep study groups and their members, plans, sessions, minutes, hand-recorded attendance,
    and decide leave."""
    return _signed_in(user) and user.has_role(*STUDY_ROLES)


def may_manage_lectures(user: Any) -> bool:
    """Keep lecture teams and lecturers, record lectures with photos, assign lecture requests."""
    return _signed_in(user) and user.has_role(*LECTURE_ROLES)


def may_manage_classroom(user: Any) -> bool:
    """Upload, publish and withdraw classroom items; review and answer residents' questions."""
    return _signed_in(user) and user.has_role(*CLASSROOM_ROLES)
