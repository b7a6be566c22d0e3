"""作品征集 — a call for works in a real browser: a resident on a 360 px phone opens the call, sends a
work without ticking the consent (refused: what was typed stays, the images are asked for again),
then with two images and the consent, and is shown the reference only; the street's reporter
accepts the work in the review queue and opens the online exhibition; the resident finds the work
in the exhibition under the public name (never the real name or phone). The app's own tests are
``xuanchuan/culture/tests/test_works_*.py``."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from django.urls import reverse
from PIL import Image

from xuanchuan.core.tests.browser.conftest import images_loaded, signed_in_cookie
from xuanchuan.culture.models import CallStatus, Submission, SubmissionStatus
from xuanchuan.culture.tests.factories_works import make_call
from xuanchuan.volunteers.tests.browser import watch

# live_server answers from another thread, so the data is committed (transaction=True).
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REFUSED_FORM = "the server responded with a status of 400"
PHONE_WIDTH = 360


@pytest.fixture
def small_phone(browser, live_server) -> Iterator:
    """A fresh browser context the size of a small phone (360×740, touch, high density)."""
    context = browser.new_context(
        locale="zh-CN",
        viewport={"width": PHONE_WIDTH, "height": 740},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


def no_overflow(page, width: int) -> None:
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"the page is wider than the window ({scroll}px)"


def picture(path, colour) -> str:
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 900), colour).save(buffer, format="JPEG")
    path.write_bytes(buffer.getvalue())
    return str(path)


def fill_work(phone) -> None:
    phone.fill("#id_title", "福字窗花")
    phone.select_option("#id_art_form", "剪纸")
    phone.fill("#id_description", "红纸对折剪成")
    phone.fill("#id_public_name", "巧手红")
    phone.fill("#id_author_name", "王小红")
    phone.fill("#id_author_phone", "13912345678")


def test_submit_on_a_phone_review_and_the_online_exhibition(
    small_phone, page, live_server, screenshot_dir, district, bob, tmp_path
) -> None:
    shots = screenshot_dir
    call = make_call(district.east, title="“剪出新春”剪纸作品征集")
    images = [picture(tmp_path / "窗花一.jpg", (200, 30, 40)), picture(tmp_path / "窗花二.jpg", (230, 180, 40))]

    # 1. A resident opens the call on a phone and sends a work; without the consent it is refused.
    errors = watch(small_phone, ignoring=(REFUSED_FORM,))
    small_phone.goto(live_server.url + reverse("culture:m_calls"))
    small_phone.screenshot(path=str(shots / "culture-works-m-calls.png"), full_page=True)
    small_phone.click(f"#call-{call.pk}")
    small_phone.wait_for_selector("#work-form")
    fill_work(small_phone)
    small_phone.set_input_files("#id_images", images)
    small_phone.wait_for_timeout(2100)  # the human check refuses forms sent back within 2 seconds
    small_phone.click("#work-submit")
    small_phone.wait_for_selector("#work-error")
    assert Submission.objects.count() == 0
    assert "请先阅读并同意个人信息使用说明" in small_phone.content()
    assert "作品图片需要重新选择" in small_phone.inner_text("#work-error")
    assert small_phone.input_value("#id_title") == "福字窗花"
    assert small_phone.input_value("#id_public_name") == "巧手红"
    assert small_phone.input_value("#id_author_phone") == "13912345678"
    small_phone.screenshot(path=str(shots / "culture-works-m-refused.png"), full_page=True)
    no_overflow(small_phone, PHONE_WIDTH)
    small_phone.set_input_files("#id_images", images)
    small_phone.check("#id_consent")
    small_phone.click("#work-submit")
    small_phone.wait_for_selector("#work-ref")
    work = Submission.objects.get()
    assert small_phone.inner_text("#work-ref") == work.reference and work.images.count() == 2
    content = small_phone.content()
    assert "王小红" not in content and "13912345678" not in content and "巧手红" not in content
    small_phone.screenshot(path=str(shots / "culture-works-m-sent.png"), full_page=True)
    no_overflow(small_phone, PHONE_WIDTH)

    # 2. The street's reporter accepts it in the queue and opens the exhibition.
    staff_errors = watch(page, ignoring=(REFUSED_FORM,))
    page.context.add_cookies([{**signed_in_cookie(bob), "url": live_server.url}])
    page.goto(live_server.url + reverse("culture:submission_queue"))
    page.wait_for_selector("#queue img")
    images_loaded(page, "#queue img", first=True)
    assert page.evaluate("document.querySelector('#queue img').naturalWidth") == 480
    assert "13912345678" not in page.content() and "王小红" not in page.content()
    page.screenshot(path=str(shots / "culture-works-queue.png"), full_page=True)
    page.click("#queue a.fw-bold")
    page.wait_for_selector("#decide-form")
    assert page.locator("#submission-images img").count() == 2
    page.screenshot(path=str(shots / "culture-works-submission.png"), full_page=True)
    page.check("#id_decision_1")  # 不入选 without a note: refused on the page
    page.click("#decide-submit")
    page.wait_for_selector(".invalid-feedback")
    work.refresh_from_db()
    assert work.status == SubmissionStatus.PENDING
    page.check("#id_decision_0")
    page.click("#decide-submit")
    page.wait_for_selector("text=已审核")
    work.refresh_from_db()
    assert work.status == SubmissionStatus.ACCEPTED and work.decided_by == bob
    page.goto(live_server.url + reverse("culture:call_detail", args=[call.pk]))
    page.click("#toggle-exhibition")
    page.wait_for_selector("#confirm")
    page.screenshot(path=str(shots / "culture-works-exhibition-confirm.png"), full_page=True)
    page.click("#confirm")
    page.wait_for_selector("#exhibition-state")
    call.refresh_from_db()
    assert call.exhibition_open and call.status == CallStatus.OPEN
    page.screenshot(path=str(shots / "culture-works-call.png"), full_page=True)
    no_overflow(page, 1366)
    page.goto(live_server.url + reverse("culture:call_list"))
    page.screenshot(path=str(shots / "culture-works-calls.png"), full_page=True)

    # 3. The resident sees the work in the online exhibition, under the public name only.
    small_phone.goto(live_server.url + reverse("culture:m_calls"))
    small_phone.click(f"#exhibition-{call.pk}")
    small_phone.wait_for_selector("#gallery img")
    images_loaded(small_phone, "#gallery img", first=True)
    assert small_phone.evaluate("document.querySelector('#gallery img').naturalWidth") == 480
    content = small_phone.content()
    assert "巧手红" in content and "王小红" not in content and "13912345678" not in content
    small_phone.screenshot(path=str(shots / "culture-works-m-exhibition.png"), full_page=True)
    no_overflow(small_phone, PHONE_WIDTH)
    small_phone.click("#gallery a")
    small_phone.wait_for_selector("#work-title")
    assert small_phone.inner_text("#work-title") == "福字窗花"
    assert "巧手红" in small_phone.inner_text("#work-byline")
    images_loaded(small_phone, "main img", first=True)
    content = small_phone.content()
    assert "王小红" not in content and "13912345678" not in content
    small_phone.screenshot(path=str(shots / "culture-works-m-work.png"), full_page=True)
    no_overflow(small_phone, PHONE_WIDTH)
    small_phone.goto(live_server.url + reverse("culture:m_status") + f"?reference={work.reference}")
    assert small_phone.inner_text("#status-value") == "入选"
    small_phone.screenshot(path=str(shots / "culture-works-m-status.png"), full_page=True)
    assert not errors, errors
    assert not staff_errors, staff_errors
