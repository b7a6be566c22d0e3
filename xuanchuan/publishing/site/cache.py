"""The news site's page cache and what clears it (receivers of ``publishing.signals``).

Every public page of the site (home, column pages, articles, feeds, search results) is the same
for every visitor in one reading mode, so the whole response is kept in Django's cache (Redis in
production, shared by every process; locmem in tests and single-process set-ups) under a key made
of the mode (standard or older-reader), the path and the query string. ``NewsCacheMiddleware``
(early in ``MIDDLEWARE``, after the security and CSP middleware) answers a hit before sessions,
CSRF, authentication and the view run; the security headers are still added on the way out.

A view marks a response cacheable with ``cacheable(response, seconds)``; nothing else is kept.

Clearing: when a publication is published, changed or taken down, exactly the pages that show it
are deleted at once — the home page, every page of its columns on the site, its article page, the
site's feed and its columns' feeds, in both modes. Search results are not cleared: they expire
after ``PUBLISHING_SITE_SEARCH_CACHE_SECONDS``. A page rendered while a clearing happened is not
stored (a generation counter is read before the view runs and compared before storing), so a
request that read the old rows cannot put a stale page back after the clearing.

A cache each process keeps for itself (locmem: no ``REDIS_URL``) cannot be cleared from another
process, so there every clearing also touches a stamp file (``stamp_path()``, beside the other
processes of the same installation on this machine) and a cached page is only served while the
stamp is the one it was stored under: one ``stat`` a hit, and any clearing empties the whole
site's cache in every process. With Redis, pages are cleared one by one for every process at once.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseNotModified
from django.urls import NoReverseMatch, reverse

from xuanchuan.publishing.signals import publication_changed, publication_published, publication_taken_down

PREFIX = "news:v1:"
GEN_KEY = PREFIX + "gen"
MODE_COOKIE = "news_elder"
MODES = ("std", "elder")
# Headers kept with a cached page (the rest are added by the middleware in front on every answer).
KEPT_HEADERS = ("Content-Type", "Content-Language", "Cache-Control", "Vary")


def mode_of(request: HttpRequest) -> str:
    """``"elder"`` in the older-reader mode (适老化: a cookie set by the mode link), else ``"std"``."""
    return "elder" if request.COOKIES.get(MODE_COOKIE) == "1" else "std"


def page_key(mode: str, path: str, query: str = "") -> str:
    raw = f"{path}?{query}" if query else path
    if len(raw) > 200:
        raw = hashlib.sha256(raw.encode()).hexdigest()
    return f"{PREFIX}page:{mode}:{raw}"


def cacheable(response: HttpResponseBase, seconds: int | None = None) -> HttpResponseBase:
    """Mark ``response`` to be kept for ``seconds`` (the page setting by default)."""
    response.news_cache_seconds = seconds or settings.PUBLISHING_SITE_CACHE_SECONDS  # type: ignore[attr-defined]
    # Browsers and proxies ask again each time (a taken-down page must go at once); the ETag
    # makes that a 304 without the body on a poor connection. The mode is a cookie.
    response["Cache-Control"] = "public, no-cache"
    response["Vary"] = "Cookie"
    return response


def _etag(content: bytes) -> str:
    return '"' + hashlib.blake2b(content, digest_size=12).hexdigest() + '"'


_stamp_path: str | None = None


def stamp_path() -> str:
    """The stamp file of this installation (its database) for process-local caches."""
    global _stamp_path
    if _stamp_path is None:
        name = str(settings.DATABASES["default"].get("NAME", ""))
        digest = hashlib.sha256(f"{settings.BASE_DIR}|{name}".encode()).hexdigest()[:16]
        _stamp_path = os.path.join(tempfile.gettempdir(), f"xuanchuan-news-cache-{digest}.stamp")
    return _stamp_path


def local_only() -> bool:
    """Whether the cache is kept by each process for itself (not shared between processes)."""
    return isinstance(caches["default"], LocMemCache)


def _stamp() -> tuple[int, int, int] | None:
    """The stamp file's identity, length and time (``None`` with a shared cache)."""
    if not local_only():
        return None
    try:
        found = os.stat(stamp_path())
    except FileNotFoundError:
        return (0, 0, 0)
    return (found.st_ino, found.st_size, found.st_mtime_ns)


def _touch_stamp() -> None:
    """Change the stamp: one byte more each time (a new file past 4 kB), so that two clearings
    within the file system's time resolution still differ."""
    if not local_only():
        return
    path = stamp_path()
    with open(path, "ab") as stamp:
        stamp.write(b".")
        grown = stamp.tell() > 4096
    if grown:
        fresh = f"{path}.{os.getpid()}"
        with open(fresh, "wb") as stamp:
            stamp.write(b".")
        os.replace(fresh, path)


def _generation() -> int:
    return cache.get(GEN_KEY) or 0


