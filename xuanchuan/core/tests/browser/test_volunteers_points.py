"""Good-deed points in a real browser: a volunteer with points opens the shop on their phone,
redeems an item and shows the QR code; the merchant's clerk opens the confirmation address the
code holds (read from the page) and confirms; the volunteer then sees the new balance and the
entry. The app's own tests are in ``xuanchuan/volunteers/tests/test_points_*.py``."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import transaction
from django.urls import reverse

from xuanchuan.conftest import make_person
from xuanchuan.core.tests.browser.conftest import signed_in_cookie
from xuanchuan.org.models import RoleCode
from xuanchuan.volunteers.models import EntryKind, MerchantKind, Redemption, RedemptionStatus
from xuanchuan.volunteers.services import ledger, shop
from xuanchuan.volunteers.tests.browser import phone_cookie, watch
from xuanchuan.volunteers.tests.factories import make_volunteer

# live_server answers from another thread, so the data is committed (transaction=True).
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_volunteer_redeems_and_the_clerk_confirms_by_the_qr_address(
    phone_page, page, live_server, screenshot_dir, district
) -> None:
    worker = make_person("shequ", district.east_community, RoleCode.COMMUNITY_WORKER)
    clerk = make_person("duihuan_b", district.east_community, RoleCode.POINTS_CLERK, full_name="兑换员")
    volunteer = make_volunteer(district.east_community, 1, name="张小明")
    account = ledger.account_for_volunteer(volunteer)
    with transaction.atomic():
        ledger.post(ledger.lock(account), kind=EntryKind.HOURS, amount=30, by=None, reason="志愿服务“清洁家园”3小时")
    merchant = shop.merchant_create(
        by=worker,
        unit=district.east_community,
        kind=MerchantKind.SHOP,
        name="幸福积分超市",
        address="幸福路1号",
        opening_hours="周六 9:00–17:00",
        staff=[clerk],
    )
    shop.goods_create(by=worker, merchant=merchant, name="洗衣液", points=20, stock=5)
    shop.goods_create(by=worker, merchant=merchant, name="电饭煲", points=300, stock=1)

    errors = watch(phone_page)
    phone_page.context.add_cookies([{**phone_cookie(volunteer), "url": live_server.url}])
    phone_page.goto(live_server.url + reverse("volunteers:m_shop"))
    assert phone_page.locator("#shop-balance").inner_text() == "30"
    assert phone_page.locator("li", has_text="电饭煲").locator("text=积分不足").is_visible()
    phone_page.screenshot(path=str(screenshot_dir / "volunteers-points-shop-phone.png"), full_page=True)
    phone_page.locator("li", has_text="洗衣液").locator("button", has_text="兑换").click()
    phone_page.wait_for_selector("#redemption-qr svg")
    confirm_url = phone_page.locator("#redemption-qr").get_attribute("data-confirm-url")
    code = phone_page.locator("#redemption-code").inner_text().strip()
    assert confirm_url.endswith(reverse("volunteers:redemption_confirm", args=[code]))
    box = phone_page.locator("#redemption-qr svg").bounding_box()
    assert box["width"] >= 180 and box["x"] + box["width"] <= 390
    phone_page.screenshot(path=str(screenshot_dir / "volunteers-points-qr-phone.png"), full_page=True)

    page.context.add_cookies([{**signed_in_cookie(clerk), "url": live_server.url}])
    page.goto(confirm_url)
    assert "洗衣液" in page.locator("#goods").inner_text()
    assert "张**" in page.content() and "张小明" not in page.content()
    page.click("#confirm")
    page.wait_for_selector("text=核销成功")
    assert page.locator("#status").inner_text() == str(RedemptionStatus.CONFIRMED.label)
    page.screenshot(path=str(screenshot_dir / "volunteers-points-clerk-confirm.png"), full_page=True)
    assert Redemption.objects.get(code=code).status == RedemptionStatus.CONFIRMED

    phone_page.goto(live_server.url + reverse("volunteers:m_points"))
    assert phone_page.locator("#mine-balance").inner_text() == "10"
    entries = phone_page.locator("#mine-entries").inner_text()
    assert "兑换“洗衣液”×1" in entries and "-20" in entries
    phone_page.screenshot(path=str(screenshot_dir / "volunteers-points-ledger-phone.png"), full_page=True)
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, width
    assert not errors, errors
    assert ledger.verify_ledger(account)
    assert settings.VOLUNTEERS_REDEMPTION_HOLD_HOURS > 0
