"""The publishing log's endpoints (added to ``publishing.api.router`` at ``/external``): the posts
the user may see (a post is seen by whoever sees its publication), one post, and the staff steps
(record a post made by hand, retry a failed one, confirm a removal). Reads only through
``visible_to``; another unit's post is 404 like a missing one. Refusals: 403 / 400."""

from datetime import date
from typing import Any, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Path, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from xuanchuan.core.services import refusal_text
from xuanchuan.publishing.models.external import OutletPost
from xuanchuan.publishing.services import external as services

router = Router()

StatusParam = Literal["pending", "publishing", "published", "failed", "withdrawn"]
MAX_ID = 999_999_999_999_999_999
PostId = Path(..., ge=1, le=2**62)


class PostFilters(Schema):
    status: StatusParam | None = Field(None, description="状态")
    outlet: int | None = Field(None, ge=1, le=MAX_ID, description="发布平台")
    publication: int | None = Field(None, ge=1, le=MAX_ID, description="稿件")
    removal_needed: bool | None = Field(None, description="下架后待人工删除")
    q: str = Field("", max_length=100, description="稿件标题或平台名称中包含的文字")


class PostOut(Schema):
    id: int
    publication_id: int
    publication_title: str
    outlet_id: int
    outlet_name: str
    outlet_kind: str
    status: str
    state_label: str
    manual: bool
    url: str
    published_on: date | None = None
    attempts: int
    error: str
    removal_needed: bool

    @staticmethod
    def resolve_publication_title(obj: OutletPost) -> str:
        return obj.publication.title

    @staticmethod
    def resolve_outlet_name(obj: OutletPost) -> str:
        return obj.outlet.name

    @staticmethod
    def resolve_outlet_kind(obj: OutletPost) -> str:
        return obj.outlet.kind


class RecordIn(Schema):
    url: str = Field(..., min_length=8, max_length=500, pattern=r"^https?://\S+$", description="链接")
    published_on: date = Field(..., description="发布日期")


def _posts(request: HttpRequest) -> Any:
    return OutletPost.objects.visible_to(request.user).select_related("publication", "outlet")


def _post(request: HttpRequest, post_id: int) -> OutletPost:
    return get_object_or_404(_posts(request), pk=post_id)


def _body(request: HttpRequest, schema: type[Schema]) -> Any:
    """The JSON body as ``schema``, read after the post was found (another unit's post is 404
    whatever the body); not JSON is 400, invalid input 422."""
    import json

    from pydantic import ValidationError as SchemaError

    raw = request.body.strip()
    try:
        data = json.loads(raw) if raw else {}
    except ValueError as exc:
        raise HttpError(400, "请求内容不是有效的 JSON。") from exc
    if not isinstance(data, dict) or any(isinstance(value, str) and "\x00" in value for value in data.values()):
        raise HttpError(400, "请求内容无效。")
    try:
        return schema.model_validate(data)
    except SchemaError as exc:
        raise HttpError(422, "输入不符合要求：链接须以 http:// 或 https:// 开头，日期格式为 YYYY-MM-DD。") from exc


def _openapi_body(schema: type[Schema]) -> dict[str, Any]:
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": schema.model_json_schema()}}}}


def _guarded(call: Any) -> Any:
    try:
        return call()
    except PermissionDenied as exc:
        raise HttpError(403, refusal_text(exc)) from exc
    except ValidationError as exc:
        raise HttpError(400, refusal_text(exc)) from exc


@router.get("/posts", response=list[PostOut], url_name="publishing_post_list", summary="发布记录")
@paginate
def post_list(request: HttpRequest, filters: Query[PostFilters]) -> Any:
    posts = _posts(request)
    if filters.status:
        posts = posts.filter(status=filters.status)
    if filters.outlet:
        posts = posts.filter(outlet_id=filters.outlet)
    if filters.publication:
        posts = posts.filter(publication_id=filters.publication)
    if filters.removal_needed is not None:
        posts = posts.filter(removal_needed=filters.removal_needed)
    if filters.q.strip():
        text = filters.q.strip()
        posts = posts.filter(Q(publication__title__icontains=text) | Q(outlet__name__icontains=text))
    return posts


@router.get("/posts/{int:post_id}", response=PostOut, url_name="publishing_post_detail", summary="一条发布记录")
def post_detail(request: HttpRequest, post_id: int = PostId) -> OutletPost:
    return _post(request, post_id)


@router.post(
    "/posts/{int:post_id}/record",
    response=PostOut,
    url_name="publishing_post_record",
    openapi_extra=_openapi_body(RecordIn),
    summary="登记人工发布的链接",
)
def post_record(request: HttpRequest, post_id: int = PostId) -> OutletPost:
    post = _post(request, post_id)
    payload = _body(request, RecordIn)
    _guarded(lambda: services.record_manual(post, url=payload.url, day=payload.published_on, by=request.user))
    return _post(request, post_id)


@router.post("/posts/{int:post_id}/retry", response=PostOut, url_name="publishing_post_retry", summary="重试发布")
def post_retry(request: HttpRequest, post_id: int = PostId) -> OutletPost:
    post = _post(request, post_id)
    _guarded(lambda: services.retry(post, by=request.user))
    return _post(request, post_id)


@router.post(
    "/posts/{int:post_id}/removed", response=PostOut, url_name="publishing_post_removed", summary="确认已在平台删除"
)
def post_removed(request: HttpRequest, post_id: int = PostId) -> OutletPost:
    post = _post(request, post_id)
    _guarded(lambda: services.confirm_removed(post, by=request.user))
    return _post(request, post_id)
