"""Dashboards: month trends, unit comparisons and this year against last, of the registered figures.

Like the rest of ``reports``, this module reads the other apps only through the figure registry
(:func:`all_figures`, :meth:`Figure.compute`); the one model it reads itself is the unit tree of
``org``, to know which units to compare. A dashboard is made of :class:`Chart` objects, plain data
that the page draws with ECharts, shows as a table and exports to Excel: the three always show the
same numbers.

Every value is computed once per (figure, period, unit) and kept in Django's cache: a period
still running for :data:`CURRENT_TIMEOUT`, one that ended in the last :data:`SETTLE_DAYS` days (late
reports still come in) for :data:`RECENT_TIMEOUT`, an older one for :data:`PAST_TIMEOUT`; so a page
opened after a pause recomputes only the running period's values, not two years of months. A
period that has not begun has no data yet and is not computed at all (a gap in the chart, not a 0). A value may be
``None`` (a rate with nothing to divide by): it stays ``None`` all the way to the page.
Values are never added up, so a percentage is never summed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

from django.apps import apps
from django.core.cache import cache
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from xuanchuan.org.models import Unit
from xuanchuan.reports.computing import Number, Request, compute_many, plain
from xuanchuan.reports.registry import Figure, FigureError, Period, all_figures

__all__ = ["Number", "Request", "compute_many", "plain"]  # computed in ``computing``, used from here too

# The district overview's headline figures, across modules, in the order shown. Keys whose app
# is not installed are skipped.
OVERVIEW_FIGURES: tuple[str, ...] = (
    "arrivals.registrations",
    "passes.issued",
    "passes.outings",
    "outbreak.reports_submitted",
    "outbreak.reporting_rate",
    "org.platform_users",
)

# Seconds a computed value is kept: the current period changes every day; a period that ended
# changes only by late reports and corrections, most of them in the days right after it.
CURRENT_TIMEOUT = 5 * 60
RECENT_TIMEOUT = 60 * 60
PAST_TIMEOUT = 24 * 60 * 60
SETTLE_DAYS = 7
CACHE_PREFIX = "reports:dashboard:v1"


@dataclass(frozen=True)
class Module:
    """The figures of one app, shown together on its dashboard."""

    app: str
    label: str
    figures: tuple[Figure, ...]


def module_of(item: Figure) -> str:
    return item.key.split(".", 1)[0]


def _module_label(app: str) -> str:
    try:
        return str(apps.get_app_config(app).verbose_name)
    except LookupError:
        return app


def modules() -> list[Module]:
    """One module per app that has figures, in the order of the apps' keys."""
    grouped: dict[str, list[Figure]] = {}
    for item in all_figures():
        grouped.setdefault(module_of(item), []).append(item)
    return [Module(app, _module_label(app), tuple(items)) for app, items in sorted(grouped.items())]


def get_module(app: str) -> Module:
    for found in modules():
        if found.app == app:
            return found
    raise FigureError(f"没有这个模块的指标：{app}")


def default_compared(figures: Sequence[Figure]) -> Figure | None:
    """The figure a dashboard compares the units on unless another is asked for: its first."""
    return figures[0] if figures else None


def overview_figures() -> list[Figure]:
    registered = {item.key: item for item in all_figures()}
    return [registered[key] for key in OVERVIEW_FIGURES if key in registered]


def is_percent(item: Figure) -> bool:
    return item.unit == "%"


# --- values ---------------------------------------------------------------------------------------


def cache_key(figure_key: str, period: Period, unit: Unit | None) -> str:
    return f"{CACHE_PREFIX}:{figure_key}:{period.key}:{unit.pk if unit is not None else 'all'}"


def timeout_for(period: Period, today: date) -> int:
    """How long a value of ``period`` is kept (:data:`PAST_TIMEOUT` is the longest, the page says so)."""
    if period.end >= today.replace(day=1):
        return CURRENT_TIMEOUT
    if period.end >= today - timedelta(days=SETTLE_DAYS):
        return RECENT_TIMEOUT
    return PAST_TIMEOUT


Ident = tuple[str, str, "int | None"]


def _ident(item: Figure, period: Period, unit: Unit | None) -> Ident:
    return (item.key, period.key, unit.pk if unit is not None else None)


