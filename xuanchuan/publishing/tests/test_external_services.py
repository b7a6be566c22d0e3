"""Putting published items out on external accounts: WeChat's draft → publish flow against the
fake server on loopback (success by callback and by polling, failures, bounded retries, token
refresh), idempotent dispatch, the news site, records made by hand, take-downs, credentials."""

from __future__ import annotations

import weakref
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from xuanchuan.core.services import ServiceError
from xuanchuan.publishing.adapters.dispatch import on_published, on_taken_down
from xuanchuan.publishing.models import Outlet, OutletKind, Publication, PublicationStatus
from xuanchuan.publishing.models.external import OutletCredential, OutletPost, PostStatus
from xuanchuan.publishing.services import external
from xuanchuan.publishing.signals import publication_published, publication_taken_down
from xuanchuan.publishing.tests.fake_wechat import APP_ID, APP_SECRET, CALLBACK_TOKEN, fake_wechat, signed_query

__all__ = ["fake_wechat"]

# Real commits: the signal's receivers, the queued jobs and the outlets' update run on commit.
pytestmark = pytest.mark.django_db(transaction=True)

LATER = timedelta(days=1)


@pytest.fixture
def wechat(district) -> Outlet:
    outlet = Outlet.objects.create(
        unit=district.publicity, name="示范区发布", kind=OutletKind.WECHAT, account="gh_fake"
    )
    OutletCredential.objects.create(
        outlet=outlet, app_id=APP_ID, app_secret=APP_SECRET, callback_token=CALLBACK_TOKEN, thumb_media_id="THUMB1"
    )
    return outlet


@pytest.fixture
def weibo(district) -> Outlet:
    return Outlet.objects.create(unit=district.east, name="东城微博", kind=OutletKind.WEIBO)


@pytest.fixture
def news_site(district) -> Outlet:
    return Outlet.objects.create(
        unit=district.publicity, name="示范区政务网", kind=OutletKind.WEBSITE, is_news_site=True
    )


def published(unit, outlets, title: str = "我区召开文明创建推进会", body: str = "<p>会议强调……</p>") -> Publication:
    publication = Publication.objects.create(
        unit=unit, title=title, body=body, status=PublicationStatus.PUBLISHED, published_at=timezone.now()
    )
    publication.outlets.set(outlets)
    return publication


def post_of(publication: Publication, outlet: Outlet) -> OutletPost:
    return OutletPost.objects.get(publication=publication, outlet=outlet)


def paths(fake) -> list[str]:
    return [path for path, _query, _body in fake.calls]


def test_receivers_are_connected() -> None:
    """The other parts' receivers of the same signals are tested by those parts; here only that
    ours listen (the tests below call them directly)."""
    assert on_published in _receivers(publication_published)
    assert on_taken_down in _receivers(publication_taken_down)


def _receivers(signal) -> list:
    """A signal's receivers: weakly connected ones through their reference, strongly connected ones
    (another test's ``weak=False`` lambda) as they are."""
    return [ref() if isinstance(ref, weakref.ReferenceType) else ref for _key, ref, *_rest in signal.receivers]


def test_success_by_pushed_result(fake_wechat, wechat, district, client) -> None:
    publication = published(district.publicity, [wechat])
    on_published(sender=Publication, publication=publication)

    post = post_of(publication, wechat)
    assert post.status == PostStatus.PUBLISHING and post.attempts == 1 and not post.manual
    assert paths(fake_wechat) == ["/cgi-bin/token", "/cgi-bin/draft/add", "/cgi-bin/freepublish/submit"]
    draft = fake_wechat.drafts[post.external_id]
    assert draft["title"] == publication.title and draft["content"] == publication.body
    assert draft["thumb_media_id"] == "THUMB1"
    assert post.job_id in fake_wechat.jobs

    (job,) = fake_wechat.finish()
    url = reverse("publishing:wechat_callback", args=[wechat.pk])
    response = client.post(
        f"{url}?{'&'.join(f'{k}={v}' for k, v in signed_query(CALLBACK_TOKEN).items())}",
        fake_wechat.event_xml(job),
        content_type="text/xml",
    )
    assert response.status_code == 200 and response.content == b"success"
    post.refresh_from_db()
    assert post.status == PostStatus.PUBLISHED
    assert post.url == job.url and post.article_id == job.article_id
    assert post.published_on == timezone.localdate() and post.next_try_at is None
    wechat.refresh_from_db()
    assert wechat.last_published_on == timezone.localdate()
    # The same event pushed again (WeChat retries) changes nothing.
    client.post(
        f"{url}?{'&'.join(f'{k}={v}' for k, v in signed_query(CALLBACK_TOKEN).items())}",
        fake_wechat.event_xml(job),
        content_type="text/xml",
    )
    post.refresh_from_db()
    assert post.status == PostStatus.PUBLISHED and post.attempts == 1


