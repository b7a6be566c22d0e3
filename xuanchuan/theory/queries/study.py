"""Reads for the study part's pages (and the one attendance-rate rule the figures share).

The attendance rate is FIXED for the platform (figures in metrics compute the same): for a held
session, *expected* are the members of the group current on the session's local date
(``joined_on <= date`` and (``left_on`` is null or ``left_on >= date``)) minus those with APPROVED
leave for it; *attended* are the Attendance rows of those expected members; the rate of several
sessions is the sum of attended over the sum of expected. ``attendance_counts`` is the one function
that computes it, in four queries (sessions, members, leave, attendance) whatever their number.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from xuanchuan.theory.models import (
    Attendance,
    Leave,
    LeaveStatus,
    PlannedSession,
    SessionKind,
    SessionStatus,
    Speech,
    StudyMember,
    StudyPlan,
    StudySession,
)


def _local_date(session: StudySession) -> date:
    return timezone.localdate(session.starts_at)


def _current_on(member_joined: date, member_left: date | None, day: date) -> bool:
    return member_joined <= day and (member_left is None or member_left >= day)


def expected_members(sessions: list[StudySession]) -> dict[int, set[int]]:
    """For each session (by pk): the pks of the members expected there (current on its local date,
    minus approved leave). Two queries, whatever the number of sessions."""
    sessions = list(sessions)
    if not sessions:
        return {}
    group_ids = {s.group_id for s in sessions}
    members_by_group: dict[int, list[tuple[int, date, date | None]]] = defaultdict(list)
    for pk, group_id, joined, left in StudyMember.objects.filter(
        group_id__in=group_ids
    ).values_list(  # scoping: allowed
        "pk", "group_id", "joined_on", "left_on"
    ):
        members_by_group[group_id].append((pk, joined, left))
    on_leave: dict[int, set[int]] = defaultdict(set)
    for session_id, member_id in Leave.objects.filter(  # scoping: allowed (sessions already scoped)
        session__in=[s.pk for s in sessions], status=LeaveStatus.APPROVED
    ).values_list("session_id", "member_id"):
        on_leave[session_id].add(member_id)
    expected: dict[int, set[int]] = {}
    for session in sessions:
        day = _local_date(session)
        current = {pk for pk, joined, left in members_by_group[session.group_id] if _current_on(joined, left, day)}
        expected[session.pk] = current - on_leave[session.pk]
    return expected


def attendance_counts(sessions: QuerySet[StudySession] | list[StudySession]) -> tuple[int, int]:
    """``(attended, expected)`` summed over ``sessions`` by the fixed rule above. The caller chooses
    the sessions (for the rate, the held ones of a group, a year or a period); four queries."""
    sessions = list(sessions.only("pk", "group_id", "starts_at")) if isinstance(sessions, QuerySet) else list(sessions)
    expected = expected_members(sessions)
    if not expected:
        return 0, 0
    attended = 0
    present = Attendance.objects.filter(session__in=list(expected)).values_list(  # scoping: allowed
        "session_id", "member_id"
    )
    for session_id, member_id in present:
        if member_id in expected[session_id]:
            attended += 1
    return attended, sum(len(members) for members in expected.values())


def attendance_rate(attended: int, expected: int) -> float | None:
    """The rate in percent (one decimal), or None when nobody was expected."""
    return round(100 * attended / expected, 1) if expected else None


# ------------------------------------------------------------------ pages


@dataclass
class ScreenState:
    """Who is present, who is missing and who is away on approved leave, for the live screen."""

    present: list[Attendance]
    missing: list[StudyMember]
    on_leave: list[StudyMember]
    pending_leave: list[StudyMember]

    @property
    def expected(self) -> int:
        return len(self.present) + len(self.missing)


def screen_state(session: StudySession) -> ScreenState:
    """The live lists of the organiser's screen: members current on the session date, minus those
    present; approved leave apart (not expected), pending leave shown among the missing. Three queries."""
    day = _local_date(session)
    members = list(
        StudyMember.objects.filter(group_id=session.group_id, joined_on__lte=day)  # scoping: allowed
        .exclude(left_on__lt=day)
        .select_related("user")
        .order_by("user__full_name", "pk")
    )
    present = list(
        Attendance.objects.filter(session=session)  # scoping: allowed
        .select_related("member__user", "recorded_by")
        .order_by("at", "pk")
    )
    leave = dict(
        Leave.objects.filter(session=session)
        .exclude(status=LeaveStatus.REFUSED)
        .values_list("member_id", "status")  # scoping: allowed
    )
    here = {row.member_id for row in present}
    missing, on_leave, pending = [], [], []
    for member in members:
        if member.pk in here:
            continue
        if leave.get(member.pk) == LeaveStatus.APPROVED:
            on_leave.append(member)
            continue
        if leave.get(member.pk) == LeaveStatus.PENDING:
            pending.append(member)
        missing.append(member)
    return ScreenState(present=present, missing=missing, on_leave=on_leave, pending_leave=pending)


@dataclass
class PlanRow:
    item: PlannedSession
    sessions: list[StudySession]
    overdue: bool

    @property
    def done(self) -> bool:
        return any(s.status == SessionStatus.HELD for s in self.sessions)


@dataclass
class PlanCompletion:
    """A plan at a glance: per item whether a held session points to it, counts by kind, percent
    done, items of past months not yet held flagged (``overdue``)."""

    rows: list[PlanRow]
    by_kind: list[tuple[str, int, int]] = field(default_factory=list)  # (label, planned, done)

    @property
    def planned(self) -> int:
        return len(self.rows)

    @property
    def done(self) -> int:
        return sum(1 for row in self.rows if row.done)

    @property
    def overdue(self) -> int:
        return sum(1 for row in self.rows if row.overdue)

    @property
    def percent(self) -> float:
        return round(100 * self.done / self.planned, 1) if self.planned else 0.0


def plan_completion(plan: StudyPlan, today: date | None = None) -> PlanCompletion:
    """Two queries: the items and the sessions that point to them. An item is overdue when its
    month of the plan's year is over and no held session points to it."""
    today = today or timezone.localdate()
    items = list(PlannedSession.objects.filter(plan=plan).order_by("month", "pk"))  # scoping: allowed
    sessions: dict[int, list[StudySession]] = defaultdict(list)
    for session in (
        StudySession.objects.filter(planned__in=items)
        .exclude(  # scoping: allowed
            status=SessionStatus.CANCELLED
        )
        .order_by("starts_at")
    ):
        sessions[session.planned_id].append(session)
    rows = []
    for item in items:
        row = PlanRow(item=item, sessions=sessions[item.pk], overdue=False)
        month_over = (plan.year, item.month) < (today.year, today.month)
        row.overdue = month_over and not row.done
        rows.append(row)
    completion = PlanCompletion(rows=rows)
    for value, label in SessionKind.choices:
        of_kind = [row for row in rows if row.item.kind == value]
        completion.by_kind.append((str(label), len(of_kind), sum(1 for row in of_kind if row.done)))
    return completion


