"""志愿服务 — a volunteer reports wrong hours (时长有误？) on a phone-sized window; staff open the
record, resolve the report with a corrected value; the phone shows the answer and the new hours.
The app's own tests are in ``xuanchuan/volunteers/tests/test_attendance_disputes.py``."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from xuanchuan.conftest import make_person
from xuanchuan.core.tests.browser.conftest import signed_in_cookie
from xuanchuan.org.models import RoleCode
from xuanchuan.volunteers import checkin_codes
from xuanchuan.volunteers.models import DisputeStatus, HoursCorrection, HoursDispute, SignUp, SignUpStatus
from xuanchuan.volunteers.services import attendance as services
from xuanchuan.volunteers.tests.browser import phone_cookie, watch
from xuanchuan.volunteers.tests.factories import make_activity, make_project, make_team, make_volunteer

# live_server answers from another thread, so the data is committed (transaction=True).
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_volunteer_reports_wrong_hours_and_staff_correct_them(page, phone_page, live_server, district, screenshot_dir):
    staff = make_person("hedui", district.east, RoleCode.UNIT_REPORTER, full_name="核对员")
    team = make_team(district.east_community)
    start = timezone.now().replace(second=0, microsecond=0) - timedelta(hours=5)
    activity = make_activity(make_project(team), starts_at=start, hours=4, title="敬老院探访志愿服务")
    volunteer = make_volunteer(district.east_community, 1, name="王志愿")
    SignUp.objects.create(
        activity=activity, volunteer=volunteer, status=SignUpStatus.CONFIRMED, created_at=timezone.now()
    )
    late = start + timedelta(minutes=120)  # checked in two hours late: no signal at the door
    services.check_in(
        activity, volunteer=volunteer, code=checkin_codes.current_code(activity, late.timestamp()), at=late
    )
    out = start + timedelta(minutes=180)
    record = services.check_out(
        activity, volunteer=volunteer, code=checkin_codes.current_code(activity, out.timestamp()), at=out
    )
    assert record.minutes == 60

    phone_problems = watch(phone_page)
    staff_problems = watch(page)
    phone_page.context.add_cookies([{**phone_cookie(volunteer), "url": live_server.url}])
    page.context.add_cookies([{**signed_in_cookie(staff), "url": live_server.url}])

    # The phone: the hours page offers 时长有误？ on the confirmed record.
    phone_page.goto(live_server.url + reverse("volunteers:m_hours"))
    phone_page.click(f"#dispute-link-{record.pk}")
    phone_page.wait_for_selector("#dispute-submit")
    assert "60" in phone_page.inner_text("#dispute-record")
    phone_page.fill("#id_text", "我九点到的，门口没有信号，十一点才签上到")
    phone_page.fill("#id_minutes_claimed", "180")
    phone_page.screenshot(path=str(screenshot_dir / "volunteers_dispute_phone_form.png"), full_page=True)
    phone_page.click("#dispute-submit")
    phone_page.wait_for_selector("#my-records")
    dispute = HoursDispute.objects.get()
    assert "待核实" in phone_page.inner_text(f"#dispute-{dispute.pk}")
    assert phone_page.locator(f"#dispute-link-{record.pk}").count() == 0
    phone_page.screenshot(path=str(screenshot_dir / "volunteers_dispute_phone_open.png"), full_page=True)

    # Staff: the list of reports (open first) leads to the record's page, which shows the report;
    # resolving it corrects the minutes.
    page.goto(live_server.url + reverse("volunteers:dispute_list"))
    assert "敬老院探访志愿服务" in page.inner_text("table")
    page.screenshot(path=str(screenshot_dir / "volunteers_dispute_list.png"), full_page=True)
    page.goto(live_server.url + reverse("volunteers:record_detail", args=[record.pk]))
    assert "门口没有信号" in page.inner_text("#disputes")
    page.screenshot(path=str(screenshot_dir / "volunteers_dispute_record.png"), full_page=True)
    page.click("#resolve")
    page.wait_for_selector("#dispute-text")
    assert page.input_value("#id_new_minutes") == "180"
    page.fill("#id_answer", "经核对现场签到表，更正为三小时")
    page.screenshot(path=str(screenshot_dir / "volunteers_dispute_resolve.png"), full_page=True)
    page.click("#confirm")
    page.wait_for_selector("#record-minutes")
    assert "180" in page.inner_text("#record-minutes")
    assert "经核对现场签到表" in page.inner_text("#corrections")
    page.screenshot(path=str(screenshot_dir / "volunteers_dispute_resolved.png"), full_page=True)
    dispute.refresh_from_db()
    assert dispute.status == DisputeStatus.CORRECTED
    assert HoursCorrection.objects.get(record=record).old_minutes == 60

    # The phone shows the answer and the new hours.
    phone_page.goto(live_server.url + reverse("volunteers:m_hours"))
    text = phone_page.inner_text(f"#dispute-{dispute.pk}")
    assert "已更正" in text and "经核对现场签到表" in text
    assert phone_page.inner_text("#total-hours") == "3.0"
    phone_page.screenshot(path=str(screenshot_dir / "volunteers_dispute_phone_answered.png"), full_page=True)

    assert phone_problems == [] and staff_problems == []
