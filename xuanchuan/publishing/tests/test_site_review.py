"""The news site with the real publishing services: an item passing the three reviews appears on
the cached pages at once (the services' signals on commit), and taken down it answers 410 at once."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse

from xuanchuan.publishing.services import review
from xuanchuan.publishing.tests.scoping_review import news_site, publication, reviewers

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache(tmp_path, monkeypatch):
    from xuanchuan.publishing.site import cache as page_cache

    monkeypatch.setattr(page_cache, "_stamp_path", str(tmp_path / "news.stamp"))
    monkeypatch.setattr(review, "proofread", lambda text, publication=None: [])
    cache.clear()
    yield
    cache.clear()


def test_reviewed_item_appears_at_once_and_taken_down_answers_410(
    client, district, bob, alice, django_capture_on_commit_callbacks
):
    people = {"bob": bob, **reviewers(district)}
    site = news_site(district)
    column = site.columns.get()
    home, column_page = reverse("news:home"), reverse("news:column", kwargs={"slug": column.slug})
    for url in (home, column_page):  # cached before the item exists
        client.get(url)
    assert client.get(home)["X-News-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        item = publication(bob, district, title="三审通过的新稿件", body="<p>社区志愿服务常态化开展。</p>")
        item.columns.add(column)
        review.submit(item, by=bob)
        for name in ("shen1", "shen2", "shen3"):
            task = review.active_task(item)
            review.claim(task, by=people[name])
            review.approve(task, by=people[name])
    item.refresh_from_db()
    assert item.is_public
    for url in (home, column_page, reverse("news:feed")):
        assert "三审通过的新稿件" in client.get(url).content.decode(), url
    article = reverse("news:article", kwargs={"pk": item.pk})
    assert client.get(article).status_code == 200
    assert "三审通过的新稿件" in client.get(reverse("news:search"), {"q": "志愿服务常态化"}).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        review.take_down(item, by=alice, reason="信息已过时")
    assert client.get(article).status_code == 410
    for url in (home, column_page):
        assert "三审通过的新稿件" not in client.get(url).content.decode(), url
