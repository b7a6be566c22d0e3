"""数据看板: the district overview and a dashboard per module that has figures.

Filters and scoping are those of the figure catalogue (:mod:`xuanchuan.reports.scope`): a unit the
user may not see answers 404. Each chart's data is also an Excel file, ``?export=xlsx&chart=<id>``,
made from the same :class:`Chart` object.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import partial

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from xuanchuan.core.exports import xlsx_response
from xuanchuan.org.models import Unit
from xuanchuan.reports import dashboards
from xuanchuan.reports.dashboards import Chart, Ident, Module, Number
from xuanchuan.reports.registry import Figure, FigureError, Period
from xuanchuan.reports.scope import period_from_request, unit_filter_context, unit_from_request

RECENT_YEARS = 5


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    return _dashboard(request, None)


@login_required
def module_dashboard(request: HttpRequest, app: str) -> HttpResponse:
    try:
        module = dashboards.get_module(app)
    except FigureError:
        raise Http404 from None
    return _dashboard(request, module)


def _compared_figure(request: HttpRequest, figures: list[Figure]) -> Figure | None:
    """The figure the units are compared on: the one asked for if it is on this dashboard."""
    asked = request.GET.get("compare", "")
    return next((item for item in figures if item.key == asked), dashboards.default_compared(figures))


def _chart_builders(
    figures: list[Figure],
    compared: Figure | None,
    period: Period,
    unit: Unit | None,
    children: list[Unit],
    values: dict[Ident, Number] | None = None,
) -> dict[str, Callable[[], Chart]]:
    """Each chart of the page by its id, built only when asked for (an export builds one and
    fetches its own values; the page passes the ``values`` it fetched for all of them)."""
    builders: dict[str, Callable[[], Chart]] = {
        dashboards.chart_id("trend", item): partial(dashboards.trend_chart, item, period.start.year, unit, values)
        for item in figures
    }
    if compared is not None and children:
        compare_id = dashboards.chart_id("compare", compared)
        builders[compare_id] = partial(dashboards.comparison_chart, compared, period, unit, children, values)
    return builders


def _export(request: HttpRequest, builders: dict[str, Callable[[], Chart]], period: Period) -> HttpResponse:
    builder = builders.get(request.GET.get("chart", ""))
    if builder is None:
        raise Http404(_("没有这个图表"))
    chart = builder()
    sheet = re.sub(r"[\[\]:*?/\\]", "_", chart.title)  # characters Excel refuses in a sheet's name
    return xlsx_response(f"dashboard-{chart.id}-{period.key}", sheet, chart.headers(), chart.rows())


def _dashboard(request: HttpRequest, module: Module | None) -> HttpResponse:
    period, period_error = period_from_request(request)
    unit = unit_from_request(request)
    figures = list(module.figures) if module else dashboards.overview_figures()
    compared = _compared_figure(request, figures)
    children = dashboards.child_units(unit, period, request.user)
    if request.GET.get("export") == "xlsx":
        return _export(request, _chart_builders(figures, compared, period, unit, children), period)
    shown = compared if children else None
    values = dashboards.fetch(dashboards.page_requests(figures, shown, period, unit, children))
    builders = _chart_builders(figures, compared, period, unit, children, values)
    charts = [builder() for builder in builders.values()]
    compare_chart = next((chart for chart in charts if chart.kind == "bar"), None)
    query = request.GET.copy()
    for name in ("export", "chart"):
        query.pop(name, None)
    scope = query.copy()  # for the other dashboards: their figures are not this one's
    scope.pop("compare", None)
    this_year = timezone.localdate().year
    context = {
        "title": _("%(module)s数据看板") % {"module": module.label} if module else _("数据看板"),
        "module": module,
        "modules": dashboards.modules(),
        "period": period,
        "previous": period.previous_year(),
        "period_error": period_error,
        **unit_filter_context(request, unit),
        "years": range(this_year, this_year - RECENT_YEARS, -1),
        "figures": figures,
        "compared": compared,
        "comparisons": dashboards.year_on_year(figures, period, unit, values),
        "trend_charts": [chart for chart in charts if chart.kind == "line"],
        "compare_chart": compare_chart,
        "compare_height": max(200, 30 * len(compare_chart.categories) + 80) if compare_chart else 0,
        "chart_data": {
            "scope": f"{period.label} · {unit.name if unit else _('全区')}",
            "charts": [chart.as_json() for chart in charts],
        },
        "query_string": query.urlencode(),
        "scope_query": scope.urlencode(),
        "cache_minutes": (dashboards.PAST_TIMEOUT // 60, dashboards.CURRENT_TIMEOUT // 60),
    }
    return render(request, "reports/dashboard.html", context)
