"""Reads of the attendance pages: staff reads take the user and read only what they may see; the
phone's reads take the signed-in volunteer and read only their own."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Case, Count, Prefetch, Q, QuerySet, Sum, Value, When
from django.utils import timezone

from xuanchuan.volunteers.models import (
    Activity,
    ActivityStatus,
    DisputeStatus,
    HoursCorrection,
    HoursDispute,
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


def disputes_unscoped() -> QuerySet:
    """Every report of wrong hours, open ones first, then the newest; callers scope it."""
    return (
        HoursDispute.objects.all()
        .select_related("record", "record__activity", "record__volunteer", "record__unit", "decided_by")
        .annotate(open_first=Case(When(status=DisputeStatus.OPEN, then=Value(0)), default=Value(1)))
        .order_by("open_first", "-created_at", "-pk")
    )


def disputes(user: Any) -> QuerySet:
    """Volunteers' reports of wrong hours the user sees, open ones first, then the newest."""
    return disputes_unscoped().visible_to(user)


def open_dispute_count(user: Any) -> int:
    """Open reports of wrong hours in the user's scope, for an approver (the to-do)."""
    if not may_approve_hours(user):
        return 0
    return HoursDispute.objects.visible_to(user).filter(status=DisputeStatus.OPEN).count()


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
    disputes: list[HoursDispute]
    open_dispute: HoursDispute | None
    may_resolve: bool


def record_page(user: Any, record: ServiceRecord) -> RecordPage:
    corrections = list(HoursCorrection.objects.visible_to(user).filter(record=record).select_related("by"))
    disputes = list(HoursDispute.objects.visible_to(user).filter(record=record).select_related("decided_by"))
    open_dispute = next((d for d in disputes if d.status == DisputeStatus.OPEN), None)
    approver = may_approve_hours(user)
    return RecordPage(
        record=record,
        corrections=corrections,
        disputes=disputes,
        open_dispute=open_dispute,
        may_resolve=approver and open_dispute is not None and record.status == RecordStatus.CONFIRMED,
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
    """The volunteer's records and totals, and the ended activities they may ask 补录 for; each
    record carries the volunteer's reports of wrong hours (``my_disputes``, newest first) and
    whether one is open (``open_dispute``)."""
    # scoping: allowed — the volunteer's own reports of wrong hours, newest first.
    own_disputes = HoursDispute.objects.filter(record__volunteer=volunteer).order_by("-created_at", "-pk")
    # scoping: allowed — the volunteer's own records.
    rows = list(
        ServiceRecord.objects.filter(volunteer=volunteer)
        .select_related("activity")
        .prefetch_related(Prefetch("disputes", queryset=own_disputes, to_attr="my_disputes"))
        .order_by("-served_on", "-pk")[:200]
    )
    for row in rows:
        row.open_dispute = any(d.status == DisputeStatus.OPEN for d in row.my_disputes)
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


def own_record(volunteer: Volunteer, pk: int) -> ServiceRecord | None:
    """One of the volunteer's own records (None for anybody else's)."""
    # scoping: allowed — the volunteer's own record.
    return ServiceRecord.objects.filter(pk=pk, volunteer=volunteer).select_related("activity").first()
