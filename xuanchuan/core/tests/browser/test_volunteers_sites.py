"""新时代文明实践 — sites and teams, in a real browser: a community worker creates a volunteer team
and imports its members from an Excel file on a desktop-sized page; a resident finds the practice
sites on a phone. The app's own tests are in ``xuanchuan/volunteers/tests/test_sites_*.py``."""

from __future__ import annotations

import pytest
from django.urls import reverse

from xuanchuan.core.tests.browser.conftest import signed_in_cookie
from xuanchuan.volunteers.models import Membership, SiteLevel, Team, Volunteer
from xuanchuan.volunteers.services import sites as services
from xuanchuan.volunteers.tests.browser import watch
from xuanchuan.volunteers.tests.sites_files import member_file, person

# live_server answers from another thread, so the data is committed (transaction=True).
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


# A refused form answers 400 on purpose; the browser logs that as a console error.
REFUSED_FORM = "the server responded with a status of 400"


def test_a_community_worker_creates_a_team_and_imports_its_members(
    page, live_server, screenshot_dir, district, alice, dora, tmp_path
) -> None:
    station = services.save_site(
        None,
        unit=district.east_community,
        level=SiteLevel.STATION,
        name="幸福社区新时代文明实践站",
        address="幸福路1号",
        by=alice,
    )
    brand = services.save_brand(None, unit=district.root, name="邻里互助", by=alice)
    errors = watch(page, ignoring=(REFUSED_FORM,))
    page.context.add_cookies([{**signed_in_cookie(dora), "url": live_server.url}])
    page.goto(live_server.url + reverse("volunteers:team_list"))
    page.click("#add-team")
    page.fill("#id_name", "幸福社区邻里互助志愿服务队")
    page.select_option("#id_brand", str(brand.pk))
    page.select_option("#id_site", str(station.pk))
    page.fill("#id_description", "为独居老人代购、陪诊、理发")
    page.click("#save")
    page.wait_for_selector("#import-members")
    team = Team.objects.get(name="幸福社区邻里互助志愿服务队")
    assert (team.unit, team.brand, team.site, team.created_by) == (district.east_community, brand, station, dora)

    page.click("#import-members")
    upload = tmp_path / "队员名单.xlsx"
    upload.write_bytes(member_file([person(1, name="王小明"), person(2, name="李红"), person(3, name="赵强")]))
    page.set_input_files("#id_file", str(upload))
    page.click("#import")
    # Consent not ticked: refused, nothing imported.
    page.wait_for_selector(".invalid-feedback")
    assert "请确认本队已取得以上人员同意后再导入" in page.content()
    assert Volunteer.objects.count() == 0
    page.set_input_files("#id_file", str(upload))
    page.check("#id_consented")
    page.screenshot(path=str(screenshot_dir / "volunteers-team-import.png"), full_page=True)
    page.click("#import")
    page.wait_for_selector("#members")
    body = page.content()
    assert "新登记志愿者 3 人，匹配已有志愿者 0 人，新加入本队 3 人" in body
    assert "王小明" not in body and "王*" in body  # names masked
    assert Membership.objects.filter(team=team, left_on__isnull=True).count() == 3
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 1366, f"the page is wider than the window ({width}px)"
    page.screenshot(path=str(screenshot_dir / "volunteers-team-detail.png"), full_page=True)
    assert not errors, errors


def test_a_resident_finds_the_practice_sites_on_a_phone(phone_page, live_server, screenshot_dir, district, alice):
    for unit, level, name in (
        (district.root, SiteLevel.CENTRE, "示范区新时代文明实践中心"),
        (district.east, SiteLevel.INSTITUTE, "东城街道新时代文明实践所"),
        (district.east_community, SiteLevel.STATION, "幸福社区新时代文明实践站"),
        (district.west, SiteLevel.INSTITUTE, "西城街道新时代文明实践所"),
    ):
        services.save_site(
            None,
            unit=unit,
            level=level,
            name=name,
            address=f"{unit.name}文明路{unit.pk}号",
            opening_hours="周一至周五 9:00—17:00，周六 9:00—12:00",
            phone="010-12345678",
            by=alice,
        )
    errors = watch(phone_page, ignoring=(REFUSED_FORM,))
    phone_page.goto(live_server.url + reverse("volunteers:m_site_list"))
    headings = phone_page.locator("h2").all_inner_texts()
    assert headings == ["示范区", "东城街道", "西城街道"]
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the list is wider than the phone ({width}px)"
    phone_page.screenshot(path=str(screenshot_dir / "volunteers-sites-phone.png"), full_page=True)
    assert not errors, errors
