"""The public news site: only published items of the site appear, taken-down ones answer 410,
the page cache is cleared at once, search finds Chinese words, RSS is valid XML, the older-reader
mode, query counts."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from xuanchuan.publishing.models import Column, Outlet, OutletKind, Publication, PublicationStatus
from xuanchuan.publishing.signals import publication_changed, publication_published, publication_taken_down

pytestmark = pytest.mark.django_db

S = PublicationStatus


@pytest.fixture(autouse=True)
def _empty_cache(tmp_path, monkeypatch):
    from xuanchuan.publishing.site import cache as page_cache

    monkeypatch.setattr(page_cache, "_stamp_path", str(tmp_path / "news.stamp"))
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def site(district) -> Outlet:
    return Outlet.objects.create(
        unit=district.publicity, name="示范区政务网", kind=OutletKind.WEBSITE, is_news_site=True
    )


@pytest.fixture
def news(site, district) -> Column:
    return Column.objects.create(outlet=site, unit=district.publicity, name="要闻动态", slug="news", position=1)


@pytest.fixture
def topic(site, district) -> Column:
    return Column.objects.create(
        outlet=site, unit=district.publicity, name="新时代文明实践", slug="civility", is_topic=True, position=2
    )


def make(unit, title, *, status=S.PUBLISHED, outlets=(), columns=(), body="<p>正文内容。</p>", ago=1, **extra):
    published_at = timezone.now() - timedelta(hours=ago) if status in (S.PUBLISHED, S.TAKEN_DOWN) else None
    text = body.replace("<p>", "").replace("</p>", "")
    item = Publication.objects.create(
        unit=unit,
        title=title,
        body=body,
        body_text=text,
        search_text=f"{title}\n{text}",
        status=status,
        published_at=extra.pop("published_at", published_at),
        **extra,
    )
    item.outlets.add(*outlets)
    item.columns.add(*columns)
    return item


def get(client, name, *, elder=False, query=None, **kwargs):
    if elder:
        client.cookies["news_elder"] = "1"
    else:
        client.cookies.pop("news_elder", None)
    return client.get(reverse(f"news:{name}", kwargs=kwargs or None), query or {})


def test_only_published_items_of_the_site_appear(client, district, site, news):
    other = Outlet.objects.create(unit=district.publicity, name="示范区发布", kind=OutletKind.WECHAT)
    shown = make(district.publicity, "公开的要闻稿件", outlets=[site], columns=[news])
    hidden = {
        "草稿稿件甲": {"status": S.DRAFT},
        "审核中稿件乙": {"status": S.IN_REVIEW, "current_step": "second"},
        "退回稿件丙": {"status": S.RETURNED},
        "撤回稿件丁": {"status": S.WITHDRAWN},
        "定时稿件戊": {"status": S.SCHEDULED, "planned_at": timezone.now() + timedelta(days=1)},
        "已下架稿件己": {"status": S.TAKEN_DOWN},
        "未来发布稿件庚": {"published_at": timezone.now() + timedelta(hours=2)},
    }
    hidden_items = [
        make(district.east, title, outlets=[site], columns=[news], **extra) for title, extra in hidden.items()
    ]
    elsewhere = make(district.publicity, "只发公众号的稿件", outlets=[other], columns=[])
    pages = [
        get(client, "home"),
        get(client, "column", slug="news"),
        get(client, "feed"),
        get(client, "column_feed", slug="news"),
    ]
    pages.append(get(client, "search", query={"q": "稿件"}))
    for response in pages:
        body = response.content.decode()
        assert response.status_code == 200
        assert "公开的要闻稿件" in body
        for title in [*hidden, "只发公众号的稿件"]:
            assert title not in body
    assert get(client, "article", pk=shown.pk).status_code == 200
    for item in [*hidden_items, elsewhere]:
        expected = 410 if item.status == S.TAKEN_DOWN else 404
        assert get(client, "article", pk=item.pk).status_code == expected, item.title


def test_article_shows_the_public_fields_only(client, district, site, news, bob):
    item = make(
        district.east,
        "东城街道开展文明实践活动",
        outlets=[site],
        columns=[news],
        body="<p>志愿者走进社区。</p>",
        source="东城街道办事处",
        author_name="王小明",
        published_by=bob,
    )
    response = get(client, "article", pk=item.pk)
    body = response.content.decode()
    assert response.status_code == 200
    assert "<title>东城街道开展文明实践活动 - 示范区政务网</title>" in body
    assert 'lang="zh-CN"' in body and 'href="#main"' in body
    assert "<p>志愿者走进社区。</p>" in body and "东城街道办事处" in body and "王小明" in body
    assert bob.full_name not in body  # who published it is internal
    assert 'href="/news/column/news/"' in body


def test_a_taken_down_item_answers_410_at_once_and_leaves_every_page(client, district, site, news):
    item = make(district.publicity, "即将下架的稿件", outlets=[site], columns=[news])
    assert get(client, "article", pk=item.pk).status_code == 200
    assert "即将下架的稿件" in get(client, "home").content.decode()
    assert get(client, "article", pk=item.pk)["X-News-Cache"] == "hit"
    Publication.objects.filter(pk=item.pk).update(status=S.TAKEN_DOWN, taken_down_at=timezone.now())
    # Without the signal the cached page is still served: the cache really is in front.
    assert get(client, "article", pk=item.pk).status_code == 200
    publication_taken_down.send(sender=Publication, publication=item, reason="内容有误")
    gone = get(client, "article", pk=item.pk)
    assert gone.status_code == 410
    assert "已撤下" in gone.content.decode() and "正文内容" not in gone.content.decode()
    for name, kwargs in (("home", {}), ("column", {"slug": "news"}), ("feed", {}), ("column_feed", {"slug": "news"})):
        assert "即将下架的稿件" not in get(client, name, **kwargs).content.decode(), name


def test_a_new_item_appears_at_once_on_home_column_and_feeds(client, district, site, news, topic):
    make(district.publicity, "旧稿件", outlets=[site], columns=[news])
    for elder in (False, True):
        for name, kwargs in (
            ("home", {}),
            ("column", {"slug": "news"}),
            ("feed", {}),
            ("column_feed", {"slug": "news"}),
        ):
            get(client, name, elder=elder, **kwargs)
    assert get(client, "home")["X-News-Cache"] == "hit"
    item = make(district.publicity, "刚刚发布的新稿件", outlets=[site], columns=[news, topic])
    publication_published.send(sender=Publication, publication=item)
    for elder in (False, True):
        for name, kwargs in (
            ("home", {}),
            ("column", {"slug": "news"}),
            ("feed", {}),
            ("column_feed", {"slug": "news"}),
        ):
            assert "刚刚发布的新稿件" in get(client, name, elder=elder, **kwargs).content.decode(), (name, elder)
    assert "刚刚发布的新稿件" in get(client, "column", slug="civility").content.decode()


def test_a_changed_item_clears_the_column_it_left(client, district, site, news, topic):
    item = make(district.publicity, "换栏目的稿件", outlets=[site], columns=[news])
    assert "换栏目的稿件" in get(client, "column", slug="news").content.decode()
    item.columns.set([topic])
    publication_changed.send(sender=Publication, publication=item)
    assert "换栏目的稿件" not in get(client, "column", slug="news").content.decode()
    assert "换栏目的稿件" in get(client, "column", slug="civility").content.decode()


def test_every_page_of_a_column_is_cleared(client, district, site, news):
    for number in range(25):
        make(district.publicity, f"第{number:02d}号稿件", outlets=[site], columns=[news], ago=number + 1)
    second = get(client, "column", slug="news", query={"page": 2}).content.decode()
    assert "第20号稿件" in second and "第19号稿件" not in second
    item = make(district.publicity, "最新稿件", outlets=[site], columns=[news], ago=0)
    publication_published.send(sender=Publication, publication=item)
    second = get(client, "column", slug="news", query={"page": 2}).content.decode()
    assert "第19号稿件" in second  # pushed down from page 1


def test_home_highlights_topic_columns(client, district, site, news, topic):
    make(district.publicity, "文明实践专题稿件", outlets=[site], columns=[topic])
    body = get(client, "home").content.decode()
    assert "专题专栏" in body and "文明实践专题稿件" in body and "topic-box" in body
    page = get(client, "column", slug="civility").content.decode()
    assert "专题" in page and "文明实践专题稿件" in page


def test_pagination_and_bad_pages(client, district, site, news):
    for number in range(21):
        make(district.publicity, f"分页稿件{number}", outlets=[site], columns=[news], ago=number + 1)
    assert "分页稿件20" in get(client, "column", slug="news", query={"page": 2}).content.decode()
    for bad in ("0", "3", "x", "99999999999"):
        assert get(client, "column", slug="news", query={"page": bad}).status_code == 404
    missing = get(client, "column", slug="nothing")
    assert missing.status_code == 404 and "没有这个栏目" in missing.content.decode()
    assert "示范区政务网" in missing.content.decode()  # in the site's own look
    assert get(client, "search", query={"q": "分页", "page": "9"}).status_code == 404


def test_no_site_no_pages(client):
    for name in ("home", "feed", "search"):
        assert get(client, name).status_code == 404


@pytest.mark.parametrize("word", ["文明实践", "垃圾分类", "志愿者 社区"])
def test_search_finds_chinese_words(client, district, site, news, word):
    make(
        district.publicity,
        "东城街道开展文明实践活动",
        outlets=[site],
        columns=[news],
        body="<p>志愿者走进社区宣传垃圾分类。</p>",
    )
    make(district.publicity, "西城召开理论学习会", outlets=[site], columns=[news], body="<p>学习会议精神。</p>")
    body = get(client, "search", query={"q": word}).content.decode()
    assert "东城街道开展文明实践活动" in body
    assert "西城召开理论学习会" not in body


def test_search_ranks_title_matches_first_and_handles_odd_input(client, district, site, news):
    make(district.publicity, "正文提到汛期的稿件", outlets=[site], columns=[news], body="<p>做好防汛工作。</p>", ago=1)
    make(district.publicity, "防汛工作部署会", outlets=[site], columns=[news], ago=5)
    body = get(client, "search", query={"q": "防汛"}).content.decode()
    assert body.index("防汛工作部署会") < body.index("正文提到汛期的稿件")
    assert "共找到 2 篇" in body
    empty = get(client, "search")
    assert empty.status_code == 200 and "请在上方输入要找的词" in empty.content.decode()
    long = get(client, "search", query={"q": "长" * 51})
    assert long.status_code == 400 and "搜索词太长" in long.content.decode()
    for odd in ("%", "_", "\\", "'; drop table", "100%"):
        assert get(client, "search", query={"q": odd}).status_code == 200


def test_search_is_rate_limited(client, district, site, news, settings):
    from xuanchuan.publishing.site import views

    assert settings.PUBLISHING_SITE_SEARCH_RATE
    statuses = [get(client, "search", query={"q": f"词{number}"}).status_code for number in range(40)]
    assert 429 in statuses and statuses[0] == 200
    assert views.search  # the limit is on the view, whatever the cache


def test_rss_is_valid_xml(client, district, site, news):
    make(district.publicity, "订阅里的稿件 & <特殊> 字符", outlets=[site], columns=[news], summary="摘要文字")
    for response in (get(client, "feed"), get(client, "column_feed", slug="news")):
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/rss+xml")
        root = ET.fromstring(response.content)  # noqa: S314 -- our own feed
        items = root.findall("./channel/item")
        assert [item.findtext("title") for item in items] == ["订阅里的稿件 & <特殊> 字符"]
        assert items[0].findtext("link").endswith(f"/news/article/{Publication.objects.get().pk}/")
        assert items[0].findtext("description") == "摘要文字"
    assert get(client, "column_feed", slug="nothing").status_code == 404


def test_older_reader_mode(client, district, site, news):
    response = get(client, "mode", query={"elder": "1", "next": "/news/column/news/"})
    assert response.status_code == 302 and response["Location"] == "/news/column/news/"
    assert response.cookies["news_elder"].value == "1"
    elder = client.get(reverse("news:home")).content.decode()
    assert 'class="elder"' in elder and "标准版" in elder
    off = get(client, "mode", query={"elder": "0", "next": "https://evil.example/"})
    assert off["Location"] == "/news/"
    standard = client.get(reverse("news:home")).content.decode()
    assert 'class="elder"' not in standard and "长者模式" in standard
    # Both modes are cached apart.
    assert get(client, "home", elder=True)["X-News-Cache"] in ("hit", "miss")
    assert 'class="elder"' in get(client, "home", elder=True).content.decode()
    assert 'class="elder"' not in get(client, "home").content.decode()


def test_cached_pages_keep_the_security_headers_and_answer_304(client, district, site, news):
    item = make(district.publicity, "缓存稿件", outlets=[site], columns=[news])
    first = get(client, "article", pk=item.pk)
    second = get(client, "article", pk=item.pk)
    assert first["X-News-Cache"] == "miss" and second["X-News-Cache"] == "hit"
    assert second.content == first.content
    for response in (first, second):
        assert "Content-Security-Policy" in response
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Type"].startswith("text/html")
    again = client.get(reverse("news:article", args=[item.pk]), HTTP_IF_NONE_MATCH=second["ETag"])
    assert again.status_code == 304
    # Other query strings are answered but never stored.
    assert get(client, "article", pk=item.pk, query={"x": "1"}).get("X-News-Cache") is None


def test_a_signed_in_member_of_staff_sees_the_same_public_page(client, district, site, news, bob):
    make(district.east, "草稿不上网站", outlets=[site], columns=[news], status=S.DRAFT)
    client.force_login(bob)
    assert "草稿不上网站" not in get(client, "home").content.decode()


def test_query_counts_are_capped(client, district, site, news, topic):
    for number in range(30):
        make(district.publicity, f"计数稿件{number}", outlets=[site], columns=[news, topic], ago=number + 1)
    item = Publication.objects.filter(title="计数稿件3").get()
    for name, kwargs, cap in (
        ("home", {}, 4),
        ("column", {"slug": "news"}, 5),
        ("article", {"pk": item.pk}, 6),
        ("feed", {}, 3),
        ("search", {}, 4),
    ):
        cache.clear()
        query = {"q": "计数"} if name == "search" else None
        with CaptureQueriesContext(connection) as queries:
            assert get(client, name, query=query, **kwargs).status_code == 200
        assert len(queries) <= cap, (name, [q["sql"] for q in queries])
        with CaptureQueriesContext(connection) as cached:
            get(client, name, query=query, **kwargs)
        assert len(cached) == 0, name


def test_attachments_only_of_public_items(client, district, site, news, tmp_path, settings):
    from django.core.files.base import ContentFile

    from xuanchuan.publishing.models import Attachment

    settings.MEDIA_ROOT = tmp_path
    public = make(district.publicity, "带附件的稿件", outlets=[site], columns=[news])
    draft = make(district.publicity, "草稿附件", outlets=[site], columns=[news], status=S.DRAFT)
    made = {}
    for item in (public, draft):
        for kind, name, ctype in (("image", "照片.png", "image/png"), ("file", "通知.pdf", "application/pdf")):
            attachment = Attachment(
                publication=item,
                kind=kind,
                original_name=name,
                content_type=ctype,
                size=4,
                stored_name=f"{item.pk}{kind}.bin",
            )
            attachment.file.save(attachment.stored_name, ContentFile(b"data"), save=True)
            made[(item.pk, kind)] = attachment
    page = get(client, "article", pk=public.pk).content.decode()
    assert f"/news/file/{made[(public.pk, 'image')].pk}/" in page and 'alt="带附件的稿件（图1）"' in page
    assert "通知.pdf" in page
    image = get(client, "attachment", pk=made[(public.pk, "image")].pk)
    assert image.status_code == 200 and image["Content-Type"] == "image/png"
    document = get(client, "attachment", pk=made[(public.pk, "file")].pk)
    assert document.status_code == 200 and "attachment" in document["Content-Disposition"]
    for kind in ("image", "file"):
        assert get(client, "attachment", pk=made[(draft.pk, kind)].pk).status_code == 404


def test_search_uses_the_trigram_index_on_postgresql(district, site, news):
    from xuanchuan.publishing.site.search import method, search

    if connection.vendor != "postgresql":
        assert method() == "substring (LIKE), scan"
        return
    assert method() == "substring (ILIKE) with pg_trgm GIN index"
    make(district.publicity, "新时代文明实践中心揭牌", outlets=[site], columns=[news])
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN SELECT id FROM publishing_publication WHERE search_text ILIKE %s", ["%文明实践%"])
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "publishing_pub_search_trgm" in plan, plan
    assert [row["title"] for row in search(site, "文明实践")] == ["新时代文明实践中心揭牌"]


def test_the_body_points_its_own_images_at_the_public_address(client, district, site, news):
    item = make(district.publicity, "图文稿件", outlets=[site], columns=[news])
    staff = reverse("publishing:attachment_download", kwargs={"pk": 41})
    Publication.objects.filter(pk=item.pk).update(body=f'<p>图片：</p><p><img src="{staff}" alt="活动现场"></p>')
    body = get(client, "article", pk=item.pk).content.decode()
    assert '<img src="/news/file/41/" alt="活动现场">' in body and staff not in body


def test_a_process_local_cache_is_cleared_by_another_process_through_the_stamp(client, district, site, news):
    from xuanchuan.publishing.site import cache as page_cache

    assert page_cache.local_only()  # the tests' locmem cache, as without REDIS_URL
    item = make(district.publicity, "本进程缓存的稿件", outlets=[site], columns=[news])
    get(client, "article", pk=item.pk)
    assert get(client, "article", pk=item.pk)["X-News-Cache"] == "hit"
    Publication.objects.filter(pk=item.pk).update(status=S.TAKEN_DOWN)
    # Another process clears its own cache and touches the stamp: this one's pages go too.
    page_cache._touch_stamp()
    assert get(client, "article", pk=item.pk).status_code == 410
    for _ in range(3):
        before = page_cache._stamp()
        page_cache._touch_stamp()
        assert page_cache._stamp() != before  # however quickly one clearing follows another