def fetch(requests: Iterable[Request], *, refresh: bool = False) -> dict[Ident, Number]:
    """The values asked for, from the cache or computed (and then cached): one cache round trip.
    ``refresh`` computes (and caches) them all, whatever is cached (see :mod:`.warming`).

    Values missing from the cache are computed by :func:`compute_many`, which counts a figure
    for several sibling units, or a dated figure for several months of a year, in one grouped
    query where it can.
    """
    today = timezone.localdate()
    wanted: dict[str, Request] = {}
    values: dict[Ident, Number] = {}
    for item, period, unit in requests:
        if period.start > today:
            values[_ident(item, period, unit)] = None  # not begun: no data yet
        else:
            wanted[cache_key(item.key, period, unit)] = (item, period, unit)
    cached = cache.get_many(list(wanted)) if wanted and not refresh else {}
    missing: list[Request] = []
    for key, (item, period, unit) in wanted.items():
        if key in cached:
            values[_ident(item, period, unit)] = cached[key][0]
        else:
            missing.append((item, period, unit))
    fresh: dict[int, dict[str, tuple[Number]]] = {}
    for (item, period, unit), value in compute_many(missing).items():
        values[_ident(item, period, unit)] = value
        # Wrapped in a tuple so that a cached None is told from a miss.
        fresh.setdefault(timeout_for(period, today), {})[cache_key(item.key, period, unit)] = (value,)
    for timeout, entries in fresh.items():
        cache.set_many(entries, timeout)
    return values


def value_of(values: dict[Ident, Number], item: Figure, period: Period, unit: Unit | None) -> Number:
    return values[_ident(item, period, unit)]


def detail_url(item: Figure, period: Period, unit: Unit | None) -> str:
    """The drill-down page of one number: the records behind it."""
    query = {"period": period.key}
    if unit is not None:
        query["unit"] = unit.pk
    return f"{reverse('reports:figure_detail', args=[item.key])}?{urlencode(query)}"


# --- charts ---------------------------------------------------------------------------------------


@dataclass
class Series:
    """One line or one set of bars: a value per category, each with the page of its records."""

    name: str
    values: list[Number]
    links: list[str]


@dataclass
class Chart:
    """A chart as data: drawn by ``dashboards.js``, shown as a table, exported to Excel."""

    id: str
    kind: str  # "line" or "bar"
    title: str
    unit: str
    category_label: str
    categories: list[str]
    series: list[Series] = field(default_factory=list)
    percent: bool = False
    # Categories left out of the chart, and so of its table and export (see comparison_chart).
    omitted: list[str] = field(default_factory=list)

    def headers(self) -> list[str]:
        return [self.category_label, *(item.name for item in self.series)]

    def rows(self) -> list[list[Any]]:
        """One row per category: its name and the value of every series."""
        return [
            [category, *(item.values[index] for item in self.series)] for index, category in enumerate(self.categories)
        ]

    def table(self) -> list[dict[str, Any]]:
        """The rows with each value's link, for the page's table."""
        return [
            {"category": category, "cells": [(item.values[index], item.links[index]) for item in self.series]}
            for index, category in enumerate(self.categories)
        ]

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "title": self.title,
            "unit": self.unit,
            "percent": self.percent,
            "categories": self.categories,
            "series": [{"name": item.name, "data": item.values, "links": item.links} for item in self.series],
        }


def chart_id(kind: str, item: Figure) -> str:
    return f"{kind}-{item.key.replace('.', '-')}"


def month_periods(year: int) -> list[Period]:
    return [Period.month(year, month) for month in range(1, 13)]


def trend_requests(item: Figure, year: int, unit: Unit | None) -> list[Request]:
    """The values of a trend chart: each month of ``year`` and of the year before."""
    return [(item, period, unit) for each in (year, year - 1) for period in month_periods(each)]


def comparison_requests(item: Figure, period: Period, children: Sequence[Unit]) -> list[Request]:
    """The values of a unit comparison: each unit in the period and a year before."""
    return [(item, each, child) for each in (period, period.previous_year()) for child in children]


def year_on_year_requests(figures: Sequence[Figure], period: Period, unit: Unit | None) -> list[Request]:
    return [(item, each, unit) for item in figures for each in (period, period.previous_year())]


