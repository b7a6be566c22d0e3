"""Reads of the activities part for pages, the API and the to-dos: staff reads go through
``visible_to(user)``; residents' reads show only what is published (open, cancelled or finished
activities of published projects) and the volunteer's own sign-ups."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from xuanchuan.org.models import GRASSROOTS_TYPES, SUBDISTRICT_TYPES, Unit
from xuanchuan.volunteers.models import (
    Activity,
    ActivityStatus,
    Brand,
    Project,
    ProjectStatus,
    SignUp,
    SignUpStatus,
    Volunteer,
)

PUBLIC_ACTIVITY_STATUSES = (ActivityStatus.OPEN, ActivityStatus.CANCELLED, ActivityStatus.CLOSED)
PUBLIC_PROJECT_STATUSES = (ProjectStatus.PUBLISHED, ProjectStatus.CLOSED)


def with_counts(activities: QuerySet[Activity]) -> QuerySet[Activity]:
    """Activities with their confirmed and waiting sign-ups counted (``confirmed``, ``waiting``)."""
    return activities.annotate(
        confirmed=Count("signups", filter=Q(signups__status=SignUpStatus.CONFIRMED)),
        waiting=Count("signups", filter=Q(signups__status=SignUpStatus.WAITING)),
    )


# --- Staff ----------------------------------------------------------------------------------------


def projects(user: Any) -> QuerySet[Project]:
    """Projects the user sees, with their team, brand and unit."""
    return Project.objects.visible_to(user).select_related("team", "brand", "unit")


def activities(user: Any) -> QuerySet[Activity]:
    """Activities the user sees, with their project, team and unit."""
    return Activity.objects.visible_to(user).select_related("project__team", "project__brand", "unit", "site")


@dataclass
class ProjectPage:
    project: Project
    activities: list[Activity]
    confirmed: int
    waiting: int


def project_page(user: Any, project: Project) -> ProjectPage:
    """A project's activities (earliest first) with their sign-up counts."""
    rows = list(with_counts(activities(user).filter(project=project)).order_by("starts_at", "pk"))
    return ProjectPage(
        project=project,
        activities=rows,
        confirmed=sum(row.confirmed for row in rows),
        waiting=sum(row.waiting for row in rows),
    )


@dataclass
class ActivityPage:
    activity: Activity
    confirmed: list[SignUp] = field(default_factory=list)
    waiting: list[SignUp] = field(default_factory=list)
    cancelled: list[SignUp] = field(default_factory=list)

    @property
    def places_left(self) -> int:
        return max(self.activity.capacity - len(self.confirmed), 0)


def signups(user: Any, activity: Activity) -> QuerySet[SignUp]:
    """An activity's sign-ups in the waiting list's order (the volunteer loaded for masking)."""
    return (
        SignUp.objects.visible_to(user)
        .filter(activity=activity)
        .select_related("volunteer", "volunteer__unit")
        .order_by("created_at", "pk")
    )


def activity_page(user: Any, activity: Activity) -> ActivityPage:
    """An activity's sign-ups split into confirmed, waiting (in order) and cancelled."""
    page = ActivityPage(activity)
    for signup in signups(user, activity):
        getattr(page, signup.status).append(signup)
    return page


def starting_soon_with_places(user: Any, days: int = 3) -> QuerySet[Activity]:
    """Open activities in the user's scope starting within ``days`` that still have free places."""
    moment = timezone.now()
    return (
        with_counts(
            Activity.objects.visible_to(user).filter(
                status=ActivityStatus.OPEN, starts_at__gt=moment, starts_at__lte=moment + timedelta(days=days)
            )
        )
        .filter(confirmed__lt=F("capacity"))
        .order_by("starts_at")
    )


def draft_projects_this_year(user: Any) -> QuerySet[Project]:
    """Projects of this year in the user's scope still in draft (not yet published to residents)."""
    return Project.objects.visible_to(user).filter(status=ProjectStatus.DRAFT, year=timezone.localdate().year)


