"""Reads of the events part for pages, the API and to-dos: every function takes the user and reads
only through ``visible_to(user)``."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from xuanchuan.culture.models import Event, EventKind, EventLink, EventPhoto, EventStatus, Series
from xuanchuan.org.models import Unit
from xuanchuan.org.scoping import user_sees_all_units

# A colour per kind (Bootstrap's text-bg classes), the same on the calendar, lists and badges.
KIND_STYLE = {
    EventKind.PERFORMANCE: "danger",
    EventKind.COUNTRYSIDE: "success",
    EventKind.STAGE: "warning",
    EventKind.STUDY_TRIP: "info",
    EventKind.READING: "primary",
    EventKind.EXHIBITION: "dark",
    EventKind.LECTURE: "secondary",
    EventKind.OTHER: "light",
}
HELD = Q(events__status=EventStatus.HELD)


def series_in_sight(user: Any) -> QuerySet:
    """Series in scope and those of the units above the user's: a district series is the frame
    of every street's events, so a street's staff see it (with their own events in it)."""
    visible = Series.objects.visible_to(user)
    path = getattr(user, "unit_path", None)
    if path and getattr(user, "is_authenticated", False) and user.is_active and not user_sees_all_units(user):
        above = [path[:end] for end in range(Unit.steplen, len(path), Unit.steplen)]
        # scoping: allowed — the series of the units above the user's, which the user's events join.
        visible = Series.objects.filter(Q(pk__in=visible.values("pk")) | Q(unit__path__in=above))
    return visible.select_related("unit")


def series(user: Any) -> QuerySet:
    """Series in scope with their events (not cancelled), held events and total audience, counted
    over the events the user sees (a district series holds every unit's events)."""
    seen = Q(events__in=Event.objects.visible_to(user).values("pk"))
    return (
        Series.objects.visible_to(user)
        .select_related("unit")
        .annotate(
            event_count=Count("events", filter=seen & ~Q(events__status=EventStatus.CANCELLED), distinct=True),
            held_count=Count("events", filter=seen & HELD, distinct=True),
            audience_total=Coalesce(Sum("events__audience", filter=seen & HELD), 0),
        )
    )


def series_events(item: Series, user: Any) -> QuerySet:
    """The events of a series the user sees (a district series' events of every unit in scope)."""
    return events(user).filter(series=item).order_by("starts_at", "pk")


@dataclass
class SeriesTotals:
    planned: int
    held: int
    cancelled: int
    audience: int


def series_totals(rows: QuerySet) -> SeriesTotals:
    """Counts by status and the audience of held events, in one query."""
    found = rows.aggregate(
        planned=Count("pk", filter=Q(status=EventStatus.PLANNED)),
        held=Count("pk", filter=Q(status=EventStatus.HELD)),
        cancelled=Count("pk", filter=Q(status=EventStatus.CANCELLED)),
        audience=Coalesce(Sum("audience", filter=Q(status=EventStatus.HELD)), 0),
    )
    return SeriesTotals(**found)


def events(user: Any) -> QuerySet:
    return Event.objects.visible_to(user).select_related("unit", "series", "venue", "association")


def event_photos(event: Event, user: Any) -> QuerySet:
    return EventPhoto.objects.visible_to(user).filter(event=event)


def event_links(event: Event, user: Any) -> QuerySet:
    return EventLink.objects.visible_to(user).filter(event=event).order_by("pk")


def unrecorded_events(user: Any) -> QuerySet:
    """Planned events whose end has passed: to be recorded as held or cancelled."""
    return Event.objects.visible_to(user).filter(status=EventStatus.PLANNED, ends_at__lt=timezone.now())


def kind_legend() -> list[dict[str, str]]:
    return [{"kind": kind, "label": label, "style": KIND_STYLE[kind]} for kind, label in EventKind.choices]


# --- The calendar --------------------------------------------------------------------------------


@dataclass
class Day:
    day: date
    in_month: bool
    today: bool
    events: list[Event] = field(default_factory=list)


@dataclass
class Month:
    first: date
    weeks: list[list[Day]]
    previous: date
    next: date
    count: int

    @property
    def days_with_events(self) -> list[Day]:
        return [d for week in self.weeks for d in week if d.in_month and d.events]


def month_of(raw: str | None) -> date:
    """The first day of ``YYYY-MM`` (today's month when missing or malformed; years 2000–2100)."""
    text = (raw or "").strip()[:10]
    try:
        year, month = (int(part) for part in text.split("-"))
        if 2000 <= year <= 2100 and 1 <= month <= 12:
            return date(year, month, 1)
    except ValueError:
        pass
    return timezone.localdate().replace(day=1)


def calendar_month(user: Any, first: date, *, unit: Unit | None = None, kind: str = "") -> Month:
    """The weeks (Monday first) around the month of ``first`` with the events in scope by day."""
    weeks_dates = calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    tz = timezone.get_current_timezone()
    start = datetime.combine(weeks_dates[0][0], time.min, tzinfo=tz)
    end = datetime.combine(weeks_dates[-1][-1] + timedelta(days=1), time.min, tzinfo=tz)
    found = events(user).filter(starts_at__gte=start, starts_at__lt=end).order_by("starts_at", "pk")
    if unit is not None:
        found = found.within(unit)
    if kind:
        found = found.filter(kind=kind)
    by_day: dict[date, list[Event]] = {}
    count = 0
    for event in found:
        day = timezone.localtime(event.starts_at).date()
        event.kind_style = KIND_STYLE.get(event.kind, "secondary")
        by_day.setdefault(day, []).append(event)
        if day.month == first.month and event.status != EventStatus.CANCELLED:
            count += 1
    today = timezone.localdate()
    weeks = [[Day(d, d.month == first.month, d == today, by_day.get(d, [])) for d in week] for week in weeks_dates]
    previous = (first - timedelta(days=1)).replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return Month(first, weeks, previous, following, count)