def page_requests(
    figures: Sequence[Figure], compared: Figure | None, period: Period, unit: Unit | None, children: Sequence[Unit]
) -> list[Request]:
    """Every value a dashboard shows: fetched together, a page's missing values are computed in
    one :func:`compute_many` (a dated figure's year from the same query as its months)."""
    requests = [request for item in figures for request in trend_requests(item, period.start.year, unit)]
    requests += year_on_year_requests(figures, period, unit)
    if compared is not None:
        requests += comparison_requests(compared, period, children)
    return requests


def trend_chart(item: Figure, year: int, unit: Unit | None, values: dict[Ident, Number] | None = None) -> Chart:
    """The figure month by month in ``year`` and in the same months of the year before (from
    ``values`` when the page fetched them)."""
    years = (year, year - 1)
    periods = {each: month_periods(each) for each in years}
    if values is None:
        values = fetch(trend_requests(item, year, unit))
    chart = Chart(
        id=chart_id("trend", item),
        kind="line",
        title=item.label,
        unit=item.unit,
        category_label="月份",
        categories=[f"{month}月" for month in range(1, 13)],
        percent=is_percent(item),
    )
    for each in years:
        chart.series.append(
            Series(
                name=f"{each}年",
                values=[value_of(values, item, period, unit) for period in periods[each]],
                links=[detail_url(item, period, unit) for period in periods[each]],
            )
        )
    return chart


def child_units(unit: Unit | None, period: Period, user: Any = None) -> list[Unit]:
    """The units one level below ``unit`` (below the district root for ``None``) that existed at
    some time in the period; only those ``user`` may see, when given."""
    fields = ("pk", "name", "path", "depth")
    units = Unit.objects.visible_to(user) if user is not None else Unit.objects.all()
    if unit is None:
        roots = list(units.filter(depth=1).only(*fields))
        if len(roots) != 1:
            return roots
        unit = roots[0]
    existed = Q(established_on__isnull=True) | Q(established_on__lte=period.end)
    not_gone = Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=period.start)
    below = units.filter(depth=unit.depth + 1, path__startswith=unit.path)
    return list(below.filter(existed, not_gone).only(*fields))


def comparison_chart(
    item: Figure,
    period: Period,
    unit: Unit | None,
    children: Sequence[Unit],
    values: dict[Ident, Number] | None = None,
) -> Chart:
    """The figure for each unit below ``unit``: the period and the same period a year before.

    A unit with nothing in either period (0 or no data: a department has no arrivals) is named
    in ``omitted`` instead of taking a row of empty bars."""
    periods = (period, period.previous_year())
    if values is None:
        values = fetch(comparison_requests(item, period, children))
    shown = [child for child in children if any(value_of(values, item, each, child) for each in periods)]
    chart = Chart(
        id=chart_id("compare", item),
        kind="bar",
        title=f"{item.label}（按单位）",
        unit=item.unit,
        category_label="单位",
        categories=[child.name for child in shown],
        percent=is_percent(item),
        omitted=[child.name for child in children if child not in shown],
    )
    for each in periods:
        chart.series.append(
            Series(
                name=each.label,
                values=[value_of(values, item, each, child) for child in shown],
                links=[detail_url(item, each, child) for child in shown],
            )
        )
    return chart


# --- this period against the same period last year ------------------------------------------------


@dataclass(frozen=True)
class Comparison:
    """A figure's value in the period, the same period a year before, and the change."""

    figure: Figure
    value: Number
    previous: Number
    link: str
    previous_link: str

    @property
    def change(self) -> float | None:
        """Percentage points for a percentage; for a count, the change in per cent of last year."""
        if self.value is None or self.previous is None:
            return None
        if is_percent(self.figure):
            return round(self.value - self.previous, 1)
        if self.previous == 0:
            return None
        return round((self.value - self.previous) * 100 / self.previous, 1)

    @property
    def change_unit(self) -> str:
        return "个百分点" if is_percent(self.figure) else "%"


def year_on_year(
    figures: Sequence[Figure], period: Period, unit: Unit | None, values: dict[Ident, Number] | None = None
) -> list[Comparison]:
    previous = period.previous_year()
    if values is None:
        values = fetch(year_on_year_requests(figures, period, unit))
    return [
        Comparison(
            figure=item,
            value=value_of(values, item, period, unit),
            previous=value_of(values, item, previous, unit),
            link=detail_url(item, period, unit),
            previous_link=detail_url(item, previous, unit),
        )
        for item in figures
    ]
