"""Template helpers of the site navigation."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def is_section_of(path: str, url: str) -> bool:
    """Whether the page at ``path`` belongs to the navigation entry at ``url`` (its URL or below it).

    A prefix test, not a substring one: ``/reports/dashboards/outbreak/`` is not part of ``/outbreak/``.
    """
    return bool(url) and (path == url or (url.endswith("/") and path.startswith(url)))


@register.filter
def elided_page_range(page: Any) -> Any:
    """The page numbers to offer around ``page`` (Django's ``get_elided_page_range`` needs the
    current number, which a template cannot pass): 1 2 … 7 8 [9] 10 11 … 40 41."""
    return page.paginator.get_elided_page_range(page.number)
