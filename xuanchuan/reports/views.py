"""The figure catalogue: every registered figure with its value, and the records behind it."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from xuanchuan.core.exports import xlsx_response
from xuanchuan.reports.dashboards import CURRENT_TIMEOUT, PAST_TIMEOUT, fetch, value_of
from xuanchuan.reports.registry import FigureError, Measure, catalogue, get_figure
from xuanchuan.reports.scope import period_from_request, unit_filter_context, unit_from_request


@login_required
def figure_list(request: HttpRequest) -> HttpResponse:
    period, period_error = period_from_request(request)
    unit = unit_from_request(request)
    previous = period.previous_year()
    figures = catalogue(unit)  # a figure with a parameter once per choice (each named series …)
    # Through the dashboards' cache: the same values, kept as long and computed once for both.
    values = fetch((item, each, unit) for item in figures for each in (period, previous))
    rows = [
        {
            "figure": item,
            "value": value_of(values, item, period, unit),
            "previous": value_of(values, item, previous, unit),
        }
        for item in figures
    ]
    if request.GET.get("export") == "xlsx":
        headers = [_("指标代码"), _("指标"), _("单位"), period.label, previous.label, _("口径说明")]
        data = [
            [
                row["figure"].key,
                row["figure"].label,
                row["figure"].unit,
                row["value"],
                row["previous"],
                row["figure"].description,
            ]
            for row in rows
        ]
        return xlsx_response("figures", _("指标目录"), headers, data)
    context = {
        "title": _("指标目录"),
        "rows": rows,
        "period": period,
        "previous": previous,
        "period_error": period_error,
        **unit_filter_context(request, unit),
        "query_string": request.GET.urlencode(),
        "cache_minutes": (PAST_TIMEOUT // 60, CURRENT_TIMEOUT // 60),
    }
    return render(request, "reports/figure_list.html", context)


def _record_row(record: Any) -> list[Any]:
    return [str(record), getattr(getattr(record, "unit", None), "name", "") or ""]


@login_required
def figure_detail(request: HttpRequest, key: str) -> HttpResponse:
    try:
        item = get_figure(key)
    except FigureError:  # unknown, or an argument its parameter does not take
        raise Http404 from None
    if item.needs_argument:
        raise Http404(_("这个指标须选择参数，请从指标目录选择"))
    period, period_error = period_from_request(request)
    unit = unit_from_request(request)
    result = item.func(period, unit)
    if isinstance(result, QuerySet):
        # A count: the value through the dashboards' cache, so the page counts the records once
        # (for its pages), not twice.
        measure = Measure(value_of(fetch([(item, period, unit)]), item, period, unit), result)
    else:
        measure = result if isinstance(result, Measure) else item.compute(period, unit)  # a wrong type: its error
    records = measure.records.visible_to(request.user) if measure.records is not None else None
    if records is not None and any(field.name == "unit" for field in records.model._meta.fields):
        records = records.select_related("unit")
    if records is not None and request.GET.get("export") == "xlsx":
        rows = (_record_row(record) for record in records.iterator(chunk_size=2000))
        return xlsx_response(f"figure-{key}", item.label, [_("记录"), _("所属单位")], rows)
    page = Paginator(records, 50).get_page(request.GET.get("page")) if records is not None else None
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "title": item.label,
        "figure": item,
        "value": measure.value,
        "period": period,
        "period_error": period_error,
        **unit_filter_context(request, unit),
        "page_obj": page,
        "query_string": query.urlencode(),
    }
    return render(request, "reports/figure_detail.html", context)
