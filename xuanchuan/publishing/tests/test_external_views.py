"""Pages, API and the WeChat callback of external publishing: scope (another unit's post is 404),
the publishing log with its export, recording by hand, retry, removal, the credentials pages
(secrets never shown back), and the callback's signature check, also against a live server."""

from __future__ import annotations

import io
import time
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from xuanchuan.publishing.models import Outlet, OutletKind, Publication, PublicationStatus
from xuanchuan.publishing.models.external import OutletCredential, OutletPost, PostStatus
from xuanchuan.publishing.services import external
from xuanchuan.publishing.tests import scoping_external
from xuanchuan.publishing.tests.fake_wechat import (
    APP_ID,
    APP_SECRET,
    CALLBACK_TOKEN,
    fake_wechat,
    push,
    signed_query,
)
from xuanchuan.publishing.urls_external import urlpatterns

__all__ = ["fake_wechat"]


@pytest.fixture
def east_records(district, bob, dora) -> list[str]:
    return scoping_external.create_records(district, {"bob": bob, "dora": dora})


def content_of(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def east_post(district, kind: str) -> OutletPost:
    return OutletPost.objects.get(publication__unit=district.east, outlet__kind=kind)


@pytest.fixture
def wechat(district) -> Outlet:
    outlet = Outlet.objects.create(unit=district.publicity, name="示范区发布", kind=OutletKind.WECHAT)
    OutletCredential.objects.create(
        outlet=outlet, app_id=APP_ID, app_secret=APP_SECRET, callback_token=CALLBACK_TOKEN, thumb_media_id="THUMB1"
    )
    return outlet


def test_outsider_gets_404_for_every_post_route_and_sees_nothing(client, district, east_records, charlie, bob):
    client.force_login(charlie)
    walked = 0
    for pattern in urlpatterns:
        name = f"publishing:{pattern.name}"
        kwargs = tuple(pattern.pattern.converters)
        if not kwargs:
            for query in ({}, {"export": "xlsx"}, {"q": "东城"}):
                response = client.get(reverse(name), query)
                body = response.content.decode("utf-8", "replace") if query.get("export") != "xlsx" else ""
                if query.get("export") == "xlsx" and response.status_code == 200:
                    book = load_workbook(io.BytesIO(content_of(response)))
                    body = " ".join(str(c.value) for row in book.active.iter_rows() for c in row)
                assert not [word for word in east_records if word in body], name
                walked += 1
            continue
        for arguments in scoping_external.arguments(name, kwargs, district, {"bob": bob}):
            method = arguments.pop("_method", "get")
            response = getattr(client, method)(reverse(name, kwargs=arguments))
            if response.status_code == 405:
                response = client.post(reverse(name, kwargs=arguments))
            assert response.status_code == 404, (name, arguments, response.status_code)
            walked += 1
    for name in ("api:publishing_post_detail",):
        for arguments in scoping_external.arguments(name, ("post_id",), district, {"bob": bob}):
            assert client.get(reverse(name, kwargs=arguments)).status_code == 404
    for name in ("api:publishing_post_record", "api:publishing_post_retry", "api:publishing_post_removed"):
        for arguments in scoping_external.arguments(name, ("post_id",), district, {"bob": bob}):
            arguments.pop("_method")
            assert client.post(reverse(name, kwargs=arguments), {}).status_code == 404
    listing = client.get(reverse("api:publishing_post_list"))
    assert listing.status_code == 200 and listing.json()["count"] == 0
    assert walked > 10


def test_owner_sees_the_log_its_export_and_a_post(client, district, east_records, bob, django_assert_max_num_queries):
    client.force_login(bob)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("publishing:post_list"))
    body = response.content.decode()
    assert response.status_code == 200
    assert scoping_external.TITLE in body and "发布失败" in body and scoping_external.LINK in body

    failed = client.get(reverse("publishing:post_list"), {"status": "failed"}).content.decode()
    assert "东城秘密失败原因" in failed and scoping_external.LINK not in failed

    export = client.get(reverse("publishing:post_list"), {"export": "xlsx"})
    book = load_workbook(io.BytesIO(content_of(export)))
    cells = [str(c.value) for row in book.active.iter_rows() for c in row]
    assert scoping_external.TITLE in cells and scoping_external.LINK in cells

    post = east_post(district, OutletKind.WECHAT)
    page = client.get(reverse("publishing:post_detail", args=[post.pk])).content.decode()
    assert "东城秘密失败原因" in page and 'id="post-retry"' in page


def test_record_by_hand_on_the_page(client, district, east_records, bob) -> None:
    post = east_post(district, OutletKind.WEIBO)
    OutletPost.objects.filter(pk=post.pk).update(status=PostStatus.PENDING, url="")
    client.force_login(bob)
    url = reverse("publishing:post_record", args=[post.pk])
    assert client.get(url).status_code == 200
    bad = client.post(url, {"url": "不是链接", "published_on": "2026-13-01"})
    assert bad.status_code == 200 and "请输入有效的链接" in bad.content.decode()
    future = client.post(url, {"url": "https://weibo.com/1", "published_on": "2999-01-01"}, follow=True)
    assert "发布日期不能晚于今天" in future.content.decode()
    today = timezone.localdate().isoformat()
    response = client.post(url, {"url": "https://weibo.com/east/1", "published_on": today})
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.status == PostStatus.PUBLISHED and post.url == "https://weibo.com/east/1" and post.recorded_by == bob


