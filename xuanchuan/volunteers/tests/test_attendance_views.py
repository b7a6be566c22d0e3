"""The attendance pages: the organiser's screen and its state, closing, the phone's scan (GET shows,
POST does; stale codes refused), the typed code, the volunteer's hours and 补录 request, the staff
records, queue, decisions and corrections, the API; roles, scope and query ceilings."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from xuanchuan.conftest import make_person, verified_login
from xuanchuan.org.models import RoleCode
from xuanchuan.volunteers import checkin_codes
from xuanchuan.volunteers.models import HoursCorrection, RecordSource, RecordStatus, ServiceRecord, SignUp, SignUpStatus
from xuanchuan.volunteers.services import attendance as services
from xuanchuan.volunteers.tests.factories import (
    make_activity,
    make_project,
    make_team,
    make_volunteer,
    sign_in_phone,
)

pytestmark = pytest.mark.django_db

STALE = "二维码已过期，请重新扫描现场屏幕上的二维码"


def sign_up(activity, volunteer):
    return SignUp.objects.create(
        activity=activity, volunteer=volunteer, status=SignUpStatus.CONFIRMED, created_at=timezone.now()
    )


@pytest.fixture
def activity(district):
    team = make_team(district.east_community)
    start = timezone.now().replace(second=0, microsecond=0) - timedelta(minutes=30)
    return make_activity(make_project(team), starts_at=start, hours=2)


@pytest.fixture
def volunteer(district, activity):
    person = make_volunteer(district.east_community, 1, name="张小明")
    sign_up(activity, person)
    return person


@pytest.fixture
def phone(client, volunteer):
    return sign_in_phone(client, volunteer)


def scan_url(activity, code=None):
    return reverse("volunteers:scan", args=[activity.pk, code or checkin_codes.current_code(activity)])


# --- The organiser's screen ------------------------------------------------------------------


def test_screen_shows_qr_code_and_counts(client, bob, activity, volunteer):
    client.force_login(bob)
    response = client.get(reverse("volunteers:checkin_screen", args=[activity.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    code = checkin_codes.current_code(activity)
    assert "<svg" in body and code in body and "下一次更换" in body
    assert 'id="count-signed-up">1<' in body
    assert "volunteers/checkin.js" in body


def test_screen_state_json(client, bob, activity, volunteer):
    services.check_in(activity, volunteer=volunteer, code=checkin_codes.current_code(activity))
    client.force_login(bob)
    response = client.get(reverse("volunteers:checkin_screen_state", args=[activity.pk]))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    state = response.json()
    assert state["code"] == checkin_codes.current_code(activity)
    assert state["url"].endswith(scan_url(activity, state["code"]))
    assert state["svg"].startswith("<svg")
    assert state["counts"] == {"signed_up": 1, "checked_in": 1, "checked_out": 0}
    assert state["present"][0]["name"] == "张**"
    assert "张小明" not in response.content.decode()


def test_screen_of_another_unit_is_404_and_needs_manage_role(client, charlie, district, activity):
    client.force_login(charlie)
    for name in ("checkin_screen", "checkin_screen_state", "checkin_close", "hours_enter"):
        assert client.get(reverse(f"volunteers:{name}", args=[activity.pk])).status_code == 404
    clerk = make_person("clerk", district.east, RoleCode.POINTS_CLERK)
    client.force_login(clerk)
    assert client.get(reverse("volunteers:checkin_screen", args=[activity.pk])).status_code in (403, 404)


def test_close_asks_first_then_voids_open_records(client, bob, activity, volunteer):
    services.check_in(activity, volunteer=volunteer, code=checkin_codes.current_code(activity))
    client.force_login(bob)
    url = reverse("volunteers:checkin_close", args=[activity.pk])
    response = client.get(url)
    assert response.status_code == 200 and "确认结束签到签退" in response.content.decode()
    activity.refresh_from_db()
    assert activity.closed_at is None
    response = client.post(url, follow=True)
    assert "1 人未签退，记录作废" in response.content.decode()
    assert ServiceRecord.objects.get().status == RecordStatus.VOID


# --- The phone -------------------------------------------------------------------------------


def test_scan_get_shows_and_changes_nothing_then_post_checks_in_and_out(phone, activity):
    url = scan_url(activity)
    response = phone.get(url)
    assert response.status_code == 200
    assert 'name="step" value="checkin"' in response.content.decode()
    assert not ServiceRecord.objects.exists()
    response = phone.post(url, {"step": "checkin"})
    assert response.status_code == 200 and "签到成功" in response.content.decode()
    assert ServiceRecord.objects.get().status == RecordStatus.OPEN
    response = phone.get(url)
    assert 'name="step" value="checkout"' in response.content.decode()
    # A second tap of the check-in button (sent twice) does not check out.
    response = phone.post(url, {"step": "checkin"})
    assert response.status_code == 400 and "您已签到" in response.content.decode()
    response = phone.post(url, {"step": "checkout"})
    assert "签退成功" in response.content.decode()
    assert ServiceRecord.objects.get().status == RecordStatus.CONFIRMED


def test_stale_or_wrong_code_refused_400(phone, activity):
    import time

    stale = checkin_codes.current_code(activity, time.time() - 180)
    for code in (stale, "AAAAAAAA", "x" * 64):
        url = reverse("volunteers:scan", args=[activity.pk, code])
        for method in (phone.get, phone.post):
            response = method(url, {"step": "checkin"} if method == phone.post else None)
            assert response.status_code == 400
            assert STALE in response.content.decode()
    assert not ServiceRecord.objects.exists()


def test_scan_without_volunteer_cookie_goes_to_sign_in(client, activity):
    response = client.post(scan_url(activity), {"step": "checkin"})
    assert response.status_code == 302 and reverse("volunteers:signin") in response["Location"]
    assert not ServiceRecord.objects.exists()


def test_scan_of_unknown_activity_404(phone, activity):
    assert phone.get(reverse("volunteers:scan", args=[999999, "AAAAAAAA"])).status_code == 404


def test_scan_without_signup_refused(client, district, activity):
    stranger = make_volunteer(district.east_community, 9)
    phone = sign_in_phone(client, stranger)
    response = phone.post(scan_url(activity), {"step": "checkin"})
    assert response.status_code == 400 and "没有该活动的有效报名" in response.content.decode()


def test_check_in_post_query_ceiling(phone, activity, django_assert_max_num_queries):
    url = scan_url(activity)
    with django_assert_max_num_queries(8):
        response = phone.post(url, {"step": "checkin"})
    assert response.status_code == 200
    with django_assert_max_num_queries(8):
        response = phone.post(url, {"step": "checkout"})
    assert response.status_code == 200


def test_typed_code(phone, activity):
    url = reverse("volunteers:m_checkin_code")
    response = phone.get(url)
    assert response.status_code == 200 and activity.title in response.content.decode()
    response = phone.post(url, {"activity": activity.pk, "code": "AAAAAAAA"})
    assert response.status_code == 200 and STALE in response.content.decode()
    code = checkin_codes.current_code(activity)
    response = phone.post(url, {"activity": activity.pk, "code": code})
    assert response.status_code == 302 and response["Location"] == scan_url(activity, code)
    assert not ServiceRecord.objects.exists()


def test_typed_code_offers_only_todays_signups(client, district, activity):
    other = make_volunteer(district.east_community, 11)
    phone = sign_in_phone(client, other)
    response = phone.post(reverse("volunteers:m_checkin_code"), {"activity": activity.pk, "code": "AAAAAAAA"})
    assert "您今天没有已报名的活动" in response.content.decode()


def test_my_hours_and_request(phone, district, activity, volunteer, bob):
    ended = make_activity(activity.project, starts_at=timezone.now() - timedelta(hours=5), hours=2, title="敬老院探访")
    sign_up(ended, volunteer)
    services.check_in(activity, volunteer=volunteer, code=checkin_codes.current_code(activity))
    services.check_out(activity, volunteer=volunteer, code=checkin_codes.current_code(activity))
    response = phone.get(reverse("volunteers:m_hours"))
    body = response.content.decode()
    assert response.status_code == 200 and "敬老院探访" in body and "申请补录" in body
    url = reverse("volunteers:m_hours_request", args=[ended.pk])
    response = phone.post(url, {"minutes": 500, "reason": "忘记签到"})
    assert "不能超过活动时长（120 分钟）" in response.content.decode()
    response = phone.post(url, {"minutes": 100, "reason": "忘记签到"})
    assert response.status_code == 302
    record = ServiceRecord.objects.get(activity=ended)
    assert record.status == RecordStatus.PENDING and record.requested_by_volunteer
    services.approve_hours(record, by=bob)
    body = phone.get(reverse("volunteers:m_hours")).content.decode()
    assert "补录" in body and 'id="total-hours">' in body


def test_request_for_activity_not_signed_up_is_404(phone, district, activity):
    other = make_activity(activity.project, starts_at=timezone.now() - timedelta(hours=5), title="别的活动")
    assert phone.get(reverse("volunteers:m_hours_request", args=[other.pk])).status_code == 404


# --- Staff records -----------------------------------------------------------------------------


@pytest.fixture
def ended(activity):
    return make_activity(activity.project, starts_at=timezone.now() - timedelta(hours=5), hours=2, title="已结束")


def _many_records(activity, district, n=6):
    for i in range(n):
        person = make_volunteer(district.east_community, 100 + i)
        sign_up(activity, person)
        services.check_in(activity, volunteer=person, code=checkin_codes.current_code(activity))


def test_record_list_filters_export_ceiling_and_scope(
    client, bob, charlie, district, activity, django_assert_max_num_queries
):
    _many_records(activity, district)
    client.force_login(bob)
    url = reverse("volunteers:record_list")
    with django_assert_max_num_queries(14):
        response = client.get(url)
    assert response.status_code == 200 and response.content.decode().count(activity.title) >= 6
    response = client.get(url, {"status": RecordStatus.CONFIRMED})
    assert "共 0 条" in response.content.decode()
    response = client.get(url, {"export": "xlsx"})
    assert response.status_code == 200 and "spreadsheet" in response["Content-Type"]
    client.force_login(charlie)
    response = client.get(url)
    assert activity.title not in response.content.decode()
    record = ServiceRecord.objects.first()
    assert client.get(reverse("volunteers:record_detail", args=[record.pk])).status_code == 404


def test_enter_approve_by_another_and_detail(client, bob, district, ended):
    person = make_volunteer(district.east_community, 30)
    sign_up(ended, person)
    client.force_login(bob)
    url = reverse("volunteers:hours_enter", args=[ended.pk])
    response = client.post(url, {"volunteer": person.pk, "minutes": 90, "reason": "纸质签到表"})
    record = ServiceRecord.objects.get()
    assert response.status_code == 302 and record.created_by == bob and record.source == RecordSource.MANUAL
    # Bob entered them: the queue shows them, but not for him to decide.
    body = client.get(reverse("volunteers:hours_queue")).content.decode()
    assert "本人录入，待他人审核" in body
    response = client.post(reverse("volunteers:record_approve", args=[record.pk]), {"note": ""}, follow=True)
    assert "补录的时长须由录入人以外的工作人员审核" in response.content.decode()
    record.refresh_from_db()
    assert record.status == RecordStatus.PENDING
    reviewer = make_person("reviewer", district.east, RoleCode.UNIT_REPORTER)
    client.force_login(reviewer)
    response = client.get(reverse("volunteers:record_approve", args=[record.pk]))
    assert response.status_code == 200 and "确认通过" in response.content.decode()
    client.post(reverse("volunteers:record_approve", args=[record.pk]), {"note": "核实"})
    record.refresh_from_db()
    assert record.status == RecordStatus.CONFIRMED and record.decided_by == reviewer
    body = client.get(reverse("volunteers:record_detail", args=[record.pk])).content.decode()
    assert 'id="manual-badge"' in body and "纸质签到表" in body and "核实" in body


def test_refuse_page_needs_reason(client, bob, district, ended):
    person = make_volunteer(district.east_community, 31)
    sign_up(ended, person)
    record = services.request_hours(ended, volunteer=person, minutes=30, reason="忘记")
    client.force_login(bob)
    url = reverse("volunteers:record_refuse", args=[record.pk])
    response = client.post(url, {"note": ""})
    assert response.status_code == 200
    client.post(url, {"note": "现场无此人"})
    record.refresh_from_db()
    assert record.status == RecordStatus.REFUSED and record.decision_note == "现场无此人"


def test_correct_page_keeps_history(client, bob, activity, volunteer):
    code = checkin_codes.current_code(activity, activity.starts_at.timestamp())
    services.check_in(activity, volunteer=volunteer, code=code, at=activity.starts_at)
    record = services.check_out(activity, volunteer=volunteer, code=checkin_codes.current_code(activity))
    client.force_login(bob)
    url = reverse("volunteers:record_correct", args=[record.pk])
    response = client.post(url, {"new_minutes": 45, "reason": ""})
    assert response.status_code == 200 and not HoursCorrection.objects.exists()
    response = client.post(url, {"new_minutes": 45, "reason": "签退延迟"})
    assert response.status_code == 302
    body = client.get(reverse("volunteers:record_detail", args=[record.pk])).content.decode()
    assert "签退延迟" in body and ">45<" in body


def test_hours_queue_needs_approver(client, district):
    clerk = make_person("clerk", district.east, RoleCode.POINTS_CLERK)
    client.force_login(clerk)
    assert client.get(reverse("volunteers:hours_queue")).status_code == 403


def test_dora_sees_her_community(client, dora, district, activity):
    _many_records(activity, district, 2)
    verified_login(client, dora)
    response = client.get(reverse("volunteers:record_list"))
    assert response.status_code == 200 and activity.title in response.content.decode()


# --- API and to-do ---------------------------------------------------------------------------


def test_api_records_and_pending_count(client, bob, charlie, district, activity, ended):
    _many_records(activity, district, 2)
    person = make_volunteer(district.east_community, 40)
    sign_up(ended, person)
    services.request_hours(ended, volunteer=person, minutes=30, reason="忘记")
    client.force_login(bob)
    response = client.get("/api/volunteers/attendance/records", {"status": "open"})
    assert response.status_code == 200
    assert response.json()["count"] == 2
    assert client.get("/api/volunteers/attendance/records/pending-count").json() == {"count": 1}
    assert client.get("/api/volunteers/attendance/records", {"activity": 0}).status_code == 422
    client.force_login(charlie)
    assert client.get("/api/volunteers/attendance/records").json()["count"] == 0
    assert client.get("/api/volunteers/attendance/records/pending-count").json() == {"count": 0}


def test_todo_counts_pending_not_own(bob, district, ended):
    from xuanchuan.volunteers.todos_attendance import todos

    person = make_volunteer(district.east_community, 41)
    sign_up(ended, person)
    services.enter_hours(ended, person, minutes=30, reason="表", by=bob)
    assert todos(bob)[0].count == 0
    reviewer = make_person("reviewer", district.east, RoleCode.UNIT_REPORTER)
    assert todos(reviewer)[0].count == 1


def test_hostile_keys_answer_404(phone, client, bob, activity):
    huge = 2**70
    assert phone.get(f"/volunteers/m/scan/{huge}/AAAAAAAA/").status_code == 404
    assert phone.get(f"/volunteers/m/hours/{huge}/request/").status_code == 404
    client.force_login(bob)
    for path in (f"/volunteers/records/{huge}/", f"/volunteers/activities/{huge}/checkin/"):
        assert client.get(path).status_code == 404


def test_typed_code_refuses_an_activity_not_signed_up(client, district, activity):
    other = make_activity(activity.project, title="别人的活动")
    person = make_volunteer(district.east_community, 12)
    sign_up(activity, person)
    phone = sign_in_phone(client, person)
    code = checkin_codes.current_code(other)
    response = phone.post(reverse("volunteers:m_checkin_code"), {"activity": other.pk, "code": code})
    assert response.status_code == 200 and "别人的活动" not in response.content.decode()
    assert not ServiceRecord.objects.exists()
