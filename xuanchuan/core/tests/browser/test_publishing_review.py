"""The three-step review in a real browser: a street reporter writes a piece in the offline
editor and sends it; three different reviewers take 初审, 复审 and 终审 in turn ("我来审", then
通过); it appears on the district news site on a phone. A second piece carrying a high-severity
proofreading finding (两岸三地) is refused at 复审 and returned to its author with the reason.

Uses the shared fixtures of this folder's conftest; the part's own tests are in
``xuanchuan/publishing/tests/test_review_*.py`` and ``test_publications_*.py``.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from xuanchuan.core.tests.browser.conftest import signed_in_cookie
from xuanchuan.publishing.models import Publication, PublicationStatus, ReviewNotice
from xuanchuan.publishing.services import review
from xuanchuan.publishing.tests.scoping_review import news_site, publication, reviewers

# live_server answers from another thread, so the data is committed (transaction=True).
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TITLE = "东城街道开展新时代文明实践志愿服务活动"


def sign_in(page, live_server, user) -> None:
    page.context.clear_cookies()
    page.context.add_cookies([{**signed_in_cookie(user), "url": live_server.url}])


def test_three_reviewers_pass_a_piece_and_it_appears_on_the_news_site(
    page, phone_page, live_server, screenshot_dir, district, bob
) -> None:
    site = news_site(district)
    people = reviewers(district)
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)

    sign_in(page, live_server, bob)
    page.goto(live_server.url + reverse("publishing:publication_create"))
    page.fill("#id_title", TITLE)
    editor = page.locator(".ql-editor")
    editor.click()
    page.keyboard.type("12月3日，东城街道组织志愿者走进幸福社区，开展垃圾分类宣传。")
    page.keyboard.press("Control+b")
    page.keyboard.type("参与群众三百余人。")
    page.check(f"#id_outlets_choices input[value='{site.pk}']")
    page.screenshot(path=str(screenshot_dir / "publishing-review-editor.png"), full_page=True)
    page.click("#save-submit")
    page.wait_for_load_state("networkidle")
    assert page.locator("#publication-status").inner_text() == "已提交（待初审）"
    item = Publication.objects.get(title=TITLE)
    assert "<strong>参与群众三百余人。</strong>" in item.body
    assert "claim-button" not in page.content()  # the author cannot review their own piece

    for name, step in (("shen1", "初审"), ("shen2", "复审"), ("shen3", "终审")):
        sign_in(page, live_server, people[name])
        page.goto(live_server.url + reverse("publishing:review_queue"))
        if name == "shen1":
            page.screenshot(path=str(screenshot_dir / "publishing-review-queue.png"), full_page=True)
        page.click(f"#queue-table a:has-text('{TITLE}')")
        page.click("#claim-button")
        page.wait_for_load_state("networkidle")
        holder = page.locator("#holder-box").inner_text()
        assert step in holder and people[name].full_name in holder and "起审核" in holder
        if name == "shen2":
            page.screenshot(path=str(screenshot_dir / "publishing-review-claimed.png"), full_page=True)
        page.fill("#id_comment", f"{step}同意。")
        page.click("#approve-button")
        page.wait_for_load_state("networkidle")
        assert "已审核通过" in page.content()

    item.refresh_from_db()
    assert item.status == PublicationStatus.PUBLISHED
    history = page.locator("#review-history").inner_text()
    assert all(people[name].full_name in history for name in ("shen1", "shen2", "shen3"))
    page.screenshot(path=str(screenshot_dir / "publishing-review-published.png"), full_page=True)

    phone_page.goto(live_server.url + reverse("news:article", kwargs={"pk": item.pk}))
    assert TITLE in phone_page.content()
    assert "参与群众三百余人" in phone_page.content()
    phone_page.screenshot(path=str(screenshot_dir / "publishing-review-news-phone.png"), full_page=True)
    assert not problems, problems


def test_a_high_finding_is_refused_at_the_second_step_and_returned_with_its_reason(
    page, live_server, screenshot_dir, district, bob
) -> None:
    people = reviewers(district)
    item = publication(bob, district, title="东城街道举办文化交流活动", body="<p>活动推动两岸三地青年文化交流。</p>")
    review.submit(item, by=bob)
    first = review.active_task(item)
    review.approve(first, by=people["shen1"], override_reason="初审时已请作者核实，先送复审把关")

    sign_in(page, live_server, people["shen2"])
    page.goto(live_server.url + item.get_absolute_url())
    assert page.locator("#proofreading mark, #proofreading .finding, #findings").count() >= 1
    assert "两岸三地" in page.locator("#proofreading").inner_text()
    page.click("#claim-button")
    page.wait_for_load_state("networkidle")
    page.click("#approve-button")
    page.wait_for_load_state("networkidle")
    assert "高风险问题" in page.content() and "两岸三地" in page.content()
    item.refresh_from_db()
    assert item.status == PublicationStatus.IN_REVIEW and item.current_step == "second"
    page.screenshot(path=str(screenshot_dir / "publishing-review-blocked.png"), full_page=True)

    page.fill("#id_return_reason", "“两岸三地”为不规范表述，请改为“内地与港澳台”。")
    page.click("#return-button")
    page.wait_for_load_state("networkidle")
    assert page.locator("#publication-status").inner_text() == "已退回"
    assert "不规范表述" in page.locator("#review-history").inner_text()
    item.refresh_from_db()
    assert item.status == PublicationStatus.RETURNED
    told = set(ReviewNotice.objects.filter(publication=item).values_list("recipient__username", flat=True))
    assert told == {"bob", "shen1"}
    page.screenshot(path=str(screenshot_dir / "publishing-review-returned.png"), full_page=True)

    sign_in(page, live_server, bob)
    page.goto(live_server.url + reverse("publishing:notice_list"))
    assert "不规范表述" in page.locator("#notices").inner_text()


def test_an_uploaded_image_is_put_into_the_text_from_the_editor(
    page, live_server, screenshot_dir, district, bob, settings, tmp_path
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from xuanchuan.publishing.services.publications import add_attachment
    from xuanchuan.publishing.tests.test_publications_views import PNG

    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
    item = publication(bob, district, body="<p>第一段。</p>")
    image = add_attachment(item, SimpleUploadedFile("现场.png", PNG), by=bob)
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))

    sign_in(page, live_server, bob)
    page.goto(live_server.url + reverse("publishing:publication_edit", args=[item.pk]))
    page.locator(".ql-editor p").last.click()
    page.keyboard.press("End")
    page.click(f"[data-insert-url$='/attachments/{image.pk}/']")
    page.fill("#id_note", "插入现场图片")
    page.screenshot(path=str(screenshot_dir / "publishing-review-insert-image.png"), full_page=True)
    page.click("#save")
    page.wait_for_load_state("networkidle")
    item.refresh_from_db()
    assert f'<img src="{reverse("publishing:attachment_download", args=[image.pk])}"' in item.body
    assert item.versions.count() == 2
    loaded = page.locator("#publication-body img").evaluate("img => img.complete && img.naturalWidth > 0")
    assert loaded
    assert not problems, problems
