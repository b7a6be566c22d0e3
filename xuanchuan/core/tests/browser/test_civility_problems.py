"""文明城市创建 — problems found, in a real browser on a phone: an inspector records a problem with
a photo (chosen with the file chooser) and sees it; on a lost connection the report waits in the
page's queue and is sent once when the connection is back. The app's own tests are in
``xuanchuan/civility/tests``."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from xuanchuan.civility.models import Category, Photo, Place, PlaceKind, Problem
from xuanchuan.civility.tests.standard import restore_default_standard
from xuanchuan.civility.tests.test_photos import jpeg
from xuanchuan.conftest import make_person
from xuanchuan.core.tests.browser.conftest import signed_in_cookie
from xuanchuan.org.models import RoleCode

# live_server answers from another thread, so the data is committed (transaction=True).
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture(autouse=True)
def _uploads(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"


@pytest.fixture(autouse=True)
def _standard(db):
    """The default standard of the data migration, again where a transactional test flushed it."""
    restore_default_standard()


@pytest.fixture
def inspector(district):
    return make_person("ducha", district.publicity, RoleCode.CIVILITY_INSPECTOR, full_name="督查员")


@pytest.fixture
def place(district):
    return Place.objects.create(
        unit=district.publicity,
        name="东城菜市场",
        area=district.east,
        kind=PlaceKind.MARKET,
        latitude=Decimal("39.900000"),
        longitude=Decimal("116.400000"),
    )


def _watch(page) -> list[str]:
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    return problems


def _fill(page, category: Category, place: Place, text: str) -> None:
    page.select_option("#id_category", str(category.pk))
    page.select_option("#id_place", str(place.pk))
    page.fill("#id_description", text)


def test_an_inspector_records_a_problem_with_a_photo_on_a_phone(
    phone_page, live_server, screenshot_dir, inspector, place, tmp_path
) -> None:
    category = Category.objects.get(standard__is_current=True, code="ENV_GARBAGE")
    errors = _watch(phone_page)
    phone_page.context.add_cookies([{**signed_in_cookie(inspector), "url": live_server.url}])
    phone_page.goto(live_server.url + reverse("civility:problem_new"))
    _fill(phone_page, category, place, "菜市场东门垃圾桶满溢，周边有散落垃圾")
    photo = tmp_path / "现场.jpg"
    photo.write_bytes(jpeg(2400, 1800, gps=(39.90021, 116.40012)))
    with phone_page.expect_file_chooser() as chooser:
        phone_page.click("#id_photos")
    chooser.value.set_files(str(photo))
    phone_page.screenshot(path=str(screenshot_dir / "civility-problem-new-phone.png"), full_page=True)
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the form is wider than the phone ({width}px)"
    phone_page.click("#submit-problem")
    link = phone_page.locator(".sent-report a")
    link.wait_for()
    problem = Problem.objects.get()
    assert link.inner_text() == problem.public_id
    assert phone_page.locator("#id_description").input_value() == ""  # ready for the next one
    link.click()
    phone_page.wait_for_load_state("networkidle")
    assert "菜市场东门垃圾桶满溢" in phone_page.locator("#problem-description").inner_text()
    image = phone_page.locator("#problem-photos img").first
    assert image.evaluate("img => img.complete && img.naturalWidth") == 1600
    phone_page.screenshot(path=str(screenshot_dir / "civility-problem-detail-phone.png"), full_page=True)
    stored = Photo.objects.get()
    assert float(stored.latitude) == pytest.approx(39.90021, abs=1e-5)
    assert float(problem.latitude) == pytest.approx(39.90021, abs=1e-5)
    assert not errors, errors


def test_a_report_made_offline_is_sent_once_when_the_connection_is_back(
    phone_page, live_server, screenshot_dir, inspector, place
) -> None:
    category = Category.objects.get(standard__is_current=True, code="ENV_GARBAGE")
    phone_page.context.add_cookies([{**signed_in_cookie(inspector), "url": live_server.url}])
    phone_page.goto(live_server.url + reverse("civility:problem_new"))
    _fill(phone_page, category, place, "地下通道积水")
    # The draft survives a reload (kept in the browser while typing).
    phone_page.reload()
    assert phone_page.locator("#id_description").input_value() == "地下通道积水"
    phone_page.context.set_offline(True)
    phone_page.click("#submit-problem")
    status = phone_page.locator("#queue-status")
    status.filter(has_text="等待联网发送").wait_for()
    phone_page.screenshot(path=str(screenshot_dir / "civility-problem-offline-phone.png"), full_page=True)
    phone_page.wait_for_timeout(4000)  # a retry or two while offline
    assert Problem.objects.count() == 0
    phone_page.context.set_offline(False)
    phone_page.locator(".sent-report a").wait_for(timeout=20_000)
    phone_page.wait_for_timeout(4000)  # further retries must not store it again
    assert Problem.objects.count() == 1
    assert phone_page.locator(".sent-report").count() == 1
    assert Problem.objects.get().description == "地下通道积水"
    phone_page.screenshot(path=str(screenshot_dir / "civility-problem-sent-phone.png"), full_page=True)
