"""来返人员自助登记 on a phone: fill the public form with the cascading selects, get the receipt.

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
    # to the phone of the registration.
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
    page.set_content(body)
    page.screenshot(path=str(screenshot_dir / "arrivals-already-registered-phone.png"), full_page=True)


def test_community_staff_work_the_daily_list(page, live_server, community, screenshot_dir) -> None:
    """The community worker (a follow-up role, signed in with the second factor) checks people in."""
    from xuanchuan.arrivals import services
    from xuanchuan.arrivals.models import RiskArea
    from xuanchuan.arrivals.tests.scoping import make_registration
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
