"""Reads of the pass pages, each for a user: only what that user may see."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from xuanchuan.org.models import GRASSROOTS_TYPES, Unit
from xuanchuan.passes.models import Movement, Pass, Verification

RECENT = 20


def communities(user: Any = None) -> QuerySet[Unit]:
    """Active communities and villages, those the user may see when a user is given (the public
    application form, reached by a community's own code, passes no user)."""
    units = Unit.objects.visible_to(user) if user is not None else Unit.objects.all()
    return units.active_on(timezone.localdate()).filter(unit_type__in=GRASSROOTS_TYPES)


@dataclass(frozen=True)
class PassPage:
    """What a pass's staff page shows around the pass."""

    movements: list[Movement]
    verifications: list[Verification]
    successor: Pass | None


def pass_page(user: Any, pass_obj: Pass) -> PassPage:
    """The pass's latest movements and verifications and the pass that replaced it, if any.

    Movements are the pass's own wherever they were recorded (whoever sees the pass sees where it
    went); verifications and the successor go through the user's scope."""
    return PassPage(
        movements=list(pass_obj.movements.all()[:RECENT]),
        verifications=list(pass_obj.verifications.visible_to(user).select_related("created_by")[:RECENT]),
        successor=Pass.objects.visible_to(user).filter(replaces=pass_obj).first(),
    )
