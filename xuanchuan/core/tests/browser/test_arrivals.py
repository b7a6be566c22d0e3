"""来返人员自助登记 in the browser: on a phone, fill the public form with the cascading selects and
get the receipt; register again and recover the receipt by a text to the registered phone or by
typing the code. Community staff (signed in with the second factor) work the daily list and
approve a registrant's correction held for them.

(Kept beside the other browser tests because the ``browser``/``phone_page`` fixtures live in this
folder's conftest; the app's own tests are in ``xuanchuan/arrivals/tests``.)
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from xuanchuan.arrivals.models import Registration
from xuanchuan.core.pii.validators import id_check_character
from xuanchuan.core.tests.browser.conftest import signed_in_cookie
from xuanchuan.org.models import UnitType
from xuanchuan.org.services import create_unit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def community():
    district = create_unit(parent=None, name="示范区", unit_type=UnitType.DISTRICT, code="D")
    street = create_unit(parent=district, name="东城街道", unit_type=UnitType.STREET, code="D-S01")
    return create_unit(parent=street, name="幸福社区", unit_type=UnitType.COMMUNITY, code="D-S01-C01")


def test_register_on_a_phone(phone_page, live_server, community, screenshot_dir, settings) -> None:
    settings.XUANCHUAN_DISTRICT_NAME = "青云区"
    page = phone_page
    page.goto(live_server.url + reverse("arrivals:register"))
    assert "青云区来返人员登记" in page.locator("header").inner_text()
    page.screenshot(path=str(screenshot_dir / "arrivals-form-phone.png"), full_page=True)

    first17 = "42010219900307123"
    page.fill("#id_name", "张三")
    page.fill("#id_id_number", first17 + id_check_character(first17))
    page.fill("#id_phone", "138 1234 5678")
    # The cascade: choosing a province loads its cities, a city its districts.
    page.select_option("#id_origin_province", "420000")
    page.locator('#id_origin_city option[value="420100"]').wait_for(state="attached")
    page.select_option("#id_origin_city", "420100")
    page.locator('#id_origin_county option[value="420102"]').wait_for(state="attached")
    page.select_option("#id_origin_county", "420102")
    page.locator("#id_origin_province").scroll_into_view_if_needed()
    page.screenshot(path=str(screenshot_dir / "arrivals-cascade-phone.png"))
    page.select_option("#id_transport", "train")
    page.fill("#id_trip_number", "G1234")
    page.fill("#id_arrival_date", (timezone.localdate() - timedelta(days=1)).isoformat())
    page.select_option("#id_community", str(community.pk))
    page.fill("#id_address", "幸福小区3栋")
    page.check("#id_health_status_0")
    page.check("#id_consent")
    # Nothing is wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.wait_for_timeout(2100)  # the human check refuses forms sent back within two seconds
    sent = page.evaluate("Array.from(new FormData(document.getElementById('arrival-form')).entries())")
    page.click("#arrival-submit")
    page.wait_for_load_state("networkidle")

    registration = Registration.objects.get()
    assert registration.origin_code == "420102"
    assert registration.receipt_code in page.locator("#receipt-code").inner_text()
    assert "138****5678" in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(screenshot_dir / "arrivals-receipt-phone.png"), full_page=True)

    # The same form sent again (a retry on a bad network, or someone who knows the person's ID,
    # phone and date) makes no new record and never shows the receipt: it offers to text the code
    # to the phone of the registration (that page, and using it, in the next test).
    page.goto(live_server.url + reverse("arrivals:register"))
    page.wait_for_timeout(2100)
    resend = """async ([url, entries]) => {
        const form = new URLSearchParams(entries);
        const fresh = new FormData(document.getElementById('arrival-form'));
        for (const name of ['csrfmiddlewaretoken', 'hp_started']) form.set(name, fresh.get(name));
        const response = await fetch(url, {method: "POST", body: form});
        return [response.url, await response.text()];
    }"""
    landed, body = page.evaluate(resend, [reverse("arrivals:register"), sent])
    assert Registration.objects.count() == 1
    assert registration.receipt_code not in body and registration.receipt_code not in landed
    assert "已有登记" in body


def fill_registration(page, community, *, id_number: str, phone: str) -> None:
    """Fill the public form as a person on a phone does (the cascade of places included)."""
    page.fill("#id_name", "张三")
    page.fill("#id_id_number", id_number)
    page.fill("#id_phone", phone)
    page.select_option("#id_origin_province", "420000")
    page.locator('#id_origin_city option[value="420100"]').wait_for(state="attached")
    page.select_option("#id_origin_city", "420100")
    page.locator('#id_origin_county option[value="420102"]').wait_for(state="attached")
    page.select_option("#id_origin_county", "420102")
    page.select_option("#id_transport", "train")
    page.fill("#id_trip_number", "G1234")
    page.fill("#id_arrival_date", (timezone.localdate() - timedelta(days=1)).isoformat())
    page.select_option("#id_community", str(community.pk))
    page.fill("#id_address", "幸福小区3栋")
    page.check("#id_health_status_0")
    page.check("#id_consent")
    page.wait_for_timeout(2100)  # the human check refuses forms sent back within two seconds


def test_recover_the_receipt_on_a_phone(phone_page, live_server, community, screenshot_dir, settings) -> None:
    """Registered already: the same number, date and phone answer "已有登记"; the receipt comes
    back as a text to the registered phone, and typing its code opens the record."""
    from xuanchuan.arrivals.tests.sms import RecordingGateway

    settings.ARRIVALS_SMS_BACKEND = "xuanchuan.arrivals.tests.sms.RecordingGateway"
    RecordingGateway.sent.clear()
    first17 = "42010219900307123"
    id_number = first17 + id_check_character(first17)
    page = phone_page
    for _attempt in range(2):
        page.goto(live_server.url + reverse("arrivals:register"))
        fill_registration(page, community, id_number=id_number, phone="13812345678")
        page.click("#arrival-submit")
        page.wait_for_load_state("networkidle")
    registration = Registration.objects.get()
    assert "已有登记" in page.locator("h1").inner_text()
    assert registration.receipt_code not in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(screenshot_dir / "arrivals-already-registered-phone.png"), full_page=True)

    page.click("#resend-submit")
    page.wait_for_load_state("networkidle")
    assert "回执已发送" in page.locator("h1").inner_text()
    assert registration.receipt_code not in page.content()
    assert [number for number, _text in RecordingGateway.sent] == ["13812345678"]
    page.screenshot(path=str(screenshot_dir / "arrivals-receipt-sent-phone.png"), full_page=True)

    # The person reads the code in the text and types it.
    page.click("text=输入回执码查看登记")
    page.fill("#id_code", registration.receipt_code)
    page.screenshot(path=str(screenshot_dir / "arrivals-receipt-lookup-phone.png"), full_page=True)
    page.click("#code-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert registration.receipt_code in page.locator("#receipt-code").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(screenshot_dir / "arrivals-receipt-by-code-phone.png"), full_page=True)


def staff(community):
    """The district administrator and the community's worker (both follow-up roles)."""
    from xuanchuan.org.models import Role, RoleCode, User

    worker_role, _created = Role.objects.get_or_create(
        code=RoleCode.COMMUNITY_WORKER, defaults={"name": "社区工作人员", "can_view_personal_data": True}
    )
    admin_role, _created = Role.objects.get_or_create(
        code=RoleCode.DEPARTMENT_ADMIN,
        defaults={"name": "部管理员", "sees_all_units": True, "can_view_personal_data": True},
    )
    admin = User.objects.create_user(username="district", password="Unused-2026!", full_name="区管理员")
    admin.roles.set([admin_role])
    worker = User.objects.create_user(username="worker", password="Unused-2026!", full_name="李社区", unit=community)
    worker.roles.set([worker_role])
    return admin, worker


