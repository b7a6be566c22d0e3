"""Writes of the lectures part: lecture teams on four levels and their lecturers, lectures (planned,
recorded as held with the audience and photos, cancelled with a reason), and residents' or units'
requests for a lecture (点单: submitted on the public phone page, assigned to a team or declined by
staff, scheduled as a lecture; done once that lecture is recorded held).

Every staff service checks the role first (``may_manage_lectures``), then the unit scope, and
writes in one transaction with the row locked where two people may act on it at once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from xuanchuan.core.photos import clean_photo
from xuanchuan.core.pii import register_retention as register_pii_retention
from xuanchuan.core.services import ServiceError, require
from xuanchuan.core.sms import send_sms
from xuanchuan.org.models import AGENCY_TYPES, GRASSROOTS_TYPES, SUBDISTRICT_TYPES, Unit, User
from xuanchuan.org.scoping import require_visible_unit
from xuanchuan.theory.models import (
    Lecture,
    LecturePhoto,
    Lecturer,
    LectureRequest,
    LectureStatus,
    LectureTeam,
    RequestStatus,
    TeamLevel,
)
from xuanchuan.theory.permissions import may_manage_lectures

MAX_AUDIENCE = 100_000
MAX_PHOTOS = 9
PHOTO_MAX_MB = 10
PHOTO_MAX_SIDE = 1920
# Units a request may be for: streets (towns) and communities (villages).
REQUEST_UNIT_TYPES = (*SUBDISTRICT_TYPES, *GRASSROOTS_TYPES)


def register_retention() -> None:
    """Erase a requester's name and phone ``THEORY_REQUESTER_RETENTION_DAYS`` after the request was
    settled (done or declined: its last change, ``updated_at``); the request stays, without them,
    for the figures. An open request keeps them: staff still need to call back."""
    register_pii_retention(
        LectureRequest,
        days=lambda: settings.THEORY_REQUESTER_RETENTION_DAYS,
        date_field="updated_at",
        action="erase",
        fields=("requester_name", "requester_phone"),
        filter=Q(status__in=[RequestStatus.DONE, RequestStatus.DECLINED]),
        label="宣讲点单人的个人信息",
    )


def _manage(by: User, unit: Unit) -> None:
    require(may_manage_lectures(by))
    require_visible_unit(by, unit)


def _text(value: Any) -> str:
    return (value or "").strip()


# --- Teams and lecturers ------------------------------------------------------------------------


def create_team(*, unit: Unit, name: str, level: str, description: str = "", by: User) -> LectureTeam:
    """A new lecture team of ``unit`` on one of the four levels (names are unique per unit)."""
    _manage(by, unit)
    name = _text(name)
    if not name:
        raise ServiceError(_("请填写队伍名称。"))
    if level not in TeamLevel.values:
        raise ServiceError(_("请选择宣讲队伍的层级。"))
    duplicate = ServiceError(_("本单位已有名为“%(name)s”的宣讲队伍。") % {"name": name})
    if LectureTeam.objects.filter(unit=unit, name=name).exists():
        raise duplicate
    try:
        with transaction.atomic():
            return LectureTeam.objects.create(
                unit=unit, name=name, level=level, description=_text(description), created_by=by
            )
    except IntegrityError:  # the same name saved a moment ago by someone else (the unique constraint)
        raise duplicate from None


def update_team(team: LectureTeam, *, name: str, level: str, description: str = "", by: User) -> LectureTeam:
    """Rename a team, change its level or description (its unit stays)."""
    _manage(by, team.unit)
    name = _text(name)
    if not name:
        raise ServiceError(_("请填写队伍名称。"))
    if level not in TeamLevel.values:
        raise ServiceError(_("请选择宣讲队伍的层级。"))
    duplicate = ServiceError(_("本单位已有名为“%(name)s”的宣讲队伍。") % {"name": name})
    try:
        with transaction.atomic():
            locked = LectureTeam.objects.select_for_update().get(pk=team.pk)
            if LectureTeam.objects.filter(unit=locked.unit, name=name).exclude(pk=locked.pk).exists():
                raise duplicate
            locked.name, locked.level, locked.description = name, level, _text(description)
            locked.save(update_fields=["name", "level", "description", "updated_at"])
    except IntegrityError:  # renamed to a name another team took a moment ago
        raise duplicate from None
    return locked


def deactivate_team(team: LectureTeam, *, by: User) -> LectureTeam:
    """Stop a team: it is no longer offered for new lectures or requests; its lectures stay."""
    _manage(by, team.unit)
    with transaction.atomic():
        locked = LectureTeam.objects.select_for_update().get(pk=team.pk)
        if not locked.active:
            raise ServiceError(_("该队伍已经停用。"))
        locked.active = False
        locked.save(update_fields=["active", "updated_at"])
    return locked


def save_lecturer(
    lecturer: Lecturer | None,
    *,
    team: LectureTeam,
    name: str,
    title: str = "",
    phone: str = "",
    topics: str = "",
    active: bool = True,
    by: User,
) -> Lecturer:
    """Add a lecturer to ``team`` (``lecturer`` None) or change one; the lecturer belongs to the
    team's unit. Moving a lecturer to another team needs both teams in the user's scope."""
    _manage(by, team.unit)
    if lecturer is not None:
        require_visible_unit(by, lecturer.unit)
    name = _text(name)
    if not name:
        raise ServiceError(_("请填写宣讲员姓名。"))
    if lecturer is None and not team.active:
        raise ServiceError(_("该队伍已经停用，不能再添加宣讲员。"))
    with transaction.atomic():
        if lecturer is None:
            lecturer = Lecturer(created_by=by)
        else:
            lecturer = Lecturer.objects.select_for_update().get(pk=lecturer.pk)
        lecturer.unit, lecturer.team = team.unit, team
        lecturer.name, lecturer.title, lecturer.phone = name, _text(title), _text(phone)
        lecturer.topics, lecturer.active = _text(topics), bool(active)
        lecturer.save()
    return lecturer


# --- Lectures -----------------------------------------------------------------------------------


@dataclass
class LectureInput:
    """What a lecture form gives a service (checked again there)."""

    unit: Unit
    team: LectureTeam
    topic: str
    starts_at: datetime
    place: str
    event: str = ""
    lecturers: Iterable[Lecturer] = ()


def teams_serving(unit: Unit) -> Any:
    """The active teams that may give a lecture for ``unit``: the unit's own, those of the units
    above it and below it, and those of the district's Party and government departments (a
    department's team, 专家领导讲理论 above all, serves every street and community)."""
    ancestors = [unit.path[:end] for end in range(Unit.steplen, len(unit.path) + 1, Unit.steplen)]
    # scoping: allowed — which teams serve a unit is a rule of the work, not what a user sees.
    return LectureTeam.objects.filter(
        Q(unit__path__in=ancestors) | Q(unit__path__startswith=unit.path) | Q(unit__unit_type__in=AGENCY_TYPES),
        active=True,
    ).select_related("unit")


