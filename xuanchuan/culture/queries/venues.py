"""Reads of the venues part for pages, the API and to-dos: every function takes the user and reads
only through ``visible_to(user)``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Sum, Value, When
from django.db.models.functions import ExtractYear
from django.utils import timezone

from xuanchuan.culture.models import (
    Association,
    AssociationMember,
    AssociationStatus,
    Event,
    EventKind,
    EventStatus,
    Venue,
    VenueKind,
)
from xuanchuan.culture.services.venues import MEMBER_ROLES

# The activities a venue's page highlights: study trips (研学) and reading promotion (阅读推广).
HIGHLIGHTED_KINDS = (EventKind.STUDY_TRIP, EventKind.READING)
# An association still in preparation after this many days is a to-do.
PREPARING_TOO_LONG_DAYS = 180
# A colour per venue kind (Bootstrap's text-bg classes), the same on the counts and the badges.
KIND_STYLE = {
    VenueKind.LIBRARY: "primary",
    VenueKind.MUSEUM: "danger",
    VenueKind.CULTURAL_CENTRE: "success",
    VenueKind.EXHIBITION_HALL: "info",
    VenueKind.COURTYARD: "warning",
    VenueKind.BOOKSHOP: "secondary",
    VenueKind.OTHER: "dark",
}


def venues(user: Any) -> QuerySet:
    """Venues in scope with the number of events held there (by anyone the user sees)."""
    return (
        Venue.objects.visible_to(user)
        .select_related("unit")
        .annotate(held_count=Count("events", filter=Q(events__status=EventStatus.HELD), distinct=True))
    )


def kind_counts(user: Any, queryset: QuerySet | None = None) -> list[dict[str, Any]]:
    """Per kind: open venues in scope (or in ``queryset``), for the counts above the list."""
    rows = Venue.objects.visible_to(user) if queryset is None else queryset
    counts = dict(
        rows.filter(active=True).order_by().values_list("kind").annotate(n=Count("pk")).values_list("kind", "n")
    )
    return [
        {"kind": kind, "label": label, "count": counts.get(kind, 0), "style": KIND_STYLE[kind]}
        for kind, label in VenueKind.choices
    ]


def venue_events(venue: Venue, user: Any) -> QuerySet:
    """Events held at ``venue`` that the user sees, newest first."""
    return (
        Event.objects.visible_to(user)
        .filter(venue=venue, status=EventStatus.HELD)
        .select_related("unit", "series", "association")
        .order_by("-starts_at", "-pk")
    )


def upcoming_events(venue: Venue, user: Any) -> QuerySet:
    """Events planned at ``venue`` from now on, soonest first."""
    return (
        Event.objects.visible_to(user)
        .filter(venue=venue, status=EventStatus.PLANNED, starts_at__gte=timezone.now())
        .select_related("unit")
        .order_by("starts_at", "pk")
    )


@dataclass
class YearSummary:
    """One year of a venue's activities: held events, of which study trips and reading promotion,
    and the audience they drew."""

    year: int
    events: int
    study_trips: int
    reading: int
    audience: int


def venue_years(venue: Venue, user: Any) -> list[YearSummary]:
    """The years with events held at ``venue``, newest first (one grouped query)."""
    rows = (
        venue_events(venue, user)
        .annotate(year=ExtractYear("starts_at"))
        .order_by()
        .values("year")
        .annotate(
            events=Count("pk"),
            study_trips=Count("pk", filter=Q(kind=EventKind.STUDY_TRIP)),
            reading=Count("pk", filter=Q(kind=EventKind.READING)),
            audience=Sum("audience"),
        )
        .order_by("-year")
    )
    return [
        YearSummary(row["year"], row["events"], row["study_trips"], row["reading"], row["audience"] or 0)
        for row in rows
    ]


def associations(user: Any) -> QuerySet:
    """Associations in scope with their current members and their held events."""
    return (
        Association.objects.visible_to(user)
        .select_related("unit")
        .annotate(
            member_count=Count("members", filter=Q(members__left_on__isnull=True), distinct=True),
            event_count=Count("events", filter=Q(events__status=EventStatus.HELD), distinct=True),
        )
    )


def status_counts(user: Any) -> list[dict[str, Any]]:
    """Per status: associations in scope, for the counts above the list."""
    counts = dict(
        Association.objects.visible_to(user)
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    styles = {
        AssociationStatus.ESTABLISHED: "success",
        AssociationStatus.PREPARING: "warning",
        AssociationStatus.DISSOLVED: "secondary",
    }
    return [
        {"status": status, "label": label, "count": counts.get(status, 0), "style": styles[status]}
        for status, label in AssociationStatus.choices
    ]


def members(association: Association, user: Any) -> QuerySet:
    """An association's members: current ones first (by role, then name), then those who left."""
    rank = Case(
        *[When(role=role, then=Value(i)) for i, role in enumerate(MEMBER_ROLES)],
        default=Value(len(MEMBER_ROLES)),
        output_field=IntegerField(),
    )
    gone = Case(When(left_on__isnull=True, then=Value(0)), default=Value(1), output_field=IntegerField())
    return (
        AssociationMember.objects.visible_to(user)
        .filter(association=association)
        .annotate(rank=rank, gone=gone)
        .order_by("gone", "rank", "name", "pk")
    )


def association_events(association: Association, user: Any) -> QuerySet:
    """Events with ``association`` that the user sees, newest first."""
    return (
        Event.objects.visible_to(user)
        .filter(association=association)
        .select_related("unit", "venue")
        .order_by("-starts_at", "-pk")
    )


def preparing_too_long(user: Any) -> QuerySet:
    """Associations in scope still in preparation ``PREPARING_TOO_LONG_DAYS`` after they were recorded."""
    since = timezone.now() - timedelta(days=PREPARING_TOO_LONG_DAYS)
    return Association.objects.visible_to(user).filter(status=AssociationStatus.PREPARING, created_at__lt=since)


def venue_in_use(venue: Venue) -> bool:
    """Whether any event is recorded at ``venue`` (a venue in use is closed, never deleted)."""
    # scoping: allowed — any event there, whoever organised it, keeps the venue.
    return Event.objects.filter(venue=venue).exists()
