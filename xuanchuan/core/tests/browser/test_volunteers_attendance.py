"""志愿服务 — check-in and check-out at the site, in a real browser: the organiser's screen shows the
changing QR code; the volunteer's phone (another browser context) reads the QR's address from the
screen, as its camera would, checks in, later checks out, and sees the hours on its hours page.
The app's own tests are in ``xuanchuan/volunteers/tests``."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from xuanchuan.conftest import make_person
from xuanchuan.core.tests.browser.conftest import signed_in_cookie
from xuanchuan.org.models import RoleCode
from xuanchuan.volunteers.models import RecordStatus, ServiceRecord, SignUp, SignUpStatus
from xuanchuan.volunteers.tests.browser import phone_cookie, watch
from xuanchuan.volunteers.tests.factories import make_activity, make_project, make_team, make_volunteer

# live_server answers from another thread, so the data is committed (transaction=True).
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_volunteer_checks_in_and_out_by_the_organisers_screen(page, phone_page, live_server, district, screenshot_dir):
    organiser = make_person("zuzhi", district.east, RoleCode.UNIT_REPORTER, full_name="组织者")
    team = make_team(district.east_community)
    start = timezone.now().replace(second=0, microsecond=0) - timedelta(minutes=50)
    activity = make_activity(
        make_project(team), starts_at=start, hours=2, title="清洁家园志愿服务", organiser=organiser
    )
    volunteer = make_volunteer(district.east_community, 1, name="李志愿")
    SignUp.objects.create(
        activity=activity, volunteer=volunteer, status=SignUpStatus.CONFIRMED, created_at=timezone.now()
    )

    screen_problems = watch(page)
    phone_problems = watch(phone_page)
    page.context.add_cookies([{**signed_in_cookie(organiser), "url": live_server.url}])
    phone_page.context.add_cookies([{**phone_cookie(volunteer), "url": live_server.url}])

    page.goto(live_server.url + reverse("volunteers:checkin_screen", args=[activity.pk]))
    page.wait_for_selector("#qr svg")
    code = page.inner_text("#code").strip()
    assert len(code) == 8
    assert page.inner_text("#count-signed-up") == "1"
    qr_url = page.get_attribute("#qr", "data-url")
    assert qr_url.endswith(f"/m/scan/{activity.pk}/{code}/")
    page.screenshot(path=str(screenshot_dir / "volunteers_attendance_screen.png"), full_page=True)

    # The phone "scans": it opens the address the QR code holds.
    phone_page.goto(qr_url)
    phone_page.wait_for_selector("#scan-submit")
    assert "签到" in phone_page.inner_text("#scan-submit")
    phone_page.screenshot(path=str(screenshot_dir / "volunteers_attendance_phone_scan.png"), full_page=True)
    assert not ServiceRecord.objects.exists()  # GET changes nothing
    phone_page.click("#scan-submit")
    phone_page.wait_for_selector("#scan-result")
    assert "签到成功" in phone_page.inner_text("#scan-result")
    phone_page.screenshot(path=str(screenshot_dir / "volunteers_attendance_phone_in.png"), full_page=True)

    # The screen's script refreshes the counts and the list of who is in.
    expect(page.locator("#count-checked-in")).to_have_text("1", timeout=15_000)
    assert "李**" in page.inner_text("#present")
    page.screenshot(path=str(screenshot_dir / "volunteers_attendance_screen_in.png"), full_page=True)

    # Forty minutes of service later (moved back in the database instead of waiting).
    ServiceRecord.objects.filter(volunteer=volunteer).update(checked_in_at=timezone.now() - timedelta(minutes=40))
    qr_url = page.get_attribute("#qr", "data-url")
    phone_page.goto(qr_url)
    phone_page.wait_for_selector("#scan-submit")
    assert "签退" in phone_page.inner_text("#scan-submit")
    phone_page.click("#scan-submit")
    phone_page.wait_for_selector("#scan-result")
    assert "签退成功" in phone_page.inner_text("#scan-result")
    record = ServiceRecord.objects.get(volunteer=volunteer)
    assert record.status == RecordStatus.CONFIRMED and 40 <= record.minutes <= 41

    phone_page.click("#to-hours")
    phone_page.wait_for_selector("#total-hours")
    assert phone_page.inner_text("#total-hours") == f"{record.minutes / 60:.1f}"
    assert "清洁家园志愿服务" in phone_page.inner_text("#my-records")
    phone_page.screenshot(path=str(screenshot_dir / "volunteers_attendance_phone_hours.png"), full_page=True)

    expect(page.locator("#count-checked-out")).to_have_text("1", timeout=15_000)
    page.screenshot(path=str(screenshot_dir / "volunteers_attendance_screen_out.png"), full_page=True)

    # A stale code (from the address of an old window) is refused on the phone.
    phone_page.goto(live_server.url + reverse("volunteers:scan", args=[activity.pk, "AAAAAAAA"]))
    assert "二维码已过期" in phone_page.inner_text("#scan-error")
    assert not [p for p in screen_problems if "400" not in p], screen_problems
    assert not [p for p in phone_problems if "400" not in p], phone_problems