def _check_lecture(data: LectureInput) -> list[Lecturer]:
    if not _text(data.topic):
        raise ServiceError(_("请填写宣讲主题。"))
    if not _text(data.place):
        raise ServiceError(_("请填写宣讲地点。"))
    if data.starts_at is None:
        raise ServiceError(_("请填写宣讲时间。"))
    if not teams_serving(data.unit).filter(pk=data.team.pk).exists():
        raise ServiceError(
            _("“%(team)s”不是为“%(unit)s”服务的在用宣讲队伍。") % {"team": data.team.name, "unit": data.unit.name}
        )
    lecturers = list(data.lecturers)
    strangers = [lecturer.name for lecturer in lecturers if lecturer.team_id != data.team.pk]
    if strangers:
        raise ServiceError(
            _("宣讲员%(names)s不属于“%(team)s”，只能选择本队伍的宣讲员。")
            % {"names": "、".join(strangers), "team": data.team.name}
        )
    return lecturers


def create_lecture(data: LectureInput, *, by: User, request: LectureRequest | None = None) -> Lecture:
    """Plan a lecture of ``data.team`` for ``data.unit``; its lecturers must be of that team."""
    _manage(by, data.unit)
    lecturers = _check_lecture(data)
    with transaction.atomic():
        lecture = Lecture.objects.create(
            unit=data.unit,
            team=data.team,
            topic=_text(data.topic),
            starts_at=data.starts_at,
            place=_text(data.place),
            event=_text(data.event),
            created_by=by,
        )
        lecture.lecturers.set(lecturers)
    return lecture


