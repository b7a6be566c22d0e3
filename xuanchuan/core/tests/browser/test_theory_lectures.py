"""理论宣讲 — lecture requests in a real browser: a resident asks for a lecture on a phone (390×844)
and gets a reference number; a reporter of the street assigns a team, schedules the lecture (held
yesterday), records it as held with the audience and a photo, and finds it on the calendar, on the
desktop and on a phone. The app's own tests are ``xuanchuan/theory/tests/test_lectures_*.py``."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from xuanchuan.core.tests.browser.conftest import signed_in_cookie
from xuanchuan.theory.models import LecturePhoto, LectureRequest, LectureStatus, RequestStatus, TeamLevel
from xuanchuan.theory.tests.factories import make_lecturer, make_team
from xuanchuan.volunteers.tests.browser import watch

# live_server answers from another thread, so the data is committed (transaction=True).
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REFUSED_FORM = "the server responded with a status of 400"


def no_overflow(page, width: int) -> None:
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"the page is wider than the window ({scroll}px)"


def test_request_assign_schedule_record_and_calendar(
    phone_page, page, live_server, screenshot_dir, district, bob, tmp_path
) -> None:
    shots = screenshot_dir
    team = make_team(district.east, name="东城街道党员宣讲队", level=TeamLevel.PEOPLE)
    make_lecturer(team, name="刘宣讲", title="退休教师", phone="13700001234")

    # 1. A resident asks for a lecture on a phone.
    errors = watch(phone_page, ignoring=(REFUSED_FORM,))
    phone_page.goto(live_server.url + reverse("theory:m_request"))
    phone_page.select_option("#id_unit", str(district.east_community.pk))
    phone_page.fill("#id_topic", "民法典与百姓生活")
    phone_page.fill("#id_preferred_on", (timezone.localdate() + timedelta(days=3)).isoformat())
    phone_page.fill("#id_place", "幸福社区党群服务中心二楼")
    phone_page.fill("#id_audience_estimate", "60")
    phone_page.fill("#id_requester_org", "幸福社区老年协会")
    phone_page.fill("#id_requester_name", "王阿姨")
    phone_page.fill("#id_requester_phone", "13612345678")
    phone_page.wait_for_timeout(2100)  # the human check refuses forms sent back within 2 seconds
    phone_page.click("#request-submit")
    phone_page.wait_for_selector(".invalid-feedback")  # consent not ticked: refused
    assert LectureRequest.objects.count() == 0
    phone_page.check("#id_consent")
    phone_page.screenshot(path=str(shots / "theory-lectures-m-request.png"), full_page=True)
    no_overflow(phone_page, 390)
    phone_page.click("#request-submit")
    phone_page.wait_for_selector("#request-ref")
    item = LectureRequest.objects.get()
    assert phone_page.inner_text("#request-ref") == f"XJ{timezone.localtime(item.created_at):%Y%m%d}-{item.pk:05d}"
    assert "13612345678" not in phone_page.content() and "王阿姨" not in phone_page.content()
    phone_page.screenshot(path=str(shots / "theory-lectures-m-request-sent.png"), full_page=True)
    no_overflow(phone_page, 390)

    # 2. The street's reporter assigns the team and schedules the lecture (held yesterday).
    staff_errors = watch(page, ignoring=(REFUSED_FORM,))
    page.context.add_cookies([{**signed_in_cookie(bob), "url": live_server.url}])
    page.goto(live_server.url + reverse("theory:request_list"))
    page.click("text=民法典与百姓生活")
    page.wait_for_selector("#assign-form")
    assert "13612345678" not in page.content()
    page.select_option("#id_team", str(team.pk))
    page.click("#assign-submit")
    page.wait_for_selector("#schedule-request")
    item.refresh_from_db()
    assert item.status == RequestStatus.ASSIGNED and item.team == team
    page.click("#schedule-request")
    yesterday = timezone.localtime() - timedelta(days=1)
    page.fill("#id_starts_at", yesterday.replace(hour=14, minute=30).strftime("%Y-%m-%dT%H:%M"))
    page.select_option("#id_lecturers", label="刘宣讲（东城街道党员宣讲队）")
    page.fill("#id_event", "德润生日会")
    page.screenshot(path=str(shots / "theory-lectures-schedule.png"), full_page=True)
    page.click("#save")
    page.wait_for_selector("#record-lecture")
    item.refresh_from_db()
    lecture = item.lecture
    assert lecture.unit == district.east_community and lecture.event == "德润生日会"

    # 3. Recorded as held, with the audience and a photo.
    page.click("#record-lecture")
    page.click("#save")  # no audience: refused
    page.wait_for_selector(".invalid-feedback")
    page.screenshot(path=str(shots / "theory-lectures-record-refused.png"), full_page=True)
    photo = tmp_path / "现场.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), (200, 40, 40)).save(buffer, format="JPEG")
    photo.write_bytes(buffer.getvalue())
    page.fill("#id_audience", "72")
    page.fill("#id_summary", "结合身边案例讲解民法典中的婚姻家庭、继承编。")
    page.set_input_files("#id_photos", str(photo))
    page.click("#save")
    page.wait_for_selector("#lecture-photos img")
    lecture.refresh_from_db()
    item.refresh_from_db()
    assert lecture.status == LectureStatus.HELD and lecture.audience == 72
    assert item.status == RequestStatus.DONE and LecturePhoto.objects.filter(lecture=lecture).count() == 1
    assert page.evaluate("document.querySelector('#lecture-photos img').naturalWidth") > 0
    page.screenshot(path=str(shots / "theory-lectures-detail.png"), full_page=True)
    no_overflow(page, 1366)

    # 4. The calendar shows it (desktop grid, phone list).
    month = yesterday.strftime("%Y-%m")
    page.goto(live_server.url + reverse("theory:lecture_calendar") + f"?month={month}")
    assert page.locator("#calendar-grid").get_by_text("民法典与百姓生活").count() == 1
    page.screenshot(path=str(shots / "theory-lectures-calendar.png"), full_page=True)
    no_overflow(page, 1366)
    phone_page.context.add_cookies([{**signed_in_cookie(bob), "url": live_server.url}])
    phone_page.goto(live_server.url + reverse("theory:lecture_calendar") + f"?month={month}")
    assert phone_page.locator("#calendar-list").get_by_text("民法典与百姓生活").is_visible()
    phone_page.screenshot(path=str(shots / "theory-lectures-calendar-phone.png"), full_page=True)
    no_overflow(phone_page, 390)
    page.goto(live_server.url + reverse("theory:request_list"))
    assert "13612345678" not in page.content()
    page.screenshot(path=str(shots / "theory-lectures-requests.png"), full_page=True)
    page.goto(live_server.url + reverse("theory:team_list"))
    page.screenshot(path=str(shots / "theory-lectures-teams.png"), full_page=True)
    no_overflow(page, 1366)
    page.goto(live_server.url + reverse("theory:team_detail", args=[team.pk]))
    assert "13700001234" not in page.content()
    page.screenshot(path=str(shots / "theory-lectures-team-detail.png"), full_page=True)
    page.goto(live_server.url + reverse("theory:lecture_list"))
    page.screenshot(path=str(shots / "theory-lectures-list.png"), full_page=True)
    assert not errors, errors
    assert not staff_errors, staff_errors
