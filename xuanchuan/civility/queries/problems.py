"""Reads of the problems pages: every function takes the user and reads only what they may see."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet

from xuanchuan.civility.models import Photo, Place, Problem, ProblemStatus
from xuanchuan.civility.permissions import may_inspect
from xuanchuan.civility.queries.standards import current_categories
from xuanchuan.civility.services.problems import merge_candidates
from xuanchuan.org.models import Unit, UnitType

AREA_TYPES = (UnitType.STREET, UnitType.TOWN)


def categories() -> QuerySet:
    """The categories an inspector chooses from: the current standard's active ones."""
    return current_categories()


def places(user: Any) -> QuerySet:
    """Active places the user sees, by street and name."""
    return Place.objects.visible_to(user).filter(is_active=True).select_related("area").order_by("area__name", "name")


def areas(user: Any) -> QuerySet:
    """Streets and towns an inspector may name as a problem's area: those they see and those where
    the places they see lie."""
    seen = Unit.objects.visible_to(user).filter(unit_type__in=AREA_TYPES).values("pk")
    of_places = Place.objects.visible_to(user).values("area_id")
    # scoping: allowed (both halves are scoped above)
    return Unit.objects.filter(Q(pk__in=seen) | Q(pk__in=of_places)).order_by("path")


def problems(user: Any) -> QuerySet:
    return Problem.objects.visible_to(user).select_related(
        "category",
        "place",
        "area",
        "unit",
        "ticket",
        "api_client",
        "created_by",
        "verified_by",
        "merged_by",
        "merged_into",
    )


@dataclass
class ProblemPage:
    """A problem's page: its photos (and those of reports merged into it), where it was merged,
    the reports of the same spot that could be merged into it."""

    problem: Problem
    photos: list[Photo]
    merged: list[Problem]
    candidates: list[Problem] = field(default_factory=list)
    may_inspect: bool = False
    may_verify: bool = False
    may_merge: bool = False
    may_issue: bool = False


def problem_page(user: Any, problem: Problem) -> ProblemPage:
    merged = list(
        Problem.objects.visible_to(user).filter(merged_into=problem).select_related("category").order_by("found_at")
    )
    photos = list(
        Photo.objects.visible_to(user)
        .filter(problem__in=[problem.pk, *[m.pk for m in merged]], stage="found")
        .order_by("uploaded_at", "pk")
    )
    inspector = may_inspect(user)
    page = ProblemPage(problem=problem, photos=photos, merged=merged, may_inspect=inspector)
    if inspector:
        page.may_verify = problem.status == ProblemStatus.UNVERIFIED
        page.may_issue = problem.status == ProblemStatus.OPEN
        page.candidates = merge_candidates(problem, user)
        page.may_merge = bool(page.candidates)
    return page


def unverified_count(user: Any) -> int:
    return Problem.objects.visible_to(user).filter(status=ProblemStatus.UNVERIFIED).count()