def update_lecture(lecture: Lecture, data: LectureInput, *, by: User) -> Lecture:
    """Change a planned lecture (a held or cancelled one is a record and stays as it is)."""
    _manage(by, lecture.unit)
    _manage(by, data.unit)
    lecturers = _check_lecture(data)
    with transaction.atomic():
        locked = Lecture.objects.select_for_update().get(pk=lecture.pk)
        if locked.status != LectureStatus.PLANNED:
            raise ServiceError(_("只能修改尚未开展的宣讲。"))
        if hasattr(locked, "request") and locked.request is not None and data.unit != locked.unit:
            raise ServiceError(_("由点单安排的宣讲不能改到其他单位。"))
        locked.unit, locked.team = data.unit, data.team
        locked.topic, locked.starts_at = _text(data.topic), data.starts_at
        locked.place, locked.event = _text(data.place), _text(data.event)
        locked.save()
        locked.lecturers.set(lecturers)
    return locked


def record_held(lecture: Lecture, *, audience: Any, summary: str = "", photos: Iterable[Any] = (), by: User) -> Lecture:
    """Record a planned lecture as held: the audience size (1 … ``MAX_AUDIENCE``) is required, a
    summary and up to ``MAX_PHOTOS`` photos (re-encoded without EXIF) may go with it. A lecture
    whose time has not come cannot have been held. A request it was scheduled for becomes done."""
    _manage(by, lecture.unit)
    try:
        audience = int(audience)
    except (TypeError, ValueError):
        raise ServiceError(_("请填写受众人数。")) from None
    if not 1 <= audience <= MAX_AUDIENCE:
        raise ServiceError(_("受众人数应在 1 到 %(max)d 之间。") % {"max": MAX_AUDIENCE})
    uploads = list(photos)
    if len(uploads) > MAX_PHOTOS:
        raise ServiceError(_("每场宣讲最多上传 %(n)d 张照片。") % {"n": MAX_PHOTOS})
    cleaned = [clean_photo(upload, max_mb=PHOTO_MAX_MB, max_side=PHOTO_MAX_SIDE) for upload in uploads]
    now = timezone.now()
    with transaction.atomic():
        locked = Lecture.objects.select_for_update().get(pk=lecture.pk)
        if locked.status != LectureStatus.PLANNED:
            raise ServiceError(
                _("只能登记尚未开展的宣讲（该宣讲%(status)s）。") % {"status": locked.get_status_display()}
            )
        if locked.starts_at > now:
            raise ServiceError(_("宣讲时间还没到，不能登记为已开展。"))
        locked.status, locked.audience = LectureStatus.HELD, audience
        if _text(summary):
            locked.summary = _text(summary)
        locked.save(update_fields=["status", "audience", "summary", "updated_at"])
        for photo in cleaned:
            LecturePhoto.objects.create(lecture=locked, image=photo.content, uploaded_at=now)
        LectureRequest.objects.filter(lecture=locked, status=RequestStatus.ASSIGNED).update(
            status=RequestStatus.DONE, updated_at=now
        )
    return locked


def cancel_lecture(lecture: Lecture, *, reason: str, by: User) -> Lecture:
    """Cancel a planned lecture with the reason (``cancel_reason``). A request it was scheduled
    for goes back to its team (assigned, no lecture) to be scheduled again."""
    _manage(by, lecture.unit)
    reason = _text(reason)
    if not reason:
        raise ServiceError(_("请说明取消的原因。"))
    with transaction.atomic():
        locked = Lecture.objects.select_for_update().get(pk=lecture.pk)
        if locked.status != LectureStatus.PLANNED:
            raise ServiceError(_("只能取消尚未开展的宣讲。"))
        locked.status = LectureStatus.CANCELLED
        locked.cancel_reason = reason[:200]
        locked.save(update_fields=["status", "cancel_reason", "updated_at"])
        LectureRequest.objects.filter(lecture=locked).update(
            lecture=None, status=RequestStatus.ASSIGNED, updated_at=timezone.now()
        )
    return locked


# --- Requests (点单) ----------------------------------------------------------------------------


@dataclass
class RequestInput:
    """What the public request form gives (validated there; checked again here)."""

    unit: Unit
    requester_name: str
    requester_phone: str
    topic: str
    place: str
    requester_org: str = ""
    preferred_on: Any = None
    audience_estimate: int | None = None


def reference(item: LectureRequest) -> str:
    """The reference number a requester is given: day of submission and the request's number."""
    return f"XJ{timezone.localtime(item.created_at):%Y%m%d}-{item.pk:05d}"


