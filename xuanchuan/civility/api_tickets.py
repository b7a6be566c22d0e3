"""The civility app's tickets endpoints (added to ``civility.api.router``, at ``/api/civility/tickets``):
the tickets the user sees and one ticket with its history (read only: replying and verifying, with
evidence photos, are done on the pages)."""

from datetime import date, datetime
from typing import Any

from django.db.models import Q
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from xuanchuan.civility.models.cases import OPEN_TICKET_STATUSES, Ticket, TicketStatus
from xuanchuan.civility.permissions import may_view

router = Router()


class EventOut(Schema):
    kind: str
    at: datetime
    note: str


class TicketOut(Schema):
    id: int
    number: str
    status: str
    status_label: str
    unit_id: int
    unit: str
    issuing_unit: str
    issued_at: datetime
    due_on: date
    overdue: bool
    requirement: str
    reply: str
    reopen_count: int
    on_time: bool | None = None
    escalated_at: datetime | None = None
    closed_at: datetime | None = None
    problem_ids: list[int]

    @staticmethod
    def resolve_status_label(obj: Ticket) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_unit(obj: Ticket) -> str:
        return obj.unit.name

    @staticmethod
    def resolve_issuing_unit(obj: Ticket) -> str:
        return obj.issuing_unit.name

    @staticmethod
    def resolve_overdue(obj: Ticket) -> bool:
        return obj.is_overdue

    @staticmethod
    def resolve_problem_ids(obj: Ticket) -> list[int]:
        return [problem.pk for problem in obj.problems.all()]


class TicketDetailOut(TicketOut):
    events: list[EventOut]

    @staticmethod
    def resolve_events(obj: Ticket) -> list[dict[str, Any]]:
        return [{"kind": event.kind, "at": event.at, "note": event.note} for event in obj.events.all()]


class TicketFilters(Schema):
    status: TicketStatus | None = None
    overdue: bool | None = None
    year: int | None = Field(None, ge=2000, le=2100)
    q: str = Field("", max_length=100)


def _require_view(request: HttpRequest) -> None:
    if not may_view(request.user):
        raise HttpError(403, "您没有查看文明城市创建事项的权限。")


def _tickets(request: HttpRequest) -> Any:
    return (
        Ticket.objects.visible_to(request.user)
        .select_related("unit", "issuing_unit")
        .prefetch_related("problems")
        .order_by("-issued_at", "-pk")
    )


def _ticket(request: HttpRequest, ticket_id: int) -> Ticket:
    _require_view(request)
    if not 0 < ticket_id < 2**63:
        raise Http404
    return get_object_or_404(_tickets(request).prefetch_related("events"), pk=ticket_id)


@router.get("/tickets", response=list[TicketOut], url_name="civility_ticket_list", summary="交办单（可见范围内）")
@paginate
def civility_ticket_list(request: HttpRequest, filters: Query[TicketFilters]) -> Any:
    _require_view(request)
    rows = _tickets(request)
    if filters.status:
        rows = rows.filter(status=filters.status)
    if filters.year:
        rows = rows.filter(year=filters.year)
    if filters.overdue is not None:
        overdue = Q(status__in=OPEN_TICKET_STATUSES, due_on__lt=timezone.localdate())
        rows = rows.filter(overdue) if filters.overdue else rows.exclude(overdue)
    if filters.q.strip():
        text = filters.q.strip()
        rows = rows.filter(Q(number__icontains=text) | Q(unit__name__icontains=text))
    return rows


@router.get(
    "/tickets/{int:ticket_id}", response=TicketDetailOut, url_name="civility_ticket_detail", summary="一份交办单"
)
def civility_ticket_detail(request: HttpRequest, ticket_id: int) -> Ticket:
    return _ticket(request, ticket_id)
