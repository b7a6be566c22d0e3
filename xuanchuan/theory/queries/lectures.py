"""Reads of the lectures part for pages, the API and to-dos: every function takes the user and reads
only through ``visible_to(user)``."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from xuanchuan.org.models import GRASSROOTS_TYPES, Unit
from xuanchuan.theory.models import (
    Lecture,
    LecturePhoto,
    Lecturer,
    LectureRequest,
    LectureStatus,
    LectureTeam,
    RequestStatus,
    TeamLevel,
)
from xuanchuan.theory.services.lectures import REQUEST_UNIT_TYPES

# A colour per level (Bootstrap's text-bg classes), the same on the calendar, lists and badges.
LEVEL_STYLE = {
    TeamLevel.EXPERTS: "danger",
    TeamLevel.CADRES: "primary",
    TeamLevel.PEOPLE: "success",
    TeamLevel.ARTS: "warning",
}


def teams(user: Any) -> QuerySet:
    """Teams in scope with their active lecturers and this year's lectures (held or planned)."""
    year = timezone.localdate().year
    return (
        LectureTeam.objects.visible_to(user)
        .select_related("unit")
        .annotate(
            lecturer_count=Count("lecturers", filter=Q(lecturers__active=True), distinct=True),
            lecture_count=Count(
                "lectures",
                filter=Q(lectures__starts_at__year=year) & ~Q(lectures__status=LectureStatus.CANCELLED),
                distinct=True,
            ),
        )
    )


def level_counts(user: Any) -> list[dict[str, Any]]:
    """Per level: active teams in scope, for the summary above the teams list."""
    counts = dict(
        LectureTeam.objects.visible_to(user)
        .filter(active=True)
        .values_list("level")
        .annotate(n=Count("pk"))
        .values_list("level", "n")
    )
    return [
        {"level": level, "label": label, "count": counts.get(level, 0), "style": LEVEL_STYLE[level]}
        for level, label in TeamLevel.choices
    ]


def lecturers(user: Any) -> QuerySet:
    return Lecturer.objects.visible_to(user).select_related("team", "unit")


def lectures(user: Any) -> QuerySet:
    return Lecture.objects.visible_to(user).select_related("team", "unit")


def lecture_photos(lecture: Lecture, user: Any) -> QuerySet:
    return LecturePhoto.objects.visible_to(user).filter(lecture=lecture)


def requests(user: Any) -> QuerySet:
    return LectureRequest.objects.visible_to(user).select_related("unit", "team", "lecture")


def request_units() -> list[tuple[str, list[tuple[int, str]]]]:
    """Active streets and communities for the public request page, communities under their street:
    unit names are public (the page lists them on purpose)."""
    # scoping: allowed — the public list of unit names a requester chooses from.
    units = list(
        Unit.objects.filter(unit_type__in=REQUEST_UNIT_TYPES, dissolved_on__isnull=True)
        .order_by("path")
        .only("pk", "name", "path", "unit_type")
    )
    groups: dict[str, list[tuple[int, str]]] = {}
    streets = {u.path: u.name for u in units if u.unit_type not in GRASSROOTS_TYPES}
    for unit in units:
        street = streets.get(unit.path) or streets.get(unit.path[: -Unit.steplen], "")
        groups.setdefault(street or unit.name, []).append((unit.pk, unit.name))
    return list(groups.items())


def request_unit(pk: int) -> Unit | None:
    # scoping: allowed — the unit a requester chose from the public list.
    return Unit.objects.filter(pk=pk, unit_type__in=REQUEST_UNIT_TYPES, dissolved_on__isnull=True).first()


def waiting_requests(user: Any) -> QuerySet:
    return LectureRequest.objects.visible_to(user).filter(status=RequestStatus.NEW)


def unrecorded_lectures(user: Any) -> QuerySet:
    """Planned lectures whose time has passed: to be recorded as held or cancelled."""
    return Lecture.objects.visible_to(user).filter(status=LectureStatus.PLANNED, starts_at__lt=timezone.now())


# --- The calendar --------------------------------------------------------------------------------


@dataclass
class Day:
    day: date
    in_month: bool
    today: bool
    lectures: list[Lecture] = field(default_factory=list)


@dataclass
class Month:
    first: date
    weeks: list[list[Day]]
    previous: date
    next: date
    count: int

    @property
    def days_with_lectures(self) -> list[Day]:
        return [d for week in self.weeks for d in week if d.in_month and d.lectures]


def month_of(raw: str | None) -> date:
    """The first day of ``YYYY-MM`` (today's month when missing or malformed; years 2000–2100)."""
    today = timezone.localdate()
    text = (raw or "").strip()
    try:
        year, month = (int(part) for part in text.split("-"))
        if 2000 <= year <= 2100 and 1 <= month <= 12:
            return date(year, month, 1)
    except ValueError:
        pass
    return today.replace(day=1)


def calendar_month(user: Any, first: date, *, unit: Unit | None = None, level: str = "") -> Month:
    """The weeks (Monday first) around the month of ``first`` with the lectures in scope by day."""
    cal = calendar.Calendar(firstweekday=0)
    weeks_dates = cal.monthdatescalendar(first.year, first.month)
    tz = timezone.get_current_timezone()
    start = datetime.combine(weeks_dates[0][0], time.min, tzinfo=tz)
    end = datetime.combine(weeks_dates[-1][-1] + timedelta(days=1), time.min, tzinfo=tz)
    found = lectures(user).filter(starts_at__gte=start, starts_at__lt=end).order_by("starts_at")
    if unit is not None:
        found = found.within(unit)
    if level:
        found = found.filter(team__level=level)
    by_day: dict[date, list[Lecture]] = {}
    count = 0
    for lecture in found:
        day = timezone.localtime(lecture.starts_at).date()
        lecture.level_style = LEVEL_STYLE.get(lecture.team.level, "secondary")
        by_day.setdefault(day, []).append(lecture)
        if day.month == first.month:
            count += 1
    today = timezone.localdate()
    weeks = [[Day(d, d.month == first.month, d == today, by_day.get(d, [])) for d in week] for week in weeks_dates]
    previous = (first - timedelta(days=1)).replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return Month(first, weeks, previous, following, count)
