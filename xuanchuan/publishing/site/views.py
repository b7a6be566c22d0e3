"""The public pages of the district news site: home, columns, articles, search, attachments and
the older-reader mode switch. No login; what is shown is decided by ``site.queries`` only.
Pages are the same for every visitor of one mode and are cached whole (``site.cache``)."""

from __future__ import annotations

import re

from django.conf import settings
from django.core.paginator import InvalidPage, Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from xuanchuan.core.public import rate_limit
from xuanchuan.publishing.models import Outlet
from xuanchuan.publishing.site import queries
from xuanchuan.publishing.site import search as site_search
from xuanchuan.publishing.site.cache import MODE_COOKIE, cacheable, mode_of

MAX_PAGE = 10_000


def public_body(body: str) -> str:
    """The cleaned body with links to the staff download of its own attachments (what the editor
    inserts) pointed at the site's public address of the same file (served only while public)."""
    staff = reverse("publishing:attachment_download", kwargs={"pk": 0}).rsplit("0/", 1)[0]
    public = reverse("news:attachment", kwargs={"pk": 0}).rsplit("0/", 1)[0]
    return re.sub(rf'(src|href)="{re.escape(staff)}(\d+)/"', rf'\1="{public}\2/"', body)


def _site() -> Outlet:
    site = queries.news_site()
    if site is None:
        raise Http404(_("新闻网站尚未开通。"))
    return site


def _missing(request: HttpRequest, site: Outlet, message: str) -> HttpResponse:
    """A 404 in the site's own look (the platform's 404 page is the staff one)."""
    return _render(request, "publishing/site/missing.html", {"site": site, "title": message}, status=404)


def _page_number(request: HttpRequest) -> int | None:
    """``?page=N`` (1 without it); ``None`` when it is not a page number we serve."""
    raw = request.GET.get("page", "1")
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_PAGE:
        return None
    return int(raw)


def _canonical(request: HttpRequest, allowed: set[str]) -> bool:
    """Only these query parameters, each once (other query strings are answered but not cached)."""
    return all(name in allowed and len(request.GET.getlist(name)) == 1 for name in request.GET)


def _render(request: HttpRequest, template: str, context: dict, *, status: int = 200) -> HttpResponse:
    site = context["site"]
    context = {
        "columns": queries.site_columns(site),
        "elder": mode_of(request) == "elder",
        "here": request.get_full_path(),
        "search_max": site_search.MAX_LENGTH,
        **context,
    }
    return render(request, template, context, status=status)


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """首页: the latest items and the latest of each column; topic columns (专题专栏) apart."""
    site = _site()
    page = queries.home(site)
    response = _render(request, "publishing/site/home.html", {"site": site, "page": page, "title": site.name})
    return cacheable(response) if not request.GET else response


@require_safe
def column(request: HttpRequest, slug: str) -> HttpResponse:
    """栏目 / 专题专栏: the column's items, newest first, twenty a page."""
    site = _site()
    found = queries.column_or_none(site, slug)
    number = _page_number(request)
    if found is None:
        return _missing(request, site, _("没有这个栏目"))
    try:
        page = queries.column_page(site, found, number or 0)
    except InvalidPage:
        return _missing(request, site, _("没有这一页"))
    response = _render(
        request, "publishing/site/column.html", {"site": site, "column": found, "page": page, "title": found.name}
    )
    canonical = _canonical(request, {"page"}) and (number > 1 or not request.GET)
    return cacheable(response) if canonical else response


@require_safe
def article(request: HttpRequest, pk: int) -> HttpResponse:
    """文章: title, date, source, body, images and attachments. A taken-down item answers 410."""
    site = _site()
    found = queries.article(site, pk)
    if found is None:
        if queries.is_gone(pk):
            response = _render(
                request, "publishing/site/gone.html", {"site": site, "title": _("稿件已撤下")}, status=410
            )
            return cacheable(response) if not request.GET else response
        return _missing(request, site, _("没有这篇文章"))
    response = _render(
        request,
        "publishing/site/article.html",
        {
            "site": site,
            "article": found,
            "item": found.publication,
            "body": public_body(found.publication.body),
            "title": found.publication.title,
        },
    )
    return cacheable(response) if not request.GET else response


@require_safe
@rate_limit("news-search", settings.PUBLISHING_SITE_SEARCH_RATE, methods=("GET", "HEAD"))
def search(request: HttpRequest) -> HttpResponse:
    """站内搜索: every term must occur; an empty query shows how to search."""
    site = _site()
    query = request.GET.get("q", "").strip()
    context: dict = {"site": site, "query": query, "title": _("站内搜索")}
    status = 200
    if len(query) > site_search.MAX_LENGTH:
        context["error"] = _("搜索词太长了，请不超过%(n)s个字。") % {"n": site_search.MAX_LENGTH}
        context["query"] = query[: site_search.MAX_LENGTH]
        status = 400
    elif query:
        paginator = Paginator(site_search.search(site, query), queries.PAGE_SIZE, allow_empty_first_page=True)
        try:
            context["page"] = paginator.page(_page_number(request) or 0)
        except InvalidPage:
            return _missing(request, site, _("没有这一页"))
        context["terms"] = site_search.terms_of(query)
    response = _render(request, "publishing/site/search.html", context, status=status)
    if status == 200 and _canonical(request, {"q", "page"}):
        return cacheable(response, settings.PUBLISHING_SITE_SEARCH_CACHE_SECONDS)
    return response


@require_safe
def attachment(request: HttpRequest, pk: int) -> FileResponse:
    """An image or file of a public article (404 for anything else); images shown in the page,
    other files downloaded under their original name."""
    found = queries.public_attachment(_site(), pk)
    if found is None:
        raise Http404(_("没有这个附件。"))
    try:
        handle = found.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404(_("没有这个附件。")) from None
    inline = found.kind == "image" and found.content_type in {"image/jpeg", "image/png", "image/gif", "image/webp"}
    response = FileResponse(
        handle,
        as_attachment=not inline,
        filename=found.original_name,
        content_type=found.content_type if inline else "application/octet-stream",
    )
    response["Cache-Control"] = "public, max-age=3600"
    return response


@require_safe
def mode(request: HttpRequest) -> HttpResponseRedirect:
    """Switch the older-reader mode (适老化: larger type, higher contrast) on or off, back to the page."""
    elder = request.GET.get("elder") == "1"
    home_url = reverse("news:home")
    target = request.GET.get("next", "")
    safe = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}) and target.startswith(home_url)
    response = HttpResponseRedirect(target if safe else home_url)
    if elder:
        response.set_cookie(MODE_COOKIE, "1", max_age=365 * 24 * 3600, samesite="Lax", httponly=True)
    else:
        response.delete_cookie(MODE_COOKIE, samesite="Lax")
    return response