def submit_request(data: RequestInput) -> LectureRequest:
    """A resident or unit asks for a lecture (no account). The unit must be an active street or
    community; the preferred date may not be in the past."""
    if data.unit.unit_type not in REQUEST_UNIT_TYPES or data.unit.dissolved_on is not None:
        raise ServiceError(_("请选择所在的街道或社区。"))
    if data.preferred_on is not None and data.preferred_on < timezone.localdate():
        raise ServiceError(_("希望日期不能早于今天。"))
    if data.audience_estimate is not None and not 1 <= data.audience_estimate <= MAX_AUDIENCE:
        raise ServiceError(_("预计听众人数应在 1 到 %(max)d 之间。") % {"max": MAX_AUDIENCE})
    if not (_text(data.requester_name) and _text(data.requester_phone) and _text(data.topic) and _text(data.place)):
        raise ServiceError(_("请填写联系人、联系电话、宣讲内容和地点。"))
    return LectureRequest.objects.create(
        unit=data.unit,
        requester_name=_text(data.requester_name),
        requester_phone=_text(data.requester_phone),
        requester_org=_text(data.requester_org),
        topic=_text(data.topic),
        preferred_on=data.preferred_on,
        place=_text(data.place),
        audience_estimate=data.audience_estimate,
    )


def _sms_backend() -> str:
    return settings.THEORY_SMS_BACKEND


def assign_request(item: LectureRequest, *, team: LectureTeam, note: str = "", by: User) -> LectureRequest:
    """Give a new (or already assigned, not yet scheduled) request to a team serving its unit, and
    tell the requester by SMS once the change is saved."""
    _manage(by, item.unit)
    if not teams_serving(item.unit).filter(pk=team.pk).exists():
        raise ServiceError(_("“%(team)s”不是为该社区服务的在用宣讲队伍。") % {"team": team.name})
    with transaction.atomic():
        locked = LectureRequest.objects.select_for_update().get(pk=item.pk)
        if locked.status not in (RequestStatus.NEW, RequestStatus.ASSIGNED) or locked.lecture_id:
            raise ServiceError(_("该点单已经%(status)s，不能再安排队伍。") % {"status": locked.get_status_display()})
        locked.status, locked.team, locked.note = RequestStatus.ASSIGNED, team, _text(note)[:300]
        locked.save(update_fields=["status", "team", "note", "updated_at"])
        phone, text = (
            locked.requester_phone,
            _("【理论宣讲】您点单的“%(topic)s”已安排“%(team)s”宣讲，工作人员将与您联系确定时间。点单编号 %(ref)s。")
            % {"topic": locked.topic[:30], "team": team.name, "ref": reference(locked)},
        )
        if phone:
            transaction.on_commit(lambda: send_sms(_sms_backend(), phone, text))
    return locked


def decline_request(item: LectureRequest, *, note: str, by: User) -> LectureRequest:
    """Say no to a request that has no lecture yet, with a note why (required)."""
    _manage(by, item.unit)
    note = _text(note)
    if not note:
        raise ServiceError(_("请填写未能安排的原因。"))
    with transaction.atomic():
        locked = LectureRequest.objects.select_for_update().get(pk=item.pk)
        if locked.status not in (RequestStatus.NEW, RequestStatus.ASSIGNED) or locked.lecture_id:
            raise ServiceError(
                _("该点单已经%(status)s，不能再改为未能安排。") % {"status": locked.get_status_display()}
            )
        locked.status, locked.note = RequestStatus.DECLINED, note[:300]
        locked.save(update_fields=["status", "note", "updated_at"])
    return locked


def schedule_request(item: LectureRequest, data: LectureInput, *, by: User) -> Lecture:
    """Turn an assigned request into a planned lecture of its team for its unit, linked to it."""
    _manage(by, item.unit)
    with transaction.atomic():
        locked = LectureRequest.objects.select_for_update().get(pk=item.pk)
        if locked.status != RequestStatus.ASSIGNED or locked.lecture_id:
            raise ServiceError(_("只能为已安排队伍、尚未排期的点单安排宣讲。"))
        if data.team.pk != locked.team_id:
            raise ServiceError(_("宣讲队伍应为点单安排的“%(team)s”。") % {"team": locked.team.name})
        data.unit = locked.unit
        lecture = create_lecture(data, by=by)
        locked.lecture = lecture
        locked.save(update_fields=["lecture", "updated_at"])
    return lecture
