"""The theory app's JSON API, viewers part (mounted at ``/api/theory/viewers/``).

Public (no account, like the phone classroom): the published items, newest first, by category and
words of the title, speaker or description, and one of them with its shown questions and answers.
Nothing about viewers (their ids, progress) and no pending or rejected question is in it.
Staff (``may_manage_classroom``): the questions of items in their scope, with their review."""

from datetime import datetime
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from xuanchuan.theory.models import ClassItem, Question, QuestionStatus
from xuanchuan.theory.permissions import may_manage_classroom
from xuanchuan.theory.queries import viewers as queries

router = Router()
MAX_KEY = 2**63 - 1


class ItemOut(Schema):
    id: int
    title: str
    speaker: str
    description: str
    kind: str
    category_id: int
    category: str
    duration_seconds: int
    published_at: datetime | None = None
    plays: int = 0

    @staticmethod
    def resolve_category(obj: ClassItem) -> str:
        return obj.category.name

    @staticmethod
    def resolve_plays(obj: ClassItem) -> int:
        return getattr(obj, "play_count", 0) or 0


class PublicQuestionOut(Schema):
    id: int
    nickname: str
    text: str
    created_at: datetime
    answer: str
    answered_at: datetime | None = None


class ItemDetailOut(ItemOut):
    questions: list[PublicQuestionOut] = []

    @staticmethod
    def resolve_questions(obj: ClassItem) -> list[Question]:
        # scoping: allowed — shown questions are public.
        return list(obj.questions.filter(status=QuestionStatus.SHOWN).order_by("-created_at", "-pk")[:100])


class QuestionOut(Schema):
    id: int
    item_id: int
    item: str
    nickname: str
    text: str
    status: str
    status_label: str
    flags: list[dict]
    answer: str
    created_at: datetime
    answered_at: datetime | None = None

    @staticmethod
    def resolve_item(obj: Question) -> str:
        return obj.item.title

    @staticmethod
    def resolve_status_label(obj: Question) -> str:
        return str(obj.get_status_display())


class ItemFilters(Schema):
    category: int | None = Field(None, ge=1, le=MAX_KEY)
    q: str = Field("", max_length=50)


class QuestionFilters(Schema):
    status: QuestionStatus | None = None
    item: int | None = Field(None, ge=1, le=MAX_KEY)
    q: str = Field("", max_length=100)


@router.get(
    "/items", auth=None, response=list[ItemOut], url_name="theory_viewers_item_list", summary="云课堂已发布课程（公开）"
)
@paginate
def theory_viewers_item_list(request: HttpRequest, filters: Query[ItemFilters]) -> Any:
    rows = queries.classroom_items(q=filters.q.replace("\x00", ""))
    if filters.category is not None:
        rows = rows.filter(category_id=filters.category)
    return rows


@router.get(
    "/items/{int:item_id}",
    auth=None,
    response=ItemDetailOut,
    url_name="theory_viewers_item_detail",
    summary="一门已发布课程及公开的提问",
)
def theory_viewers_item_detail(request: HttpRequest, item_id: int) -> ClassItem:
    if not 0 < item_id <= MAX_KEY:
        raise Http404
    return queries.public_item(item_id)


@router.get(
    "/questions", response=list[QuestionOut], url_name="theory_viewers_question_list", summary="群众提问（可见范围内）"
)
@paginate
def theory_viewers_question_list(request: HttpRequest, filters: Query[QuestionFilters]) -> Any:
    if not may_manage_classroom(request.user):
        raise HttpError(403, "您没有审核云课堂提问的权限。")
    rows = queries.questions(request.user).order_by("-created_at", "-pk")
    if filters.status is not None:
        rows = rows.filter(status=filters.status)
    if filters.item is not None:
        rows = rows.filter(item_id=filters.item)
    q = filters.q.replace("\x00", "").strip()
    if q:
        rows = rows.filter(text__icontains=q)
    return rows
