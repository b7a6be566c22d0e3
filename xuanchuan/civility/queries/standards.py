"""Reads of the civility app's standards part: the current categories, who answers for a place,
and the list of places with their responsible units (gaps shown) for the pages.

``current_categories`` and ``responsible_assignment`` are what the other parts (problems,
tickets, Open311) use; they read no user scope (a service calling them has checked it already).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from xuanchuan.civility.models import Assignment, Category, Place, Standard


def current_standard() -> Standard | None:
    """The version marked current (one at most: a database constraint)."""
    return Standard.objects.filter(is_current=True).first()


def current_categories() -> QuerySet[Category]:
    """The active categories of the current standard version, in the standard's order."""
    return Category.objects.filter(standard__is_current=True, is_active=True).order_by("position", "code")


def in_force(day: datetime.date) -> Q:
    """Assignments covering ``day`` (start on or before it, no end or an end on or after it)."""
    return Q(starts_on__lte=day) & (Q(ends_on__isnull=True) | Q(ends_on__gte=day))


def responsible_assignment(
    place: Place, category: Category | None, day: datetime.date | None = None
) -> Assignment | None:
    """The assignment answering for ``place`` and ``category`` on ``day`` (today when not given):
    one naming the category first (the most specific; a category of another version of the
    standard counts by its code), then one for all categories; among equals the latest
    started. ``None`` when nobody answers (a gap)."""
    day = day or timezone.localdate()
    candidates = (
        Assignment.objects.filter(in_force(day), place=place)  # scoping: allowed (services check the scope)
        .select_related("unit", "leader")
        .prefetch_related("categories")
        .order_by("-starts_on", "-pk")
    )
    general = None
    for assignment in candidates:
        # A category of another version of the standard is the same problem type by its code.
        codes = {named.code for named in assignment.categories.all()}
        if codes:
            if category is not None and category.code in codes:
                return assignment
        elif general is None:
            general = assignment
    return general


def places_without_responsibility(user: Any, day: datetime.date | None = None) -> QuerySet[Place]:
    """Active places the user sees with no assignment in force on ``day`` (the gaps)."""
    day = day or timezone.localdate()
    answered = Assignment.objects.filter(in_force(day)).values("place_id")  # scoping: allowed (ids only)
    return Place.objects.visible_to(user).filter(is_active=True).exclude(pk__in=answered)


@dataclass
class PlaceRow:
    """One line of "every place and its responsible units"."""

    place: Place
    assignments: list[Assignment] = field(default_factory=list)

    @property
    def is_gap(self) -> bool:
        return not self.assignments


def responsibility_rows(places: QuerySet[Place], day: datetime.date) -> list[PlaceRow]:
    """The places given with the assignments in force on ``day`` (two queries and one per page for
    the categories, whatever the number of places)."""
    current = (
        Assignment.objects.filter(in_force(day)).select_related("unit", "leader").prefetch_related("categories")
    )  # scoping: allowed (of visible places only)
    places = places.select_related("area", "unit").prefetch_related(
        Prefetch("assignments", queryset=current, to_attr="current_assignments")
    )
    return [PlaceRow(place, list(place.current_assignments)) for place in places]