def test_success_by_polling_with_numeric_publish_id(fake_wechat, wechat, district) -> None:
    fake_wechat.numeric_ids = True
    publication = published(district.publicity, [wechat])
    external.dispatch(publication)
    post = post_of(publication, wechat)
    assert post.job_id.isdigit() and post.next_try_at is not None

    assert external.sweep(timezone.now() + LATER) == {"attempts": 0, "polls": 1}
    post.refresh_from_db()
    assert post.status == PostStatus.PUBLISHING and post.polls == 1  # 1 发布中: asked again later
    first_wait = post.next_try_at

    fake_wechat.finish()
    external.sweep(timezone.now() + LATER)
    post.refresh_from_db()
    assert post.status == PostStatus.PUBLISHED and post.url.startswith("https://mp.weixin.qq.com/s/")
    assert post.polls == 2 and first_wait > timezone.now()
    assert "/cgi-bin/freepublish/get" in paths(fake_wechat)


def test_polling_gives_up_after_the_bounded_number(fake_wechat, wechat, district, settings) -> None:
    settings.PUBLISHING_WECHAT_MAX_POLLS = 2
    publication = published(district.publicity, [wechat])
    external.dispatch(publication)
    for _round in range(3):
        external.sweep(timezone.now() + LATER)
    post = post_of(publication, wechat)
    assert post.status == PostStatus.FAILED and post.polls == 2
    assert "多次查询仍未得到发布结果" in post.error


def test_failed_job_then_staff_retry(fake_wechat, wechat, district, alice) -> None:
    fake_wechat.outcome = 3
    publication = published(district.publicity, [wechat])
    external.dispatch(publication)
    fake_wechat.finish()
    external.sweep(timezone.now() + LATER)
    post = post_of(publication, wechat)
    assert post.status == PostStatus.FAILED
    assert "常规失败" in post.error and "第 1 篇" in post.error
    assert post.next_try_at is None  # a failed job is not retried by itself

    fake_wechat.outcome = 0
    post = external.retry(post, by=alice)
    assert post.status == PostStatus.PUBLISHING and post.attempts == 2
    fake_wechat.finish()
    external.sweep(timezone.now() + LATER)
    post.refresh_from_db()
    assert post.status == PostStatus.PUBLISHED and post.error == ""
    assert [entry["step"] for entry in post.history].count("retry") == 1
    with pytest.raises(ServiceError):
        external.retry(post, by=alice)  # only failed posts


def test_token_refreshed_on_42001_and_cached_otherwise(fake_wechat, wechat, district) -> None:
    fake_wechat.expire_token_once = True
    first = published(district.publicity, [wechat], title="第一篇")
    external.dispatch(first)
    assert post_of(first, wechat).status == PostStatus.PUBLISHING
    assert paths(fake_wechat).count("/cgi-bin/token") == 2
    assert paths(fake_wechat)[:4] == ["/cgi-bin/token", "/cgi-bin/draft/add", "/cgi-bin/token", "/cgi-bin/draft/add"]

    second = published(district.publicity, [wechat], title="第二篇")
    external.dispatch(second)
    assert post_of(second, wechat).status == PostStatus.PUBLISHING
    assert paths(fake_wechat).count("/cgi-bin/token") == 2  # the cached token is used


def test_refused_draft_fails_with_its_chinese_meaning(fake_wechat, wechat, district) -> None:
    fake_wechat.errors["/cgi-bin/freepublish/submit"] = [53503]
    publication = published(district.publicity, [wechat])
    external.dispatch(publication)
    post = post_of(publication, wechat)
    assert post.status == PostStatus.FAILED and post.next_try_at is None
    assert "53503" in post.error and "该草稿未通过发布检查" in post.error


