"""The news site's part of the publishing app's share of the URL walk (see ``tests/scoping.py``).

The site is public by design: its home, search and feeds are walked without arguments (the walk
proves no draft or item in review of the sibling unit shows there); columns are public by design
(no unit's records in them but published ones), so no arguments; an article or an attachment of
the sibling unit's unpublished items must answer 404 like one that does not exist."""

from __future__ import annotations

from typing import Any

# Public by design: a column of the public site lists only published items, whoever asks.
PUBLIC_ROUTES = {"news:column", "news:column_feed"}


def create_records(district: Any, people: dict[str, Any]) -> list[str]:
    """A draft and an item in review of the sibling unit, aimed at the news site and its column."""
    from xuanchuan.publishing.models import Publication, PublicationStatus
    from xuanchuan.publishing.tests.scoping_review import news_site

    site = news_site(district)
    column = site.columns.first()
    made = []
    for title, status in (("东城网站草稿壬", PublicationStatus.DRAFT), ("东城网站送审癸", PublicationStatus.IN_REVIEW)):
        item = Publication.objects.create(  # scoping: allowed (test records)
            unit=district.east, title=title, body=f"<p>{title}正文</p>", body_text=f"{title}正文",
            search_text=f"{title}\n{title}正文", status=status,
        )  # fmt: skip
        item.outlets.add(site)
        item.columns.add(column)
        made.append(title)
    return made


def arguments(route_name: str, kwargs: tuple[str, ...], district: Any, people: dict[str, Any]) -> list[dict] | None:
    from xuanchuan.publishing.models import Attachment, Publication

    if not route_name.startswith("news:"):
        return None
    if route_name in PUBLIC_ROUTES:
        return []
    if route_name == "news:article":
        hidden = Publication.objects.filter(unit=district.east)  # scoping: allowed (test records)
        return [{"pk": pk} for pk in hidden.values_list("pk", flat=True)[:3]] or [{"pk": 999999}]
    if route_name == "news:attachment":
        hidden = Attachment.objects.filter(publication__unit=district.east)  # scoping: allowed (test records)
        return [{"pk": pk} for pk in hidden.values_list("pk", flat=True)[:3]] or [{"pk": 999999}]
    raise AssertionError(f"scoping_site does not know {route_name} {kwargs}")
