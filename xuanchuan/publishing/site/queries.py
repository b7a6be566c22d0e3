"""The reads of the public news site.

What the public sees is decided here and only here: the site is the outlet with
``is_news_site=True``; a publication appears when it is published (status ``PUBLISHED`` and its
``published_at`` has come) and the site is among its outlets; its columns place it. A taken-down
one is "gone" (its page answers 410), everything else does not exist (404).

These reads are public by design: they do not go through ``visible_to`` (which gives an anonymous
visitor nothing) but through ``public_publications()``, which shows only what was approved for the
public and selects only the fields a public page shows (never reviewers, notes or internals).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import F, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from xuanchuan.publishing.models import Attachment, Column, Outlet, Publication, PublicationStatus

PAGE_SIZE = 20
HOME_PER_COLUMN = 6
HOME_LATEST = 8
# The fields a public list shows (lists never load bodies).
LIST_FIELDS = ("pk", "title", "summary", "published_at", "source", "unit__name")


def news_site() -> Outlet | None:
    """The district news site (at most one outlet, a database constraint), ``None`` if not set up."""
    return (
        Outlet.objects.filter(is_news_site=True)  # scoping: allowed (public)
        .exclude(status="closed")
        .select_related("unit")
        .first()
    )


def public_publications(site: Outlet) -> QuerySet[Publication]:
    """Publications the public may read on ``site``: published, due, targeting the site."""
    return Publication.objects.filter(  # scoping: allowed (public by design, see module docstring)
        status=PublicationStatus.PUBLISHED, published_at__lte=timezone.now(), outlets=site
    )


def site_columns(site: Outlet) -> list[Column]:
    """The site's open columns, ordinary ones first, then topic columns (专题专栏), by position
    (read once per ``site`` object: a page asks for them for its menu and its content)."""
    known = getattr(site, "_public_columns", None)
    if known is not None:
        return known
    site._public_columns = list(
        Column.objects.filter(outlet=site, is_active=True)  # scoping: allowed (public)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=timezone.localdate()))
        .order_by("is_topic", "position", "name")
        .only("pk", "name", "slug", "is_topic", "description")
    )
    return site._public_columns


@dataclass
class ColumnBlock:
    column: Column
    items: list[dict] = field(default_factory=list)


@dataclass
class Home:
    site: Outlet
    columns: list[Column]
    latest: list[dict]
    blocks: list[ColumnBlock]
    topics: list[ColumnBlock]


def home(site: Outlet) -> Home:
    """The home page: the latest items, and the latest of each column (topic columns apart).
    Three queries whatever the number of columns (a window function ranks items per column)."""
    columns = site_columns(site)
    public = public_publications(site)
    latest = list(public.order_by("-published_at", "-pk").values(*LIST_FIELDS)[:HOME_LATEST])
    through = Publication.columns.through
    ranked = (
        through.objects.filter(  # scoping: allowed (public items only, see public_publications)
            column__in=[column.pk for column in columns], publication__in=public.values("pk")
        )
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("column_id")],
                order_by=[F("publication__published_at").desc(), F("publication_id").desc()],
            )
        )
        .filter(rank__lte=HOME_PER_COLUMN)
        .values(
            "column_id",
            "rank",
            pk=F("publication_id"),
            title=F("publication__title"),
            summary=F("publication__summary"),
            published_at=F("publication__published_at"),
        )
    )
    by_column: dict[int, list[dict]] = {}
    for row in ranked:
        by_column.setdefault(row["column_id"], []).append(row)
    blocks = []
    for column in columns:
        items = sorted(by_column.get(column.pk, []), key=lambda row: row["rank"])
        blocks.append(ColumnBlock(column, items))
    return Home(
        site=site,
        columns=columns,
        latest=latest,
        blocks=[block for block in blocks if not block.column.is_topic],
        topics=[block for block in blocks if block.column.is_topic],
    )


def column_or_none(site: Outlet, slug: str) -> Column | None:
    return next((column for column in site_columns(site) if column.slug == slug), None)


def column_page(site: Outlet, column: Column, number: int) -> Page:
    """One page of a column's items, newest first (``Paginator`` raises ``InvalidPage``)."""
    items = public_publications(site).filter(columns=column).order_by("-published_at", "-pk").values(*LIST_FIELDS)
    return Paginator(items, PAGE_SIZE, allow_empty_first_page=True).page(number)


def column_page_count(site: Outlet, column_id: int) -> int:
    """How many pages a column has now (for clearing them all from the cache)."""
    total = public_publications(site).filter(columns=column_id).count()
    return max(1, -(-total // PAGE_SIZE))


@dataclass
class Article:
    publication: Publication
    columns: list[Column]
    images: list[Attachment]
    files: list[Attachment]


def article(site: Outlet, pk: int) -> Article | None:
    """A public article with its site columns and attachments (three queries), or ``None``."""
    publication = (
        public_publications(site)
        .select_related("unit")
        .only("pk", "title", "summary", "body", "author_name", "source", "published_at", "status", "unit__name")
        .filter(pk=pk)
        .first()
    )
    if publication is None:
        return None
    columns = [column for column in site_columns(site) if column.pk in _column_ids(publication)]
    attachments = list(
        Attachment.objects.filter(publication=publication)  # scoping: allowed (of a public item)
        .only("pk", "kind", "original_name", "size", "content_type", "publication_id")
        .order_by("uploaded_at", "pk")
    )
    return Article(
        publication=publication,
        columns=columns,
        images=[item for item in attachments if item.kind == "image"],
        files=[item for item in attachments if item.kind != "image"],
    )


def _column_ids(publication: Publication) -> set[int]:
    through = Publication.columns.through.objects  # scoping: allowed (of a public item)
    return set(through.filter(publication_id=publication.pk).values_list("column_id", flat=True))


def is_gone(pk: int) -> bool:
    """Whether ``pk`` was on the site and has been taken down (its page answers 410)."""
    site = news_site()
    if site is None:
        return False
    return Publication.objects.filter(  # scoping: allowed (answers only "gone or not")
        pk=pk, status=PublicationStatus.TAKEN_DOWN, outlets=site
    ).exists()


def public_attachment(site: Outlet, pk: int) -> Attachment | None:
    """An attachment of a public article on ``site``, or ``None``."""
    return (
        Attachment.objects.filter(  # scoping: allowed (only of public items)
            pk=pk, publication__in=public_publications(site).values("pk")
        )
        .only("pk", "file", "kind", "original_name", "content_type", "size", "publication_id")
        .first()
    )


def latest_items(site: Outlet, column: Column | None = None, limit: int = 20) -> list[Publication]:
    """The newest items for the RSS feeds (with bodies' summaries)."""
    items = public_publications(site)
    if column is not None:
        items = items.filter(columns=column)
    return list(
        items.select_related("unit")
        .only("pk", "title", "summary", "body_text", "published_at", "source", "author_name", "unit__name")
        .order_by("-published_at", "-pk")[:limit]
    )
