"""Reads of the organisation pages, each for a user: only what that user may see."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet

from xuanchuan.org.models import Unit, User


@dataclass(frozen=True)
class UnitPage:
    """What a unit's page shows around the unit: where it sits, what is below it, who works there."""

    ancestors: QuerySet[Unit]
    children: QuerySet[Unit]
    members: QuerySet[User]


def unit_page(user: Any, unit: Unit) -> UnitPage:
    """The visible ancestors (for the breadcrumb), children with their head counts and members."""
    visible = Unit.objects.visible_to(user)
    ancestor_paths = [unit.path[:end] for end in range(Unit.steplen, len(unit.path), Unit.steplen)]
    return UnitPage(
        ancestors=visible.filter(path__in=ancestor_paths),
        children=visible.filter(path__startswith=unit.path, depth=unit.depth + 1).annotate(
            member_count=Count("members")
        ),
        members=User.objects.visible_to(user).filter(unit=unit).prefetch_related("roles"),
    )
