"""Full-text search of the news site in Chinese.

Chinese has no spaces between words, so a word parser is needed for PostgreSQL's full-text
search (zhparser, SCWS); it is not installed here and most hosted PostgreSQL servers lack it.
The site therefore searches by substring, which finds any Chinese word exactly as typed:

- PostgreSQL: ``search_text ILIKE '%词%'`` for every term, served by a trigram index
  (``pg_trgm``'s ``gin_trgm_ops``, migration ``publishing.0xxx_news_site_search``) when the
  extension could be created; pg_trgm splits Chinese text into character trigrams under a UTF-8
  locale, so terms of three or more characters use the index; shorter ones (and a server without
  pg_trgm) scan the public items, which a district site keeps in the tens of thousands at most.
- SQLite: the same substring test (``LIKE``), scanning the public items.

Terms are the query split on spaces (at most ``MAX_TERMS``, all must occur); matches in the title
come first, then the newest. ``search_text`` is the title, summary and plain text of the body
(filled by the publishing service, and again by the site's receivers when an item is published).
"""

from __future__ import annotations

import re

from django.db import connection
from django.db.models import BooleanField, Case, IntegerField, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL

from xuanchuan.publishing.models import Outlet, Publication
from xuanchuan.publishing.site.queries import LIST_FIELDS, public_publications

MAX_LENGTH = 50
MAX_TERMS = 5


def terms_of(query: str) -> list[str]:
    """The distinct terms of ``query`` (split on any space, full-width too), at most ``MAX_TERMS``."""
    found: list[str] = []
    for term in re.split(r"[\s\u3000]+", query.strip()):
        if term and term not in found:
            found.append(term)
    return found[:MAX_TERMS]


def _escaped(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _contains(term: str) -> Q | RawSQL:
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(Publication._meta.db_table)
        return RawSQL(f'{table}."search_text" ILIKE %s', (f"%{_escaped(term)}%",), output_field=BooleanField())  # noqa: S611 -- the table name is ours, the term a parameter
    return Q(search_text__icontains=term)


def search(site: Outlet, query: str) -> QuerySet[Publication]:
    """The public items of ``site`` containing every term of ``query`` (values of ``LIST_FIELDS``)."""
    terms = terms_of(query)
    items = public_publications(site)
    if not terms:
        return items.none().values(*LIST_FIELDS)
    for term in terms:
        items = items.filter(_contains(term))
    in_title = Q()
    for term in terms:
        in_title &= Q(title__icontains=term)
    return (
        items.annotate(in_title=Case(When(in_title, then=Value(1)), default=Value(0), output_field=IntegerField()))
        .order_by("-in_title", "-published_at", "-pk")
        .values(*LIST_FIELDS)
    )


def method() -> str:
    """Which method this database uses (shown in the README and the benchmark's output)."""
    if connection.vendor != "postgresql":
        return "substring (LIKE), scan"
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_indexes WHERE indexname = %s", ["publishing_pub_search_trgm"])
        indexed = cursor.fetchone() is not None
    return "substring (ILIKE) with pg_trgm GIN index" if indexed else "substring (ILIKE), scan (no pg_trgm)"