def test_busy_platform_is_retried_a_bounded_number_of_times(fake_wechat, wechat, district, settings) -> None:
    settings.PUBLISHING_EXTERNAL_MAX_ATTEMPTS = 3
    fake_wechat.errors["/cgi-bin/draft/add"] = [-1, -1, -1, -1]
    publication = published(district.publicity, [wechat])
    external.dispatch(publication)
    post = post_of(publication, wechat)
    assert post.status == PostStatus.PENDING and post.attempts == 1 and "系统繁忙" in post.error
    assert post.next_try_at > timezone.now()
    assert external.sweep(timezone.now()) == {"attempts": 0, "polls": 0}  # not due yet

    external.sweep(timezone.now() + LATER)
    external.sweep(timezone.now() + LATER)
    external.sweep(timezone.now() + LATER)
    post.refresh_from_db()
    assert post.status == PostStatus.FAILED and post.attempts == 3
    assert paths(fake_wechat).count("/cgi-bin/draft/add") == 3
    assert len([entry for entry in post.history if entry["step"] == "publish"]) == 3


def test_unreachable_platform_is_retried_and_the_secret_never_shows(wechat, district, settings) -> None:
    settings.PUBLISHING_WECHAT_API_BASE = "http://127.0.0.1:9"  # nothing listens there
    settings.PUBLISHING_WECHAT_TIMEOUT = 1
    publication = published(district.publicity, [wechat])
    external.dispatch(publication)
    post = post_of(publication, wechat)
    assert post.status == PostStatus.PENDING and "无法连接微信接口" in post.error
    assert APP_SECRET not in post.error and APP_SECRET not in str(post.history)


def test_long_title_is_refused_before_calling_wechat(fake_wechat, wechat, district) -> None:
    publication = published(district.publicity, [wechat], title="关" * 33)
    external.dispatch(publication)
    post = post_of(publication, wechat)
    assert post.status == PostStatus.FAILED and "32" in post.error and "33" in post.error
    assert "/cgi-bin/draft/add" not in paths(fake_wechat)


def test_dispatch_is_idempotent(fake_wechat, wechat, weibo, news_site, district) -> None:
    publication = published(district.publicity, [wechat, weibo, news_site])
    external.dispatch(publication)
    external.dispatch(publication)
    on_published(sender=Publication, publication=publication)
    assert OutletPost.objects.filter(publication=publication).count() == 3
    assert paths(fake_wechat).count("/cgi-bin/freepublish/submit") == 1


def test_draft_publication_is_not_dispatched(fake_wechat, wechat, district) -> None:
    publication = published(district.publicity, [wechat])
    Publication.objects.filter(pk=publication.pk).update(status=PublicationStatus.IN_REVIEW)
    assert external.dispatch(publication) == []
    assert not OutletPost.objects.exists()


def test_news_site_published_at_once_and_others_wait_for_a_person(news_site, weibo, district) -> None:
    publication = published(district.publicity, [news_site, weibo])
    external.dispatch(publication)
    site_post, weibo_post = post_of(publication, news_site), post_of(publication, weibo)
    assert site_post.status == PostStatus.PUBLISHED and site_post.published_on == timezone.localdate()
    try:
        expected = reverse("news:article", kwargs={"pk": publication.pk})
    except Exception:
        expected = ""
    assert site_post.url == expected
    assert weibo_post.status == PostStatus.PENDING and weibo_post.manual
    assert weibo_post.state_label == "待人工发布登记"


def test_wechat_without_credentials_is_recorded_by_hand(district) -> None:
    outlet = Outlet.objects.create(unit=district.publicity, name="未接入公众号", kind=OutletKind.WECHAT)
    publication = published(district.publicity, [outlet])
    external.dispatch(publication)
    post = post_of(publication, outlet)
    assert post.manual and post.status == PostStatus.PENDING and post.attempts == 0