def test_community_staff_approve_a_held_correction(page, live_server, community, screenshot_dir) -> None:
    """A registrant's correction that would end an active follow-up waits on /arrivals/corrections/;
    the community worker approves it and the record is classified again."""
    from xuanchuan.arrivals import services
    from xuanchuan.arrivals.models import FollowUpStatus, RiskArea
    from xuanchuan.arrivals.tests.scoping import make_registration

    admin, worker = staff(community)
    area = RiskArea(division_code="420100", level="high", starts_on=timezone.localdate() - timedelta(days=20))
    services.save_risk_area(area, by=admin)
    registration = make_registration(community, arrival_date=timezone.localdate() - timedelta(days=3))
    correction = services.correct_registration(registration, {"origin_code": "110105"}, community=community)
    assert correction.pending is not None

    page.context.add_cookies([{**signed_in_cookie(worker), "url": live_server.url}])
    page.goto(live_server.url + reverse("core:home"))
    assert "来返人员更正待审核" in page.locator("#todo-list").inner_text()
    page.click("#todo-list >> text=来返人员更正待审核")
    table = page.locator("#correction-table").inner_text()
    assert "北京市北京市朝阳区" in table or "朝阳区" in table
    assert "居家隔离观察" in table and "无需跟踪" in table
    page.screenshot(path=str(screenshot_dir / "arrivals-corrections.png"), full_page=True)
    page.click('#correction-table button[value="approve"]')
    page.wait_for_load_state("networkidle")
    assert "已同意该更正" in page.content()
    assert page.locator("#no-corrections").is_visible()
    page.screenshot(path=str(screenshot_dir / "arrivals-correction-approved.png"), full_page=True)
    registration.refresh_from_db()
    assert registration.origin_code == "110105"
    assert registration.follow_up_status == FollowUpStatus.NOT_REQUIRED


