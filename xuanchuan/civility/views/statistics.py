"""Statistics of the tickets part: per unit and per category group for a period (problems,
tickets, rectified, on time, reopened, average days to rectify) with charts and Excel export, and
the 红榜/黑榜 page (overdue tickets under 督办, best and worst units of the period)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from xuanchuan.civility.models.cases import OPEN_TICKET_STATUSES
from xuanchuan.civility.permissions import may_view
from xuanchuan.civility.queries import tickets as queries
from xuanchuan.core.exports import xlsx_response

BOARD_MINIMUM_TICKETS = 3


def _period(request: HttpRequest) -> tuple[date, date]:
    """The period asked for (``?start=&end=``, at most ten years), else this year so far."""
    today = timezone.localdate()
    start = _date(request.GET.get("start")) or date(today.year, 1, 1)
    end = _date(request.GET.get("end")) or today
    if end < start:
        start, end = end, start
    if (end - start).days > 3660:
        start = date(end.year - 10, 1, 1)
    return start, end


def _date(raw: str | None) -> date | None:
    try:
        value = parse_date((raw or "").strip()[:10])
    except ValueError:
        return None
    if value is None or not 2000 <= value.year <= 2100:
        return None
    return value


HEADERS = (
    "名称",
    "问题数",
    "交办单数",
    "整改完成问题数",
    "销号交办单数",
    "按期整改数",
    "按期整改率（%）",
    "一次复核通过率（%）",
    "重新整改次数",
    "逾期未整改",
    "平均整改天数",
)


def _values(row: queries.StatRow) -> list[Any]:
    return [
        row.label,
        row.problems,
        row.tickets,
        row.rectified,
        row.accepted,
        row.on_time,
        row.on_time_rate if row.on_time_rate is not None else "",
        row.first_time_rate if row.first_time_rate is not None else "",
        row.reopened,
        row.overdue,
        row.average_days if row.average_days is not None else "",
    ]


@login_required
def statistics_page(request: HttpRequest) -> HttpResponse:
    """Tickets of a period by responsible unit and by category group (``?export=xlsx``)."""
    if not may_view(request.user):
        raise PermissionDenied
    start, end = _period(request)
    stats = queries.statistics(request.user, start, end)
    if request.GET.get("export") == "xlsx":
        rows = [
            [_("按责任单位")] + [""] * (len(HEADERS) - 1),
            *(_values(row) for row in stats.by_unit),
            [_("按问题大类")] + [""] * (len(HEADERS) - 1),
            *(_values(row) for row in stats.by_group),
            _values(stats.total),
        ]
        return xlsx_response("civility_ticket_statistics", _("交办整改统计"), list(HEADERS), rows)
    chart_data = {
        "unit": [[row.label, row.tickets, row.rectified, row.on_time] for row in stats.by_unit[:20]],
        "group": [[row.label, row.problems] for row in stats.by_group],
    }
    return render(
        request,
        "civility/tickets/statistics.html",
        {"title": _("交办整改统计"), "stats": stats, "headers": HEADERS, "chart_data": chart_data},
    )


@login_required
def boards_page(request: HttpRequest) -> HttpResponse:
    """督办 list of overdue tickets, and the period's 红榜 (best on-time and first-time-accepted
    rates) and 黑榜 (worst), among units with at least ``BOARD_MINIMUM_TICKETS`` closed tickets."""
    if not may_view(request.user):
        raise PermissionDenied
    start, end = _period(request)
    stats = queries.statistics(request.user, start, end)
    best, worst = queries.boards(stats, BOARD_MINIMUM_TICKETS)
    overdue = (
        queries.tickets_for(request.user)
        .filter(status__in=OPEN_TICKET_STATUSES, due_on__lt=timezone.localdate())
        .order_by("due_on")[:200]
    )
    return render(
        request,
        "civility/tickets/boards.html",
        {
            "title": _("红黑榜与督办"),
            "stats": stats,
            "best": best,
            "worst": worst,
            "overdue": overdue,
            "minimum": BOARD_MINIMUM_TICKETS,
            "today": timezone.localdate(),
        },
    )
