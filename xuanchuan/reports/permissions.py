"""Who may do what with report templates, imports and generated reports: the checks every
service of :mod:`xuanchuan.reports.services` starts with (``require(may_x(by, ...))``).

Reports follow the platform's one scoping rule: a signed-in user works on the templates and
reports of the units they see, and only a district-wide user on the district's own report.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model

from xuanchuan.org.models import Unit
from xuanchuan.org.scoping import user_sees_all_units


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and bool(getattr(user, "is_active", False))


def may_work_for(user: Any, unit: Unit | None) -> bool:
    """Templates, imports and reports of ``unit``; ``None`` is the whole district's report."""
    if not _signed_in(user):
        return False
    if unit is None:
        return user_sees_all_units(user)
    return Unit.objects.visible_to(user).filter(pk=unit.pk).exists()


def may_change(user: Any, record: Model) -> bool:
    """A template, an import or a generated report the user sees (the unit's staff own them together)."""
    return _signed_in(user) and type(record).objects.visible_to(user).filter(pk=record.pk).exists()
