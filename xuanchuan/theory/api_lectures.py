"""The theory app's JSON API, lectures part (``/api/theory/lectures/``): lectures in scope (filters,
paginated), one lecture with its lecturers, and the lecture teams in scope. Staff only, read only,
through ``visible_to``; no personal data (lecturers' names and titles are public with their
lectures, their phones are not given); another unit's lecture is 404 like a missing one."""

from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from xuanchuan.org.models import Unit
from xuanchuan.theory.models import Lecture, LectureStatus, TeamLevel
from xuanchuan.theory.permissions import may_view
from xuanchuan.theory.queries import lectures as queries

router = Router()
MAX_ID = 999_999_999_999_999_999


class TeamOut(Schema):
    id: int
    name: str
    level: str
    level_label: str
    unit_id: int
    unit_name: str
    active: bool
    lecturer_count: int
    lecture_count: int

    @staticmethod
    def resolve_level_label(obj: Any) -> str:
        return str(obj.get_level_display())

    @staticmethod
    def resolve_unit_name(obj: Any) -> str:
        return obj.unit.name


class LectureOut(Schema):
    id: int
    topic: str
    starts_at: datetime
    place: str
    event: str
    status: str
    status_label: str
    audience: int | None = None
    team_id: int
    team_name: str
    level: str
    unit_id: int
    unit_name: str

    @staticmethod
    def resolve_status_label(obj: Lecture) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_team_name(obj: Lecture) -> str:
        return obj.team.name

    @staticmethod
    def resolve_level(obj: Lecture) -> str:
        return obj.team.level

    @staticmethod
    def resolve_unit_name(obj: Lecture) -> str:
        return obj.unit.name


class LecturerBrief(Schema):
    id: int
    name: str
    title: str


class LectureDetailOut(LectureOut):
    summary: str
    lecturers: list[LecturerBrief]
    photo_count: int

    @staticmethod
    def resolve_lecturers(obj: Lecture) -> list[Any]:
        return list(obj.lecturers.all())

    @staticmethod
    def resolve_photo_count(obj: Lecture) -> int:
        return obj.photos.count()


class TeamFilters(Schema):
    level: TeamLevel | None = Field(None, description="层级")
    active: bool | None = Field(None, description="是否启用")
    q: str = Field("", max_length=100, description="名称中包含的文字")


class LectureFilters(Schema):
    team: int | None = Field(None, ge=1, le=MAX_ID, description="宣讲队伍")
    level: TeamLevel | None = Field(None, description="层级")
    status: LectureStatus | None = Field(None, description="状态")
    year: int | None = Field(None, ge=2000, le=2100, description="年度")
    unit: int | None = Field(None, ge=1, le=MAX_ID, description="单位（含下级）")
    start: date | None = Field(None, description="从此日起")
    end: date | None = Field(None, description="到此日止")
    q: str = Field("", max_length=100, description="主题、地点或依托活动中包含的文字")


def _require_view(request: HttpRequest) -> None:
    if not may_view(request.user):
        raise PermissionDenied


@router.get("/teams", response=list[TeamOut], url_name="theory_team_list", summary="宣讲队伍（可见范围内）")
@paginate
def theory_team_list(request: HttpRequest, filters: Query[TeamFilters]) -> Any:
    _require_view(request)
    found = queries.teams(request.user).order_by("level", "unit__path", "name")
    if filters.level:
        found = found.filter(level=filters.level)
    if filters.active is not None:
        found = found.filter(active=filters.active)
    if filters.q.strip():
        found = found.filter(name__icontains=filters.q.strip())
    return found


@router.get("/", response=list[LectureOut], url_name="theory_lecture_list", summary="宣讲活动（可见范围内）")
@paginate
def theory_lecture_list(request: HttpRequest, filters: Query[LectureFilters]) -> Any:
    _require_view(request)
    found = queries.lectures(request.user).order_by("-starts_at", "-pk")
    if filters.team:
        found = found.filter(team_id=filters.team)
    if filters.level:
        found = found.filter(team__level=filters.level)
    if filters.status:
        found = found.filter(status=filters.status)
    if filters.year:
        found = found.filter(starts_at__year=filters.year)
    if filters.start:
        found = found.filter(starts_at__date__gte=filters.start)
    if filters.end:
        found = found.filter(starts_at__date__lte=filters.end)
    if filters.unit is not None:
        unit = Unit.objects.visible_to(request.user).filter(pk=filters.unit).first()
        if unit is None:
            raise Http404
        found = found.within(unit)
    text = filters.q.strip()
    if text:
        from django.db.models import Q

        found = found.filter(Q(topic__icontains=text) | Q(place__icontains=text) | Q(event__icontains=text))
    return found


@router.get(
    "/{int:lecture_id}", response=LectureDetailOut, url_name="theory_lecture_detail", summary="宣讲活动及宣讲员"
)
def theory_lecture_detail(request: HttpRequest, lecture_id: int) -> Lecture:
    _require_view(request)
    if not 0 < lecture_id < 2**63:
        raise Http404
    return get_object_or_404(queries.lectures(request.user), pk=lecture_id)
