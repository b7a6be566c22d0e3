"""志愿者 on a phone, in the browser: a resident registers (street, then community; the consent
text), is signed in and sees their home; signs out and signs in again with the code sent by text
to the registered phone (read from the recording gateway). The public check of a certificate.

(Kept beside the other browser tests because the ``browser``/``phone_page`` fixtures live in this
folder's conftest; the app's own tests are in ``xuanchuan/volunteers/tests``.)
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from xuanchuan.arrivals.tests.sms import RecordingGateway
from xuanchuan.org.models import UnitType
from xuanchuan.org.services import create_unit
from xuanchuan.volunteers.models import Volunteer
from xuanchuan.volunteers.tests.factories import id_number

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def community():
    district = create_unit(parent=None, name="示范区", unit_type=UnitType.DISTRICT, code="D")
    street = create_unit(parent=district, name="东城街道", unit_type=UnitType.STREET, code="D-S01")
    other = create_unit(parent=district, name="西城街道", unit_type=UnitType.STREET, code="D-S02")
    create_unit(parent=other, name="和平社区", unit_type=UnitType.COMMUNITY, code="D-S02-C01")
    return create_unit(parent=street, name="幸福社区", unit_type=UnitType.COMMUNITY, code="D-S01-C01")


def test_register_sign_out_and_sign_in_by_code(phone_page, live_server, community, screenshot_dir, settings) -> None:
    settings.VOLUNTEERS_SMS_BACKEND = "xuanchuan.arrivals.tests.sms.RecordingGateway"
    RecordingGateway.sent.clear()
    cache.clear()
    page = phone_page
    page.goto(live_server.url + reverse("volunteers:join"))
    page.fill("#id_name", "王小明")
    page.fill("#id_id_number", id_number(321))
    page.fill("#id_phone", "137 0000 0321")
    # Street first: the community select then offers only that street's communities.
    page.select_option("#id_street", "东城街道")
    assert page.locator("#id_community optgroup[label='西城街道']").get_attribute("disabled") is not None
    page.select_option("#id_community", str(community.pk))
    page.fill("#id_skills", "医护")
    page.fill("#id_availability", "周末上午")
    page.check("#id_consent")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(screenshot_dir / "volunteers-join-phone.png"), full_page=True)
    page.wait_for_timeout(2100)  # the human check refuses forms sent back within two seconds
    page.click("#join-submit")
    page.wait_for_url(re.compile(r"/volunteers/m/$"))
    volunteer = Volunteer.objects.get()
    assert volunteer.number in page.locator("#me-number").inner_text()
    assert "王小明" not in page.content()
    assert page.locator("#me-hours").inner_text() == "0.0"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(screenshot_dir / "volunteers-home-phone.png"), full_page=True)

    page.click("#signout")
    page.wait_for_url(re.compile(r"/volunteers/m/signin/"))
    page.goto(live_server.url + reverse("volunteers:me"))
    page.wait_for_url(re.compile(r"/volunteers/m/signin/\?next="))
    page.fill("#id_phone", "13700000321")
    page.click("#send-code")
    page.locator("#code-sent").wait_for()
    [(number, text)] = RecordingGateway.sent
    assert number == "13700000321"
    page.fill("#id_code", re.search(r"\d{6}", text).group(0))
    page.screenshot(path=str(screenshot_dir / "volunteers-signin-code-phone.png"), full_page=True)
    page.click("#check-code")
    page.wait_for_url(re.compile(r"/volunteers/m/$"))
    assert volunteer.number in page.locator("#me-number").inner_text()

    page.click("#to-record")
    page.locator("#record-basic").wait_for()
    assert "五、评价情况" in page.content()
    assert volunteer.id_number not in page.content()
    page.screenshot(path=str(screenshot_dir / "volunteers-record-phone.png"), full_page=True)


def test_public_certificate_check(phone_page, live_server, community, screenshot_dir) -> None:
    from xuanchuan.conftest import make_person
    from xuanchuan.org.models import RoleCode
    from xuanchuan.volunteers.models import ServiceRecord
    from xuanchuan.volunteers.services import people as services
    from xuanchuan.volunteers.tests.factories import make_activity, make_project, make_team, make_volunteer

    cache.clear()
    worker = make_person("sq_worker", community, RoleCode.COMMUNITY_WORKER)
    volunteer = make_volunteer(community, 5, name="李四")
    activity = make_activity(make_project(make_team(community)), starts_at=timezone.now() - timedelta(days=1))
    ServiceRecord.objects.create(
        unit=community,
        activity=activity,
        volunteer=volunteer,
        source="scan",
        status="confirmed",
        minutes=150,
        served_on=activity.starts_at.date(),
    )
    today = timezone.localdate()
    certificate = services.issue_certificate(
        volunteer, period_start=today - timedelta(days=7), period_end=today, by=worker
    )
    page = phone_page
    page.goto(live_server.url + reverse("volunteers:certificate_verify"))
    page.fill("#id_code", certificate.code)
    page.wait_for_timeout(2100)
    page.click("#verify")
    page.locator("#check-result").wait_for()
    assert "该证明真实有效" in page.locator("#check-result").inner_text()
    assert "2.5" in page.locator("#check-details").inner_text()
    assert volunteer.id_number not in page.content() and "李四" not in page.content()
    page.screenshot(path=str(screenshot_dir / "volunteers-certificate-check-phone.png"), full_page=True)


def test_staff_record_and_certificate(page, live_server, community, screenshot_dir) -> None:
    from xuanchuan.conftest import make_person
    from xuanchuan.core.tests.browser.conftest import signed_in_cookie
    from xuanchuan.org.models import RoleCode
    from xuanchuan.volunteers.models import Certificate, ServiceRecord
    from xuanchuan.volunteers.tests.factories import make_activity, make_project, make_team, make_volunteer

    worker = make_person("sq_worker2", community, RoleCode.COMMUNITY_WORKER, full_name="社区工作者")
    volunteer = make_volunteer(community, 6, name="赵六")
    activity = make_activity(make_project(make_team(community)), starts_at=timezone.now() - timedelta(days=1))
    ServiceRecord.objects.create(
        unit=community,
        activity=activity,
        volunteer=volunteer,
        source="scan",
        status="confirmed",
        minutes=120,
        served_on=activity.starts_at.date(),
    )
    page.context.add_cookies([{**signed_in_cookie(worker), "url": live_server.url}])
    page.goto(live_server.url + reverse("volunteers:volunteer_list"))
    page.screenshot(path=str(screenshot_dir / "volunteers-staff-list.png"), full_page=True)
    page.click(f"text={volunteer.number}")
    page.locator("#record-basic").wait_for()
    page.click("#issue-certificate")
    page.click("#confirm")
    page.locator("#certificates").wait_for()
    certificate = Certificate.objects.get()
    assert certificate.minutes == 120 and certificate.number in page.locator("#certificates").inner_text()
    page.screenshot(path=str(screenshot_dir / "volunteers-staff-detail.png"), full_page=True)
