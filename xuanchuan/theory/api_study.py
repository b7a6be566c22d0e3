"""The theory app's JSON API, study part (at ``/api/theory/study``): the study sessions the user sees
(paged, filters), one session with its attendance counts (the fixed rate rule of
``queries.study.attendance_counts``), and check-in by the screen's code for the signed-in member.
Check-in by code works for any signed-in member (the code finds the member's session among those
open now); the lists need a staff unit (``may_view``)."""

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from xuanchuan.core.services import refusal_text
from xuanchuan.theory.models import SessionKind, SessionStatus, StudySession
from xuanchuan.theory.permissions import may_view
from xuanchuan.theory.queries import study as queries
from xuanchuan.theory.services import study as services

router = Router()


class SessionOut(Schema):
    id: int
    group_id: int
    group: str
    unit_id: int
    unit: str
    topic: str
    kind: str
    kind_label: str
    status: str
    starts_at: datetime
    ends_at: datetime
    place: str
    planned_id: int | None = None

    @staticmethod
    def resolve_group(obj: StudySession) -> str:
        return obj.group.name

    @staticmethod
    def resolve_unit(obj: StudySession) -> str:
        return obj.unit.name

    @staticmethod
    def resolve_kind_label(obj: StudySession) -> str:
        return str(obj.get_kind_display())


class SessionDetailOut(SessionOut):
    attended: int
    expected: int
    rate: float | None = None
    present: int
    on_leave: int
    closed_at: datetime | None = None


class SessionFilters(Schema):
    group: int | None = Field(None, ge=1, le=2**62)
    kind: SessionKind | None = None
    status: SessionStatus | None = None
    year: int | None = Field(None, ge=2000, le=2100)
    q: str = Field("", max_length=100)


class CheckinIn(Schema):
    code: str = Field(..., min_length=1, max_length=20)


class CheckinOut(Schema):
    session_id: int
    topic: str
    at: datetime
    already: bool


def _require_view(request: HttpRequest) -> None:
    if not may_view(request.user):
        raise HttpError(403, "您没有查看中心组学习的权限。")


@router.get(
    "/sessions", response=list[SessionOut], url_name="theory_study_session_list", summary="中心组学习会议（可见范围内）"
)
@paginate
def theory_study_session_list(request: HttpRequest, filters: Query[SessionFilters]) -> Any:
    _require_view(request)
    rows = queries.sessions(request.user).order_by("-starts_at", "-pk")
    if filters.group is not None:
        rows = rows.filter(group_id=filters.group)
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    if filters.status:
        rows = rows.filter(status=filters.status)
    if filters.year is not None:
        rows = rows.filter(starts_at__year=filters.year)
    if filters.q.strip():
        rows = rows.filter(topic__icontains=filters.q.strip())
    return rows


@router.get(
    "/sessions/{int:session_id}",
    response=SessionDetailOut,
    url_name="theory_study_session_detail",
    summary="学习会议及出席人数（应到不含已准假）",
)
def theory_study_session_detail(request: HttpRequest, session_id: int) -> Any:
    if not 0 < session_id < 2**62:
        raise HttpError(404, "没有这次会议。")
    _require_view(request)
    session = queries.sessions(request.user).filter(pk=session_id).first()
    if session is None:
        raise HttpError(404, "没有这次会议。")
    attended, expected = queries.attendance_counts([session])
    state = queries.screen_state(session)
    session.attended, session.expected = attended, expected
    session.rate = queries.attendance_rate(attended, expected)
    session.present, session.on_leave = len(state.present), len(state.on_leave)
    return session


@router.post("/checkin", response=CheckinOut, url_name="theory_study_checkin", summary="以屏幕上的签到码签到（本人）")
def theory_study_checkin(request: HttpRequest, payload: CheckinIn) -> Any:
    try:
        attendance = services.check_in_by_code(user=request.user, code=payload.code)
    except services.AlreadyCheckedIn as exc:
        raise HttpError(409, refusal_text(exc)) from exc
    except PermissionDenied as exc:
        raise HttpError(403, refusal_text(exc)) from exc
    except ValidationError as exc:
        raise HttpError(400, refusal_text(exc)) from exc
    return {
        "session_id": attendance.session_id,
        "topic": attendance.session.topic,
        "at": attendance.at,
        "already": False,
    }