def bump_generation() -> None:
    try:
        cache.incr(GEN_KEY)
    except ValueError:  # not there yet (or evicted)
        if not cache.add(GEN_KEY, 1, timeout=None):
            cache.incr(GEN_KEY)


def _answer(entry: tuple, request: HttpRequest) -> HttpResponse:
    status, content, headers, etag, _stamp_when_stored = entry
    if status == 200 and etag in request.headers.get("If-None-Match", ""):
        response: HttpResponse = HttpResponseNotModified()
    else:
        response = HttpResponse(content, status=status)
        for name, value in headers:
            response[name] = value
    response["ETag"] = etag
    response["X-News-Cache"] = "hit"
    return response


class NewsCacheMiddleware:
    """Answer GET/HEAD requests of the news site from the page cache; store cacheable answers."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.prefix: str | None = None

    def _prefix(self) -> str:
        if self.prefix is None:
            try:
                self.prefix = reverse("news:home")
            except NoReverseMatch:  # the site's URLs are not mounted
                self.prefix = "\x00"
        return self.prefix

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.method not in ("GET", "HEAD") or not request.path.startswith(self._prefix()):
            return self.get_response(request)
        key = page_key(mode_of(request), request.path, request.META.get("QUERY_STRING", ""))
        entry = cache.get(key)
        stamp = _stamp()
        if entry is not None and entry[4] == stamp:
            return _answer(entry, request)
        generation = _generation()
        response = self.get_response(request)
        seconds = getattr(response, "news_cache_seconds", None)
        if seconds and response.status_code in (200, 410) and not response.streaming:
            content = response.content
            etag = _etag(content)
            response["ETag"] = etag
            if _generation() == generation:  # no clearing since the view read the rows
                headers = tuple((name, response[name]) for name in KEPT_HEADERS if name in response)
                cache.set(key, (response.status_code, content, headers, etag, stamp), timeout=seconds)
            response["X-News-Cache"] = "miss"
        return response


# --- Clearing --------------------------------------------------------------------------------------


def _paths_of(publication: Any, *, all_columns: bool) -> list[str]:
    from xuanchuan.publishing.site import queries

    site = queries.news_site()
    if site is None:
        return []
    on_site = publication.outlets.filter(pk=site.pk).exists()
    if not on_site and not all_columns:
        return []
    columns = queries.site_columns(site)
    if not all_columns:
        mine = set(publication.columns.values_list("pk", flat=True))
        columns = [column for column in columns if column.pk in mine]
    paths = [
        reverse("news:home"),
        reverse("news:feed"),
        reverse("news:article", kwargs={"pk": publication.pk}),
    ]
    for column in columns:
        base = reverse("news:column", kwargs={"slug": column.slug})
        paths.append(base)
        # One page more than now: the last page of before the change, when an item left.
        paths += [f"{base}?page={number}" for number in range(2, queries.column_page_count(site, column.pk) + 2)]
        paths.append(reverse("news:column_feed", kwargs={"slug": column.slug}))
    return paths


def clear_pages(paths: Iterable[str]) -> int:
    """Delete the cached pages at ``paths`` (each may carry its query string), in both modes."""
    keys = []
    for full in paths:
        path, _, query = full.partition("?")
        keys += [page_key(mode, path, query) for mode in MODES]
    bump_generation()
    cache.delete_many(keys)
    _touch_stamp()
    return len(keys)


def clear_for(publication: Any, *, all_columns: bool = False) -> int:
    """Clear the pages that show ``publication``; ``all_columns`` when its columns may have
    changed (the ones it left are not known any more)."""
    return clear_pages(_paths_of(publication, all_columns=all_columns))


def fill_search_text(publication: Any) -> None:
    """Make sure a public item can be found: ``search_text`` is the title, summary and text."""
    from xuanchuan.publishing.models import Publication

    row = (
        Publication.objects.filter(pk=publication.pk)  # scoping: allowed (by key, from a signal)
        .values("title", "summary", "body_text", "search_text")
        .first()
    )
    if row is None:
        return
    wanted = "\n".join(part for part in (row["title"], row["summary"], row["body_text"]) if part)
    if row["search_text"] != wanted:
        Publication.objects.filter(pk=publication.pk).update(search_text=wanted)  # scoping: allowed


@receiver(publication_published, dispatch_uid="publishing.site.published")
def _published(sender: Any, publication: Any, **kwargs: Any) -> None:
    fill_search_text(publication)
    clear_for(publication)


@receiver(publication_changed, dispatch_uid="publishing.site.changed")
def _changed(sender: Any, publication: Any, **kwargs: Any) -> None:
    fill_search_text(publication)
    clear_for(publication, all_columns=True)


@receiver(publication_taken_down, dispatch_uid="publishing.site.taken_down")
def _taken_down(sender: Any, publication: Any, **kwargs: Any) -> None:
    clear_for(publication)
