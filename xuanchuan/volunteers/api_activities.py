"""The activities part of the volunteers API (mounted at ``/api/volunteers/activities/``): the
projects and activities the user sees, one of each, with the sign-up counts (confirmed and
waiting). Read-only: staff keep projects and activities on the pages, residents sign up on their
phone."""

from datetime import date, datetime
from typing import Any

from django.db.models import Count, Q
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from xuanchuan.volunteers.api_filters import narrow, search
from xuanchuan.volunteers.models import Activity, ActivityStatus, Project, ProjectStatus
from xuanchuan.volunteers.permissions import may_view
from xuanchuan.volunteers.queries import activities as queries

router = Router()
MAX_KEY = 2**63 - 1


class ProjectOut(Schema):
    id: int
    title: str
    year: int
    status: str
    status_label: str
    team_id: int
    team: str
    brand_id: int | None = None
    brand: str | None = None
    unit_id: int
    unit: str
    summary: str
    published_at: datetime | None = None
    activity_count: int = 0
    confirmed: int = 0
    waiting: int = 0

    @staticmethod
    def resolve_status_label(obj: Project) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_team(obj: Project) -> str:
        return obj.team.name

    @staticmethod
    def resolve_brand(obj: Project) -> str | None:
        return obj.brand.name if obj.brand_id else None

    @staticmethod
    def resolve_unit(obj: Project) -> str:
        return obj.unit.name


class ActivityOut(Schema):
    id: int
    title: str
    project_id: int
    project: str
    unit_id: int
    unit: str
    place: str
    site_id: int | None = None
    starts_at: datetime
    ends_at: datetime
    capacity: int
    requirements: str
    status: str
    status_label: str
    confirmed: int = 0
    waiting: int = 0
    places_left: int = 0

    @staticmethod
    def resolve_project(obj: Activity) -> str:
        return obj.project.title

    @staticmethod
    def resolve_unit(obj: Activity) -> str:
        return obj.unit.name

    @staticmethod
    def resolve_status_label(obj: Activity) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_places_left(obj: Activity) -> int:
        return max(obj.capacity - (getattr(obj, "confirmed", 0) or 0), 0)


class ProjectFilters(Schema):
    year: int | None = Field(None, ge=2000, le=2100)
    status: ProjectStatus | None = None
    team: int | None = Field(None, ge=1, le=MAX_KEY)
    brand: int | None = Field(None, ge=1, le=MAX_KEY)
    q: str = Field("", max_length=100)


class ActivityFilters(Schema):
    status: ActivityStatus | None = None
    project: int | None = Field(None, ge=1, le=MAX_KEY)
    team: int | None = Field(None, ge=1, le=MAX_KEY)
    start_from: date | None = None
    start_to: date | None = None
    q: str = Field("", max_length=100)


def _require_view(request: HttpRequest) -> None:
    if not may_view(request.user):
        raise HttpError(403, "您没有查看志愿服务活动的权限。")


def _projects(request: HttpRequest) -> Any:
    from xuanchuan.volunteers.models import SignUpStatus

    return (
        queries.projects(request.user)
        .annotate(
            activity_count=Count("activities", distinct=True),
            confirmed=Count("activities__signups", filter=Q(activities__signups__status=SignUpStatus.CONFIRMED)),
            waiting=Count("activities__signups", filter=Q(activities__signups__status=SignUpStatus.WAITING)),
        )
        .order_by("-year", "title", "pk")
    )


def _activities(request: HttpRequest) -> Any:
    return queries.with_counts(queries.activities(request.user)).order_by("-starts_at", "-pk")


@router.get(
    "/projects", response=list[ProjectOut], url_name="volunteers_project_list", summary="志愿服务项目（可见范围内）"
)
@paginate
def volunteers_project_list(request: HttpRequest, filters: Query[ProjectFilters]) -> Any:
    _require_view(request)
    rows = _projects(request)
    rows = narrow(rows, year=filters.year, status=filters.status, team_id=filters.team, brand_id=filters.brand)
    rows = search(rows, filters.q, "title", "summary")
    return rows


@router.get(
    "/projects/{int:project_id}", response=ProjectOut, url_name="volunteers_project_detail", summary="一个志愿服务项目"
)
def volunteers_project_detail(request: HttpRequest, project_id: int) -> Project:
    _require_view(request)
    if not 0 < project_id <= MAX_KEY:
        raise Http404
    return get_object_or_404(_projects(request), pk=project_id)


@router.get(
    "/activities",
    response=list[ActivityOut],
    url_name="volunteers_activity_list",
    summary="志愿服务活动及报名人数（可见范围内）",
)
@paginate
def volunteers_activity_list(request: HttpRequest, filters: Query[ActivityFilters]) -> Any:
    _require_view(request)
    rows = _activities(request)
    rows = narrow(
        rows,
        status=filters.status,
        project_id=filters.project,
        project__team_id=filters.team,
        starts_at__date__gte=filters.start_from,
        starts_at__date__lte=filters.start_to,
    )
    rows = search(rows, filters.q, "title", "place")
    return rows


@router.get(
    "/activities/{int:activity_id}",
    response=ActivityOut,
    url_name="volunteers_activity_detail",
    summary="一个志愿服务活动及报名人数",
)
def volunteers_activity_detail(request: HttpRequest, activity_id: int) -> Activity:
    _require_view(request)
    if not 0 < activity_id <= MAX_KEY:
        raise Http404
    return get_object_or_404(_activities(request), pk=activity_id)
