"""Who may do what in publishing: the checks every service starts with (``require(may_x(by))``),
and what the navigation, the pages and the to-do list show.

The three review steps are held by three roles (初审, 复审, 终审); the service layer also keeps
one person from reviewing their own text or taking two steps of one publication
(``services.review``), whatever roles they hold.
"""

from __future__ import annotations

from typing import Any

from xuanchuan.org.models import RoleCode
from xuanchuan.publishing.models import ReviewStep

AUTHOR_ROLES = (RoleCode.UNIT_REPORTER, RoleCode.COMMUNITY_WORKER, RoleCode.DEPARTMENT_ADMIN)
STEP_ROLES = {
    ReviewStep.FIRST: RoleCode.REVIEWER_FIRST,
    ReviewStep.SECOND: RoleCode.REVIEWER_SECOND,
    ReviewStep.FINAL: RoleCode.REVIEWER_FINAL,
}
REVIEWER_ROLES = tuple(STEP_ROLES.values())
OUTLET_ROLES = (RoleCode.UNIT_REPORTER, RoleCode.DEPARTMENT_ADMIN)
TAKEDOWN_ROLES = (RoleCode.REVIEWER_FINAL, RoleCode.DEPARTMENT_ADMIN)
LEXICON_ROLES = (*REVIEWER_ROLES, RoleCode.DEPARTMENT_ADMIN)


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.is_active


def may_write(user: Any) -> bool:
    """Unit reporters, community staff and department administrators write, submit and withdraw
    publications of their unit, and record by hand where an approved one was put out."""
    return _signed_in(user) and user.has_role(*AUTHOR_ROLES)


def may_review(user: Any, step: str | None = None) -> bool:
    """A holder of the step's role reviews that step; without ``step``: any of the three."""
    if not _signed_in(user):
        return False
    if step is None:
        return user.has_role(*REVIEWER_ROLES)
    return user.has_role(STEP_ROLES[ReviewStep(step)])


def may_manage_outlets(user: Any) -> bool:
    """Unit reporters register and keep their unit's outlets and columns; the department all."""
    return _signed_in(user) and user.has_role(*OUTLET_ROLES)


def may_take_down(user: Any) -> bool:
    """终审 reviewers and department administrators take a published item down (with a reason)."""
    return _signed_in(user) and user.has_role(*TAKEDOWN_ROLES)


def may_proofread(user: Any) -> bool:
    """Every signed-in member of staff may check a text."""
    return _signed_in(user)


def may_edit_lexicons(user: Any) -> bool:
    """Reviewers and department administrators keep the lexicons, the allow-list and the list of
    leaders' names and titles."""
    return _signed_in(user) and user.has_role(*LEXICON_ROLES)


def may_configure_wechat(user: Any) -> bool:
    """Department administrators enter a WeChat account's AppID and AppSecret."""
    return may_manage_outlets(user) and user.has_role(RoleCode.DEPARTMENT_ADMIN)


def may_handle_posts(user: Any) -> bool:
    """Who records a post by hand, retries a failed one and confirms a removal: authors (their
    unit's items and the outlets they answer for) and whoever may take items down."""
    return may_write(user) or may_take_down(user)