def test_community_staff_work_the_daily_list(page, live_server, community, screenshot_dir) -> None:
    """The community worker (a follow-up role, signed in with the second factor) checks people in."""
    from xuanchuan.arrivals import services
    from xuanchuan.arrivals.models import RiskArea
    from xuanchuan.arrivals.tests.scoping import make_registration

    admin, worker = staff(community)
    area = RiskArea(division_code="420100", level="high", starts_on=timezone.localdate() - timedelta(days=20))
    services.save_risk_area(area, by=admin)
    registration = make_registration(community, arrival_date=timezone.localdate() - timedelta(days=3))

    page.context.add_cookies([{**signed_in_cookie(worker), "url": live_server.url}])
    page.goto(live_server.url + reverse("arrivals:daily_list"))
    assert "第4天/共14天" in page.locator("#daily-table").inner_text()
    assert page.locator("#count-missed").inner_text() == "1"
    page.fill('#daily-table input[name="temperature"]', "36.6")
    page.click("#daily-table button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "已记录" in page.content()
    assert page.locator("#count-done").inner_text() == "1"
    page.screenshot(path=str(screenshot_dir / "arrivals-daily.png"), full_page=True)
    page.goto(live_server.url + registration.get_absolute_url())
    assert "居家隔离观察" in page.locator("#follow-up-summary").inner_text()
    page.screenshot(path=str(screenshot_dir / "arrivals-detail.png"), full_page=True)
    # The statistics draw their charts from the page's JSON (ECharts, served locally).
    page.goto(live_server.url + reverse("arrivals:statistics"))
    page.locator('.arrivals-chart[data-chart="day"] canvas').wait_for(state="attached")
    assert page.locator("#stat-total").inner_text() == "1"
    page.screenshot(path=str(screenshot_dir / "arrivals-statistics.png"), full_page=True)


def test_community_staff_merge_a_possible_duplicate(page, live_server, community, screenshot_dir) -> None:
    """The same document number and day from another phone: a record of its own, badged on the
    daily list and listed on the duplicates page, which the community worker merges."""
    from xuanchuan.arrivals import services
    from xuanchuan.arrivals.models import FollowUpStatus, RiskArea
    from xuanchuan.arrivals.tests.scoping import make_registration

    admin, worker = staff(community)
    area = RiskArea(division_code="420100", level="high", starts_on=timezone.localdate() - timedelta(days=20))
    services.save_risk_area(area, by=admin)
    arrival = timezone.localdate() - timedelta(days=2)
    first = make_registration(community, arrival_date=arrival)
    second = make_registration(community, arrival_date=arrival, phone="13700001111", name="东城来返者二")
    assert second.possible_duplicate

    page.context.add_cookies([{**signed_in_cookie(worker), "url": live_server.url}])
    page.goto(live_server.url + reverse("arrivals:daily_list"))
    assert page.locator("#count-active").inner_text() == "2"
    assert page.locator("#count-duplicates").inner_text() == "1"
    assert page.locator(".possible-duplicate").count() == 1
    page.screenshot(path=str(screenshot_dir / "arrivals-daily-duplicate.png"), full_page=True)
    page.click("#count-duplicates")
    group = page.locator(".duplicate-group").inner_text()
    assert "同日另一手机号" in group and "137****1111" in group and "139****5678" in group
    page.screenshot(path=str(screenshot_dir / "arrivals-duplicates.png"), full_page=True)

    page.click(f'.duplicate-group a[href="{second.get_absolute_url()}"]')
    assert page.locator("#same-day-duplicate").is_visible()
    page.fill("#id_keep", str(first.pk))
    page.screenshot(path=str(screenshot_dir / "arrivals-duplicate-detail.png"), full_page=True)
    page.click('form[action$="/merge/"] button[type=submit]')
    page.wait_for_load_state("networkidle")
    assert f"已合并到登记 {first.pk}" in page.content()
    second.refresh_from_db()
    assert second.follow_up_status == FollowUpStatus.MERGED
    page.goto(live_server.url + reverse("arrivals:duplicate_list"))
    assert page.locator("#no-duplicates").is_visible()
