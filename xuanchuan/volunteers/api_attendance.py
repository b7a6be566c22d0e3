"""The attendance part of the volunteers API (at ``/api/volunteers/attendance``): the service records
the user sees, with filters, and the number of hours entered by hand waiting for their decision.
Read only: check-in and check-out are page POSTs from the volunteer's phone (it holds the
volunteer's cookie, not a staff API session); decisions and corrections are made on the pages."""

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from xuanchuan.volunteers.api_filters import narrow
from xuanchuan.volunteers.models import RecordSource, RecordStatus, ServiceRecord
from xuanchuan.volunteers.permissions import may_view
from xuanchuan.volunteers.queries import attendance as queries

router = Router()


class RecordOut(Schema):
    id: int
    activity_id: int
    activity: str
    volunteer_number: str
    unit_id: int
    unit: str
    source: str
    status: str
    status_label: str
    served_on: date
    checked_in_at: datetime | None = None
    checked_out_at: datetime | None = None
    minutes: int
    manual: bool

    @staticmethod
    def resolve_activity(obj: ServiceRecord) -> str:
        return obj.activity.title

    @staticmethod
    def resolve_volunteer_number(obj: ServiceRecord) -> str:
        return obj.volunteer.number

    @staticmethod
    def resolve_unit(obj: ServiceRecord) -> str:
        return obj.unit.name

    @staticmethod
    def resolve_status_label(obj: ServiceRecord) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_manual(obj: ServiceRecord) -> bool:
        return obj.source == RecordSource.MANUAL


class RecordFilters(Schema):
    activity: int | None = Field(None, ge=1, le=2**62)
    unit: int | None = Field(None, ge=1, le=2**62)
    status: RecordStatus | None = None
    source: RecordSource | None = None
    served_from: date | None = None
    served_to: date | None = None


class PendingOut(Schema):
    count: int


def _require_view(request: HttpRequest) -> None:
    if not may_view(request.user):
        raise HttpError(403, "您没有查看志愿服务记录的权限。")


@router.get(
    "/records", response=list[RecordOut], url_name="volunteers_record_list", summary="志愿服务记录（可见范围内）"
)
@paginate
def volunteers_record_list(request: HttpRequest, filters: Query[RecordFilters]) -> Any:
    _require_view(request)
    rows = queries.records(request.user).order_by("-served_on", "-pk")
    rows = narrow(
        rows,
        activity_id=filters.activity,
        unit_id=filters.unit,
        status=filters.status,
        source=filters.source,
        served_on__gte=filters.served_from,
        served_on__lte=filters.served_to,
    )
    return rows


@router.get(
    "/records/pending-count", response=PendingOut, url_name="volunteers_pending_hours", summary="待我审核的补录数"
)
def volunteers_pending_hours(request: HttpRequest) -> Any:
    _require_view(request)
    return {"count": queries.pending_count(request.user)}