def test_manual_record(weibo, district, bob, charlie) -> None:
    publication = published(district.east, [weibo])
    external.dispatch(publication)
    post = post_of(publication, weibo)
    with pytest.raises(ServiceError, match="http"):
        external.record_manual(post, url="weibo.com/1", day=timezone.localdate(), by=bob)
    with pytest.raises(ServiceError, match="晚于今天"):
        external.record_manual(post, url="https://weibo.com/1", day=timezone.localdate() + LATER, by=bob)
    with pytest.raises(ServiceError, match="早于"):
        external.record_manual(post, url="https://weibo.com/1", day=timezone.localdate() - LATER * 3, by=bob)
    with pytest.raises(PermissionDenied):
        external.record_manual(post, url="https://weibo.com/1", day=timezone.localdate(), by=charlie)

    post = external.record_manual(post, url="https://weibo.com/123/abc", day=timezone.localdate(), by=bob)
    post.refresh_from_db()
    assert post.status == PostStatus.PUBLISHED and post.manual and post.recorded_by == bob
    assert post.url == "https://weibo.com/123/abc"
    weibo.refresh_from_db()
    assert weibo.last_published_on == timezone.localdate()  # services.outlets.note_published


def test_outlet_owner_sees_and_records_a_post_of_another_units_item(weibo, district, alice, bob, charlie) -> None:
    """谁主管谁负责: bob's unit runs the Weibo account the department's item went out on."""
    publication = published(district.publicity, [weibo])
    external.dispatch(publication)
    post = post_of(publication, weibo)
    assert OutletPost.objects.visible_to(bob).filter(pk=post.pk).exists()
    assert not OutletPost.objects.visible_to(charlie).exists()
    external.record_manual(post, url="https://weibo.com/9", day=timezone.localdate(), by=bob)


def test_take_down_deletes_the_wechat_article(fake_wechat, wechat, district) -> None:
    publication = published(district.publicity, [wechat])
    external.dispatch(publication)
    (job,) = fake_wechat.finish()
    external.sweep(timezone.now() + LATER)
    Publication.objects.filter(pk=publication.pk).update(status=PublicationStatus.TAKEN_DOWN)
    assert external.taken_down(publication, "内容有误") == 0
    post = post_of(publication, wechat)
    assert post.status == PostStatus.WITHDRAWN and not post.removal_needed
    assert fake_wechat.deleted == [job.article_id]


def test_take_down_marks_what_must_be_removed_by_hand(fake_wechat, wechat, weibo, news_site, district, bob, charlie):
    publication = published(district.east, [wechat, weibo, news_site])
    external.dispatch(publication)
    fake_wechat.finish()
    external.sweep(timezone.now() + LATER)
    assert post_of(publication, wechat).status == PostStatus.PUBLISHED
    fake_wechat.errors["/cgi-bin/freepublish/delete"] = [40001, 40001]

    Publication.objects.filter(pk=publication.pk).update(status=PublicationStatus.TAKEN_DOWN)
    on_taken_down(sender=Publication, publication=publication, reason="内容有误")
    wechat_post, weibo_post, site_post = (post_of(publication, o) for o in (wechat, weibo, news_site))
    assert wechat_post.removal_needed and wechat_post.state_label == "已下架，待到平台删除"
    assert "40001" in wechat_post.history[-1]["message"]  # the deletion through WeChat was refused
    assert weibo_post.status == PostStatus.WITHDRAWN and not weibo_post.removal_needed  # never went out
    assert site_post.status == PostStatus.WITHDRAWN and not site_post.removal_needed  # the site answers 410

    with pytest.raises(PermissionDenied):
        external.confirm_removed(wechat_post, by=charlie)
    external.confirm_removed(wechat_post, by=bob)
    wechat_post.refresh_from_db()
    assert wechat_post.status == PostStatus.WITHDRAWN and not wechat_post.removal_needed
    with pytest.raises(ServiceError):
        external.confirm_removed(wechat_post, by=bob)


def test_pending_attempt_of_a_taken_down_item_is_dropped(fake_wechat, wechat, district) -> None:
    fake_wechat.errors["/cgi-bin/draft/add"] = [-1]
    publication = published(district.publicity, [wechat])
    external.dispatch(publication)
    Publication.objects.filter(pk=publication.pk).update(status=PublicationStatus.TAKEN_DOWN)
    external.sweep(timezone.now() + LATER)
    post = post_of(publication, wechat)
    assert post.status == PostStatus.WITHDRAWN
    assert paths(fake_wechat).count("/cgi-bin/draft/add") == 1


