"""The fixed attendance-rate rule (``queries.study.attendance_counts``): members current on the
session's local date, minus approved leave; attended counted only among those expected."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from xuanchuan.conftest import make_person
from xuanchuan.theory.models import Attendance, AttendanceSource, Leave, LeaveStatus, SessionStatus, StudySession
from xuanchuan.theory.queries.study import attendance_counts, attendance_rate
from xuanchuan.theory.tests.factories import add_member, make_group, make_session

pytestmark = pytest.mark.django_db


def attend(session, member):
    return Attendance.objects.create(session=session, member=member, at=timezone.now(), source=AttendanceSource.SCAN)


def test_rate_counts_current_members_minus_approved_leave(district):
    people = [make_person(f"m{i}", district.east) for i in range(6)]
    group = make_group(district.east, "东城街道党工委理论学习中心组")
    members = [add_member(group, p) for p in people]
    session = make_session(group, status=SessionStatus.HELD, starts_at=timezone.now() - timedelta(days=2))
    day = timezone.localdate(session.starts_at)
    # m4 joined after the session; m5 left before it: neither expected.
    members[4].joined_on = day + timedelta(days=1)
    members[4].save()
    members[5].left_on = day - timedelta(days=1)
    members[5].save()
    attend(session, members[0])
    attend(session, members[1])
    attend(session, members[4])  # not expected: does not count as attended either
    Leave.objects.create(
        session=session, member=members[2], reason="出差", status=LeaveStatus.APPROVED, created_at=timezone.now()
    )
    Leave.objects.create(
        session=session, member=members[3], reason="病", status=LeaveStatus.REFUSED, created_at=timezone.now()
    )
    # expected: m0, m1, m3 (m2 on approved leave) → 2 / 3
    assert attendance_counts(StudySession.objects.filter(pk=session.pk)) == (2, 3)
    assert attendance_rate(2, 3) == 66.7
    assert attendance_rate(0, 0) is None


def test_member_leaving_on_the_session_day_is_still_expected(district):
    person = make_person("m", district.east)
    group = make_group(district.east, "组")
    member = add_member(group, person)
    session = make_session(group)
    member.left_on = timezone.localdate(session.starts_at)
    member.save()
    assert attendance_counts([session]) == (0, 1)


def test_sums_over_sessions_in_few_queries(district, django_assert_max_num_queries):
    people = [make_person(f"p{i}", district.east) for i in range(4)]
    group = make_group(district.east, "组", *people)
    other = make_group(district.west, "西城组", make_person("w", district.west))
    sessions = [make_session(group, starts_at=timezone.now() - timedelta(days=d)) for d in range(1, 6)]
    west_session = make_session(other)
    for s in sessions[:3]:
        for m in s.group.members.all()[:2]:
            attend(s, m)
    with django_assert_max_num_queries(4):
        counts = attendance_counts(StudySession.objects.filter(pk__in=[s.pk for s in [*sessions, west_session]]))
    assert counts == (6, 21)
    assert attendance_counts(StudySession.objects.none()) == (0, 0)
