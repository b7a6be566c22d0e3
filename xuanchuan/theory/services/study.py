"""Writes of the study part: central study groups and members, plans and their items, sessions,
attendance by the changing code or by hand, closing and minutes, leave and make-up, speeches.

Every function follows the service contract (architecture §4): the permission first
(``may_manage_study`` for staff, ``may_take_part`` plus the membership for members), the unit scope
(``require_visible_unit``), one transaction, the row locked where two requests may race (two scans
of one member at the same instant leave one row: the unique constraint, answered "已签到").
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xuanchuan.core.services import ServiceError, require
from xuanchuan.core.uploads import check_archive
from xuanchuan.org.models import Unit, User
from xuanchuan.org.scoping import require_visible_unit
from xuanchuan.theory.models import (
    Attendance,
    AttendanceSource,
    Leave,
    LeaveStatus,
    MemberRole,
    PlannedSession,
    SessionStatus,
    Speech,
    StudyGroup,
    StudyMember,
    StudyPlan,
    StudySession,
)
from xuanchuan.theory.permissions import may_manage_study, may_take_part
from xuanchuan.theory.services import study_codes

# A member may scan from this long before the start until the end (the organiser's screen is up
# before people sit down).
CHECKIN_OPENS_BEFORE = timedelta(minutes=60)
MAKEUP_DAYS = 30
SPEECH_MAX_BYTES = 20 * 1024 * 1024
SPEECH_TYPES = {".pdf": b"%PDF-", ".docx": b"PK\x03\x04"}


class AlreadyCheckedIn(ServiceError):
    """The member is already on the list: no second row (the page says "已签到", not an error)."""


def _manager(by: User, unit: Unit) -> None:
    require(may_manage_study(by))
    require_visible_unit(by, unit)


# ------------------------------------------------------------------ groups and members


def save_group(
    group: StudyGroup | None, *, unit: Unit, name: str, description: str = "", active: bool = True, by: User
) -> StudyGroup:
    """Create or edit a study group of ``unit`` (a group stays with its unit)."""
    _manager(by, unit if group is None else group.unit)
    name = name.strip()
    if not name:
        raise ServiceError(_("请填写中心组名称。"))
    with transaction.atomic():
        if group is None:
            group = StudyGroup(unit=unit, created_by=by)
        else:
            group = StudyGroup.objects.select_for_update().get(pk=group.pk)
        if StudyGroup.objects.filter(unit=group.unit, name=name).exclude(pk=group.pk).exists():
            raise ServiceError(_("本单位已有名为“%(name)s”的中心组。") % {"name": name})
        group.name, group.description, group.active = name, description.strip(), active
        group.save()
    return group


def add_member(
    group: StudyGroup, *, user: User, role: str = MemberRole.MEMBER, joined_on: date | None = None, by: User
) -> StudyMember:
    """Add a person with an account from the units the acting user sees."""
    _manager(by, group.unit)
    if not user.is_active:
        raise ServiceError(_("该账号已停用，不能加入中心组。"))
    if user.unit_id is None or not Unit.objects.visible_to(by).filter(pk=user.unit_id).exists():
        raise ServiceError(_("只能添加您管辖范围内单位的人员。"))
    if role not in MemberRole.values:
        raise ServiceError(_("请选择职务。"))
    joined_on = joined_on or timezone.localdate()
    with transaction.atomic():
        StudyGroup.objects.select_for_update().get(pk=group.pk)
        if StudyMember.objects.filter(group=group, user=user, left_on__isnull=True).exists():
            raise ServiceError(_("%(name)s 已是本中心组成员。") % {"name": user.full_name or user.username})
        return StudyMember.objects.create(group=group, user=user, role=role, joined_on=joined_on)


def edit_member(member: StudyMember, *, role: str, joined_on: date, by: User) -> StudyMember:
    _manager(by, member.group.unit)
    if role not in MemberRole.values:
        raise ServiceError(_("请选择职务。"))
    if member.left_on and joined_on > member.left_on:
        raise ServiceError(_("加入日期不能晚于退出日期。"))
    with transaction.atomic():
        member = StudyMember.objects.select_for_update().get(pk=member.pk)
        member.role, member.joined_on = role, joined_on
        member.save(update_fields=["role", "joined_on"])
    return member


def member_leave(member: StudyMember, *, left_on: date, by: User) -> StudyMember:
    """A member leaves the group on ``left_on``; the row stays for the archive."""
    _manager(by, member.group.unit)
    with transaction.atomic():
        member = StudyMember.objects.select_for_update().get(pk=member.pk)
        if member.left_on is not None:
            raise ServiceError(_("该成员已于 %(day)s 退出。") % {"day": member.left_on})
        if left_on < member.joined_on:
            raise ServiceError(_("退出日期不能早于加入日期（%(day)s）。") % {"day": member.joined_on})
        member.left_on = left_on
        member.save(update_fields=["left_on"])
    return member


# ------------------------------------------------------------------ plans


def save_plan(
    plan: StudyPlan | None, *, group: StudyGroup, year: int, title: str, note: str = "", by: User
) -> StudyPlan:
    """One plan per group and year."""
    group = plan.group if plan is not None else group
    _manager(by, group.unit)
    if not 2000 <= int(year) <= 2100:
        raise ServiceError(_("年度不正确。"))
    if not title.strip():
        raise ServiceError(_("请填写计划标题。"))
    with transaction.atomic():
        StudyGroup.objects.select_for_update().get(pk=group.pk)
        if StudyPlan.objects.filter(group=group, year=year).exclude(pk=getattr(plan, "pk", None)).exists():
            raise ServiceError(_("%(group)s 已有 %(year)s 年度的学习计划。") % {"group": group.name, "year": year})
        if plan is None:
            plan = StudyPlan(group=group, unit=group.unit, created_by=by)
        plan.year, plan.title, plan.note = year, title.strip(), note.strip()
        plan.save()
    return plan


def save_planned_item(
    item: PlannedSession | None,
    *,
    plan: StudyPlan,
    topic: str,
    kind: str,
    month: int,
    materials: str = "",
    speakers: str = "",
    by: User,
) -> PlannedSession:
    plan = item.plan if item is not None else plan
    _manager(by, plan.unit)
    if not topic.strip():
        raise ServiceError(_("请填写学习专题。"))
    if not 1 <= int(month) <= 12:
        raise ServiceError(_("计划月份应为 1 到 12。"))
    with transaction.atomic():
        if item is None:
            item = PlannedSession(plan=plan)
        item.topic, item.kind, item.month = topic.strip(), kind, int(month)
        item.materials, item.speakers = materials.strip(), speakers.strip()
        item.save()
    return item


def delete_planned_item(item: PlannedSession, *, by: User) -> None:
    """Delete a planned item (sessions held for it stay, no longer counted for the plan)."""
    _manager(by, item.plan.unit)
    with transaction.atomic():
        item.delete()


# ------------------------------------------------------------------ sessions


def save_session(
    session: StudySession | None,
    *,
    group: StudyGroup,
    topic: str,
    kind: str,
    starts_at: datetime,
    ends_at: datetime,
    place: str,
    planned: PlannedSession | None = None,
    speakers: str = "",
    materials: str = "",
    by: User,
) -> StudySession:
    group = session.group if session is not None else group
    _manager(by, group.unit)
    if ends_at <= starts_at:
        raise ServiceError(_("结束时间应晚于开始时间。"))
    if planned is not None and planned.plan.group_id != group.pk:
        raise ServiceError(_("所选计划专题不属于该中心组的学习计划。"))
    if not topic.strip() or not place.strip():
        raise ServiceError(_("请填写学习专题和地点。"))
    with transaction.atomic():
        if session is None:
            session = StudySession(group=group, unit=group.unit, created_by=by)
        else:
            session = StudySession.objects.select_for_update().get(pk=session.pk)
            if session.status == SessionStatus.CANCELLED:
                raise ServiceError(_("已取消的会议不能修改。"))
        session.planned, session.topic, session.kind = planned, topic.strip(), kind
        session.starts_at, session.ends_at, session.place = starts_at, ends_at, place.strip()
        session.speakers, session.materials = speakers.strip(), materials.strip()
        session.save()
    return session


def cancel_session(session: StudySession, *, by: User) -> StudySession:
    _manager(by, session.unit)
    with transaction.atomic():
        session = StudySession.objects.select_for_update().get(pk=session.pk)
        if session.status != SessionStatus.SCHEDULED:
            raise ServiceError(_("只能取消尚未举行的会议。"))
        if session.attendances.exists():
            raise ServiceError(_("已有成员签到，不能取消。"))
        session.status = SessionStatus.CANCELLED
        session.closed_at = session.closed_at or timezone.now()
        session.save(update_fields=["status", "closed_at", "updated_at"])
    return session


def current_member(session: StudySession, user: User) -> StudyMember | None:
    """The user's membership of the session's group current on the session's local date."""
    day = timezone.localdate(session.starts_at)
    return (
        StudyMember.objects.filter(group_id=session.group_id, user=user, joined_on__lte=day)  # scoping: allowed
        .exclude(left_on__lt=day)
        .order_by("-joined_on")
        .first()
    )


