"""Reads of the attendance pages: staff reads take the user and read only what they may see; the
phone's reads take the signed-in volunteer and read only their own."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from xuanchuan.volunteers.models import (
    Activity,
    ActivityStatus,
    HoursCorrection,
    RecordSource,
    RecordStatus,
    ServiceRecord,
    SignUp,
    SignUpStatus,
    Volunteer,
)
from xuanchuan.volunteers.permissions import may_approve_hours, may_manage


def activities(user: Any) -> QuerySet:
    return Activity.objects.visible_to(user).select_related("project", "unit")


def records(user: Any) -> QuerySet:
    return ServiceRecord.objects.visible_to(user).select_related(
        "activity", "volunteer", "unit", "created_by", "decided_by"
    )


def pending(user: Any) -> QuerySet:
    """Hours entered by hand waiting for approval, oldest first."""
    return records(user).filter(status=RecordStatus.PENDING).order_by("created_at", "pk")


def pending_for_approver(user: Any) -> QuerySet:
    """Pending hours this user may decide: in scope, not entered by themselves."""
    if not may_approve_hours(user):
        return ServiceRecord.objects.none()
    return pending(user).exclude(created_by=user)


def pending_count(user: Any) -> int:
    return pending_for_approver(user).count()


@dataclass
class ScreenCounts:
    signed_up: int
    checked_in: int
    checked_out: int


def screen_counts(activity: Activity) -> ScreenCounts:
    """The live counts of the organiser's screen (two queries)."""
    # scoping: allowed — the activity was read through visible_to by the caller.
    signed = SignUp.objects.filter(activity=activity, status=SignUpStatus.CONFIRMED).count()
    # scoping: allowed — the activity was read through visible_to by the caller.
    by_status = ServiceRecord.objects.filter(activity=activity, source=RecordSource.SCAN).aggregate(
        inside=Count("pk", filter=Q(status=RecordStatus.OPEN)),
        out=Count("pk", filter=Q(status=RecordStatus.CONFIRMED)),
    )
    return ScreenCounts(
        signed_up=signed,
        checked_in=by_status["inside"] + by_status["out"],
        checked_out=by_status["out"],
    )


def present(activity: Activity, limit: int = 200) -> list[ServiceRecord]:
    """Who is in (checked in, not out), latest first."""
    # scoping: allowed — the activity was read through visible_to by the caller.
    return list(
        ServiceRecord.objects.filter(activity=activity, status=RecordStatus.OPEN)
        .select_related("volunteer")
        .order_by("-checked_in_at")[:limit]
    )


@dataclass
class RecordPage:
    record: ServiceRecord
    corrections: list[HoursCorrection]
    may_decide: bool
    may_correct: bool


def record_page(user: Any, record: ServiceRecord) -> RecordPage:
    corrections = list(HoursCorrection.objects.visible_to(user).filter(record=record).select_related("by"))
    approver = may_approve_hours(user)
    return RecordPage(
        record=record,
        corrections=corrections,
        may_decide=approver
        and record.status == RecordStatus.PENDING
        and (record.created_by_id is None or record.created_by_id != user.pk),
        may_correct=approver and record.status == RecordStatus.CONFIRMED,
    )


def signed_up_volunteers(user: Any, activity: Activity) -> QuerySet:
    """The volunteers with a confirmed sign-up for ``activity`` (staff enter hours for them)."""
    if not may_manage(user):
        return Volunteer.objects.none()
    ids = (
        SignUp.objects.visible_to(user).filter(activity=activity, status=SignUpStatus.CONFIRMED).values("volunteer_id")
    )
    # scoping: allowed — only volunteers signed up to a visible activity (the sign-ups are scoped).
    return Volunteer.objects.filter(pk__in=ids).order_by("number")


# The phone's reads: only the signed-in volunteer's own.


def activity_for_volunteer(pk: int) -> Activity | None:
    # scoping: allowed — the volunteer holds the code of the site's screen, or their own sign-up.
    # The phone pages show the title, place and times only: the long description stays unread.
    return Activity.objects.filter(pk=pk).defer("description", "requirements").first()


def signed_up(volunteer: Volunteer, activity: Activity) -> bool:
    """Whether the volunteer holds a confirmed sign-up for ``activity``."""
    # scoping: allowed — the volunteer's own sign-up.
    return SignUp.objects.filter(activity=activity, volunteer=volunteer, status=SignUpStatus.CONFIRMED).exists()


def todays_signups(volunteer: Volunteer, now: datetime | None = None) -> QuerySet:
    """The activities of today the volunteer has a confirmed sign-up for (the typed-code page)."""
    today = timezone.localdate(now or timezone.now())
    # scoping: allowed — the volunteer's own sign-ups.
    ids = SignUp.objects.filter(volunteer=volunteer, status=SignUpStatus.CONFIRMED).values("activity_id")
    # scoping: allowed — activities of the volunteer's own sign-ups.
    return (
        Activity.objects.filter(pk__in=ids, starts_at__date__lte=today, ends_at__date__gte=today)
        .exclude(status__in=(ActivityStatus.DRAFT, ActivityStatus.CANCELLED))
        .order_by("starts_at")
    )


@dataclass
class MyHours:
    records: list[ServiceRecord]
    confirmed_minutes: int
    pending_minutes: int
    requestable: list[Activity]

    @property
    def confirmed_hours(self) -> str:
        return f"{self.confirmed_minutes / 60:.1f}"


def my_hours(volunteer: Volunteer) -> MyHours:
    """The volunteer's records and totals, and the ended activities they may ask 补录 for."""
    # scoping: allowed — the volunteer's own records.
    rows = list(
        ServiceRecord.objects.filter(volunteer=volunteer).select_related("activity").order_by("-served_on", "-pk")[:200]
    )
    # scoping: allowed — the volunteer's own records.
    sums = ServiceRecord.objects.filter(volunteer=volunteer).aggregate(
        confirmed=Sum("minutes", filter=Q(status=RecordStatus.CONFIRMED)),
        waiting=Sum("minutes", filter=Q(status=RecordStatus.PENDING)),
    )
    recorded = ServiceRecord.objects.filter(volunteer=volunteer).exclude(status=RecordStatus.VOID)  # scoping: allowed
    # scoping: allowed — the volunteer's own sign-ups.
    signed = SignUp.objects.filter(volunteer=volunteer, status=SignUpStatus.CONFIRMED).values("activity_id")
    # scoping: allowed — activities of the volunteer's own sign-ups.
    requestable = list(
        Activity.objects.filter(pk__in=signed, ends_at__lte=timezone.now())
        .exclude(status=ActivityStatus.CANCELLED)
        .exclude(pk__in=recorded.values("activity_id"))
        .order_by("-starts_at")[:20]
    )
    return MyHours(
        records=rows,
        confirmed_minutes=sums["confirmed"] or 0,
        pending_minutes=sums["waiting"] or 0,
        requestable=requestable,
    )
