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
from datetime import date

from django.db.models import QuerySet
from django.utils import timezone

from xuanchuan.theory.models import Attendance, Leave, LeaveStatus, StudyMember, StudySession


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
