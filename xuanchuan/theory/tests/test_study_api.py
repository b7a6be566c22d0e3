"""The study part's API: sessions in scope (paged, filters, bounded), a session's attendance counts
by the fixed rule, check-in by code for the signed-in member."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from xuanchuan.conftest import make_person
from xuanchuan.theory.models import Attendance, AttendanceSource, Leave, LeaveStatus, SessionKind, SessionStatus
from xuanchuan.theory.services import study_codes
from xuanchuan.theory.tests.factories import add_member, make_group, make_session

pytestmark = pytest.mark.django_db
BASE = "/api/theory/study"


@pytest.fixture
def group(district, bob):
    group = make_group(district.east, "东城组")
    add_member(group, bob, "leader")
    return group


def test_list_in_scope_with_filters(client, district, bob, charlie, group):
    make_session(group, topic="学习一", kind=SessionKind.STUDY)
    make_session(group, topic="研讨二", kind=SessionKind.DISCUSSION, status=SessionStatus.HELD)
    make_session(make_group(district.west, "西城组"), topic="西城会议")
    client.force_login(bob)
    body = client.get(f"{BASE}/sessions").json()
    assert sorted(row["topic"] for row in body["items"]) == ["学习一", "研讨二"]
    assert [r["topic"] for r in client.get(f"{BASE}/sessions", {"kind": "discussion"}).json()["items"]] == ["研讨二"]
    assert [r["topic"] for r in client.get(f"{BASE}/sessions", {"status": "held"}).json()["items"]] == ["研讨二"]
    assert client.get(f"{BASE}/sessions", {"year": 1900}).status_code == 422
    assert client.get(f"{BASE}/sessions", {"kind": "nonsense"}).status_code == 422
    client.force_login(charlie)
    assert [r["topic"] for r in client.get(f"{BASE}/sessions").json()["items"]] == ["西城会议"]


def test_detail_counts_and_scope(client, district, bob, charlie, group):
    people = [make_person(f"p{i}", district.east) for i in range(3)]
    members = [add_member(group, p) for p in people]
    session = make_session(group, status=SessionStatus.HELD)
    Attendance.objects.create(session=session, member=members[0], at=timezone.now(), source=AttendanceSource.SCAN)
    Leave.objects.create(
        session=session, member=members[1], reason="事", status=LeaveStatus.APPROVED, created_at=timezone.now()
    )
    client.force_login(bob)
    body = client.get(f"{BASE}/sessions/{session.pk}").json()
    assert (body["attended"], body["expected"], body["rate"], body["on_leave"]) == (1, 3, 33.3, 1)
    client.force_login(charlie)
    assert client.get(f"{BASE}/sessions/{session.pk}").status_code == 404
    assert client.get(f"{BASE}/sessions/99999999999999999999").status_code in (404, 422)


def test_checkin_by_code(client, district, group, charlie):
    member_user = make_person("member", district.east)
    add_member(group, member_user)
    session = make_session(group, starts_at=timezone.now() - timedelta(minutes=5))
    client.force_login(member_user)
    code = study_codes.current_code(session)
    response = client.post(f"{BASE}/checkin", {"code": code}, content_type="application/json")
    assert response.status_code == 200 and response.json()["session_id"] == session.pk
    again = client.post(f"{BASE}/checkin", {"code": code}, content_type="application/json")
    assert again.status_code == 409 and "已签到" in again.json()["detail"]
    wrong = client.post(f"{BASE}/checkin", {"code": "ZZZZZZZZ"}, content_type="application/json")
    assert wrong.status_code == 400 and "签到码" in wrong.json()["detail"]
    assert client.post(f"{BASE}/checkin", {"code": "x" * 21}, content_type="application/json").status_code == 422
    client.force_login(charlie)
    refused = client.post(f"{BASE}/checkin", {"code": code}, content_type="application/json")
    assert refused.status_code == 400
    assert Attendance.objects.count() == 1


def test_list_needs_a_staff_unit(client):
    client.force_login(make_person("nobody", None))
    assert client.get(f"{BASE}/sessions").status_code == 403
