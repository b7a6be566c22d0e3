"""The public district news site in the browser: on a phone and on a desktop, home → column →
article, the older-reader mode (larger type) switched on and off by its link, and search.

(Kept beside the other browser tests because the fixtures live in this folder's conftest; the
site's own tests are in ``xuanchuan/publishing/tests/test_site.py``.)
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from xuanchuan.publishing.models import Column, Outlet, OutletKind, Publication, PublicationStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

BODY = (
    "<p>12月3日，东城街道新时代文明实践所组织志愿者走进幸福社区，开展垃圾分类宣传和政策宣讲活动。</p>"
    "<p>活动现场，志愿者向居民发放宣传资料200余份，耐心解答居民提出的问题。</p>"
)


@pytest.fixture
def site(district):
    cache.clear()
    outlet = Outlet.objects.create(
        unit=district.publicity, name="示范区政务网", kind=OutletKind.WEBSITE, is_news_site=True
    )
    news = Column.objects.create(outlet=outlet, unit=district.publicity, name="要闻动态", slug="news", position=1)
    local = Column.objects.create(outlet=outlet, unit=district.publicity, name="基层动态", slug="local", position=2)
    topic = Column.objects.create(
        outlet=outlet, unit=district.publicity, name="新时代文明实践", slug="civility", is_topic=True,
        description="推进新时代文明实践中心建设",
    )  # fmt: skip
    titles = [
        ("东城街道开展垃圾分类志愿宣传活动", [news, topic]),
        ("区委理论学习中心组召开专题学习会", [news]),
        ("西城街道举办邻里节", [local]),
        ("文明实践志愿服务队走进敬老院", [topic]),
        ("全区防汛工作部署会召开", [news]),
    ]
    for hours, (title, columns) in enumerate(titles, start=1):
        item = Publication.objects.create(
            unit=district.publicity, title=title, body=BODY, body_text=BODY, search_text=f"{title}\n{BODY}",
            status=PublicationStatus.PUBLISHED, published_at=timezone.now() - timedelta(hours=hours),
            source="区融媒体中心",
        )  # fmt: skip
        item.outlets.add(outlet)
        item.columns.add(*columns)
    yield outlet
    cache.clear()


def _walk(page, base: str, screenshot_dir, prefix: str) -> None:
    page.goto(base + reverse("news:home"))
    assert page.title() == "示范区政务网"
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    assert page.locator("section.topics").get_by_text("新时代文明实践").count() >= 1
    page.screenshot(path=str(screenshot_dir / f"{prefix}-home.png"), full_page=True)
    page.locator("nav.cols").get_by_role("link", name="要闻动态").click()
    page.wait_for_url("**/news/column/news/")
    assert page.locator("h1").inner_text() == "要闻动态"
    page.screenshot(path=str(screenshot_dir / f"{prefix}-column.png"), full_page=True)
    page.get_by_role("link", name="东城街道开展垃圾分类志愿宣传活动").click()
    page.wait_for_url("**/news/article/*/")
    assert page.title() == "东城街道开展垃圾分类志愿宣传活动 - 示范区政务网"
    assert "志愿者走进幸福社区" in page.locator("article").inner_text()
    page.screenshot(path=str(screenshot_dir / f"{prefix}-article.png"), full_page=True)
    # The skip link is the first thing a keyboard reaches and leads to the content.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "跳到正文"


def test_home_column_article_on_a_phone_with_the_older_reader_mode(phone_page, live_server, site, screenshot_dir):
    page = phone_page
    _walk(page, live_server.url, screenshot_dir, "news-phone")
    # Nothing wider than the phone's screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    normal = float(page.evaluate("getComputedStyle(document.querySelector('.body')).fontSize").rstrip("px"))
    page.get_by_role("link", name="长者模式（大字）").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("class") == "elder"
    assert "志愿者走进幸福社区" in page.locator("article").inner_text()  # back on the same article
    larger = float(page.evaluate("getComputedStyle(document.querySelector('.body')).fontSize").rstrip("px"))
    assert larger >= normal * 1.25
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(screenshot_dir / "news-phone-article-elder.png"), full_page=True)
    page.goto(live_server.url + reverse("news:home"))
    assert page.locator("html").get_attribute("class") == "elder"  # the mode stays on
    page.screenshot(path=str(screenshot_dir / "news-phone-home-elder.png"), full_page=True)
    page.get_by_role("link", name="标准版").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("class") is None


def test_home_column_article_and_search_on_a_desktop(page, live_server, site, screenshot_dir):
    _walk(page, live_server.url, screenshot_dir, "news-desktop")
    page.get_by_label("站内搜索").fill("邻里节")
    page.get_by_role("button", name="搜索").click()
    page.wait_for_url("**/news/search/?q=*")
    results = page.locator("main ul.list").inner_text()
    assert "西城街道举办邻里节" in results
    assert "文明实践志愿服务队走进敬老院" not in results and "全区防汛工作部署会召开" not in results
    page.screenshot(path=str(screenshot_dir / "news-desktop-search.png"), full_page=True)
