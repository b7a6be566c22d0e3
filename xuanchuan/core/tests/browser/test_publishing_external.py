"""External publishing in a real browser: a street reporter finds a failed WeChat post in the
publishing log, retries it (the fake WeChat server on loopback accepts it and pushes the result
to the live server), then records by hand the link of the same item on the street's Weibo; the
department administrator sets a WeChat account's credentials without ever seeing the secret back.

The part's own tests are in ``xuanchuan/publishing/tests/test_external_*.py``.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from xuanchuan.core.tests.browser.conftest import signed_in_cookie
from xuanchuan.publishing.models import Outlet, OutletKind, Publication, PublicationStatus
from xuanchuan.publishing.models.external import OutletCredential, OutletPost, PostStatus
from xuanchuan.publishing.tests.fake_wechat import APP_ID, APP_SECRET, CALLBACK_TOKEN, fake_wechat, push

__all__ = ["fake_wechat"]

# live_server answers from another thread, so the data is committed (transaction=True).
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_retry_a_failed_post_and_record_one_by_hand(
    page, live_server, fake_wechat, screenshot_dir, district, alice, bob
) -> None:
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)

    wechat = Outlet.objects.create(unit=district.east, name="东城发布", kind=OutletKind.WECHAT)
    OutletCredential.objects.create(
        outlet=wechat, app_id=APP_ID, app_secret=APP_SECRET, callback_token=CALLBACK_TOKEN, thumb_media_id="T1"
    )
    weibo = Outlet.objects.create(unit=district.east, name="东城微博", kind=OutletKind.WEIBO)
    publication = Publication.objects.create(
        unit=district.east,
        title="东城街道开展垃圾分类宣传周",
        status=PublicationStatus.PUBLISHED,
        published_at=timezone.now(),
    )
    publication.outlets.set([wechat, weibo])
    OutletPost.objects.create(
        publication=publication,
        outlet=wechat,
        status=PostStatus.FAILED,
        attempts=3,
        error="微信接口错误 -1：微信系统繁忙，请稍后再试",
    )
    OutletPost.objects.create(publication=publication, outlet=weibo, manual=True)

    page.context.add_cookies([{**signed_in_cookie(bob), "url": live_server.url}])
    page.goto(live_server.url + reverse("publishing:post_list"))
    assert page.locator("table", has_text="待人工发布登记").count() == 1
    page.screenshot(path=str(screenshot_dir / "publishing-external-log.png"), full_page=True)

    page.locator("table a", has_text="东城街道开展垃圾分类宣传周").first.click()
    if "东城发布" not in page.locator("h1").inner_text():
        page.go_back()
        page.locator("table a", has_text="东城街道开展垃圾分类宣传周").nth(1).click()
    assert "系统繁忙" in page.locator("#post-error").inner_text()
    page.screenshot(path=str(screenshot_dir / "publishing-external-failed.png"), full_page=True)
    page.click("#post-retry")
    page.wait_for_load_state("networkidle")
    assert "已重新提交发布" in page.content()
    assert "发布中" in page.locator("#post-state").inner_text()

    (job,) = fake_wechat.finish()
    callback = live_server.url + reverse("publishing:wechat_callback", args=[wechat.pk])
    assert push(fake_wechat, job, callback) == (200, "success")
    page.reload()
    assert "已发布" in page.locator("#post-state").inner_text()
    assert job.url in page.locator("#post-url").inner_text()
    page.screenshot(path=str(screenshot_dir / "publishing-external-published.png"), full_page=True)

    weibo_post = OutletPost.objects.get(outlet=weibo)
    page.goto(live_server.url + reverse("publishing:post_record", args=[weibo_post.pk]))
    page.fill("#id_url", "https://weibo.com/dongcheng/123")
    page.fill("#id_published_on", timezone.localdate().isoformat())
    page.screenshot(path=str(screenshot_dir / "publishing-external-record.png"), full_page=True)
    page.click("#record-submit")
    page.wait_for_load_state("networkidle")
    assert "已登记发布链接" in page.content()
    assert "https://weibo.com/dongcheng/123" in page.locator("#post-url").inner_text()

    page.context.clear_cookies()
    page.context.add_cookies([{**signed_in_cookie(alice), "url": live_server.url}])
    page.goto(live_server.url + reverse("publishing:wechat_account_list"))
    page.click(f"a[href='{reverse('publishing:wechat_account_edit', args=[wechat.pk])}']")
    assert page.locator("#id_app_secret").input_value() == ""
    page.fill("#id_app_secret", "c3" * 16)
    page.fill("#id_thumb_media_id", "T2")
    page.screenshot(path=str(screenshot_dir / "publishing-external-credentials.png"), full_page=True)
    page.click("#credential-submit")
    page.wait_for_load_state("networkidle")
    assert "已保存公众号接口凭据" in page.content()
    assert OutletCredential.objects.get(outlet=wechat).app_secret == "c3" * 16
    assert "c3c3" not in page.content()
    assert not problems, problems
