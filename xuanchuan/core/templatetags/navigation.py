"""Template helpers of the site navigation."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def is_section_of(path: str, url: str) -> bool:
    """Whether the page at ``path`` belongs to the navigation entry at ``url`` (its URL or below it).

    A prefix test, not a substring one: ``/reports/dashboards/outbreak/`` is not part of ``/outbreak/``.
    """
    return bool(url) and (path == url or (url.endswith("/") and path.startswith(url)))
