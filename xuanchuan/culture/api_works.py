"""JSON API of the culture app's works part (``/api/culture/works/``): the calls for works in scope
and the works submitted to one of them (paginated). Staff who review works only, read only,
through ``visible_to``; authors' names and phones are given masked only (the reveal is the staff
page's, logged); another unit's call is 404 like a missing one."""

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from xuanchuan.core.pii import masked
from xuanchuan.culture.models import CallStatus, Submission, SubmissionStatus
from xuanchuan.culture.permissions import may_manage_works
from xuanchuan.culture.queries import works as queries
from xuanchuan.org.models import Unit

router = Router()
MAX_ID = 999_999_999_999_999_999


class CallOut(Schema):
    id: int
    title: str
    art_forms: str
    opens_at: datetime
    closes_at: datetime
    status: str
    status_label: str
    exhibition_open: bool
    unit_id: int
    unit_name: str
    received: int
    pending: int
    accepted: int

    @staticmethod
    def resolve_status_label(obj: Any) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_unit_name(obj: Any) -> str:
        return obj.unit.name


class SubmissionOut(Schema):
    id: int
    reference: str
    title: str
    art_form: str
    public_name: str
    author_name_masked: str
    author_phone_masked: str
    author_org: str
    status: str
    status_label: str
    created_at: datetime
    decided_at: datetime | None = None
    note: str
    image_count: int

    @staticmethod
    def resolve_author_name_masked(obj: Submission) -> str:
        return masked(obj, "author_name") if obj.author_name else ""

    @staticmethod
    def resolve_author_phone_masked(obj: Submission) -> str:
        return masked(obj, "author_phone") if obj.author_phone else ""

    @staticmethod
    def resolve_status_label(obj: Submission) -> str:
        return str(obj.get_status_display())


class CallFilters(Schema):
    status: CallStatus | None = Field(None, description="状态")
    year: int | None = Field(None, ge=2000, le=2100, description="开始年度")
    unit: int | None = Field(None, ge=1, le=MAX_ID, description="单位（含下级）")
    q: str = Field("", max_length=100, description="名称中包含的文字")


class SubmissionFilters(Schema):
    status: SubmissionStatus | None = Field(None, description="状态")


def _require(request: HttpRequest) -> None:
    if not may_manage_works(request.user):
        raise PermissionDenied


@router.get("/calls", response=list[CallOut], url_name="culture_call_list", summary="作品征集（可见范围内）")
@paginate
def culture_call_list(request: HttpRequest, filters: Query[CallFilters]) -> Any:
    _require(request)
    found = queries.calls(request.user).order_by("-opens_at", "-pk")
    if filters.status:
        found = found.filter(status=filters.status)
    if filters.year:
        found = found.filter(opens_at__year=filters.year)
    if filters.unit is not None:
        unit = Unit.objects.visible_to(request.user).filter(pk=filters.unit).first()
        if unit is None:
            raise Http404
        found = found.within(unit)
    if filters.q.strip():
        found = found.filter(title__icontains=filters.q.strip())
    return found


@router.get(
    "/calls/{int:call_id}/submissions",
    response=list[SubmissionOut],
    url_name="culture_call_submissions",
    summary="一次作品征集收到的作品（作者信息脱敏）",
)
@paginate
def culture_call_submissions(request: HttpRequest, call_id: int, filters: Query[SubmissionFilters]) -> Any:
    _require(request)
    if not 0 < call_id < 2**63 or not queries.calls(request.user).filter(pk=call_id).exists():
        raise Http404
    found = queries.submissions(request.user).filter(call_id=call_id).order_by("created_at", "pk")
    if filters.status:
        found = found.filter(status=filters.status)
    return found
