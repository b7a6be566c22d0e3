"""The rules of attendance and hours: the changing code, the check-in and check-out windows, minutes
as the overlap with the activity's time, hours entered by hand and their approval by someone else,
corrections with their history, closing an activity."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.test import override_settings
from django.utils import timezone

from xuanchuan.conftest import make_person
from xuanchuan.core import screen_codes
from xuanchuan.core.services import ServiceError
from xuanchuan.org.models import RoleCode
from xuanchuan.volunteers import checkin_codes, signals
from xuanchuan.volunteers.models import (
    HoursCorrection,
    RecordSource,
    RecordStatus,
    ServiceRecord,
    SignUp,
    SignUpStatus,
)
from xuanchuan.volunteers.services import attendance as services
from xuanchuan.volunteers.tests.factories import make_activity, make_project, make_team, make_volunteer

pytestmark = pytest.mark.django_db


def sign_up(activity, volunteer, status=SignUpStatus.CONFIRMED):
    return SignUp.objects.create(activity=activity, volunteer=volunteer, status=status, created_at=timezone.now())


@pytest.fixture
def activity(district):
    team = make_team(district.east_community)
    start = timezone.now().replace(second=0, microsecond=0) - timedelta(hours=1)
    return make_activity(make_project(team), starts_at=start, hours=2)


@pytest.fixture
def volunteer(district, activity):
    person = make_volunteer(district.east_community, 1)
    sign_up(activity, person)
    return person


def code_at(activity, at):
    return checkin_codes.current_code(activity, at.timestamp())


def check_in(activity, volunteer, at):
    return services.check_in(activity, volunteer=volunteer, code=code_at(activity, at), at=at)


def check_out(activity, volunteer, at):
    return services.check_out(activity, volunteer=volunteer, code=code_at(activity, at), at=at)


@pytest.fixture
def received():
    seen: list[dict] = []

    def confirmed(sender, **kwargs):
        seen.append({**kwargs, "signal": "confirmed"})

    def corrected(sender, **kwargs):
        seen.append({**kwargs, "signal": "corrected"})

    signals.hours_confirmed.connect(confirmed, dispatch_uid="test-attendance-confirmed")
    signals.hours_corrected.connect(corrected, dispatch_uid="test-attendance-corrected")
    yield seen
    signals.hours_confirmed.disconnect(dispatch_uid="test-attendance-confirmed")
    signals.hours_corrected.disconnect(dispatch_uid="test-attendance-corrected")


# --- The changing code ----------------------------------------------------------------------


@override_settings(VOLUNTEERS_CHECKIN_CODE_SECONDS=60)
def test_code_accepted_now_and_one_window_back_only(activity):
    now = time.time()
    assert checkin_codes.is_valid(activity, checkin_codes.current_code(activity, now), now)
    assert checkin_codes.is_valid(activity, checkin_codes.current_code(activity, now - 60), now)
    assert not checkin_codes.is_valid(activity, checkin_codes.current_code(activity, now - 120), now)
    assert not checkin_codes.is_valid(activity, checkin_codes.current_code(activity, now + 60), now)


def test_code_shape_and_change(activity):
    w = checkin_codes.window()
    codes = {checkin_codes.code_for(activity, w + i) for i in range(20)}
    assert len(codes) == 20
    for code in codes:
        assert len(code) == 8
        assert all(c in checkin_codes.ALPHABET for c in code)


def test_a_typed_code_may_differ_in_case_look_alikes_and_spacing(activity):
    now = 1_800_000_000.0
    code = checkin_codes.current_code(activity, now)
    assert set(code) <= set(checkin_codes.ALPHABET) and not set(code) & set("ILOU")
    typed = code.lower().replace("0", "o").replace("1", "l")
    assert checkin_codes.is_valid(activity, f"{typed[:4]} - {typed[4:]}", now)
    assert not checkin_codes.is_valid(activity, code[:-1], now)


def test_code_of_another_activity_refused(district, activity):
    other = make_activity(activity.project, title="另一场")
    now = time.time()
    assert not checkin_codes.is_valid(activity, checkin_codes.current_code(other, now), now)
    # Same pk and window but another secret: another code.
    assert checkin_codes.code_for(activity, 5) != checkin_codes.code_for(other, 5)


def test_code_compared_in_constant_time(activity, monkeypatch):
    calls: list[tuple] = []
    real = screen_codes.hmac.compare_digest

    def spy(a, b):
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(screen_codes.hmac, "compare_digest", spy)
    assert not checkin_codes.is_valid(activity, "AAAAAAAA")
    assert checkin_codes.is_valid(activity, checkin_codes.current_code(activity))
    # Both windows are compared every time, with hmac.compare_digest (never ==, never stopping early).
    assert len(calls) == 4


def test_garbage_codes_refused(activity):
    for code in ("", " ", "x" * 10_000, "😀😀😀😀", None):
        assert not checkin_codes.is_valid(activity, code)


def test_screen_code_qr_holds_the_scan_url(activity, rf):
    request = rf.get("/")
    screen = checkin_codes.screen_code(activity, request)
    assert screen.url.endswith(f"/m/scan/{activity.pk}/{screen.code}/")
    assert screen.url.startswith("http://")
    assert screen.svg.startswith("<svg")
    assert 1 <= screen.seconds_left <= 60


# --- Check-in ------------------------------------------------------------------------------


def test_check_in_makes_an_open_scan_record(activity, volunteer):
    at = timezone.now()
    record = check_in(activity, volunteer, at)
    assert record.status == RecordStatus.OPEN
    assert record.source == RecordSource.SCAN
    assert record.checked_in_at == at
    assert record.unit_id == activity.unit_id
    assert record.served_on == timezone.localdate(activity.starts_at)


def test_stale_code_never_checks_in(activity, volunteer):
    at = timezone.now()
    stale = checkin_codes.current_code(activity, at.timestamp() - 180)
    with pytest.raises(ServiceError, match="二维码已过期，请重新扫描现场屏幕上的二维码"):
        services.check_in(activity, volunteer=volunteer, code=stale, at=at)
    assert not ServiceRecord.objects.exists()


def test_no_signup_refused(district, activity):
    stranger = make_volunteer(district.east_community, 2)
    with pytest.raises(ServiceError, match="没有该活动的有效报名"):
        check_in(activity, stranger, timezone.now())
    waiting = make_volunteer(district.east_community, 3)
    sign_up(activity, waiting, SignUpStatus.WAITING)
    with pytest.raises(ServiceError, match="没有该活动的有效报名"):
        check_in(activity, waiting, timezone.now())


def test_double_check_in_refused(activity, volunteer):
    at = timezone.now()
    check_in(activity, volunteer, at)
    with pytest.raises(ServiceError, match="您已签到"):
        check_in(activity, volunteer, at + timedelta(seconds=5))
    assert ServiceRecord.objects.count() == 1


@override_settings(VOLUNTEERS_CHECKIN_EARLY_MINUTES=30)
def test_check_in_window(activity, volunteer):
    with pytest.raises(ServiceError, match="签到尚未开始：活动开始前 30 分钟起可以签到"):
        check_in(activity, volunteer, activity.starts_at - timedelta(minutes=31))
    with pytest.raises(ServiceError, match="活动已结束，不能再签到"):
        check_in(activity, volunteer, activity.ends_at + timedelta(seconds=1))
    record = check_in(activity, volunteer, activity.starts_at - timedelta(minutes=30))
    assert record.status == RecordStatus.OPEN


def test_no_check_in_after_close(activity, volunteer, bob):
    services.close_activity(activity, by=bob)
    with pytest.raises(ServiceError, match="组织者已结束本次活动的签到签退"):
        check_in(activity, volunteer, timezone.now())


# --- Check-out and minutes -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("in_offset", "out_offset", "minutes"),
    [
        (-45, 60, 60),  # early check-in: the time before the start does not count
        (10, 150, 110),  # late check-out: the time after the end does not count
        (0, 59.99, 59),  # leaving early, rounded down to whole minutes
        (-30, 130, 120),  # both outside: the activity's length
        (30, 45, 15),
    ],
)
def test_minutes_are_the_overlap_with_the_activity(activity, volunteer, received, in_offset, out_offset, minutes):
    check_in(activity, volunteer, activity.starts_at + timedelta(minutes=in_offset))
    record = check_out(activity, volunteer, activity.starts_at + timedelta(minutes=out_offset))
    assert record.minutes == minutes
    assert record.status == RecordStatus.CONFIRMED
    assert [s["signal"] for s in received] == ["confirmed"]
    assert received[0]["record"].pk == record.pk and received[0]["by"] is None


def test_check_out_needs_a_check_in(activity, volunteer):
    with pytest.raises(ServiceError, match="您还没有签到，不能签退"):
        check_out(activity, volunteer, timezone.now())


def test_second_check_out_refused(activity, volunteer):
    check_in(activity, volunteer, activity.starts_at)
    check_out(activity, volunteer, activity.starts_at + timedelta(minutes=30))
    with pytest.raises(ServiceError, match="您已签退"):
        check_out(activity, volunteer, activity.starts_at + timedelta(minutes=31))
    with pytest.raises(ServiceError, match="已有服务记录，不能再次签到"):
        check_in(activity, volunteer, activity.starts_at + timedelta(minutes=32))


@override_settings(VOLUNTEERS_CHECKOUT_LATE_MINUTES=60)
def test_check_out_window(activity, volunteer):
    check_in(activity, volunteer, activity.starts_at)
    with pytest.raises(ServiceError, match="签退时间已过"):
        check_out(activity, volunteer, activity.ends_at + timedelta(minutes=61))
    assert check_out(activity, volunteer, activity.ends_at + timedelta(minutes=60)).minutes == 120


def test_stale_code_never_checks_out(activity, volunteer):
    check_in(activity, volunteer, timezone.now())
    with pytest.raises(ServiceError, match="二维码已过期"):
        services.check_out(activity, volunteer=volunteer, code="AAAAAAAA")
    assert ServiceRecord.objects.get().status == RecordStatus.OPEN


# --- Closing ---------------------------------------------------------------------------------


def test_close_makes_open_records_void(district, activity, volunteer, bob):
    other = make_volunteer(district.east_community, 2)
    sign_up(activity, other)
    check_in(activity, volunteer, activity.starts_at)
    check_in(activity, other, activity.starts_at)
    done = check_out(activity, other, activity.starts_at + timedelta(minutes=50))
    assert services.close_activity(activity, by=bob) == 1
    activity.refresh_from_db()
    assert activity.closed_at is not None
    record = ServiceRecord.objects.get(volunteer=volunteer)
    assert record.status == RecordStatus.VOID and record.minutes == 0
    done.refresh_from_db()
    assert done.status == RecordStatus.CONFIRMED and done.minutes == 50
    with pytest.raises(ServiceError, match="组织者已结束"):
        check_out(activity, volunteer, timezone.now())
    with pytest.raises(ServiceError, match="本次活动已结束签到签退"):
        services.close_activity(activity, by=bob)


def test_close_needs_role_and_scope(activity, charlie, district):
    with pytest.raises(PermissionDenied):
        services.close_activity(activity, by=charlie)
    clerk = make_person("clerk", district.east, RoleCode.POINTS_CLERK)
    with pytest.raises(PermissionDenied):
        services.close_activity(activity, by=clerk)


@override_settings(VOLUNTEERS_CHECKOUT_LATE_MINUTES=60)
def test_periodic_close_of_finished_activities(district, activity, volunteer):
    check_in(activity, volunteer, activity.starts_at)
    ended = make_activity(activity.project, starts_at=timezone.now() - timedelta(hours=5), hours=2, title="早已结束")
    someone = make_volunteer(district.east_community, 4)
    sign_up(ended, someone)
    ServiceRecord.objects.create(
        unit=ended.unit,
        activity=ended,
        volunteer=someone,
        source=RecordSource.SCAN,
        status=RecordStatus.OPEN,
        checked_in_at=ended.starts_at,
        served_on=ended.starts_at.date(),
    )
    assert services.close_finished() == 1
    ended.refresh_from_db()
    activity.refresh_from_db()
    assert ended.closed_at is not None and activity.closed_at is None
    assert ServiceRecord.objects.get(activity=ended).status == RecordStatus.VOID
    assert ServiceRecord.objects.get(activity=activity).status == RecordStatus.OPEN
    assert services.close_finished() == 0


# --- Hours by hand ---------------------------------------------------------------------------


@pytest.fixture
def ended(district, activity):
    return make_activity(activity.project, starts_at=timezone.now() - timedelta(hours=4), hours=2, title="已结束活动")


def test_volunteer_asks_for_hours_approved_by_staff(ended, district, bob, received):
    person = make_volunteer(district.east_community, 5)
    sign_up(ended, person)
    record = services.request_hours(ended, volunteer=person, minutes=90, reason="手机没电未能签退")
    assert record.status == RecordStatus.PENDING and record.source == RecordSource.MANUAL
    assert record.requested_by_volunteer and record.created_by is None
    assert received == []
    services.approve_hours(record, by=bob, note="组织者确认在场")
    record.refresh_from_db()
    assert record.status == RecordStatus.CONFIRMED and record.minutes == 90
    assert record.decided_by == bob and record.decision_note == "组织者确认在场"
    assert record.source == RecordSource.MANUAL  # stays marked as 补录
    assert [s["signal"] for s in received] == ["confirmed"] and received[0]["by"] == bob


def test_request_rules(activity, ended, district):
    person = make_volunteer(district.east_community, 6)
    with pytest.raises(ServiceError, match="您没有报名该活动"):
        services.request_hours(ended, volunteer=person, minutes=30, reason="忘记")
    sign_up(ended, person)
    sign_up(activity, person)
    with pytest.raises(ServiceError, match="活动结束后才能补录时长"):
        services.request_hours(activity, volunteer=person, minutes=30, reason="忘记")
    with pytest.raises(ServiceError, match="不能超过活动时长（120 分钟）"):
        services.request_hours(ended, volunteer=person, minutes=121, reason="忘记")
    with pytest.raises(ServiceError, match="服务时长须大于 0 分钟"):
        services.request_hours(ended, volunteer=person, minutes=0, reason="忘记")
    with pytest.raises(ServiceError, match="请说明补录的原因"):
        services.request_hours(ended, volunteer=person, minutes=30, reason="  ")
    services.request_hours(ended, volunteer=person, minutes=30, reason="忘记")
    with pytest.raises(ServiceError, match="已有服务记录"):
        services.request_hours(ended, volunteer=person, minutes=30, reason="再来一次")


def test_void_record_may_be_replaced_by_a_request(ended, district, bob):
    person = make_volunteer(district.east_community, 7)
    sign_up(ended, person)
    ServiceRecord.objects.create(
        unit=ended.unit,
        activity=ended,
        volunteer=person,
        source=RecordSource.SCAN,
        status=RecordStatus.VOID,
        checked_in_at=ended.starts_at,
        served_on=ended.starts_at.date(),
    )
    record = services.request_hours(ended, volunteer=person, minutes=100, reason="未签退")
    assert record.status == RecordStatus.PENDING and record.checked_in_at == ended.starts_at
    assert ServiceRecord.objects.count() == 1


def test_staff_hours_need_another_approver(ended, district, bob, dora, alice, received):
    person = make_volunteer(district.east_community, 8)
    sign_up(ended, person)
    record = services.enter_hours(ended, person, minutes=60, reason="现场登记纸质签到表", by=bob)
    assert record.created_by == bob and not record.requested_by_volunteer
    with pytest.raises(ServiceError, match="补录的时长须由录入人以外的工作人员审核"):
        services.approve_hours(record, by=bob)
    with pytest.raises(ServiceError, match="补录的时长须由录入人以外的工作人员审核"):
        services.refuse_hours(record, by=bob, note="不对")
    assert received == []
    services.approve_hours(record, by=dora)
    with pytest.raises(ServiceError, match="该补录已审核"):
        services.approve_hours(record, by=alice)


def test_refusal_needs_a_reason_and_sends_nothing(ended, district, bob, dora, received):
    person = make_volunteer(district.east_community, 9)
    sign_up(ended, person)
    record = services.enter_hours(ended, person, minutes=60, reason="纸质签到表", by=bob)
    with pytest.raises(ServiceError, match="请填写不予通过的理由"):
        services.refuse_hours(record, by=dora, note=" ")
    services.refuse_hours(record, by=dora, note="签到表上没有此人")
    record.refresh_from_db()
    assert record.status == RecordStatus.REFUSED and record.minutes == 60
    assert received == []


def test_staff_hours_rules(ended, district, bob, charlie):
    person = make_volunteer(district.east_community, 10)
    with pytest.raises(ServiceError, match="该志愿者没有报名本次活动"):
        services.enter_hours(ended, person, minutes=60, reason="表", by=bob)
    sign_up(ended, person)
    with pytest.raises(PermissionDenied):
        services.enter_hours(ended, person, minutes=60, reason="表", by=charlie)
    with pytest.raises(ServiceError, match="不能超过活动时长"):
        services.enter_hours(ended, person, minutes=500, reason="表", by=bob)
    record = services.enter_hours(ended, person, minutes=60, reason="表", by=bob)
    with pytest.raises(PermissionDenied):
        services.approve_hours(record, by=charlie)


# --- Corrections -----------------------------------------------------------------------------


def test_correction_keeps_history_and_sends_signal(activity, volunteer, bob, dora, received):
    check_in(activity, volunteer, activity.starts_at)
    record = check_out(activity, volunteer, activity.starts_at + timedelta(minutes=40))
    received.clear()
    services.correct_hours(record, new_minutes=100, reason="签退时手机卡顿，实际服务到 11 点", by=bob)
    services.correct_hours(record, new_minutes=90, reason="核对签到表", by=dora)
    record.refresh_from_db()
    assert record.minutes == 90
    history = list(HoursCorrection.objects.filter(record=record).values_list("old_minutes", "new_minutes", "by"))
    assert history == [(40, 100, bob.pk), (100, 90, dora.pk)]
    assert [(s["signal"], s["old_minutes"], s["by"]) for s in received] == [
        ("corrected", 40, bob),
        ("corrected", 100, dora),
    ]


def test_correction_rules(activity, volunteer, bob, charlie):
    record = check_in(activity, volunteer, activity.starts_at)
    with pytest.raises(ServiceError, match="只能更正已确认的服务时长"):
        services.correct_hours(record, new_minutes=10, reason="x", by=bob)
    record = check_out(activity, volunteer, activity.starts_at + timedelta(minutes=40))
    with pytest.raises(ServiceError, match="请填写更正原因"):
        services.correct_hours(record, new_minutes=10, reason="", by=bob)
    with pytest.raises(ServiceError, match="不能超过活动时长"):
        services.correct_hours(record, new_minutes=121, reason="x", by=bob)
    with pytest.raises(ServiceError, match="与原时长相同"):
        services.correct_hours(record, new_minutes=40, reason="x", by=bob)
    with pytest.raises(PermissionDenied):
        services.correct_hours(record, new_minutes=10, reason="x", by=charlie)
    assert not HoursCorrection.objects.exists()
