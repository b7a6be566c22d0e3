"""RSS of the news site (Django's syndication framework): the latest items of the site and of each
column. Each item's description is its summary, or the beginning of its plain text."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.feedgenerator import Rss201rev2Feed
from django.utils.translation import gettext as _

from xuanchuan.publishing.models import Column, Outlet, Publication
from xuanchuan.publishing.site import queries
from xuanchuan.publishing.site.cache import cacheable

FEED_ITEMS = 20
DESCRIPTION_CHARS = 200


class _RssFeed(Rss201rev2Feed):
    content_type = "application/rss+xml; charset=utf-8"


class SiteFeed(Feed):
    """The latest items of the whole site, or of one column (``slug``)."""

    feed_type = _RssFeed

    def get_object(self, request: HttpRequest, slug: str | None = None) -> tuple[Outlet, Column | None]:
        site = queries.news_site()
        if site is None:
            raise Http404(_("新闻网站尚未开通。"))
        if slug is None:
            return site, None
        column = queries.column_or_none(site, slug)
        if column is None:
            raise Http404(_("没有这个栏目。"))
        return site, column

    def title(self, obj: tuple[Outlet, Column | None]) -> str:
        site, column = obj
        return f"{site.name} · {column.name}" if column else site.name

    def link(self, obj: tuple[Outlet, Column | None]) -> str:
        _site, column = obj
        return reverse("news:column", kwargs={"slug": column.slug}) if column else reverse("news:home")

    def description(self, obj: tuple[Outlet, Column | None]) -> str:
        site, column = obj
        if column:
            return column.description or _("%(site)s“%(column)s”栏目的最新稿件") % {
                "site": site.name,
                "column": column.name,
            }
        return _("%(site)s的最新稿件") % {"site": site.name}

    def items(self, obj: tuple[Outlet, Column | None]) -> list[Publication]:
        site, column = obj
        return queries.latest_items(site, column, FEED_ITEMS)

    def item_title(self, item: Publication) -> str:
        return item.title

    def item_description(self, item: Publication) -> str:
        text = item.summary or item.body_text
        return text[:DESCRIPTION_CHARS] + ("…" if len(text) > DESCRIPTION_CHARS else "")

    def item_link(self, item: Publication) -> str:
        return reverse("news:article", kwargs={"pk": item.pk})

    def item_pubdate(self, item: Publication):
        return item.published_at

    def item_author_name(self, item: Publication) -> str:
        return item.source or item.unit.name


_feed = SiteFeed()


def site_feed(request: HttpRequest) -> HttpResponse:
    """RSS 订阅: the latest items of the site."""
    return cacheable(_feed(request)) if not request.GET else _feed(request)


def column_feed(request: HttpRequest, slug: str) -> HttpResponse:
    """RSS 订阅: the latest items of one column."""
    return cacheable(_feed(request, slug=slug)) if not request.GET else _feed(request, slug=slug)
