"""文化活动 — an event recorded in a real browser: a reporter of 东城街道 records an event of the
district's series at the street's cultural station (held yesterday evening), records it as held
with the audience and two photos, adds a video link, and finds it on the month calendar, on the
desktop and on a 360 px phone; the department's administrator finds it in the district's list.
The part's own tests are ``xuanchuan/culture/tests/test_events_*.py``."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from xuanchuan.core.tests.browser.conftest import images_loaded, signed_in_cookie
from xuanchuan.culture.models import Event, EventKind, EventLink, EventStatus, VenueKind
from xuanchuan.culture.tests.factories_events import make_event, make_series, make_venue
from xuanchuan.volunteers.tests.browser import watch

# live_server answers from another thread, so the data is committed (transaction=True).
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REFUSED_FORM = "the server responded with a status of 400"


def no_overflow(page, width: int) -> None:
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"the page is wider than the window ({scroll}px)"


def photo_file(folder: Path, name: str, colour: tuple[int, int, int]) -> str:
    path = folder / name
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 800), colour).save(buffer, format="JPEG")
    path.write_bytes(buffer.getvalue())
    return str(path)


def test_reporter_records_an_event_with_photos_and_admin_sees_it(
    browser, page, live_server, screenshot_dir, district, bob, alice, tmp_path
) -> None:
    shots = screenshot_dir
    year = timezone.localdate().year
    series = make_series(district.root, name="“激昂新示范·欢乐中国年”迎新春系列活动", year=year)
    venue = make_venue(district.east, name="东城街道综合文化站", kind=VenueKind.CULTURAL_CENTRE)
    make_event(district.west, title="西城广场舞展演", held=True)
    starts = (timezone.localtime() - timedelta(days=1)).replace(hour=19, minute=0, second=0, microsecond=0)

    # 1. The reporter records the event.
    errors = watch(page, ignoring=(REFUSED_FORM,))
    page.context.add_cookies([{**signed_in_cookie(bob), "url": live_server.url}])
    page.goto(live_server.url + reverse("culture:event_list"))
    page.click("#add-new")
    page.select_option("#id_unit", str(district.east.pk))
    page.fill("#id_title", "东城街道迎新春文艺汇演")
    page.select_option("#id_kind", EventKind.PERFORMANCE)
    page.select_option("#id_series", str(series.pk))
    page.fill("#id_starts_at", starts.strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_ends_at", (starts - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"))
    page.select_option("#id_venue", str(venue.pk))
    page.fill("#id_performers", "区文化馆艺术团、东城街道合唱队")
    page.click("#save")  # ends before it starts: refused, nothing lost
    page.wait_for_selector(".invalid-feedback")
    assert (
        page.input_value("#id_title") == "东城街道迎新春文艺汇演"
        and not Event.objects.filter(unit=district.east).exists()
    )
    page.fill("#id_ends_at", (starts + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"))
    page.screenshot(path=str(shots / "event-create.png"), full_page=True)
    page.click("#save")
    page.wait_for_selector("#record-held")
    event = Event.objects.get(unit=district.east)
    assert event.series == series and event.venue == venue and event.status == EventStatus.PLANNED

    # 2. Recorded as held with the audience and two photos.
    page.click("#record-held")
    page.fill("#id_audience", "420")
    page.fill("#id_summary", "歌舞、戏曲、快板等节目轮番上演，现场群众掌声不断。")
    page.set_input_files(
        "#id_photos",
        [photo_file(tmp_path, "现场一.jpg", (200, 40, 40)), photo_file(tmp_path, "现场二.jpg", (40, 90, 180))],
    )
    page.screenshot(path=str(shots / "event-held-form.png"), full_page=True)
    page.click("#save")
    page.wait_for_selector("#event-photos img")
    event.refresh_from_db()
    assert event.status == EventStatus.HELD and event.audience == 420 and event.photos.count() == 2
    assert page.locator("#event-photos img").count() == 2
    images_loaded(page, "#event-photos img")

    # 3. A video link.
    page.click("#add-link")
    page.fill("#id_url", "http://www.douyin.com/video/1")
    page.click("#save")  # not https: refused
    page.wait_for_selector(".invalid-feedback")
    page.fill("#id_url", "https://www.douyin.com/video/7400000000000000001")
    page.fill("#id_title", "迎新春文艺汇演精彩回顾")
    page.fill("#id_platform", "抖音")
    page.click("#save")
    page.wait_for_selector("#event-links >> text=迎新春文艺汇演精彩回顾")
    assert EventLink.objects.get().platform == "抖音"
    page.screenshot(path=str(shots / "event-detail.png"), full_page=True)
    no_overflow(page, 1366)

    # 4. The calendar shows it: the grid on the desktop, the list on a 360 px phone.
    month = starts.strftime("%Y-%m")
    page.goto(live_server.url + reverse("culture:event_calendar") + f"?month={month}")
    assert page.locator("#calendar-grid").get_by_text("东城街道迎新春文艺汇演").count() == 1
    assert page.locator("#calendar-grid").get_by_text("西城广场舞展演").count() == 0
    page.screenshot(path=str(shots / "event-calendar.png"), full_page=True)
    no_overflow(page, 1366)
    phone = browser.new_context(locale="zh-CN", viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    phone.add_cookies([{**signed_in_cookie(bob), "url": live_server.url}])
    phone_page = phone.new_page()
    phone_errors = watch(phone_page)
    phone_page.goto(live_server.url + reverse("culture:event_calendar") + f"?month={month}")
    assert phone_page.locator("#calendar-list").get_by_text("东城街道迎新春文艺汇演").is_visible()
    phone_page.screenshot(path=str(shots / "event-calendar-360.png"), full_page=True)
    no_overflow(phone_page, 360)
    phone_page.click("#calendar-list >> text=东城街道迎新春文艺汇演")
    phone_page.wait_for_selector("#event-photos img")
    phone_page.screenshot(path=str(shots / "event-detail-360.png"), full_page=True)
    no_overflow(phone_page, 360)
    phone_page.goto(live_server.url + reverse("culture:event_list"))
    phone_page.screenshot(path=str(shots / "event-list-360.png"), full_page=True)
    no_overflow(phone_page, 360)
    phone.close()

    # 5. The department's administrator sees it in the district's list, with the west's.
    admin = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
    admin.add_cookies([{**signed_in_cookie(alice), "url": live_server.url}])
    admin_page = admin.new_page()
    admin_errors = watch(admin_page)
    admin_page.goto(live_server.url + reverse("culture:event_list"))
    assert admin_page.get_by_text("东城街道迎新春文艺汇演").count() == 1
    assert admin_page.get_by_text("西城广场舞展演").count() == 1
    admin_page.screenshot(path=str(shots / "event-list-admin.png"), full_page=True)
    admin_page.goto(live_server.url + reverse("culture:series_detail", args=[series.pk]))
    assert admin_page.inner_text("#total-held") == "1" and admin_page.inner_text("#total-audience") == "420"
    admin_page.screenshot(path=str(shots / "series-detail-admin.png"), full_page=True)
    no_overflow(admin_page, 1366)
    admin.close()
    assert not errors, errors
    assert not phone_errors, phone_errors
    assert not admin_errors, admin_errors
