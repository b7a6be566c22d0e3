"""Warming the district's dashboards: their values computed ahead, after midnight (Celery beat).

A dashboard opened with nothing cached computes every value it shows; the values of ended
periods are then kept a day (``dashboards.PAST_TIMEOUT``). The nightly job computes, for the
whole district and the running year, every value the overview and each module's dashboard show
by default — the months of this year and last, the two years, and the default compared figure for
each unit one level down — and the figure catalogue's (every figure, those with a parameter once per
choice, for the two years), and caches them afresh, so that during the day a first load computes
only what changes by the minute (the running year and month, kept ``CURRENT_TIMEOUT``).
"""

from __future__ import annotations

from django.utils import timezone

from xuanchuan.reports import dashboards
from xuanchuan.reports.computing import Request
from xuanchuan.reports.registry import Period, catalogue


def district_requests(year: int) -> list[Request]:
    """Every value of the overview and the module dashboards, district-wide, for ``year``."""
    period = Period.year(year)
    children = dashboards.child_units(None, period)
    pages = [dashboards.overview_figures(), *(list(module.figures) for module in dashboards.modules())]
    unique: dict[tuple[str, str, int | None], Request] = {}
    for figures in pages:
        compared = dashboards.default_compared(figures)
        for item, each, unit in dashboards.page_requests(figures, compared, period, None, children):
            unique[(item.key, each.key, unit.pk if unit is not None else None)] = (item, each, unit)
    for item in catalogue(None):  # the catalogue page: this year and last, district-wide
        for each in (period, period.previous_year()):
            unique.setdefault((item.key, each.key, None), (item, each, None))
    return list(unique.values())


def warm_district_dashboards() -> int:
    """Compute and cache the district dashboards' values of the running year; how many."""
    requests = district_requests(timezone.localdate().year)
    dashboards.fetch(requests, refresh=True)
    return len(requests)
