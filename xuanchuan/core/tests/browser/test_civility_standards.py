"""The civility standards part in a real browser: an inspector opens the gap list (点位与责任 →
只看空白点位), gives a place a responsible unit and sees the gap list shrink; the standard's
categories and the list on a phone.

Uses the shared fixtures of this folder's conftest; the part's own tests are in
``xuanchuan/civility/tests/test_standards_*.py``.
"""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from xuanchuan.civility.models import Assignment, Place, PlaceKind, Standard
from xuanchuan.civility.tests.standard import restore_default_standard
from xuanchuan.conftest import make_person
from xuanchuan.core.tests.browser.conftest import signed_in_cookie
from xuanchuan.org.models import RoleCode

# live_server answers from another thread, so the data is committed (transaction=True).
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_an_inspector_closes_a_gap(page, phone_page, live_server, screenshot_dir, district) -> None:
    # A transactional test before this one may have flushed what the data migration made.
    restore_default_standard()
    inspector = make_person("ducha", district.publicity, RoleCode.CIVILITY_INSPECTOR, full_name="文明办督查员")
    leader = make_person("dc_leader", district.east, RoleCode.UNIT_REPORTER, full_name="东城责任领导")
    places = [
        Place.objects.create(unit=district.publicity, area=area, name=name, kind=kind, created_by=inspector)
        for area, name, kind in (
            (district.east, "人民路东城段", PlaceKind.ROAD_MAIN),
            (district.east, "东城农贸市场", PlaceKind.MARKET),
            (district.west, "和平公园", PlaceKind.PARK),
            (district.west, "西城1号背街小巷", PlaceKind.ALLEY),
        )
    ]
    Assignment.objects.create(place=places[2], unit=district.west, starts_on=datetime.date(2024, 1, 1))
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)

    page.context.add_cookies([{**signed_in_cookie(inspector), "url": live_server.url}])
    page.goto(live_server.url + reverse("civility:responsibility_list"))
    assert page.locator("tr.gap-row").count() == 3
    page.check("#id_gap")
    page.click("#search")
    page.wait_for_load_state("networkidle")
    assert page.locator("#gap-count").inner_text().strip() == "空白点位 3 个"
    page.screenshot(path=str(screenshot_dir / "civility-gaps-before.png"), full_page=True)

    page.locator("tr", has_text="东城农贸市场").locator(".assign-link").click()
    page.wait_for_load_state("networkidle")
    page.select_option("#id_unit", str(district.east.pk))
    page.select_option("#id_kind", "street")
    page.fill("#id_starts_on", "2025-01-01")
    page.select_option("#id_leader", str(leader.pk))
    page.screenshot(path=str(screenshot_dir / "civility-assignment-form.png"), full_page=True)
    page.click("#save")
    page.wait_for_load_state("networkidle")
    assert "已为“东城农贸市场”落实责任单位“东城街道”" in page.content()
    assert page.locator("#gap-count").inner_text().strip() == "空白点位 2 个"
    assert page.locator("tr.gap-row", has_text="东城农贸市场").count() == 0
    assert page.locator("tr.gap-row").count() == 2
    page.screenshot(path=str(screenshot_dir / "civility-gaps-after.png"), full_page=True)

    page.goto(live_server.url + reverse("civility:standard_detail", args=[Standard.objects.get(is_current=True).pk]))
    assert page.locator("tbody tr").count() == 19
    page.screenshot(path=str(screenshot_dir / "civility-standard.png"), full_page=True)

    phone_page.context.add_cookies([{**signed_in_cookie(inspector), "url": live_server.url}])
    phone_page.goto(live_server.url + reverse("civility:responsibility_list"))
    assert phone_page.locator("tr.gap-row").count() == 2
    phone_page.screenshot(path=str(screenshot_dir / "civility-responsibilities-phone.png"), full_page=True)
    assert not problems, problems
