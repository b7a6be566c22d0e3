"""Reads of the viewers part for pages, the API, the to-dos and the figures.

Residents' reads show only published items (of active categories or not: an item's category only
groups it) and, of the questions, the shown ones plus the viewer's own; staff reads go through
``visible_to(user)``. The figure functions (``plays_between``, ``watch_seconds_between``) take a
span of days and a unit, so the report's figures can reuse them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Sum, Value, When
from django.http import Http404

from xuanchuan.org.models import Unit
from xuanchuan.theory.models import (
    Category,
    ClassItem,
    ItemStatus,
    Play,
    Question,
    QuestionStatus,
    ViewerProgress,
)

MAX_QUERY = 50


# --- Residents ------------------------------------------------------------------------------------


def public_items() -> QuerySet[ClassItem]:
    """What residents may see: published items, newest first, with their play counts."""
    # scoping: allowed — published classroom items are public.
    return (
        ClassItem.objects.filter(status=ItemStatus.PUBLISHED)
        .select_related("category")
        .annotate(play_count=Count("plays"))
        .order_by("-published_at", "-pk")
    )


def public_categories() -> list[Category]:
    """Active categories that hold at least one published item (the classroom's tabs)."""
    # scoping: allowed — only categories of published items are named.
    return list(
        Category.objects.filter(active=True, items__status=ItemStatus.PUBLISHED).distinct().order_by("order", "name")
    )


def classroom_items(*, category: Category | None = None, q: str = "") -> QuerySet[ClassItem]:
    """Published items of ``category`` whose title, speaker or description holds ``q``."""
    rows = public_items()
    if category is not None:
        rows = rows.filter(category=category)
    q = q.strip()[:MAX_QUERY]
    if q:
        rows = rows.filter(Q(title__icontains=q) | Q(speaker__icontains=q) | Q(description__icontains=q))
    return rows


def public_item(pk: Any) -> ClassItem:
    """One published item, or 404 (drafts and withdrawn items are not there, for anybody)."""
    key = str(pk)
    if not key.isdigit() or len(key) > 18:
        raise Http404
    found = public_items().filter(pk=int(key)).first()
    if found is None:
        raise Http404
    return found


def viewer_progress(item: ClassItem, viewer: str | None) -> ViewerProgress | None:
    if not viewer:
        return None
    # scoping: allowed — the viewer's own row, found by the id in their own cookie.
    return ViewerProgress.objects.filter(item=item, viewer=viewer).first()


def item_questions(item: ClassItem, viewer: str | None) -> list[Question]:
    """Questions under the item a viewer sees: the shown ones, and their own of any status, the
    newest first."""
    condition = Q(status=QuestionStatus.SHOWN)
    if viewer:
        condition |= Q(viewer=viewer)
    # scoping: allowed — shown questions are public; others only to the viewer who asked.
    return list(Question.objects.filter(condition, item=item).order_by("-created_at", "-pk")[:100])


# --- Staff ----------------------------------------------------------------------------------------


def questions_unscoped() -> QuerySet[Question]:
    """All questions with their item (``visible_to`` is applied by the caller): pending ones first,
    among them those the sensitive-word check flagged, then the newest."""
    # scoping: allowed — the staff list applies visible_to.
    return (
        Question.objects.select_related("item", "item__unit", "decided_by", "answered_by")
        .annotate(flagged=Case(When(flags=[], then=Value(0)), default=Value(1), output_field=IntegerField()))
        .order_by(
            Case(When(status=QuestionStatus.PENDING, then=Value(0)), default=Value(1)), "-flagged", "-created_at", "-pk"
        )
    )


def questions(user: Any) -> QuerySet[Question]:
    """Questions of items in the user's scope."""
    return Question.objects.visible_to(user).select_related("item", "item__unit", "decided_by", "answered_by")


def waiting_review_count(user: Any) -> int:
    return questions(user).filter(status=QuestionStatus.PENDING).count()


def waiting_answer_count(user: Any) -> int:
    return questions(user).filter(status=QuestionStatus.SHOWN, answer="").count()


@dataclass
class ItemStats:
    """An item's figures for staff: plays, distinct viewers, watch time, questions by status and the
    plays and watch time per day (the last 30 days with plays)."""

    item: ClassItem
    plays: int
    viewers: int
    watch_seconds: int
    questions: dict[str, int]
    days: list[tuple[date, int, int]] = field(default_factory=list)

    @property
    def watch_hours(self) -> float:
        return self.watch_seconds / 3600

    @property
    def watch_minutes(self) -> int:
        return self.watch_seconds // 60

    @property
    def watch_rest_seconds(self) -> int:
        return self.watch_seconds % 60


def item_stats(user: Any, item: ClassItem) -> ItemStats:
    """Figures of one item the user sees (the caller found it through ``visible_to``)."""
    plays = Play.objects.visible_to(user).filter(item=item)
    totals = plays.aggregate(plays=Count("pk"), viewers=Count("viewer", distinct=True), seconds=Sum("watched_seconds"))
    by_status = dict(Question.objects.visible_to(user).filter(item=item).values_list("status").annotate(n=Count("pk")))
    days = list(plays.values_list("day").annotate(n=Count("pk"), s=Sum("watched_seconds")).order_by("-day")[:30])
    return ItemStats(
        item=item,
        plays=totals["plays"] or 0,
        viewers=totals["viewers"] or 0,
        watch_seconds=totals["seconds"] or 0,
        questions={status: by_status.get(status, 0) for status in QuestionStatus.values},
        days=sorted(days),
    )


# --- Figures --------------------------------------------------------------------------------------


def plays_between(start: date, end: date, unit: Unit | None = None) -> QuerySet[Play]:
    """Plays on the days ``start`` … ``end`` (both included) of items of ``unit`` and below (the
    whole district for ``None``): the figure "plays" is their count."""
    # scoping: allowed — figures take the unit the report is for; the caller checks it.
    return Play.objects.filter(day__gte=start, day__lte=end).within(unit)


def watch_seconds_between(start: date, end: date, unit: Unit | None = None) -> int:
    """Seconds newly watched on the days ``start`` … ``end`` of items of ``unit`` and below: each
    stretch of an item counts once per viewer, on the day it was first watched."""
    return plays_between(start, end, unit).aggregate(total=Sum("watched_seconds"))["total"] or 0


def questions_answered_between(start: date, end: date, unit: Unit | None = None) -> QuerySet[Question]:
    """Residents' questions shown with an answer written on the days ``start`` … ``end``, under
    items of ``unit`` and below: the figure "questions answered" is their count."""
    # scoping: allowed — figures take the unit the report is for; the caller checks it.
    rows = Question.objects.filter(status=QuestionStatus.SHOWN, answered_at__isnull=False).exclude(answer="")
    rows = rows.filter(answered_at__date__gte=start, answered_at__date__lte=end)
    return rows.within(unit)