def sessions(user: Any) -> QuerySet[StudySession]:
    return StudySession.objects.visible_to(user).select_related("group", "unit", "planned")


def rate_of(sessions_qs: QuerySet[StudySession]) -> tuple[int, int, float | None]:
    """Attended, expected and the rate of the HELD sessions among ``sessions_qs``."""
    attended, expected = attendance_counts(sessions_qs.filter(status=SessionStatus.HELD))
    return attended, expected, attendance_rate(attended, expected)


@dataclass
class Archive:
    """One member's record in a group: sessions attended, leave and make-ups, speeches, and the
    held sessions they were expected at but missed."""

    member: StudyMember
    attended: list[Attendance]
    leaves: list[Leave]
    speeches: list[Speech]
    absent: list[StudySession]
    counts: tuple[int, int]


def member_archive(member: StudyMember) -> Archive:
    attended = list(
        Attendance.objects.filter(member=member)
        .select_related("session")
        .order_by("-session__starts_at")  # scoping: allowed
    )
    leaves = list(
        Leave.objects.filter(member=member).select_related("session", "decided_by").order_by("-session__starts_at")
    )  # scoping: allowed
    speeches = list(
        Speech.objects.filter(member=member).select_related("session").order_by("-submitted_at")
    )  # scoping: allowed
    held = list(
        StudySession.objects.filter(group_id=member.group_id, status=SessionStatus.HELD).order_by(
            "-starts_at"
        )  # scoping: allowed
    )
    expected = expected_members(held)
    here = {row.session_id for row in attended}
    mine = [s for s in held if member.pk in expected.get(s.pk, set())]
    absent = [s for s in mine if s.pk not in here]
    counts = (sum(1 for s in mine if s.pk in here), len(mine))
    return Archive(member=member, attended=attended, leaves=leaves, speeches=speeches, absent=absent, counts=counts)