def test_credentials_department_admin_only_and_encrypted_at_rest(district, alice, bob) -> None:
    outlet = Outlet.objects.create(unit=district.publicity, name="新公众号", kind=OutletKind.WECHAT)
    fields = {"app_id": "wx1234567890abcdef", "thumb_media_id": "T1", "enabled": True}
    with pytest.raises(PermissionDenied):
        external.save_credential(outlet, app_secret="s" * 32, callback_token="tok123", **fields, by=bob)
    with pytest.raises(ServiceError, match="AppSecret"):
        external.save_credential(outlet, app_secret="", callback_token="tok123", **fields, by=alice)
    external.save_credential(outlet, app_secret="a1" * 16, callback_token="tok123", **fields, by=alice)
    with connection.cursor() as cursor:
        cursor.execute("SELECT app_secret, callback_token FROM publishing_outletcredential")
        ((raw_secret, raw_token),) = cursor.fetchall()
    assert "a1a1" not in raw_secret and raw_secret.startswith("v1$")
    assert "tok123" not in raw_token

    # An empty secret keeps the stored one; the secret is read back decrypted.
    external.save_credential(outlet, app_secret="", callback_token="", **{**fields, "thumb_media_id": "T2"}, by=alice)
    credential = OutletCredential.objects.get(outlet=outlet)
    assert credential.app_secret == "a1" * 16 and credential.callback_token == "tok123"
    assert credential.thumb_media_id == "T2"

    weibo = Outlet.objects.create(unit=district.publicity, name="某微博", kind=OutletKind.WEIBO)
    with pytest.raises(ServiceError):
        external.save_credential(weibo, app_secret="a1" * 16, callback_token="tok123", **fields, by=alice)


def test_an_automatic_post_that_went_out_keeps_the_platforms_link(fake_wechat, wechat, district, alice) -> None:
    publication = published(district.publicity, [wechat])
    external.dispatch(publication)
    fake_wechat.finish()
    external.sweep(timezone.now() + LATER)
    post = post_of(publication, wechat)
    with pytest.raises(ServiceError, match="自动发布"):
        external.record_manual(post, url="https://example.org/x", day=timezone.localdate(), by=alice)


def test_a_failed_automatic_post_may_be_recorded_by_hand(fake_wechat, wechat, district, alice) -> None:
    fake_wechat.errors["/cgi-bin/freepublish/submit"] = [53504]
    publication = published(district.publicity, [wechat])
    external.dispatch(publication)
    post = post_of(publication, wechat)
    assert post.status == PostStatus.FAILED and "需前往公众平台官网使用草稿" in post.error
    post = external.record_manual(post, url="https://mp.weixin.qq.com/s/by-hand", day=timezone.localdate(), by=alice)
    assert post.status == PostStatus.PUBLISHED and post.manual


def test_credentials_are_audited_without_their_secrets_and_reencrypted(district, alice) -> None:
    from auditlog.models import LogEntry

    from xuanchuan.core.pii.reindex import extra_reencryptions
    from xuanchuan.publishing.adapters.dispatch import reencrypt_credentials

    outlet = Outlet.objects.create(unit=district.publicity, name="审计公众号", kind=OutletKind.WECHAT)
    external.save_credential(
        outlet,
        app_id="wxaudit0000000001",
        app_secret="d4" * 16,
        callback_token="audittok",
        thumb_media_id="T1",
        enabled=True,
        by=alice,
    )
    changes = " ".join(str(entry.changes) for entry in LogEntry.objects.get_for_model(OutletCredential))
    assert "wxaudit0000000001" in changes
    assert "d4d4" not in changes and "audittok" not in changes and "app_secret" not in changes
    assert reencrypt_credentials in extra_reencryptions().values()
    assert reencrypt_credentials() == 1
    assert OutletCredential.objects.get(outlet=outlet).app_secret == "d4" * 16


def test_long_content_is_refused_and_error_codes_read_in_chinese(fake_wechat, wechat, district) -> None:
    from xuanchuan.publishing.adapters.wechat import error_text

    publication = published(district.publicity, [wechat], body="<p>" + "字" * 20_000 + "</p>")
    external.dispatch(publication)
    post = post_of(publication, wechat)
    assert post.status == PostStatus.FAILED and "20000" in post.error
    assert "/cgi-bin/draft/add" not in paths(fake_wechat)
    assert "数据格式错误" in error_text(47001) and "日期格式错误" in error_text(61500)
    assert "需前往公众平台官网" in error_text(53504) and "请手动保存成功后再发表" in error_text(53505)
    assert "未知错误" in error_text(99999)
