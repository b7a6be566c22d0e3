"""The study part's pages: scope (charlie of 西城街道 sees none of 东城街道's records), roles (403
without the study role; ``my_study`` for anyone signed in), bad input (a clear message, nothing
saved), query-count bounds on lists and the screen, Excel exports, and the member's path through the
QR code, leave, make-up and speeches."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from xuanchuan.conftest import make_person, verified_login
from xuanchuan.org.models import RoleCode
from xuanchuan.theory.models import (
    Attendance,
    AttendanceSource,
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
    return make_session(group, topic="东城学习会议")


def xlsx_text(response) -> str:
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    return "\n".join(str(c) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for c in row if c)


def test_outsider_sees_nothing_of_the_sibling_street(client, district, charlie, group, session):
    plan = StudyPlan.objects.create(unit=group.unit, group=group, year=2026, title="东城计划")
    client.force_login(charlie)
    for name in ("theory:group_list", "theory:session_list", "theory:plan_list", "theory:leave_queue"):
        response = client.get(reverse(name))
        assert response.status_code == 200
        assert "东城" not in response.content.decode(), name
        assert "东城" not in xlsx_text(client.get(reverse(name), {"export": "xlsx"}))
    for name, pk in (
        ("theory:group_detail", group.pk),
        ("theory:session_detail", session.pk),
        ("theory:session_screen", session.pk),
        ("theory:session_screen_state", session.pk),
        ("theory:plan_detail", plan.pk),
        ("theory:member_archive", group.members.first().pk),
        ("theory:leave_request", session.pk),
    ):
        assert client.get(reverse(name, args=[pk])).status_code == 404, name
    code = study_codes.current_code(session)
    assert client.get(reverse("theory:session_checkin", args=[session.pk, code])).status_code == 404
    assert client.post(reverse("theory:session_record", args=[session.pk]), {"member": 1}).status_code == 404


def test_the_owner_sees_the_records(client, bob, group, session):
    client.force_login(bob)
    assert "东城学习会议" in client.get(reverse("theory:session_list")).content.decode()
    assert client.get(reverse("theory:group_detail", args=[group.pk])).status_code == 200
    page = client.get(reverse("theory:session_detail", args=[session.pk])).content.decode()
    assert "东城学习会议" in page and "杜拉" in page


def test_roles(client, district, dora, group, session):
    verified_login(client, dora)  # community worker: sees, does not manage
    assert client.get(reverse("theory:session_list")).status_code == 200
    assert client.get(reverse("theory:session_create")).status_code == 403
    assert client.get(reverse("theory:group_create")).status_code == 403
    assert client.get(reverse("theory:session_screen", args=[session.pk])).status_code == 404  # above her unit
    own = make_group(district.east_community, "幸福社区党支部学习组", dora)
    own_session = make_session(own)
    assert client.get(reverse("theory:session_detail", args=[own_session.pk])).status_code == 200
    assert client.get(reverse("theory:session_screen", args=[own_session.pk])).status_code == 403
    assert client.get(reverse("theory:member_add", args=[own.pk])).status_code == 403
    nobody = make_person("nobody", None)  # no unit, no role
    client.force_login(nobody)
    assert client.get(reverse("theory:session_list")).status_code == 403
    assert client.get(reverse("theory:my_study")).status_code == 200
    client.logout()
    assert client.get(reverse("theory:my_study")).status_code == 302


def test_my_study_for_a_member_without_any_role(client, district, group, bob):
    member_user = make_person("plain", district.east_community, full_name="普通党员")
    add_member(group, member_user)
    held = make_session(group, topic="已举行的会议", starts_at=timezone.now() - timedelta(days=3))
    code_at = held.starts_at + timedelta(minutes=5)
    services.check_in(held, user=member_user, code=study_codes.current_code(held, code_at.timestamp()), at=code_at)
    services.close_attendance(held, by=bob)
    services.save_minutes(held, minutes="纪要", by=bob)
    upcoming = make_session(group, topic="下周的会议", starts_at=timezone.now() + timedelta(days=7))
    client.force_login(member_user)
    page = client.get(reverse("theory:my_study")).content.decode()
    assert "已举行的会议" in page and "下周的会议" in page and "100.0%" in page
    assert reverse("theory:leave_request", args=[upcoming.pk]) in page


def test_create_session_from_a_planned_item_prefilled_and_bad_input(client, bob, group):
    plan = StudyPlan.objects.create(unit=group.unit, group=group, year=2026, title="计划")
    item = PlannedSession.objects.create(
        plan=plan, topic="学习二十届四中全会精神", kind=SessionKind.DISCUSSION, month=3
    )
    client.force_login(bob)
    page = client.get(reverse("theory:session_create"), {"planned": item.pk}).content.decode()
    assert 'value="学习二十届四中全会精神"' in page
    data = {
        "group": group.pk,
        "planned": item.pk,
        "topic": "学习二十届四中全会精神",
        "kind": SessionKind.DISCUSSION,
        "starts_at": "2026-03-10T09:00",
        "ends_at": "2026-03-10T08:00",
        "place": "会议室",
    }
    response = client.post(reverse("theory:session_create"), data)
    assert response.status_code == 400 and "结束时间应晚于开始时间" in response.content.decode()
    assert not StudySession.objects.exists()
    data["ends_at"] = "2026-03-10T11:00"
    response = client.post(reverse("theory:session_create"), data)
    session = StudySession.objects.get()
    assert response.status_code == 302 and session.planned == item and session.created_by == bob


def test_duplicate_plan_refused_with_a_message(client, bob, group):
    client.force_login(bob)
    data = {"group": group.pk, "year": 2026, "title": "年度计划"}
    assert client.post(reverse("theory:plan_create"), data).status_code == 302
    response = client.post(reverse("theory:plan_create"), data)
    assert response.status_code == 400 and "已有 2026 年度的学习计划" in response.content.decode()
    assert StudyPlan.objects.count() == 1


def test_plan_page_and_export(client, bob, group):
    plan = StudyPlan.objects.create(unit=group.unit, group=group, year=2026, title="计划")
    items = [
        PlannedSession.objects.create(plan=plan, topic=f"专题{i}", kind=SessionKind.STUDY, month=i) for i in (1, 2)
    ]
    make_session(group, planned=items[0], status=SessionStatus.HELD)
    client.force_login(bob)
    page = client.get(reverse("theory:plan_detail", args=[plan.pk])).content.decode()
    assert "50.0%" in page and "1 / 2" in page
    text = xlsx_text(client.get(reverse("theory:plan_detail", args=[plan.pk]), {"export": "xlsx"}))
    assert "专题1" in text and "已完成" in text and "专题2" in text


def test_plan_item_delete_asks_first(client, bob, group):
    plan = StudyPlan.objects.create(unit=group.unit, group=group, year=2026, title="计划")
    item = PlannedSession.objects.create(plan=plan, topic="专题", kind=SessionKind.STUDY, month=1)
    client.force_login(bob)
    url = reverse("theory:plan_item_delete", args=[item.pk])
    assert "删除计划专题“专题”" in client.get(url).content.decode()
    assert PlannedSession.objects.filter(pk=item.pk).exists()
    assert client.post(url).status_code == 302
    assert not PlannedSession.objects.filter(pk=item.pk).exists()


def test_lists_query_counts(client, district, bob, group, django_assert_max_num_queries):
    for i in range(12):
        s = make_session(group, topic=f"会议{i}", starts_at=timezone.now() - timedelta(days=i + 1))
        Attendance.objects.create(session=s, member=group.members.first(), at=s.starts_at, source=AttendanceSource.SCAN)
        Leave.objects.create(session=s, member=group.members.last(), reason="事", created_at=timezone.now())
        plan_group = make_group(district.east, f"组{i}", bob)
        StudyPlan.objects.create(unit=district.east, group=plan_group, year=2026, title=f"计划{i}")
    client.force_login(bob)
    for name in ("theory:session_list", "theory:group_list", "theory:plan_list", "theory:leave_queue"):
        with django_assert_max_num_queries(16):
            assert client.get(reverse(name)).status_code == 200
    session = StudySession.objects.first()
    with django_assert_max_num_queries(14):
        assert client.get(reverse("theory:session_screen_state", args=[session.pk])).status_code == 200
    with django_assert_max_num_queries(22):
        assert client.get(reverse("theory:session_detail", args=[session.pk])).status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get(reverse("theory:my_study")).status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get(reverse("theory:group_detail", args=[group.pk])).status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get(reverse("theory:member_archive", args=[group.members.first().pk])).status_code == 200
    plan = StudyPlan.objects.first()
    for month in range(1, 13):
        PlannedSession.objects.create(plan=plan, topic=f"专题{month}", kind=SessionKind.STUDY, month=month)
    with django_assert_max_num_queries(16):
        assert client.get(reverse("theory:plan_detail", args=[plan.pk])).status_code == 200


def test_exports_of_the_staff_tables(client, bob, group, session):
    Leave.objects.create(session=session, member=group.members.last(), reason="外出学习", created_at=timezone.now())
    StudyPlan.objects.create(unit=group.unit, group=group, year=2026, title="东城年度计划")
    client.force_login(bob)
    assert "东城学习会议" in xlsx_text(client.get(reverse("theory:session_list"), {"export": "xlsx"}))
    assert "东城街道党工委理论学习中心组" in xlsx_text(client.get(reverse("theory:group_list"), {"export": "xlsx"}))
    assert "东城年度计划" in xlsx_text(client.get(reverse("theory:plan_list"), {"export": "xlsx"}))
    assert "外出学习" in xlsx_text(client.get(reverse("theory:leave_queue"), {"export": "xlsx"}))


def test_screen_shows_the_qr_and_moves_the_member(client, bob, dora, session):
    client.force_login(bob)
    page = client.get(reverse("theory:session_screen", args=[session.pk])).content.decode()
    code = study_codes.current_code(session)
    assert code in page and "<svg" in page and reverse("theory:session_checkin", args=[session.pk, code]) in page
    assert 'hx-get="' + reverse("theory:session_screen_state", args=[session.pk]) in page
    state = client.get(reverse("theory:session_screen_state", args=[session.pk])).content.decode()
    missing = state[state.index('id="missing"') :]
    assert "杜拉" in missing
    services.check_in(session, user=dora, code=code)
    state = client.get(reverse("theory:session_screen_state", args=[session.pk])).content.decode()
    present, missing = (
        state[state.index('id="present"') : state.index('id="missing"')],
        state[state.index('id="missing"') :],
    )
    assert "杜拉" in present and "杜拉" not in missing


def test_member_checks_in_by_the_qr_url(client, dora, session):
    code = study_codes.current_code(session)
    url = reverse("theory:session_checkin", args=[session.pk, code])
    verified_login(client, dora)
    assert "确认签到" in client.get(url).content.decode()
    assert not Attendance.objects.exists()
    assert "签到成功" in client.post(url).content.decode()
    assert "已签到" in client.post(url).content.decode()
    assert Attendance.objects.filter(session=session).count() == 1
    stale = reverse("theory:session_checkin", args=[session.pk, "ABCDEFGH"])
    other = make_session(session.group, topic="另一次")
    response = client.post(reverse("theory:session_checkin", args=[other.pk, "ABCDEFGH"]))
    assert response.status_code == 400 and "签到码已过期或不正确" in response.content.decode()
    assert client.get(stale).status_code == 200  # already in: says so whatever the code


def test_typed_code_page(client, dora, session):
    verified_login(client, dora)
    response = client.post(reverse("theory:checkin_code"), {"code": "00000000"})
    assert response.status_code == 400 and "签到码已过期或不正确" in response.content.decode()
    response = client.post(reverse("theory:checkin_code"), {"code": study_codes.current_code(session).lower()})
    assert response.status_code == 200 and "签到成功" in response.content.decode()


def test_hand_record_and_close_and_minutes(client, bob, dora, session):
    client.force_login(bob)
    member = session.group.members.get(user=dora)
    client.post(reverse("theory:session_record", args=[session.pk]), {"member": member.pk})
    attendance = Attendance.objects.get(session=session, member=member)
    assert attendance.source == AttendanceSource.MANUAL and attendance.recorded_by == bob
    assert client.post(reverse("theory:session_close", args=[session.pk])).status_code == 302
    response = client.post(reverse("theory:session_minutes", args=[session.pk]), {"minutes": "会议传达学习了……"})
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.status == SessionStatus.HELD and session.closed_at and session.minutes == "会议传达学习了……"


def test_leave_request_approve_and_makeup_pages(client, district, bob, dora, group):
    later = make_session(group, topic="下周学习", starts_at=timezone.now() + timedelta(days=7))
    verified_login(client, dora)
    response = client.post(reverse("theory:leave_request", args=[later.pk]), {"reason": "外出培训"})
    assert response.status_code == 302
    leave = Leave.objects.get()
    client.force_login(bob)
    assert "外出培训" in client.get(reverse("theory:leave_queue"), {"status": "pending"}).content.decode()
    due = (timezone.localdate() + timedelta(days=20)).isoformat()
    assert client.post(reverse("theory:leave_approve", args=[leave.pk]), {"makeup_due": due}).status_code == 302
    leave.refresh_from_db()
    assert leave.status == LeaveStatus.APPROVED and leave.decided_by == bob and leave.makeup_due.isoformat() == due
    verified_login(client, dora)
    response = client.post(reverse("theory:makeup_submit", args=[leave.pk]), {"note": "自学了会议材料"})
    assert response.status_code == 302
    leave.refresh_from_db()
    assert leave.made_up_at is not None
    client.force_login(make_person("someone", district.east))
    assert client.get(reverse("theory:makeup_submit", args=[leave.pk])).status_code == 404


def test_overdue_makeups_listed_for_staff_and_members(client, bob, dora, group):
    past = make_session(group, starts_at=timezone.now() - timedelta(days=40))
    leave = Leave.objects.create(
        session=past,
        member=group.members.get(user=dora),
        reason="事",
        status=LeaveStatus.APPROVED,
        decided_by=bob,
        makeup_due=timezone.localdate() - timedelta(days=5),
        created_at=timezone.now(),
    )
    recent = make_session(group, topic="最近一次", starts_at=timezone.now() - timedelta(days=2))
    Leave.objects.create(
        session=recent,
        member=group.members.get(user=dora),
        reason="未到期的事由",
        status=LeaveStatus.APPROVED,
        decided_by=bob,
        makeup_due=timezone.localdate() + timedelta(days=5),
        created_at=timezone.now(),
    )
    client.force_login(bob)
    page = client.get(reverse("theory:leave_queue"), {"overdue": "true"}).content.decode()
    assert "已逾期" in page and "补学逾期 1 人次" in page and "未到期的事由" not in page
    assert "未到期的事由" in client.get(reverse("theory:leave_queue")).content.decode()
    from xuanchuan.theory.todos_study import todos

    assert [t.count for t in todos(bob) if "补学已逾期" in t.label] == [1]
    assert [t.count for t in todos(dora) if "待补学" in t.label] == [2]
    leave.made_up_at = timezone.now()
    leave.save()
    assert not [t for t in todos(bob) if "补学已逾期" in t.label]


def test_todos(bob, dora, group, session):
    from xuanchuan.theory.todos_study import todos

    assert [t.count for t in todos(dora) if "今天的中心组学习会议" in t.label] == [1]
    services.check_in(session, user=dora, code=study_codes.current_code(session))
    assert not [t for t in todos(dora) if "今天的中心组学习会议" in t.label]
    later = make_session(group, starts_at=timezone.now() + timedelta(days=2))
    services.request_leave(later, user=dora, reason="事")
    assert [t.count for t in todos(bob) if "请假待批准" in t.label] == [1]
    services.close_attendance(session, by=bob)
    assert [t.count for t in todos(bob) if "待填写纪要" in t.label] == [1]
    assert not todos(make_person("x", None))


def test_speech_submit_and_download(client, bob, dora, session):
    services.check_in(session, user=dora, code=study_codes.current_code(session))
    verified_login(client, dora)
    upload = SimpleUploadedFile("心得.pdf", b"%PDF-1.4 speech", content_type="application/pdf")
    response = client.post(reverse("theory:speech_submit", args=[session.pk]), {"title": "学习体会", "file": upload})
    assert response.status_code == 302
    speech = Speech.objects.get()
    bad = SimpleUploadedFile("x.txt", b"hello", content_type="text/plain")
    response = client.post(reverse("theory:speech_submit", args=[session.pk]), {"title": "二", "file": bad})
    assert response.status_code == 400 and "PDF 或 Word" in response.content.decode()
    assert Speech.objects.count() == 1
    assert client.get(reverse("theory:speech_file", args=[speech.pk])).status_code == 200
    client.force_login(bob)
    assert "学习体会" in client.get(reverse("theory:session_detail", args=[session.pk])).content.decode()
    assert b"%PDF" in b"".join(client.get(reverse("theory:speech_file", args=[speech.pk])).streaming_content)


def test_member_add_search_and_leave(client, district, bob, group):
    person = make_person("newbie", district.east_community, full_name="新成员")
    client.force_login(bob)
    page = client.get(reverse("theory:member_add", args=[group.pk]), {"q": "新成员"}).content.decode()
    assert "新成员（newbie" in page
    response = client.post(
        reverse("theory:member_add", args=[group.pk]),
        {"user": person.pk, "role": "secretary", "joined_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 302
    member = StudyMember.objects.get(user=person)
    assert member.role == "secretary"
    url = reverse("theory:member_leave", args=[member.pk])
    assert client.post(url, {"left_on": timezone.localdate().isoformat()}).status_code == 302
    member.refresh_from_db()
    assert member.left_on == timezone.localdate()
    assert "新成员" in client.get(reverse("theory:member_archive", args=[member.pk])).content.decode()


def test_reporter_with_otp_free_role_of_another_unit_cannot_add_west_people(client, district, bob, group):
    west = make_person("westy", district.west, RoleCode.UNIT_REPORTER)
    client.force_login(bob)
    response = client.post(
        reverse("theory:member_add", args=[group.pk]),
        {"user": west.pk, "role": "member", "joined_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 400
    assert not StudyMember.objects.filter(user=west).exists()


def test_checkin_page_says_why_before_the_button(client, bob, dora, group, session):
    verified_login(client, dora)
    cancelled = make_session(group, topic="取消的会议", starts_at=timezone.now() + timedelta(minutes=20))
    services.cancel_session(cancelled, by=bob)
    page = client.get(reverse("theory:session_checkin", args=[cancelled.pk, study_codes.current_code(cancelled)]))
    assert page.status_code == 400 and "该会议已取消" in page.content.decode()
    member = group.members.get(user=dora)
    member.left_on = timezone.localdate() - timedelta(days=1)
    member.save()
    page = client.get(reverse("theory:session_checkin", args=[session.pk, study_codes.current_code(session)]))
    assert page.status_code == 400 and "不是该中心组的成员" in page.content.decode()
    assert "confirm-checkin" not in page.content.decode()


def test_member_add_lists_the_groups_units_until_a_search(client, district, alice, group):
    make_person("inside", district.east_community, full_name="东城社区人")
    make_person("outside", district.west, full_name="西城街道人")
    verified_login(client, alice)
    page = client.get(reverse("theory:member_add", args=[group.pk])).content.decode()
    assert "东城社区人" in page and "西城街道人" not in page
    page = client.get(reverse("theory:member_add", args=[group.pk]), {"q": "西城街道人"}).content.decode()
    assert "西城街道人" in page and "东城社区人" not in page