@pytest.mark.django_db(transaction=True)
def test_retry_button(client, fake_wechat, district, east_records, bob) -> None:
    post = east_post(district, OutletKind.WECHAT)
    credential = post.outlet.wechat_credential  # the walk's record, given the fake server's account
    credential.app_id, credential.app_secret, credential.thumb_media_id = APP_ID, APP_SECRET, "T"
    credential.save()
    client.force_login(bob)
    response = client.post(reverse("publishing:post_retry", args=[post.pk]), follow=True)
    assert "已重新提交发布" in response.content.decode()
    post.refresh_from_db()
    assert post.status == PostStatus.PUBLISHING and post.attempts == 2 and post.job_id
    again = client.post(reverse("publishing:post_retry", args=[post.pk]), follow=True)
    assert "只有发布失败的记录可以重试" in again.content.decode()


def test_confirm_removed_needs_the_checkbox(client, district, east_records, bob) -> None:
    post = east_post(district, OutletKind.WEIBO)
    OutletPost.objects.filter(pk=post.pk).update(removal_needed=True)
    client.force_login(bob)
    url = reverse("publishing:post_removed", args=[post.pk])
    client.post(url)
    post.refresh_from_db()
    assert post.removal_needed
    client.post(url, {"confirmed": "1"})
    post.refresh_from_db()
    assert not post.removal_needed and post.status == PostStatus.WITHDRAWN


def test_credentials_pages_department_admin_only_and_secret_never_shown(
    client, verified_client, district, wechat, alice, bob
):
    client.force_login(bob)
    assert client.get(reverse("publishing:wechat_account_list")).status_code == 403
    east = Outlet.objects.create(unit=district.east, name="东城公众号", kind=OutletKind.WECHAT)
    assert client.get(reverse("publishing:wechat_account_edit", args=[east.pk])).status_code == 403

    verified_client(alice)
    listing = client.get(reverse("publishing:wechat_account_list")).content.decode()
    assert "示范区发布" in listing and "东城公众号" in listing
    assert reverse("publishing:wechat_callback", args=[wechat.pk]) in listing
    edit = reverse("publishing:wechat_account_edit", args=[wechat.pk])
    page = client.get(edit).content.decode()
    assert APP_ID in page and APP_SECRET not in page and CALLBACK_TOKEN not in page

    bad = client.post(edit, {"app_id": "not-an-appid", "thumb_media_id": "T1"})
    assert "AppID 以 wx 开头" in bad.content.decode()
    first = client.post(
        reverse("publishing:wechat_account_edit", args=[east.pk]),
        {"app_id": "wx1234567890abcdef", "thumb_media_id": "T1", "enabled": "on"},
        follow=True,
    )
    assert "首次设置须填写 AppSecret" in first.content.decode()
    saved = client.post(
        reverse("publishing:wechat_account_edit", args=[east.pk]),
        {
            "app_id": "wx1234567890abcdef",
            "app_secret": "b2" * 16,
            "callback_token": "easttok1",
            "thumb_media_id": "T1",
            "enabled": "on",
        },
    )
    assert saved.status_code == 302
    credential = OutletCredential.objects.get(outlet=east)
    assert credential.app_secret == "b2" * 16 and credential.enabled
    assert "b2b2" not in client.get(reverse("publishing:wechat_account_edit", args=[east.pk])).content.decode()
    not_wechat = Outlet.objects.create(unit=district.publicity, name="网站", kind=OutletKind.WEBSITE)
    assert client.get(reverse("publishing:wechat_account_edit", args=[not_wechat.pk])).status_code == 404


def _publishing_post(district, wechat) -> OutletPost:
    publication = Publication.objects.create(
        unit=district.publicity, title="推送测试", status=PublicationStatus.PUBLISHED, published_at=timezone.now()
    )
    publication.outlets.set([wechat])
    return OutletPost.objects.create(
        publication=publication, outlet=wechat, status=PostStatus.PUBLISHING, job_id="PUBLISH-0042", attempts=1
    )


EVENT = (
    "<xml><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[PUBLISHJOBFINISH]]></Event><PublishEventInfo>"
    "<publish_id>PUBLISH-0042</publish_id><publish_status>{status}</publish_status>"
    "<article_id><![CDATA[ART42]]></article_id><article_detail><count>1</count><item><idx>1</idx>"
    "<article_url><![CDATA[https://mp.weixin.qq.com/s/42]]></article_url></item></article_detail>"
    "</PublishEventInfo></xml>"
)


