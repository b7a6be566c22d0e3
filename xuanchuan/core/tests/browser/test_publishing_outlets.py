"""The outlet registry in a real browser: a street reporter registers the street's WeChat account
and a topic column; the department sees it in the district's list; a stale outlet is badged.

Uses the shared fixtures of this folder's conftest; the part's own tests are in
``xuanchuan/publishing/tests/test_outlets_*.py``.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from xuanchuan.core.tests.browser.conftest import signed_in_cookie
from xuanchuan.publishing.models import Column, Outlet, OutletKind
from xuanchuan.publishing.services import outlets as services

# live_server answers from another thread, so the data is committed (transaction=True).
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_street_registers_its_account_and_the_department_sees_it(
    page, phone_page, live_server, screenshot_dir, district, alice, bob, charlie
) -> None:
    services.create_outlet(
        by=charlie, unit=district.west, name="西城发布", kind=OutletKind.DOUYIN, registered_on=date(2020, 1, 1)
    )
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)

    page.context.add_cookies([{**signed_in_cookie(bob), "url": live_server.url}])
    page.goto(live_server.url + reverse("publishing:outlet_list"))
    page.click("#new-outlet")
    page.fill("#id_name", "东城街道发布")
    page.select_option("#id_kind", "wechat")
    page.select_option("#id_unit", str(district.east.pk))
    page.fill("#id_account", "gh_dongcheng01")
    page.fill("#id_responsible_name", "包博")
    page.fill("#id_registration_no", "DC-2024-001")
    page.fill("#id_registered_on", "2024-03-01")
    page.screenshot(path=str(screenshot_dir / "publishing-outlet-form.png"), full_page=True)
    page.click("#save-outlet")
    page.wait_for_load_state("networkidle")
    assert "已登记“东城街道发布”" in page.content()
    # Registered in 2024 and nothing published since: stale.
    assert page.locator(".stale-badge").count() == 1

    page.click("#new-column")
    page.fill("#id_name", "新时代文明实践")
    page.check("#id_is_topic")
    page.fill("#id_position", "10")
    page.click("#save-column")
    page.wait_for_load_state("networkidle")
    assert page.locator("#topic-table", has_text="新时代文明实践").count() == 1
    assert page.locator("#topic-table", has_text="xin-shi-dai-wen-ming-shi-jian").count() == 1
    page.screenshot(path=str(screenshot_dir / "publishing-outlet-detail.png"), full_page=True)

    outlet = Outlet.objects.get(name="东城街道发布")
    assert outlet.unit == district.east and outlet.created_by == bob
    assert Column.objects.get(outlet=outlet).is_topic

    # The department sees every unit's accounts; the stale filter finds both.
    phone_page.context.add_cookies([{**signed_in_cookie(alice), "url": live_server.url}])
    page.context.clear_cookies()
    page.context.add_cookies([{**signed_in_cookie(alice), "url": live_server.url}])
    page.goto(live_server.url + reverse("publishing:outlet_list") + "?stale=yes")
    rows = page.locator("#outlet-table tbody tr")
    assert rows.count() == 2
    assert page.locator("#outlet-table", has_text="东城街道发布").count() == 1
    assert page.locator("#outlet-table", has_text="西城发布").count() == 1
    page.screenshot(path=str(screenshot_dir / "publishing-outlet-list-department.png"), full_page=True)
    phone_page.goto(live_server.url + reverse("publishing:outlet_list"))
    assert phone_page.locator("#outlet-table", has_text="东城街道发布").count() == 1
    phone_page.screenshot(path=str(screenshot_dir / "publishing-outlet-list-phone.png"), full_page=True)
    assert not problems, problems
