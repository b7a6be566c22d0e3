"""The publishing app's review endpoints (added to ``publishing.api.router``, under
``/api/publishing/``): publications the user may see, the reviewer's queue, claim, approve and
return a step, the user's notices. Reads only through ``visible_to`` (via ``queries.review``);
writes through the same services as the pages; a refusal is 403 (permission) or 400 (rule)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from xuanchuan.core.services import refusal_text
from xuanchuan.publishing.models import Publication, PublicationStatus, ReviewTask
from xuanchuan.publishing.queries import review as queries
from xuanchuan.publishing.services import review as services

router = Router()


class PublicationOut(Schema):
    id: int
    title: str
    unit: str
    author_name: str
    status: str
    status_label: str
    current_step: str
    urgency: str
    planned_at: datetime | None = None
    published_at: datetime | None = None
    status_since: datetime

    @staticmethod
    def resolve_unit(obj: Publication) -> str:
        return obj.unit.name

    @staticmethod
    def resolve_status_label(obj: Publication) -> str:
        return str(obj.status_text())


class PublicationDetailOut(PublicationOut):
    summary: str
    body: str
    body_text: str
    version_count: int
    holder: str | None = None
    claimed_at: datetime | None = None
    due_at: datetime | None = None


class TaskOut(Schema):
    id: int
    publication_id: int
    title: str
    step: str
    step_label: str
    holder: str | None = None
    claimed_at: datetime | None = None
    due_at: datetime
    overdue: bool

    @staticmethod
    def resolve_publication_id(obj: ReviewTask) -> int:
        return obj.round.publication_id

    @staticmethod
    def resolve_title(obj: ReviewTask) -> str:
        return obj.round.publication.title

    @staticmethod
    def resolve_step_label(obj: ReviewTask) -> str:
        return str(obj.get_step_display())

    @staticmethod
    def resolve_holder(obj: ReviewTask) -> str | None:
        return (obj.holder.full_name or obj.holder.username) if obj.holder else None

    @staticmethod
    def resolve_overdue(obj: ReviewTask) -> bool:
        return obj.is_overdue


class ApproveIn(Schema):
    comment: str = Field("", max_length=1000)
    override_reason: str = Field("", max_length=1000)


class ReasonIn(Schema):
    reason: str = Field("", max_length=1000)


class NoticeOut(Schema):
    id: int
    publication_id: int
    text: str
    created_at: datetime
    read_at: datetime | None = None


def _guarded(call: Any) -> Any:
    try:
        return call()
    except PermissionDenied as exc:
        raise HttpError(403, refusal_text(exc)) from exc
    except ValidationError as exc:
        raise HttpError(400, refusal_text(exc)) from exc


def _task(request: HttpRequest, task_id: int) -> ReviewTask:
    task = queries.visible_tasks(request.user).select_related("round__publication", "holder").filter(pk=task_id).first()
    if task is None:
        raise HttpError(404, "Not Found")
    return task


def _body(request: HttpRequest, schema: type[Schema]) -> Any:
    """The JSON body as ``schema`` (its defaults for an empty body), read after the task was
    found, so another unit's task is 404 whatever the body; invalid input is 422."""
    import json

    from pydantic import ValidationError as SchemaError

    raw = request.body.strip()
    try:
        data = json.loads(raw) if raw else {}
    except ValueError as exc:
        raise HttpError(400, "请求内容不是有效的 JSON。") from exc
    if not isinstance(data, dict) or services_has_nul(data):
        raise HttpError(400, "请求内容无效。")
    try:
        return schema.model_validate(data)
    except SchemaError as exc:
        raise HttpError(422, "输入不符合要求。") from exc


def services_has_nul(data: dict[str, Any]) -> bool:
    return any(isinstance(value, str) and "\x00" in value for value in data.values())


def _openapi_body(schema: type[Schema]) -> dict[str, Any]:
    return {
        "requestBody": {
            "required": False,
            "content": {"application/json": {"schema": schema.model_json_schema()}},
        }
    }


STATUS_PATTERN = "^(" + "|".join(PublicationStatus.values) + ")?$"


@router.get(
    "/publications",
    response=list[PublicationOut],
    url_name="publishing_review_publication_list",
    summary="可见的稿件",
)
@paginate
def publishing_review_publication_list(
    request: HttpRequest, status: str = Query("", pattern=STATUS_PATTERN, max_length=20)
) -> Any:
    rows = queries.visible_publications(request.user).select_related("unit").order_by("-status_since", "-pk")
    return rows.filter(status=status) if status else rows


@router.get(
    "/publications/{int:publication_id}",
    response=PublicationDetailOut,
    url_name="publishing_review_publication_detail",
    summary="稿件详情（含当前审核人和起始时间）",
)
def publishing_review_publication_detail(request: HttpRequest, publication_id: int = Path(..., ge=1, le=2**62)) -> Any:
    item = queries.visible_publications(request.user).select_related("unit").filter(pk=publication_id).first()
    if item is None:
        raise HttpError(404, "Not Found")
    active = services.active_task(item)
    item.version_count = item.versions.count()
    item.holder = (active.holder.full_name or active.holder.username) if active and active.holder else None
    item.claimed_at = active.claimed_at if active else None
    item.due_at = active.due_at if active else None
    return item


@router.get("/review/queue", response=list[TaskOut], url_name="publishing_review_queue", summary="我的审核待办")
@paginate
def publishing_review_queue(request: HttpRequest) -> Any:
    return queries.queue(request.user)


@router.post(
    "/review/tasks/{int:task_id}/claim",
    response=TaskOut,
    url_name="publishing_review_task_claim",
    summary="领取审核（我来审）",
)
def publishing_review_task_claim(request: HttpRequest, task_id: int = Path(..., ge=1, le=2**62)) -> Any:
    task = _task(request, task_id)
    return _guarded(lambda: services.claim(task, by=request.user))


@router.post(
    "/review/tasks/{int:task_id}/approve",
    response=TaskOut,
    url_name="publishing_review_task_approve",
    openapi_extra=_openapi_body(ApproveIn),
    summary="审核通过（高风险校对问题须填写放行理由）",
)
def publishing_review_task_approve(request: HttpRequest, task_id: int = Path(..., ge=1, le=2**62)) -> Any:
    task = _task(request, task_id)
    payload = _body(request, ApproveIn)
    return _guarded(
        lambda: services.approve(
            task, by=request.user, comment=payload.comment, override_reason=payload.override_reason
        )
    )


@router.post(
    "/review/tasks/{int:task_id}/return",
    response=TaskOut,
    url_name="publishing_review_task_return",
    openapi_extra=_openapi_body(ReasonIn),
    summary="退回修改（须填写理由）",
)
def publishing_review_task_return(request: HttpRequest, task_id: int = Path(..., ge=1, le=2**62)) -> Any:
    task = _task(request, task_id)
    reason = _body(request, ReasonIn).reason
    return _guarded(lambda: services.return_to_author(task, by=request.user, reason=reason))


@router.get("/notices", response=list[NoticeOut], url_name="publishing_review_notice_list", summary="我的审核消息")
@paginate
def publishing_review_notice_list(request: HttpRequest, unread: bool = False) -> Any:
    rows = queries.notices(request.user).order_by("-created_at", "-pk")
    return rows.filter(read_at__isnull=True) if unread else rows