# --- Residents --------------------------------------------------------------------------------------


def public_activities() -> QuerySet[Activity]:
    """What residents may see: open, cancelled or finished activities of published projects."""
    # scoping: allowed — published activities are public.
    return Activity.objects.filter(
        status__in=PUBLIC_ACTIVITY_STATUSES, project__status__in=PUBLIC_PROJECT_STATUSES
    ).select_related("project__brand", "unit", "site")


def open_activities(*, unit: Unit | None = None, brand: Brand | None = None, q: str = "") -> QuerySet[Activity]:
    """Open activities of published projects not yet ended, the earliest first, filtered by the
    street or community (and the units below it), the brand and words of the title."""
    rows = with_counts(public_activities().filter(status=ActivityStatus.OPEN, ends_at__gt=timezone.now())).order_by(
        "starts_at", "pk"
    )
    if unit is not None:
        rows = rows.filter(unit__path__startswith=unit.path)
    if brand is not None:
        rows = rows.filter(project__brand=brand)
    if q:
        rows = rows.filter(title__icontains=q)
    return rows


def public_filter_choices() -> tuple[list[Unit], list[Brand]]:
    """The streets and communities, and the brands, that have open activities (residents choose
    among these; nothing without a public activity is named)."""
    live = public_activities().filter(status=ActivityStatus.OPEN, ends_at__gt=timezone.now())
    paths = set(live.values_list("unit__path", flat=True).distinct()[:500])
    step = Unit.steplen
    prefixes = {path[:end] for path in paths for end in range(step, len(path) + 1, step)}
    # scoping: allowed — only the units above published activities are named.
    units = list(
        Unit.objects.filter(path__in=prefixes, unit_type__in=(*SUBDISTRICT_TYPES, *GRASSROOTS_TYPES)).order_by("path")
    )
    # scoping: allowed — only the brands of published activities are named.
    brands = list(Brand.objects.filter(pk__in=live.values("project__brand")).order_by("name"))
    return units, brands


def public_activity(pk: Any) -> Activity:
    """One public activity with its counts, or 404 (drafts and unpublished projects are not there)."""
    key = str(pk)
    if not key.isdigit() or len(key) > 18:
        raise Http404
    found = with_counts(public_activities().filter(pk=int(key))).first()
    if found is None:
        raise Http404
    return found


def own_signup(volunteer: Volunteer | None, activity: Activity) -> SignUp | None:
    """The volunteer's latest sign-up for the activity (live or cancelled), if any."""
    if volunteer is None:
        return None
    return activity.signups.filter(volunteer=volunteer).order_by("-created_at", "-pk").first()


def waiting_position(signup: SignUp) -> int:
    """Where a waiting sign-up stands in the queue (1 = next to get a place)."""
    return (
        signup.activity.signups.filter(status=SignUpStatus.WAITING)
        .filter(Q(created_at__lt=signup.created_at) | Q(created_at=signup.created_at, pk__lt=signup.pk))
        .count()
        + 1
    )


@dataclass
class MySignups:
    upcoming: list[SignUp]
    past: list[SignUp]


def my_signups(volunteer: Volunteer, *, limit: int = 100) -> MySignups:
    """The volunteer's sign-ups: those to come (earliest first) and the past or cancelled ones
    (latest first)."""
    rows = volunteer.signups.select_related("activity", "activity__unit").order_by("-activity__starts_at", "-pk")
    moment = timezone.now()
    upcoming: list[SignUp] = []
    past: list[SignUp] = []
    for signup in rows[: limit * 2]:
        live = signup.status != SignUpStatus.CANCELLED and signup.activity.status == ActivityStatus.OPEN
        if live and signup.activity.ends_at > moment:
            upcoming.append(signup)
        else:
            past.append(signup)
    upcoming.reverse()
    return MySignups(upcoming=upcoming[:limit], past=past[:limit])