@dataclass
class MyStudy:
    """A member's own record: their groups, upcoming sessions, what they attended, their leave and
    make-ups, their speeches, and their attendance rate over the held sessions they were expected at."""

    memberships: list[StudyMember]
    upcoming: list[tuple[StudySession, Attendance | None, Leave | None]]
    attended: list[Attendance]
    leaves: list[Leave]
    speeches: list[Speech]
    counts: tuple[int, int]

    @property
    def rate(self) -> float | None:
        return attendance_rate(*self.counts)


def my_study(user: Any, limit: int = 50) -> MyStudy:
    """Everything read through the user's own memberships (a member of the district's group may
    work in a unit that cannot see the group's unit: the membership is the right to see it)."""
    memberships = list(
        StudyMember.objects.filter(user=user).select_related("group", "group__unit").order_by("-joined_on")
    )  # scoping: allowed
    member_ids = [m.pk for m in memberships]
    now = timezone.now()
    attended = list(
        Attendance.objects.filter(member__in=member_ids)
        .select_related("session", "session__group")  # scoping: allowed
        .order_by("-session__starts_at")[:limit]
    )
    leaves = list(
        Leave.objects.filter(member__in=member_ids)
        .select_related("session", "session__group")  # scoping: allowed
        .order_by("-session__starts_at")[:limit]
    )
    speeches = list(
        Speech.objects.filter(member__in=member_ids)
        .select_related("session")  # scoping: allowed
        .order_by("-submitted_at")[:limit]
    )
    current_groups = [m.group_id for m in memberships if m.left_on is None]
    upcoming_sessions = list(
        StudySession.objects.filter(  # scoping: allowed
            group_id__in=current_groups, status=SessionStatus.SCHEDULED, ends_at__gte=now
        )
        .select_related("group")
        .order_by("starts_at")[:limit]
    )
    mine_attended = {
        a.session_id: a
        for a in Attendance.objects.filter(  # scoping: allowed
            member__in=member_ids, session__in=upcoming_sessions
        )
    }
    mine_leave = {
        lv.session_id: lv
        for lv in Leave.objects.filter(  # scoping: allowed
            member__in=member_ids, session__in=upcoming_sessions
        )
    }
    upcoming = [(s, mine_attended.get(s.pk), mine_leave.get(s.pk)) for s in upcoming_sessions]
    held = list(
        StudySession.objects.filter(
            group_id__in=[m.group_id for m in memberships], status=SessionStatus.HELD
        ).only(  # scoping: allowed
            "pk", "group_id", "starts_at"
        )
    )
    expected = expected_members(held)
    expected_pairs = {(sid, mid) for sid, mids in expected.items() for mid in mids if mid in member_ids}
    present_pairs = set(
        Attendance.objects.filter(member__in=member_ids, session__in=held).values_list(  # scoping: allowed
            "session_id", "member_id"
        )
    )
    counts = (len(expected_pairs & present_pairs), len(expected_pairs))
    return MyStudy(
        memberships=memberships, upcoming=upcoming, attended=attended, leaves=leaves, speeches=speeches, counts=counts
    )


def overdue_makeups(user: Any) -> QuerySet[Leave]:
    """Approved leave whose make-up is past due and not done, in the user's scope."""
    return Leave.objects.visible_to(user).filter(
        status=LeaveStatus.APPROVED, made_up_at__isnull=True, makeup_due__lt=timezone.localdate()
    )