def open_for_attendance(session: StudySession, at: datetime) -> None:
    """Refuse (ServiceError, saying why) where the session takes no scans at ``at``."""
    if session.status == SessionStatus.CANCELLED:
        raise ServiceError(_("该会议已取消。"))
    if session.closed_at is not None:
        raise ServiceError(_("本次会议的签到已结束；如确实出席，请联系组织者补记。"))
    if at < session.starts_at - CHECKIN_OPENS_BEFORE:
        raise ServiceError(_("签到尚未开始：会议开始前 60 分钟起可以签到。"))
    if at > session.ends_at:
        raise ServiceError(_("会议已结束，不能再扫码签到；如确实出席，请联系组织者补记。"))


def _record(
    session: StudySession, member: StudyMember, *, at: datetime, source: str, recorded_by: User | None
) -> Attendance:
    if Leave.objects.filter(session=session, member=member).exclude(status=LeaveStatus.REFUSED).exists():
        raise ServiceError(_("该成员已请假，不能同时签到；如确实出席，请先撤销请假。"))
    try:
        with transaction.atomic():
            return Attendance.objects.create(
                session=session, member=member, at=at, source=source, recorded_by=recorded_by
            )
    except IntegrityError:
        raise AlreadyCheckedIn(_("已签到，无需重复签到。")) from None


