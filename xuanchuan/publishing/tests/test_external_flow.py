"""The whole way: an item passes the three-step review (the review part's services), is put out
on the news site at once and on the department's WeChat account through the fake server, the
pushed result arrives; taken down, the WeChat article is deleted through WeChat's interface. And
workers racing for one post on PostgreSQL."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone

from xuanchuan.publishing.models import Outlet, OutletKind, Publication, PublicationStatus
from xuanchuan.publishing.models.external import OutletCredential, OutletPost, PostStatus
from xuanchuan.publishing.services import external, review
from xuanchuan.publishing.services.publications import create_publication
from xuanchuan.publishing.tests.fake_wechat import APP_ID, APP_SECRET, CALLBACK_TOKEN, fake_wechat, signed_query
from xuanchuan.publishing.tests.scoping_review import news_site, reviewers

__all__ = ["fake_wechat"]

# Real commits: the review announces the publication on commit, the receivers queue on commit.
pytestmark = pytest.mark.django_db(transaction=True)


def test_reviewed_item_goes_out_on_the_news_site_and_wechat(fake_wechat, monkeypatch, client, district, alice):
    monkeypatch.setattr(review, "proofread", lambda text, publication=None: [])
    site = news_site(district)
    wechat = Outlet.objects.create(unit=district.publicity, name="示范区发布", kind=OutletKind.WECHAT)
    OutletCredential.objects.create(
        outlet=wechat, app_id=APP_ID, app_secret=APP_SECRET, callback_token=CALLBACK_TOKEN, thumb_media_id="THUMB1"
    )
    people = reviewers(district)
    item = create_publication(
        by=alice, title="区委宣传部召开理论学习会", body="<p>会议传达学习了有关精神。</p>", outlets=[site, wechat]
    )
    review.submit(item, by=alice)
    for name in ("shen1", "shen2", "shen3"):
        task = review.active_task(item)
        review.claim(task, by=people[name])
        review.approve(task, by=people[name])
    item.refresh_from_db()
    assert item.status == PublicationStatus.PUBLISHED

    site_post = OutletPost.objects.get(publication=item, outlet=site)
    assert site_post.status == PostStatus.PUBLISHED
    assert site_post.url == reverse("news:article", kwargs={"pk": item.pk})
    wechat_post = OutletPost.objects.get(publication=item, outlet=wechat)
    assert wechat_post.status == PostStatus.PUBLISHING
    assert fake_wechat.drafts[wechat_post.external_id]["title"] == "区委宣传部召开理论学习会"

    (job,) = fake_wechat.finish()
    url = reverse("publishing:wechat_callback", args=[wechat.pk])
    query = "&".join(f"{key}={value}" for key, value in signed_query(CALLBACK_TOKEN).items())
    assert client.post(f"{url}?{query}", fake_wechat.event_xml(job), content_type="text/xml").status_code == 200
    wechat_post.refresh_from_db()
    assert wechat_post.status == PostStatus.PUBLISHED and wechat_post.url == job.url
    wechat.refresh_from_db()
    assert wechat.last_published_on == timezone.localdate()

    review.take_down(item, by=alice, reason="信息已过时")
    wechat_post.refresh_from_db()
    site_post.refresh_from_db()
    assert wechat_post.status == PostStatus.WITHDRAWN and fake_wechat.deleted == [job.article_id]
    assert site_post.status == PostStatus.WITHDRAWN
    assert external.sweep(timezone.now()) == {"attempts": 0, "polls": 0}


def test_two_workers_attempting_one_post_submit_it_once(fake_wechat, district):
    """Two sweeps (or a sweep and a queued job) at once: the claim under a row lock lets one in."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks are tested on PostgreSQL (DATABASE_URL=postgres://…)")
    wechat = Outlet.objects.create(unit=district.publicity, name="并发公众号", kind=OutletKind.WECHAT)
    OutletCredential.objects.create(
        outlet=wechat, app_id=APP_ID, app_secret=APP_SECRET, callback_token=CALLBACK_TOKEN, thumb_media_id="T1"
    )
    item = Publication.objects.create(
        unit=district.publicity, title="并发测试", status=PublicationStatus.PUBLISHED, published_at=timezone.now()
    )
    post = OutletPost.objects.create(publication=item, outlet=wechat)
    barrier = threading.Barrier(4)

    def run() -> None:
        try:
            barrier.wait()
            external.attempt(post.pk)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    post.refresh_from_db()
    assert post.status == PostStatus.PUBLISHING and post.attempts == 1
    assert [path for path, _q, _b in fake_wechat.calls].count("/cgi-bin/freepublish/submit") == 1
