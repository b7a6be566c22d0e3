"""文化场馆与文艺协会 in a real browser: a street's reporter adds a cultural station and a village's
农家书屋 (one refusal on the way, the input kept), finds the bookshops by kind and opens a venue's
page with the activities held there; the department's administrator marks an association in
preparation established and adds a member, whose phone the page shows masked. Desktop (1366 px)
and a narrow phone (360 px), with screenshots. The part's own tests are
``xuanchuan/culture/tests/test_venues_*.py``."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from xuanchuan.core.tests.browser.conftest import signed_in_cookie
from xuanchuan.culture.models import AssociationMember, AssociationStatus, EventKind, Venue, VenueKind
from xuanchuan.culture.tests.factories_venues import make_association, make_event
from xuanchuan.volunteers.tests.browser import watch

# live_server answers from another thread, so the data is committed (transaction=True).
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REFUSED_FORM = "the server responded with a status of 400"


@pytest.fixture
def shots(screenshot_dir) -> Path:
    """Where the screenshots go (``XUANCHUAN_SCREENSHOT_DIR``, else ``var/screenshots``)."""
    return screenshot_dir


@pytest.fixture
def narrow_page(browser, live_server):
    """A phone 360 px wide (the narrowest the staff pages are made for)."""
    context = browser.new_context(
        locale="zh-CN", viewport={"width": 360, "height": 740}, device_scale_factor=2, is_mobile=True, has_touch=True
    )
    context.set_default_timeout(15_000)
    try:
        yield context.new_page()
    finally:
        context.close()


def no_overflow(page, width: int) -> None:
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"the page is wider than the window ({scroll}px)"


def test_reporter_adds_venues_and_finds_them(page, narrow_page, live_server, shots, district, bob) -> None:
    errors = watch(page, ignoring=(REFUSED_FORM,))
    page.context.add_cookies([{**signed_in_cookie(bob), "url": live_server.url}])
    page.goto(live_server.url + reverse("culture:venue_list"))
    page.click("#add-new")
    page.select_option("#id_unit", str(district.east.pk))
    page.fill("#id_name", "东城街道综合文化站")
    page.select_option("#id_kind", VenueKind.OTHER)
    page.fill("#id_opening_hours", "周一至周五 8:30—17:30")
    page.fill("#id_capacity", "0")
    page.click("#save")  # no address, capacity 0: refused, the rest kept
    page.wait_for_selector(".invalid-feedback")
    assert page.input_value("#id_name") == "东城街道综合文化站"
    page.screenshot(path=str(shots / "culture-venues-form-refused.png"), full_page=True)
    page.fill("#id_address", "东城街道便民服务中心二楼")
    page.fill("#id_capacity", "200")
    page.fill("#id_phone", "0871-6543210")
    page.click("#save")
    page.wait_for_selector("#venue-facts")
    station = Venue.objects.get(name="东城街道综合文化站")
    assert station.unit == district.east and station.capacity == 200

    page.goto(live_server.url + reverse("culture:venue_create") + f"?kind={VenueKind.BOOKSHOP}")
    page.select_option("#id_unit", str(district.east_community.pk))
    page.fill("#id_name", "幸福社区农家书屋")
    page.fill("#id_address", "幸福社区党群服务中心一楼")
    page.fill("#id_capacity", "30")
    page.click("#save")
    page.wait_for_selector("#venue-facts")
    bookshop = Venue.objects.get(name="幸福社区农家书屋")
    assert bookshop.kind == VenueKind.BOOKSHOP and bookshop.unit == district.east_community

    # Something was held there last month: a study trip and a reading session.
    month_ago = timezone.now() - timedelta(days=30)
    make_event(district.east_community, venue=bookshop, title="小小读书郎研学", kind=EventKind.STUDY_TRIP,
               starts_at=month_ago, audience=35)  # fmt: skip
    make_event(district.east_community, venue=bookshop, title="周末亲子共读", starts_at=month_ago + timedelta(days=7))

    page.goto(live_server.url + reverse("culture:venue_list"))
    page.click(f"#kind-counts a[data-kind='{VenueKind.BOOKSHOP}']")
    page.wait_for_url("**kind=bookshop**")
    table = page.locator("table.table-hover")
    assert table.get_by_text("幸福社区农家书屋").count() == 1 and table.get_by_text("东城街道综合文化站").count() == 0
    page.screenshot(path=str(shots / "culture-venues-list.png"), full_page=True)
    no_overflow(page, 1366)
    page.click("text=幸福社区农家书屋")
    page.wait_for_selector("#venue-years")
    assert page.locator("#venue-years tbody tr").first.inner_text().split("\t")[1:] == ["2", "1", "1", "65"]
    assert page.locator("#venue-events .table-warning").count() == 2
    page.screenshot(path=str(shots / "culture-venues-detail.png"), full_page=True)
    no_overflow(page, 1366)

    narrow_page.context.add_cookies([{**signed_in_cookie(bob), "url": live_server.url}])
    narrow_page.goto(live_server.url + reverse("culture:venue_list") + "?kind=bookshop")
    narrow_page.screenshot(path=str(shots / "culture-venues-list-360.png"), full_page=True)
    no_overflow(narrow_page, 360)
    narrow_page.goto(live_server.url + reverse("culture:venue_detail", args=[bookshop.pk]))
    narrow_page.screenshot(path=str(shots / "culture-venues-detail-360.png"), full_page=True)
    no_overflow(narrow_page, 360)
    assert not errors, errors


def test_admin_establishes_an_association_and_adds_a_member(
    page, narrow_page, live_server, shots, district, alice
) -> None:
    errors = watch(page, ignoring=(REFUSED_FORM,))
    association = make_association(district.root, name="示范区摄影家协会", art_form="摄影", leader="周摄影")
    page.context.add_cookies([{**signed_in_cookie(alice), "url": live_server.url}])
    page.goto(live_server.url + reverse("culture:association_list"))
    page.screenshot(path=str(shots / "culture-associations-list.png"), full_page=True)
    page.click("text=示范区摄影家协会")
    page.click("#establish")
    page.fill("#id_on", (timezone.localdate() + timedelta(days=1)).isoformat())
    page.click("#confirm")  # tomorrow: refused
    page.wait_for_selector(".invalid-feedback")
    page.fill("#id_on", (timezone.localdate() - timedelta(days=3)).isoformat())
    page.click("#confirm")
    page.wait_for_selector("#association-status")
    association.refresh_from_db()
    assert association.status == AssociationStatus.ESTABLISHED
    assert page.inner_text("#association-status") == "已成立"

    page.click("#add-member")
    page.fill("#id_name", "吴光影")
    page.select_option("#id_role", "会长")
    page.fill("#id_phone", "13712345678")
    page.fill("#id_joined_on", (timezone.localdate() - timedelta(days=2)).isoformat())
    page.click("#save")
    page.wait_for_selector("#members")
    member = AssociationMember.objects.get()
    assert member.name == "吴光影" and member.role == "会长"
    assert "13712345678" not in page.content() and "137****5678" in page.inner_text("#members")
    page.screenshot(path=str(shots / "culture-associations-detail.png"), full_page=True)
    no_overflow(page, 1366)

    narrow_page.context.add_cookies([{**signed_in_cookie(alice), "url": live_server.url}])
    narrow_page.goto(live_server.url + reverse("culture:association_detail", args=[association.pk]))
    assert "13712345678" not in narrow_page.content()
    narrow_page.screenshot(path=str(shots / "culture-associations-detail-360.png"), full_page=True)
    no_overflow(narrow_page, 360)
    narrow_page.goto(live_server.url + reverse("culture:association_list"))
    narrow_page.screenshot(path=str(shots / "culture-associations-list-360.png"), full_page=True)
    no_overflow(narrow_page, 360)
    assert not errors, errors