def test_callback_refuses_a_wrong_or_stale_signature(client, district, wechat) -> None:
    post = _publishing_post(district, wechat)
    url = reverse("publishing:wechat_callback", args=[wechat.pk])
    forged = {**signed_query("not-the-token")}
    response = client.post(f"{url}?{urlencode(forged)}", EVENT.format(status=0), content_type="text/xml")
    assert response.status_code == 403
    unsigned = client.post(url, EVENT.format(status=0), content_type="text/xml")
    assert unsigned.status_code == 403
    stale = signed_query(CALLBACK_TOKEN, timestamp=str(int(time.time()) - 3600))
    assert client.post(f"{url}?{urlencode(stale)}", EVENT, content_type="text/xml").status_code == 403
    post.refresh_from_db()
    assert post.status == PostStatus.PUBLISHING

    other = Outlet.objects.create(unit=district.publicity, name="未设置", kind=OutletKind.WECHAT)
    signed = urlencode(signed_query(CALLBACK_TOKEN))
    assert client.post(f"{reverse('publishing:wechat_callback', args=[other.pk])}?{signed}").status_code == 404
    assert client.get(reverse("publishing:wechat_callback", args=[999999])).status_code == 404


def test_callback_url_verification_and_failed_job(client, district, wechat) -> None:
    url = reverse("publishing:wechat_callback", args=[wechat.pk])
    query = {**signed_query(CALLBACK_TOKEN), "echostr": "5849912389"}
    response = client.get(url, query)
    assert response.status_code == 200 and response.content == b"5849912389"
    assert client.get(url, {**query, "signature": "0" * 40}).status_code == 403

    post = _publishing_post(district, wechat)
    signed = urlencode(signed_query(CALLBACK_TOKEN))
    entity = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]>' + EVENT.format(status=0)
    assert client.post(f"{url}?{signed}", entity, content_type="text/xml").content == b"success"
    post.refresh_from_db()
    assert post.status == PostStatus.PUBLISHING  # a document with a DTD is ignored
    failed = EVENT.format(status=4).replace("</PublishEventInfo>", "<fail_idx>1</fail_idx></PublishEventInfo>")
    assert client.post(f"{url}?{signed}", failed, content_type="text/xml").content == b"success"
    post.refresh_from_db()
    assert post.status == PostStatus.FAILED and "平台审核不通过" in post.error


@pytest.mark.django_db(transaction=True)
def test_pushed_result_from_the_fake_server_to_the_live_server(live_server, fake_wechat, district, wechat) -> None:
    publication = Publication.objects.create(
        unit=district.publicity, title="直播推送", status=PublicationStatus.PUBLISHED, published_at=timezone.now()
    )
    publication.outlets.set([wechat])
    external.dispatch(publication)
    post = OutletPost.objects.get(publication=publication)
    assert post.status == PostStatus.PUBLISHING
    (job,) = fake_wechat.finish()
    callback = live_server.url + reverse("publishing:wechat_callback", args=[wechat.pk])
    assert push(fake_wechat, job, callback, token="wrong-token")[0] == 403
    assert push(fake_wechat, job, callback) == (200, "success")
    post.refresh_from_db()
    assert post.status == PostStatus.PUBLISHED and post.url == job.url


def test_api_list_detail_and_record(client, district, east_records, bob, charlie) -> None:
    client.force_login(bob)
    listing = client.get(reverse("api:publishing_post_list"), {"status": "failed"}).json()
    assert listing["count"] == 1 and listing["items"][0]["error"] == "东城秘密失败原因"
    assert client.get(reverse("api:publishing_post_list"), {"status": "nonsense"}).status_code == 422
    post = east_post(district, OutletKind.WEIBO)
    detail = client.get(reverse("api:publishing_post_detail", args=[post.pk])).json()
    assert detail["url"] == scoping_external.LINK and detail["manual"]

    url = reverse("api:publishing_post_record", args=[post.pk])
    assert client.post(url, {"url": "ftp://x"}, content_type="application/json").status_code == 422
    today = timezone.localdate().isoformat()
    done = client.post(url, {"url": "https://weibo.com/2", "published_on": today}, content_type="application/json")
    assert done.status_code == 200 and done.json()["url"] == "https://weibo.com/2"
    refused = client.post(reverse("api:publishing_post_retry", args=[post.pk]))
    assert refused.status_code == 400 and "只有发布失败" in refused.json()["detail"]
    client.force_login(charlie)
    assert client.get(reverse("api:publishing_post_detail", args=[post.pk])).status_code == 404


def test_todos_count_what_waits_for_a_person(client, district, east_records, bob, charlie) -> None:
    from xuanchuan.publishing.todos_external import todos

    weibo = east_post(district, OutletKind.WEIBO)
    OutletPost.objects.filter(pk=weibo.pk).update(status=PostStatus.PENDING, url="")
    found = {todo.label: todo for todo in todos(bob)}
    assert found["待登记外部平台发布链接"].count == 1 and found["外部平台发布失败"].count == 1
    assert found["已下架稿件待到平台删除"].count == 0
    assert all(todo.count == 0 for todo in todos(charlie))
    client.force_login(bob)
    page = client.get(found["待登记外部平台发布链接"].url).content.decode()
    assert scoping_external.WEIBO in page and scoping_external.WECHAT not in page
