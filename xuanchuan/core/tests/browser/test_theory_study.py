"""理论学习中心组 — a study session with attendance by the changing QR code, in a real browser: the
organiser creates a session from the group's page, opens the screen (QR and code visible); a member
on a phone-sized window opens the address the QR holds, as the camera would, and confirms; the
screen's live list moves the member from missing to present by itself (htmx polling); the organiser
closes attendance and writes the minutes, and the session is held. The app's own tests are in
``xuanchuan/theory/tests/test_study_*.py``."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from xuanchuan.conftest import make_person
from xuanchuan.core.tests.browser.conftest import signed_in_cookie
from xuanchuan.org.models import RoleCode
from xuanchuan.theory.models import Attendance, AttendanceSource, SessionStatus, StudySession
from xuanchuan.theory.tests.factories import add_member, make_group

# live_server answers from another thread, so the data is committed (transaction=True).
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def watch(page) -> list[str]:
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    return problems


def test_session_with_qr_attendance(page, phone_page, live_server, district, screenshot_dir):
    organiser = make_person("zuzhi", district.east, RoleCode.UNIT_REPORTER, full_name="组织者")
    member_user = make_person("dangyuan", district.east_community, full_name="李学习")
    absent_user = make_person("quexi", district.east_community, full_name="王缺席")
    group = make_group(district.east, "东城街道党工委理论学习中心组")
    add_member(group, organiser, "leader")
    add_member(group, member_user)
    add_member(group, absent_user)

    screen_problems = watch(page)
    phone_problems = watch(phone_page)
    page.context.add_cookies([{**signed_in_cookie(organiser), "url": live_server.url}])
    phone_page.context.add_cookies([{**signed_in_cookie(member_user), "url": live_server.url}])

    # The organiser arranges the session from the group's page.
    page.goto(live_server.url + reverse("theory:group_detail", args=[group.pk]))
    page.click("#new-session")
    start = timezone.localtime(timezone.now() - timedelta(minutes=10))
    page.fill("#id_topic", "学习习近平新时代中国特色社会主义思想")
    page.select_option("#id_kind", "study")
    page.fill("#id_starts_at", start.strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_ends_at", (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_place", "街道三楼会议室")
    page.screenshot(path=str(screenshot_dir / "study_session_form.png"), full_page=True)
    page.click("#save")
    page.wait_for_selector("#open-screen")
    session = StudySession.objects.get()
    assert session.topic == "学习习近平新时代中国特色社会主义思想"

    # The screen: QR and code; the member is missing.
    page.click("#open-screen")
    page.wait_for_selector("#qr svg")
    code = page.inner_text("#code").strip()
    assert len(code) == 8
    qr_url = page.get_attribute("#qr-link", "href")
    assert qr_url.endswith(f"/study/checkin/{session.pk}/{code}/")
    assert "李学习" in page.inner_text("#missing")
    assert page.inner_text("#count-present") == "0"
    page.screenshot(path=str(screenshot_dir / "study_screen.png"), full_page=True)

    # The member's phone opens what the QR holds and confirms.
    phone_page.goto(qr_url)
    phone_page.wait_for_selector("#confirm-checkin")
    phone_page.screenshot(path=str(screenshot_dir / "study_phone_checkin.png"), full_page=True)
    assert not Attendance.objects.exists()  # GET changes nothing
    phone_page.click("#confirm-checkin")
    phone_page.wait_for_selector("#checkin-done")
    assert "签到成功" in phone_page.inner_text("#checkin-done")
    phone_page.screenshot(path=str(screenshot_dir / "study_phone_done.png"), full_page=True)
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390

    # The screen moves the member from missing to present by itself.
    expect(page.locator("#count-present")).to_have_text("1", timeout=15_000)
    assert "李学习" in page.inner_text("#present")
    assert "李学习" not in page.inner_text("#missing")
    assert "王缺席" in page.inner_text("#missing")
    page.screenshot(path=str(screenshot_dir / "study_screen_present.png"), full_page=True)

    # Close attendance, then the minutes.
    page.click("#close-attendance")
    page.click("#confirm")
    page.wait_for_selector("#write-minutes")
    page.click("#write-minutes")
    page.fill("#id_minutes", "会议传达学习了有关精神，李学习作交流发言。")
    page.click("#save")
    page.wait_for_selector("#status")
    assert page.inner_text("#status") == "已举行"
    assert "实到 1 / 应到 3" in page.inner_text("#session-rate")
    page.screenshot(path=str(screenshot_dir / "study_session_held.png"), full_page=True)

    session.refresh_from_db()
    assert session.status == SessionStatus.HELD and session.closed_at is not None
    attendance = Attendance.objects.get()
    assert attendance.member.user == member_user and attendance.source == AttendanceSource.SCAN

    # The member's own record on the phone.
    phone_page.goto(live_server.url + reverse("theory:my_study"))
    phone_page.wait_for_selector("#attended")
    assert "学习习近平新时代中国特色社会主义思想" in phone_page.inner_text("#attended")
    phone_page.screenshot(path=str(screenshot_dir / "study_phone_my_study.png"), full_page=True)
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    assert not screen_problems, screen_problems
    assert not phone_problems, phone_problems


def test_plan_completion_leave_and_typed_code(page, phone_page, live_server, district, screenshot_dir):
    from xuanchuan.theory.models import Leave, LeaveStatus, PlannedSession, SessionKind, StudyPlan
    from xuanchuan.theory.tests.factories import make_session

    organiser = make_person("zuzhi", district.east, RoleCode.UNIT_REPORTER, full_name="组织者")
    member_user = make_person("dangyuan", district.east_community, full_name="李学习")
    group = make_group(district.east, "东城街道党工委理论学习中心组")
    add_member(group, organiser, "leader")
    member = add_member(group, member_user)
    year = timezone.localdate().year
    plan = StudyPlan.objects.create(unit=group.unit, group=group, year=year - 1, title=f"{year - 1}年度理论学习计划")
    kinds = [SessionKind.STUDY, SessionKind.DISCUSSION, SessionKind.TUTORIAL, SessionKind.STUDY]
    items = [
        PlannedSession.objects.create(plan=plan, topic=f"专题学习{i + 1}", kind=kind, month=3 * i + 1, speakers="书记")
        for i, kind in enumerate(kinds)
    ]
    make_session(group, planned=items[0], topic=items[0].topic, status=SessionStatus.HELD)
    later = make_session(group, topic="下周专题研讨", starts_at=timezone.now() + timedelta(days=7))
    Leave.objects.create(session=later, member=member, reason="参加区里培训", created_at=timezone.now())
    Leave.objects.create(
        session=make_session(group, topic="上月学习", starts_at=timezone.now() - timedelta(days=40)),
        member=member,
        reason="出差",
        status=LeaveStatus.APPROVED,
        decided_by=organiser,
        makeup_due=timezone.localdate() - timedelta(days=3),
        created_at=timezone.now(),
    )
    problems = watch(page)
    phone_problems = watch(phone_page)
    page.context.add_cookies([{**signed_in_cookie(organiser), "url": live_server.url}])
    phone_page.context.add_cookies([{**signed_in_cookie(member_user), "url": live_server.url}])

    page.goto(live_server.url + reverse("theory:plan_detail", args=[plan.pk]))
    assert page.inner_text("#percent") == "25.0%"
    assert page.inner_text("#overdue") == "3"
    page.screenshot(path=str(screenshot_dir / "study_plan.png"), full_page=True)

    page.goto(live_server.url + reverse("theory:leave_queue"))
    assert "参加区里培训" in page.inner_text("#leave-table")
    assert "已逾期" in page.inner_text("#leave-table")
    page.screenshot(path=str(screenshot_dir / "study_leave_queue.png"), full_page=True)
    page.click("#leave-table a.btn-outline-success")
    page.click("#confirm")
    page.wait_for_selector(".alert-success")
    assert Leave.objects.get(session=later).status == LeaveStatus.APPROVED

    page.goto(live_server.url + reverse("theory:group_detail", args=[group.pk]))
    assert "李学习" in page.inner_text("#members")
    page.screenshot(path=str(screenshot_dir / "study_group.png"), full_page=True)
    page.goto(live_server.url + reverse("theory:member_archive", args=[member.pk]))
    assert "出差" in page.inner_text("#archive-leaves")
    assert "补学逾期" in page.inner_text("#archive-leaves")
    page.screenshot(path=str(screenshot_dir / "study_archive.png"), full_page=True)

    phone_page.goto(live_server.url + reverse("theory:checkin_code"))
    phone_page.fill("#id_code", "abcd-efgh")
    phone_page.click("#submit-code")
    phone_page.wait_for_selector(".invalid-feedback")
    assert "签到码已过期或不正确" in phone_page.inner_text(".invalid-feedback")
    phone_page.screenshot(path=str(screenshot_dir / "study_phone_code_refused.png"), full_page=True)
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    phone_page.goto(live_server.url + reverse("theory:my_study"))
    assert "提交补学" in phone_page.inner_text("#leaves")
    phone_page.screenshot(path=str(screenshot_dir / "study_phone_leaves.png"), full_page=True)
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    assert not problems, problems
    assert not [p for p in phone_problems if "400" not in p], phone_problems
