"""The rules of the study part's services: the changing code (current and previous window accepted,
stale and forged refused), membership, the attendance window, one row per member, hand-recorded
attendance marked, leave and attendance exclusive, leave decided by another person, make-up,
minutes after closing, plan completion, speeches' files."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from xuanchuan.conftest import make_person
from xuanchuan.core.services import ServiceError
from xuanchuan.org.models import RoleCode
from xuanchuan.theory.models import (
    Attendance,
    AttendanceSource,
    LeaveStatus,
    PlannedSession,
    SessionKind,
    SessionStatus,
    StudyPlan,
)
from xuanchuan.theory.queries.study import plan_completion
from xuanchuan.theory.services import study as services
from xuanchuan.theory.services import study_codes
from xuanchuan.theory.tests.factories import add_member, make_group, make_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def group(district, bob, dora):
    group = make_group(district.east, "东城街道党工委理论学习中心组")
    add_member(group, bob, "leader")
    add_member(group, dora)
    return group


@pytest.fixture
def session(group):
    return make_session(group)


def test_current_and_previous_window_codes_accepted(session, dora, settings):
    now = timezone.now()
    period = settings.THEORY_CHECKIN_CODE_SECONDS
    previous = study_codes.code_for(session, study_codes.window(now.timestamp()) - 1)
    attendance = services.check_in(session, user=dora, code=previous.lower(), at=now)
    assert attendance.source == AttendanceSource.SCAN and attendance.recorded_by is None
    assert study_codes.is_valid(session, study_codes.current_code(session, now.timestamp()), now.timestamp())
    two_back = study_codes.code_for(session, study_codes.window(now.timestamp()) - 2)
    assert not study_codes.is_valid(session, two_back, now.timestamp())
    assert period >= 15


def test_stale_and_forged_codes_refused(session, dora):
    now = timezone.now()
    stale = study_codes.code_for(session, study_codes.window(now.timestamp()) - 2)
    with pytest.raises(ServiceError, match="签到码已过期或不正确"):
        services.check_in(session, user=dora, code=stale, at=now)
    with pytest.raises(ServiceError, match="签到码已过期或不正确"):
        services.check_in(session, user=dora, code="ABCDEFGH", at=now)
    other = make_session(session.group, topic="另一次")
    with pytest.raises(ServiceError, match="签到码已过期或不正确"):
        services.check_in(session, user=dora, code=study_codes.current_code(other), at=now)
    assert not Attendance.objects.exists()


def test_non_member_and_former_member_refused(session, district, charlie, dora):
    code = study_codes.current_code(session)
    with pytest.raises(ServiceError, match="不是该中心组的成员"):
        services.check_in(session, user=charlie, code=code)
    member = session.group.members.get(user=dora)
    member.left_on = timezone.localdate(session.starts_at) - timedelta(days=1)
    member.save()
    with pytest.raises(ServiceError, match="不是该中心组的成员"):
        services.check_in(session, user=dora, code=code)
    assert not Attendance.objects.exists()


def test_window_cancelled_and_closed_refused(group, dora, bob):
    early = make_session(group, starts_at=timezone.now() + timedelta(minutes=90))
    with pytest.raises(ServiceError, match="签到尚未开始"):
        services.check_in(early, user=dora, code=study_codes.current_code(early))
    ok = make_session(group, topic="早到", starts_at=timezone.now() + timedelta(minutes=50))
    assert services.check_in(ok, user=dora, code=study_codes.current_code(ok))
    over = make_session(group, starts_at=timezone.now() - timedelta(hours=3), hours=2)
    with pytest.raises(ServiceError, match="会议已结束"):
        services.check_in(over, user=dora, code=study_codes.current_code(over))
    closed = make_session(group)
    services.close_attendance(closed, by=bob)
    with pytest.raises(ServiceError, match="签到已结束"):
        services.check_in(closed, user=dora, code=study_codes.current_code(closed))
    cancelled = make_session(group, starts_at=timezone.now() + timedelta(minutes=30))
    services.cancel_session(cancelled, by=bob)
    with pytest.raises(ServiceError, match="已取消"):
        services.check_in(cancelled, user=dora, code=study_codes.current_code(cancelled))


def test_twice_is_one_row(session, dora):
    code = study_codes.current_code(session)
    services.check_in(session, user=dora, code=code)
    with pytest.raises(services.AlreadyCheckedIn, match="已签到"):
        services.check_in(session, user=dora, code=code)
    assert Attendance.objects.filter(session=session).count() == 1


def test_check_in_by_typed_code_finds_the_session(session, group, dora):
    make_session(group, topic="同时的另一场")
    code = study_codes.current_code(session)
    attendance = services.check_in_by_code(user=dora, code=f" {code[:4].lower()}-{code[4:]} ")
    assert attendance.session == session
    with pytest.raises(ServiceError, match="签到码已过期或不正确"):
        services.check_in_by_code(user=dora, code="ZZZZZZZZ")


def test_manual_record_marked_with_who(session, bob, dora, charlie):
    member = session.group.members.get(user=dora)
    with pytest.raises(PermissionDenied):
        services.record_by_hand(session, member, by=charlie)
    attendance = services.record_by_hand(session, member, by=bob)
    assert attendance.source == AttendanceSource.MANUAL and attendance.recorded_by == bob
    with pytest.raises(services.AlreadyCheckedIn):
        services.record_by_hand(session, member, by=bob)


def test_a_community_worker_may_not_manage(session, dora):
    member = session.group.members.get(user=dora)
    with pytest.raises(PermissionDenied):
        services.record_by_hand(session, member, by=dora)
    with pytest.raises(PermissionDenied):
        services.close_attendance(session, by=dora)


def test_leave_and_attendance_exclude_each_other(group, bob, dora):
    later = make_session(group, starts_at=timezone.now() + timedelta(minutes=30))
    services.check_in(later, user=dora, code=study_codes.current_code(later))
    with pytest.raises(ServiceError, match="已签到出席，不能再请假"):
        services.request_leave(later, user=dora, reason="临时有事")
    other = make_session(group, topic="第二次", starts_at=timezone.now() + timedelta(minutes=40))
    services.request_leave(other, user=dora, reason="出差")
    with pytest.raises(ServiceError, match="已请假，不能同时签到"):
        services.check_in(other, user=dora, code=study_codes.current_code(other))
    with pytest.raises(ServiceError, match="已请假"):
        services.record_by_hand(other, other.group.members.get(user=dora), by=bob)


def test_leave_only_before_start_and_once(group, session, dora):
    with pytest.raises(ServiceError, match="已经开始"):
        services.request_leave(session, user=dora, reason="晚了")
    later = make_session(group, starts_at=timezone.now() + timedelta(days=1))
    with pytest.raises(ServiceError, match="请填写请假事由"):
        services.request_leave(later, user=dora, reason="  ")
    services.request_leave(later, user=dora, reason="出差")
    with pytest.raises(ServiceError, match="申请过"):
        services.request_leave(later, user=dora, reason="出差")


def test_approval_by_another_person_sets_makeup_due(group, district, bob, dora):
    later = make_session(group, starts_at=timezone.now() + timedelta(days=1))
    own = services.request_leave(later, user=bob, reason="开会")
    with pytest.raises(ServiceError, match="不能审批自己的请假"):
        services.decide_leave(own, approve=True, by=bob)
    other_staff = make_person("erin", district.east, RoleCode.UNIT_REPORTER)
    leave = services.decide_leave(own, approve=True, by=other_staff)
    assert leave.status == LeaveStatus.APPROVED and leave.decided_by == other_staff
    assert leave.makeup_due == timezone.localdate(later.starts_at) + timedelta(days=30)
    with pytest.raises(ServiceError, match="已办理"):
        services.decide_leave(leave, approve=False, by=other_staff)
    dora_leave = services.request_leave(later, user=dora, reason="培训")
    due = timezone.localdate() + timedelta(days=10)
    assert services.decide_leave(dora_leave, approve=True, makeup_due=due, by=bob).makeup_due == due


def test_refusal_leaves_no_makeup(group, bob, dora):
    later = make_session(group, starts_at=timezone.now() + timedelta(days=1))
    leave = services.decide_leave(services.request_leave(later, user=dora, reason="事"), approve=False, by=bob)
    assert leave.status == LeaveStatus.REFUSED and leave.makeup_due is None
    with pytest.raises(ServiceError, match="已准假"):
        services.submit_makeup(leave, user=dora, note="学了")


def test_makeup_flow(group, bob, dora, charlie):
    later = make_session(group, starts_at=timezone.now() + timedelta(days=1))
    leave = services.decide_leave(services.request_leave(later, user=dora, reason="事"), approve=True, by=bob)
    with pytest.raises(ServiceError, match="只能为自己的请假"):
        services.submit_makeup(leave, user=charlie, note="代交")
    with pytest.raises(ServiceError, match="请填写补学内容"):
        services.submit_makeup(leave, user=dora, note=" ")
    leave = services.submit_makeup(leave, user=dora, note="学习了会议材料")
    assert leave.made_up_at is not None and leave.makeup_note == "学习了会议材料"
    with pytest.raises(ServiceError, match="已提交过"):
        services.submit_makeup(leave, user=dora, note="再交")


def test_minutes_after_closing_marks_held(session, bob):
    with pytest.raises(ServiceError, match="先结束签到"):
        services.save_minutes(session, minutes="纪要", by=bob)
    services.close_attendance(session, by=bob)
    with pytest.raises(ServiceError, match="签到已经结束"):
        services.close_attendance(session, by=bob)
    with pytest.raises(ServiceError, match="请填写会议纪要"):
        services.save_minutes(session, minutes=" ", by=bob)
    session = services.save_minutes(session, minutes="会议学习了……", by=bob)
    assert session.status == SessionStatus.HELD and session.minutes == "会议学习了……"


def test_cancel_only_without_attendance(session, group, bob, dora):
    services.check_in(session, user=dora, code=study_codes.current_code(session))
    with pytest.raises(ServiceError, match="已有成员签到"):
        services.cancel_session(session, by=bob)


def test_scope_of_the_acting_user(group, charlie):
    with pytest.raises(PermissionDenied):
        services.save_session(
            None,
            group=group,
            topic="x",
            kind=SessionKind.STUDY,
            starts_at=timezone.now(),
            ends_at=timezone.now() + timedelta(hours=1),
            place="x",
            by=charlie,
        )
    with pytest.raises(PermissionDenied):
        services.add_member(group, user=charlie, by=charlie)


def test_members_come_from_visible_units_once(group, district, bob, alice):
    west_person = make_person("wang", district.west)
    with pytest.raises(ServiceError, match="管辖范围"):
        services.add_member(group, user=west_person, by=bob)
    with pytest.raises(ServiceError, match="已是本中心组成员"):
        services.add_member(group, user=bob, by=alice)
    member = services.add_member(group, user=west_person, by=alice)
    with pytest.raises(ServiceError, match="不能早于加入日期"):
        services.member_leave(member, left_on=member.joined_on - timedelta(days=1), by=alice)
    services.member_leave(member, left_on=timezone.localdate(), by=alice)
    again = services.add_member(group, user=west_person, by=alice)
    assert again.pk != member.pk and group.members.filter(user=west_person).count() == 2


def test_planned_item_must_be_of_the_group(group, district, bob):
    now = timezone.now()
    other = make_group(district.east, "另一组")
    plan = services.save_plan(None, group=other, year=2026, title="计划", by=bob)
    item = services.save_planned_item(None, plan=plan, topic="专题", kind=SessionKind.STUDY, month=3, by=bob)
    with pytest.raises(ServiceError, match="不属于该中心组"):
        services.save_session(
            None,
            group=group,
            planned=item,
            topic="x",
            kind=SessionKind.STUDY,
            starts_at=timezone.now(),
            ends_at=timezone.now() + timedelta(hours=1),
            place="x",
            by=bob,
        )
    with pytest.raises(ServiceError, match="已有 2026 年度"):
        services.save_plan(None, group=other, year=2026, title="重复", by=bob)
    with pytest.raises(ServiceError, match="结束时间应晚于开始时间"):
        services.save_session(
            None,
            group=group,
            topic="x",
            kind=SessionKind.STUDY,
            starts_at=now,
            ends_at=now,
            place="x",
            by=bob,
        )


def test_plan_completion_numbers(group, bob):
    today = timezone.localdate()
    plan = StudyPlan.objects.create(unit=group.unit, group=group, year=today.year - 1, title="去年计划")
    items = [
        PlannedSession.objects.create(plan=plan, topic=f"专题{i}", kind=kind, month=month)
        for i, (kind, month) in enumerate(
            [(SessionKind.STUDY, 1), (SessionKind.STUDY, 2), (SessionKind.DISCUSSION, 3), (SessionKind.TUTORIAL, 12)]
        )
    ]
    make_session(group, planned=items[0], status=SessionStatus.HELD)
    make_session(group, planned=items[2], status=SessionStatus.HELD)
    make_session(group, planned=items[1], status=SessionStatus.CANCELLED)
    make_session(group, planned=items[3])  # scheduled, not held
    completion = plan_completion(plan, today=today)
    assert (completion.planned, completion.done, completion.percent) == (4, 2, 50.0)
    assert completion.overdue == 2  # last year's items 2 and 4: past months, not held
    assert [row.done for row in completion.rows] == [True, False, True, False]
    assert completion.by_kind == [("集中学习", 2, 1), ("研讨交流", 1, 1), ("专题辅导", 1, 0)]
    this_year = StudyPlan.objects.create(unit=group.unit, group=group, year=today.year, title="今年")
    PlannedSession.objects.create(plan=this_year, topic="本月", kind=SessionKind.STUDY, month=today.month)
    assert plan_completion(this_year, today=today).overdue == 0


def test_speech_only_after_attending_and_file_types(session, bob, dora):
    with pytest.raises(ServiceError, match="只有出席"):
        services.submit_speech(session, user=dora, title="体会", text="正文")
    services.check_in(session, user=dora, code=study_codes.current_code(session))
    exe = SimpleUploadedFile("a.exe", b"MZ....", content_type="application/octet-stream")
    with pytest.raises(ServiceError, match="PDF 或 Word"):
        services.submit_speech(session, user=dora, title="体会", file=exe)
    fake = SimpleUploadedFile("a.pdf", b"not a pdf", content_type="application/pdf")
    with pytest.raises(ServiceError, match="内容与文件类型不符"):
        services.submit_speech(session, user=dora, title="体会", file=fake)
    with pytest.raises(ServiceError, match="请填写发言正文或上传附件"):
        services.submit_speech(session, user=dora, title="体会")
    pdf = SimpleUploadedFile("体会.pdf", b"%PDF-1.4 hello", content_type="application/pdf")
    speech = services.submit_speech(session, user=dora, title="体会", text="", file=pdf)
    assert speech.file.name.endswith(".pdf") and speech.member.user == dora


def test_speech_file_size_limit(session, dora, monkeypatch):
    services.check_in(session, user=dora, code=study_codes.current_code(session))
    monkeypatch.setattr(services, "SPEECH_MAX_BYTES", 10)
    big = SimpleUploadedFile("a.pdf", b"%PDF-1.4 " + b"x" * 20, content_type="application/pdf")
    with pytest.raises(ServiceError, match="不能超过"):
        services.submit_speech(session, user=dora, title="体会", file=big)