def check_in(session: StudySession, *, user: User, code: str, at: datetime | None = None) -> Attendance:
    """A member scans the screen's code (or types it): one row per member and session."""
    require(may_take_part(user))
    at = at or timezone.now()
    open_for_attendance(session, at)
    if not study_codes.is_valid(session, code, at.timestamp()):
        raise ServiceError(_("签到码已过期或不正确，请扫描屏幕上最新的二维码。"))
    member = current_member(session, user)
    if member is None:
        raise ServiceError(_("您不是该中心组的成员，无需在此签到。"))
    with transaction.atomic():
        locked = StudySession.objects.select_for_update().get(pk=session.pk)
        open_for_attendance(locked, at)
        if Attendance.objects.filter(session=locked, member=member).exists():
            raise AlreadyCheckedIn(_("已签到，无需重复签到。"))
        return _record(locked, member, at=at, source=AttendanceSource.SCAN, recorded_by=None)


def check_in_by_code(*, user: User, code: str, at: datetime | None = None) -> Attendance:
    """A typed code without a session: the member's sessions open now are tried (a few at most)."""
    require(may_take_part(user))
    at = at or timezone.now()
    candidates = StudySession.objects.filter(  # scoping: allowed (the user's own groups)
        group__members__user=user,
        status=SessionStatus.SCHEDULED,
        closed_at__isnull=True,
        starts_at__lte=at + CHECKIN_OPENS_BEFORE,
        ends_at__gte=at,
    ).distinct()
    for session in candidates:
        if study_codes.is_valid(session, code, at.timestamp()):
            return check_in(session, user=user, code=code, at=at)
    raise ServiceError(_("签到码已过期或不正确，请输入屏幕上最新的签到码。"))


