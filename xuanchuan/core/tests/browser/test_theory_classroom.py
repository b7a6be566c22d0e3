"""云课堂 — staff upload a lecture video in a real browser: the file goes up in chunks with a
progress bar, survives a lost connection and a reload (resumed from the server's offset, not sent
again from the start), is described, published, played on the staff page, and its media answers a
Range request with 206 through the live server. The app's own tests are
``xuanchuan/theory/tests/test_classroom_*.py``."""

from __future__ import annotations

import urllib.request

import pytest
from django.urls import reverse

from xuanchuan.core.tests.browser.conftest import signed_in_cookie
from xuanchuan.theory.models import ClassItem, ItemStatus, Upload
from xuanchuan.theory.services import classroom as services
from xuanchuan.theory.tests.factories import DEMO_MEDIA, make_category
from xuanchuan.volunteers.tests.browser import watch

# live_server answers from another thread, so the data is committed (transaction=True).
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHUNK = 48 * 1024  # lecture-a.mp4 (183 KB) goes up in four chunks
VIDEO = DEMO_MEDIA / "lecture-a.mp4"
ABORTED = "net::ERR_FAILED"


def no_overflow(page, width: int) -> None:
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"the page is wider than the window ({scroll}px)"


def test_upload_resume_describe_publish_and_seek(
    page, phone_page, live_server, screenshot_dir, district, bob, monkeypatch
) -> None:
    # The smallest setting is 1 MB; a smaller chunk makes the demo file take several requests.
    monkeypatch.setattr(services, "max_chunk_bytes", lambda: CHUNK)
    make_category(district.east, "党的创新理论")
    shots = screenshot_dir
    page.context.add_cookies([{**signed_in_cookie(bob), "url": live_server.url}])
    errors = watch(page, ignoring=(ABORTED,))

    # 1. The upload page; the second chunk's connection is lost once.
    lost: list[str] = []

    def lose_second_chunk(route) -> None:
        if route.request.method == "PUT" and f"offset={CHUNK}" in route.request.url and not lost:
            lost.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    page.route("**/theory/classroom/upload/**", lose_second_chunk)
    page.goto(live_server.url + reverse("theory:item_upload"))
    page.set_input_files("#upload-file", str(VIDEO))
    page.click("#upload-go")
    page.wait_for_selector("#upload-status:has-text('重试')")
    assert lost
    # 2. The user reloads while it waits to retry, chooses the same file again: it resumes.
    page.unroute("**/theory/classroom/upload/**")
    page.reload()
    assert Upload.objects.count() == 1
    received = Upload.objects.get().received
    assert received == CHUNK
    page.set_input_files("#upload-file", str(VIDEO))
    page.click("#upload-go")
    page.wait_for_selector("#upload-next:visible")
    assert page.inner_text("#upload-bar") == "100%"
    assert page.get_attribute("#upload-progress", "aria-valuenow") == "100"
    page.wait_for_timeout(700)  # the bar's width transition
    assert Upload.objects.count() == 1  # the same upload, not a second one from the start
    upload = Upload.objects.get()
    assert upload.completed_at is not None
    assert services.part_path(upload).read_bytes() == VIDEO.read_bytes()
    page.screenshot(path=str(shots / "theory-classroom-upload-done.png"), full_page=True)

    # 3. Describe it: a draft with the length read by ffprobe (or typed where it is missing).
    page.click("#upload-next")
    page.fill("#id_title", "微宣讲：党的二十届四中全会精神")
    page.select_option("#id_category", label="党的创新理论")
    page.fill("#id_speaker", "王宣讲")
    page.fill("#id_duration", "0:20")
    page.fill("#id_description", "东城街道宣讲队在幸福社区的微宣讲录像。")
    page.screenshot(path=str(shots / "theory-classroom-item-form.png"), full_page=True)
    page.click("#save")
    page.wait_for_selector("#item-status")
    item = ClassItem.objects.get()
    assert item.status == ItemStatus.DRAFT and item.duration_seconds == 20 and item.content_type == "video/mp4"
    assert not Upload.objects.exists()

    # 4. Publish behind the confirmation.
    page.click("#item-publish")
    page.click("#confirm")
    page.wait_for_selector("#item-status:has-text('已发布')")
    item.refresh_from_db()
    assert item.status == ItemStatus.PUBLISHED
    # The player loads the media (metadata through a range request) without an error.
    page.wait_for_function("document.querySelector('#item-player').readyState >= 1")
    page.evaluate("document.querySelector('#item-player').currentTime = 12")
    page.wait_for_function("document.querySelector('#item-player').currentTime >= 12")
    page.screenshot(path=str(shots / "theory-classroom-item-detail.png"), full_page=True)
    assert not errors, errors

    # 5. A Range request through the live server: 206 with the slice; past the end 416.
    url = live_server.url + reverse("theory:m_item_media", args=[item.pk])
    with urllib.request.urlopen(urllib.request.Request(url, headers={"Range": "bytes=0-99"})) as response:  # noqa: S310
        assert response.status == 206
        assert response.headers["Content-Range"] == f"bytes 0-99/{VIDEO.stat().st_size}"
        assert response.read() == VIDEO.read_bytes()[:100]
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(urllib.request.Request(url, headers={"Range": f"bytes={VIDEO.stat().st_size}-"}))  # noqa: S310
    assert refused.value.code == 416

    # 6. The item list and the upload page on a phone.
    phone_page.context.add_cookies([{**signed_in_cookie(bob), "url": live_server.url}])
    phone_page.goto(live_server.url + reverse("theory:item_list"))
    assert "微宣讲：党的二十届四中全会精神" in phone_page.inner_text("body")
    phone_page.screenshot(path=str(shots / "theory-classroom-m-item-list.png"), full_page=True)
    phone_page.goto(live_server.url + reverse("theory:item_upload"))
    phone_page.screenshot(path=str(shots / "theory-classroom-m-upload.png"), full_page=True)
    no_overflow(phone_page, 390)


def test_a_file_that_is_not_video_is_refused_on_the_page(page, live_server, screenshot_dir, bob, tmp_path) -> None:
    fake = tmp_path / "讲座.mp4"
    fake.write_bytes("这是一段文字，不是视频。".encode() * 50)
    page.context.add_cookies([{**signed_in_cookie(bob), "url": live_server.url}])
    page.goto(live_server.url + reverse("theory:item_upload"))
    page.set_input_files("#upload-file", str(fake))
    page.click("#upload-go")
    page.wait_for_selector("#upload-error:visible")
    assert "不是 MP4 视频、M4A 或 MP3 音频" in page.inner_text("#upload-error")
    assert page.is_enabled("#upload-go")  # another file may be chosen and sent
    page.screenshot(path=str(screenshot_dir / "theory-classroom-upload-refused.png"), full_page=True)
    assert not Upload.objects.exists()
    assert list(services.upload_folder().iterdir()) == []