def record_by_hand(session: StudySession, member: StudyMember, *, by: User) -> Attendance:
    """The organiser records a member present (marked 工作人员补记, with who did it)."""
    _manager(by, session.unit)
    if member.group_id != session.group_id:
        raise ServiceError(_("该人员不是本中心组成员。"))
    day = timezone.localdate(session.starts_at)
    if member.joined_on > day or (member.left_on and member.left_on < day):
        raise ServiceError(_("该成员在会议当日不在组内。"))
    if session.status == SessionStatus.CANCELLED:
        raise ServiceError(_("该会议已取消。"))
    if timezone.now() < session.starts_at - CHECKIN_OPENS_BEFORE:
        raise ServiceError(_("会议尚未开始，不能补记出席。"))
    with transaction.atomic():
        locked = StudySession.objects.select_for_update().get(pk=session.pk)
        if Attendance.objects.filter(session=locked, member=member).exists():
            raise AlreadyCheckedIn(_("该成员已签到。"))
        return _record(locked, member, at=timezone.now(), source=AttendanceSource.MANUAL, recorded_by=by)


def close_attendance(session: StudySession, *, by: User) -> StudySession:
    """End the scanning: after this only the organiser records by hand."""
    _manager(by, session.unit)
    with transaction.atomic():
        session = StudySession.objects.select_for_update().get(pk=session.pk)
        if session.status == SessionStatus.CANCELLED:
            raise ServiceError(_("该会议已取消。"))
        if session.closed_at is not None:
            raise ServiceError(_("签到已经结束。"))
        if timezone.now() < session.starts_at - CHECKIN_OPENS_BEFORE:
            raise ServiceError(_("会议尚未开始，不能结束签到。"))
        session.closed_at = timezone.now()
        session.save(update_fields=["closed_at", "updated_at"])
    return session


def save_minutes(session: StudySession, *, minutes: str, by: User) -> StudySession:
    """Write the minutes (纪要): the session counts as held (attendance closed first)."""
    _manager(by, session.unit)
    if not minutes.strip():
        raise ServiceError(_("请填写会议纪要。"))
    with transaction.atomic():
        session = StudySession.objects.select_for_update().get(pk=session.pk)
        if session.status == SessionStatus.CANCELLED:
            raise ServiceError(_("该会议已取消。"))
        if session.closed_at is None:
            raise ServiceError(_("请先结束签到，再填写纪要。"))
        session.minutes, session.status = minutes.strip(), SessionStatus.HELD
        session.save(update_fields=["minutes", "status", "updated_at"])
    return session


# ------------------------------------------------------------------ leave and make-up


def request_leave(session: StudySession, *, user: User, reason: str) -> Leave:
    require(may_take_part(user))
    reason = reason.strip()
    if not reason:
        raise ServiceError(_("请填写请假事由。"))
    if session.status == SessionStatus.CANCELLED:
        raise ServiceError(_("该会议已取消。"))
    if timezone.now() >= session.starts_at:
        raise ServiceError(_("会议已经开始，不能再请假；请联系组织者。"))
    member = current_member(session, user)
    if member is None:
        raise ServiceError(_("您不是该中心组的成员。"))
    with transaction.atomic():
        StudySession.objects.select_for_update().get(pk=session.pk)
        if Attendance.objects.filter(session=session, member=member).exists():
            raise ServiceError(_("您已签到出席，不能再请假。"))
        if Leave.objects.filter(session=session, member=member).exists():
            raise ServiceError(_("您已为本次会议申请过请假。"))
        return Leave.objects.create(session=session, member=member, reason=reason[:300], created_at=timezone.now())


def decide_leave(leave: Leave, *, approve: bool, makeup_due: date | None = None, by: User) -> Leave:
    """Approve (make-up due by default 30 days after the session) or refuse; never one's own."""
    _manager(by, leave.session.unit)
    with transaction.atomic():
        leave = Leave.objects.select_for_update().select_related("session", "member").get(pk=leave.pk)
        if leave.member.user_id == by.pk:
            raise ServiceError(_("不能审批自己的请假，请由其他工作人员办理。"))
        if leave.status != LeaveStatus.PENDING:
            raise ServiceError(_("该请假已办理。"))
        if approve and Attendance.objects.filter(session=leave.session, member=leave.member).exists():
            raise ServiceError(_("该成员已签到出席，不能准假。"))
        session_day = timezone.localdate(leave.session.starts_at)
        if approve:
            makeup_due = makeup_due or session_day + timedelta(days=MAKEUP_DAYS)
            if makeup_due < session_day:
                raise ServiceError(_("补学期限不能早于会议日期。"))
        leave.status = LeaveStatus.APPROVED if approve else LeaveStatus.REFUSED
        leave.makeup_due = makeup_due if approve else None
        leave.decided_by, leave.decided_at = by, timezone.now()
        leave.save()
    return leave


def submit_makeup(leave: Leave, *, user: User, note: str) -> Leave:
    """The member reports the make-up study of an approved leave."""
    require(may_take_part(user))
    if not note.strip():
        raise ServiceError(_("请填写补学内容（学习了哪些材料、心得）。"))
    with transaction.atomic():
        leave = Leave.objects.select_for_update().select_related("member").get(pk=leave.pk)
        if leave.member.user_id != user.pk:
            raise ServiceError(_("只能为自己的请假提交补学。"))
        if leave.status != LeaveStatus.APPROVED:
            raise ServiceError(_("只有已准假的会议需要补学。"))
        if leave.made_up_at is not None:
            raise ServiceError(_("已提交过补学。"))
        leave.made_up_at, leave.makeup_note = timezone.now(), note.strip()
        leave.save(update_fields=["made_up_at", "makeup_note"])
    return leave


# ------------------------------------------------------------------ speeches


def check_speech_file(upload: UploadedFile | None) -> None:
    """PDF or DOCX only (by extension and by the file's first bytes), at most 20 MB; a DOCX is
    also checked as an archive (``core.uploads.check_archive``)."""
    if not upload:
        return
    name = (upload.name or "").lower()
    suffix = "." + name.rsplit(".", 1)[-1] if "." in name else ""
    if suffix not in SPEECH_TYPES:
        raise ServiceError(_("附件只能是 PDF 或 Word（.docx）文件。"))
    if upload.size > SPEECH_MAX_BYTES:
        raise ServiceError(_("附件不能超过 %(mb)d MB。") % {"mb": SPEECH_MAX_BYTES // (1024 * 1024)})
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if not head.startswith(SPEECH_TYPES[suffix]):
        raise ServiceError(_("附件内容与文件类型不符，请上传真正的 PDF 或 Word（.docx）文件。"))
    if suffix == ".docx":
        check_archive(upload)
        upload.seek(0)


def submit_speech(
    session: StudySession, *, user: User, title: str, text: str = "", file: UploadedFile | None = None
) -> Speech:
    """A member who attended submits a speech (title and text or a file)."""
    require(may_take_part(user))
    if not title.strip():
        raise ServiceError(_("请填写发言题目。"))
    if not text.strip() and not file:
        raise ServiceError(_("请填写发言正文或上传附件。"))
    check_speech_file(file)
    member = current_member(session, user)
    if member is None or not Attendance.objects.filter(session=session, member=member).exists():
        raise ServiceError(_("只有出席本次会议的成员可以提交交流发言。"))
    with transaction.atomic():
        speech = Speech(
            session=session, member=member, title=title.strip(), text=text.strip(), submitted_at=timezone.now()
        )
        if file:
            speech.file.save(file.name.rsplit("/", 1)[-1][-80:], file, save=False)
        speech.save()
    return speech


def checkin_window_note() -> dict[str, Any]:
    return {
        "before_minutes": int(CHECKIN_OPENS_BEFORE.total_seconds() // 60),
        "period": settings.THEORY_CHECKIN_CODE_SECONDS,
    }
