"""Projects, activities, sign-up and the waiting list: every write of the activities part.

Staff keep the year's projects of the teams in their scope and the activities under them
(``by=``, ``may_manage``, the unit scope); residents sign up and cancel on their phone
(``volunteer=``). The rules of a place:

- a sign-up is confirmed while the confirmed ones are fewer than the places, else it waits;
- every sign-up and every change of places locks the activity's row first, so two sign-ups at the
  same moment for the last place give exactly one confirmed (the other waits);
- a place freed (a cancellation, more places) goes to the first one waiting, by ``created_at``
  then ``pk``, who is told by SMS once the change is committed; someone waiting who has since
  taken another activity at the same time, or withdrew, is passed over (they stay waiting);
- nothing changes after the activity has started, and a volunteer is never confirmed for two
  activities at the same time.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from xuanchuan.core.services import ServiceError, require
from xuanchuan.core.sms import send_sms
from xuanchuan.org.models import Unit, User
from xuanchuan.org.scoping import require_visible_unit, user_sees_all_units
from xuanchuan.volunteers.models import (
    Activity,
    ActivityStatus,
    Brand,
    PracticeSite,
    Project,
    ProjectStatus,
    SignUp,
    SignUpStatus,
    Team,
    Volunteer,
    VolunteerStatus,
)
from xuanchuan.volunteers.permissions import MANAGE_ROLES, may_manage

MAX_TEXT = 300
LIVE = (SignUpStatus.CONFIRMED, SignUpStatus.WAITING)


def now() -> datetime:
    """The time the rules compare with (one place, so tests can move the clock)."""
    return timezone.now()


def _when(activity: Activity) -> str:
    start = timezone.localtime(activity.starts_at)
    end = timezone.localtime(activity.ends_at)
    return f"{start:%m月%d日 %H:%M}–{end:%H:%M}"


def _tell(messages: Iterable[tuple[Volunteer, str]]) -> None:
    """Text each volunteer once the transaction has committed (never for a change rolled back)."""
    pending = [(volunteer.phone, text[:300]) for volunteer, text in messages if volunteer.phone]
    if pending:
        transaction.on_commit(
            lambda: [send_sms(settings.VOLUNTEERS_SMS_BACKEND, number, text) for number, text in pending]
        )


# --- Projects -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProjectData:
    """What staff type for a project (checked by the form; the rules are here)."""

    team: Team
    title: str
    summary: str
    year: int
    brand: Brand | None = None


def brands_offered(user: Any) -> QuerySet[Brand]:
    """Active brands a user may choose (for a project, or to filter by): all of them for
    district-wide users, else those of the user's unit, the units above and below it."""
    if user_sees_all_units(user):
        # scoping: allowed — district-wide users see every unit's brands.
        return Brand.objects.filter(active=True)
    if not getattr(user, "unit_id", None):
        return Brand.objects.none()
    return brands_for(user.unit_path)


def brands_for(unit_path: str) -> QuerySet[Brand]:
    """Active brands a project of the unit at ``unit_path`` may carry: the unit's own and those of
    the units above it (the district's 十大品牌) and below it."""
    step = Unit.steplen
    ancestors = [unit_path[:end] for end in range(step, len(unit_path), step)]
    # scoping: allowed — a brand of the district or the street is offered to the units below it.
    return Brand.objects.filter(active=True).filter(Q(unit__path__in=ancestors) | Q(unit__path__startswith=unit_path))


def _check_project(data: ProjectData, by: User) -> None:
    require_visible_unit(by, data.team.unit)
    if data.team.dissolved_on is not None and data.team.dissolved_on <= timezone.localdate():
        raise ServiceError(_("该队伍已撤销，不能发布新项目。"))
    if not data.title.strip():
        raise ServiceError(_("请填写项目名称。"))
    if not data.summary.strip():
        raise ServiceError(_("请填写项目简介。"))
    this_year = timezone.localdate().year
    if not this_year - 1 <= data.year <= this_year + 1:
        raise ServiceError(
            _("项目年度应在%(first)s年至%(last)s年之间。") % {"first": this_year - 1, "last": this_year + 1}
        )
    if data.brand is not None and not brands_for(data.team.unit.path).filter(pk=data.brand.pk).exists():
        raise ServiceError(_("所选品牌不适用于该队伍所在单位。"))


def save_project(project: Project | None, data: ProjectData, *, by: User) -> Project:
    """Create a project (a draft) or change one not yet closed. The project belongs to its team's
    unit; its team can change only while it has no activities (they belong to the same unit)."""
    require(may_manage(by))
    _check_project(data, by)
    with transaction.atomic():
        if project is None:
            project = Project(created_by=by, status=ProjectStatus.DRAFT)
        else:
            require_visible_unit(by, project.unit)
            project = Project.objects.select_for_update().get(pk=project.pk)
            if project.status == ProjectStatus.CLOSED:
                raise ServiceError(_("项目已结束，不能修改。"))
            if project.team_id != data.team.pk and project.activities.exists():
                raise ServiceError(_("项目下已有活动，不能更换发布队伍。"))
        project.team = data.team
        project.unit = data.team.unit
        project.title = data.title.strip()
        project.summary = data.summary.strip()
        project.year = data.year
        project.brand = data.brand
        project.save()
    return project


def publish_project(project: Project, *, by: User) -> Project:
    """Draft → published: residents see the project and its open activities from now on."""
    require(may_manage(by))
    require_visible_unit(by, project.unit)
    with transaction.atomic():
        project = Project.objects.select_for_update().get(pk=project.pk)
        if project.status != ProjectStatus.DRAFT:
            raise ServiceError(_("只能发布草稿状态的项目。"))
        project.status = ProjectStatus.PUBLISHED
        project.published_at = now()
        project.save(update_fields=["status", "published_at", "updated_at"])
    return project


def close_project(project: Project, *, by: User) -> Project:
    """Published → closed, once none of its activities is still open and to come."""
    require(may_manage(by))
    require_visible_unit(by, project.unit)
    with transaction.atomic():
        project = Project.objects.select_for_update().get(pk=project.pk)
        if project.status != ProjectStatus.PUBLISHED:
            raise ServiceError(_("只能结束已发布的项目。"))
        pending = project.activities.filter(status=ActivityStatus.OPEN, ends_at__gt=now()).first()
        if pending is not None:
            raise ServiceError(
                _("项目下的活动“%(title)s”尚未结束，请等活动结束或先取消它。") % {"title": pending.title}
            )
        project.status = ProjectStatus.CLOSED
        project.save(update_fields=["status", "updated_at"])
    return project


# --- Activities ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActivityData:
    """What staff type for an activity (checked by the form; the rules are here)."""

    title: str
    place: str
    starts_at: datetime
    ends_at: datetime
    capacity: int
    description: str = ""
    requirements: str = ""
    site: PracticeSite | None = None
    organiser: User | None = None


def organiser_candidates(activity_unit_path: str) -> QuerySet[User]:
    """Staff who may run an activity of the unit at ``activity_unit_path``: active people of that
    unit or a unit below it with a role that manages volunteer work."""
    # scoping: allowed — limited to the activity's own unit and the units below it.
    return (
        User.objects.filter(is_active=True, unit__path__startswith=activity_unit_path, roles__code__in=MANAGE_ROLES)
        .distinct()
        .order_by("unit__path", "username")
    )


def _check_activity(data: ActivityData, project: Project, by: User) -> None:
    if not data.title.strip():
        raise ServiceError(_("请填写活动名称。"))
    if not data.place.strip():
        raise ServiceError(_("请填写活动地点。"))
    if data.ends_at <= data.starts_at:
        raise ServiceError(_("结束时间须晚于开始时间。"))
    if data.ends_at - data.starts_at > timedelta(days=7):
        raise ServiceError(_("一次活动不能超过7天，请分成几次活动。"))
    if data.capacity < 1:
        raise ServiceError(_("招募人数至少为1人。"))
    if data.site is not None:
        require_visible_unit(by, data.site.unit)
        if not data.site.active:
            raise ServiceError(_("所选文明实践阵地已停用。"))
    organiser = data.organiser
    if (
        organiser is not None
        and organiser.pk != by.pk
        and not organiser_candidates(project.unit.path).filter(pk=organiser.pk).exists()
    ):
        raise ServiceError(_("现场负责人应是本单位或下级单位管理志愿服务的工作人员。"))


def save_activity(
    activity: Activity | None, data: ActivityData, *, by: User, project: Project | None = None
) -> Activity:
    """Create an activity (a draft) under ``project``, or change one: times and places only while it
    has not started, never for a cancelled or closed one. Fewer places than the confirmed sign-ups
    is refused; more places confirm the first ones waiting, in order (told by SMS)."""
    require(may_manage(by))
    project = project if activity is None else activity.project
    require_visible_unit(by, project.unit)
    _check_activity(data, project, by)
    with transaction.atomic():
        if activity is None:
            project = Project.objects.select_for_update().get(pk=project.pk)
            if project.status == ProjectStatus.CLOSED:
                raise ServiceError(_("项目已结束，不能再添加活动。"))
            if data.starts_at <= now():
                raise ServiceError(_("开始时间已过，请填写以后的时间。"))
            activity = Activity(project=project, unit=project.unit, created_by=by, status=ActivityStatus.DRAFT)
        else:
            activity = Activity.objects.select_for_update().get(pk=activity.pk)
            if activity.status in (ActivityStatus.CANCELLED, ActivityStatus.CLOSED):
                raise ServiceError(_("活动已取消或已结束，不能修改。"))
            started = activity.starts_at <= now()
            if started and (data.starts_at != activity.starts_at or data.ends_at != activity.ends_at):
                raise ServiceError(_("活动已经开始，不能修改时间。"))
            if not started and data.starts_at != activity.starts_at and data.starts_at <= now():
                raise ServiceError(_("开始时间已过，请填写以后的时间。"))
            confirmed = activity.signups.filter(status=SignUpStatus.CONFIRMED).count()
            if data.capacity < confirmed:
                raise ServiceError(
                    _("招募人数不能少于已确认报名的人数（%(count)s人）；请先取消部分报名。") % {"count": confirmed}
                )
        activity.title = data.title.strip()
        activity.description = data.description.strip()
        activity.place = data.place.strip()
        activity.site = data.site
        activity.starts_at = data.starts_at
        activity.ends_at = data.ends_at
        activity.capacity = data.capacity
        activity.requirements = data.requirements.strip()
        activity.organiser = data.organiser or by
        activity.save()
        if activity.status == ActivityStatus.OPEN and activity.starts_at > now():
            _promote(activity)
    return activity


def open_activity(activity: Activity, *, by: User) -> Activity:
    """Draft → open for sign-up; only under a published project and before the start."""
    require(may_manage(by))
    require_visible_unit(by, activity.unit)
    with transaction.atomic():
        activity = Activity.objects.select_for_update().get(pk=activity.pk)
        if activity.status != ActivityStatus.DRAFT:
            raise ServiceError(_("只能开放草稿状态的活动。"))
        if Project.objects.get(pk=activity.project_id).status != ProjectStatus.PUBLISHED:
            raise ServiceError(_("项目发布后才能开放活动报名。"))
        if activity.starts_at <= now():
            raise ServiceError(_("活动开始时间已过，不能开放报名。"))
        activity.status = ActivityStatus.OPEN
        activity.save(update_fields=["status", "updated_at"])
    return activity


def cancel_activity(activity: Activity, *, reason: str, by: User) -> Activity:
    """Cancel an activity before it starts, with the reason: every live sign-up is cancelled and
    its volunteer told by SMS after commit."""
    require(may_manage(by))
    require_visible_unit(by, activity.unit)
    reason = reason.strip()
    if not reason:
        raise ServiceError(_("请说明取消活动的原因。"))
    if len(reason) > MAX_TEXT:
        raise ServiceError(_("取消原因不超过300字。"))
    with transaction.atomic():
        activity = Activity.objects.select_for_update().get(pk=activity.pk)
        if activity.status not in (ActivityStatus.DRAFT, ActivityStatus.OPEN):
            raise ServiceError(_("活动已取消或已结束。"))
        moment = now()
        if activity.starts_at <= moment:
            raise ServiceError(_("活动已经开始，不能取消。"))
        live = list(activity.signups.select_for_update().filter(status__in=LIVE).select_related("volunteer"))
        SignUp.objects.filter(pk__in=[signup.pk for signup in live]).update(
            status=SignUpStatus.CANCELLED, cancelled_at=moment
        )
        activity.status = ActivityStatus.CANCELLED
        activity.cancel_reason = reason
        activity.save(update_fields=["status", "cancel_reason", "updated_at"])
        text = _("【志愿服务】很抱歉，您报名的“%(title)s”（%(when)s）已取消，原因：%(reason)s。") % {
            "title": activity.title,
            "when": _when(activity),
            "reason": reason,
        }
        _tell((signup.volunteer, text) for signup in live)
    return activity


# --- Sign-up and the waiting list -----------------------------------------------------------------


def clash(volunteer: Volunteer, activity: Activity) -> SignUp | None:
    """The volunteer's confirmed sign-up for another live activity at an overlapping time, if any."""
    return (
        SignUp.objects.filter(
            volunteer=volunteer,
            status=SignUpStatus.CONFIRMED,
            activity__starts_at__lt=activity.ends_at,
            activity__ends_at__gt=activity.starts_at,
            activity__status__in=(ActivityStatus.OPEN, ActivityStatus.CLOSED),
        )
        .exclude(activity=activity)
        .select_related("activity")
        .order_by("activity__starts_at")
        .first()
    )


def _clash_error(other: SignUp) -> ServiceError:
    return ServiceError(
        _("与您已报名的活动“%(title)s”（%(when)s）时间冲突。")
        % {"title": other.activity.title, "when": _when(other.activity)}
    )


def _promote(activity: Activity) -> list[SignUp]:
    """Confirm the first ones waiting while places are free (the caller holds the activity's lock);
    those who withdrew or have since taken another activity at the same time are passed over.
    Each one promoted is told by SMS after commit."""
    free = activity.capacity - activity.signups.filter(status=SignUpStatus.CONFIRMED).count()
    promoted: list[SignUp] = []
    if free <= 0:
        return promoted
    moment = now()
    waiting = (
        activity.signups.select_for_update()
        .filter(status=SignUpStatus.WAITING)
        .select_related("volunteer")
        .order_by("created_at", "pk")
    )
    for signup in waiting:
        if len(promoted) == free:
            break
        if signup.volunteer.status != VolunteerStatus.ACTIVE or clash(signup.volunteer, activity) is not None:
            continue
        signup.status = SignUpStatus.CONFIRMED
        signup.confirmed_at = moment
        signup.save(update_fields=["status", "confirmed_at"])
        promoted.append(signup)
    text = _("【志愿服务】您候补的“%(title)s”（%(when)s，%(place)s）有了空位，已为您确认报名，请准时参加。") % {
        "title": activity.title,
        "when": _when(activity),
        "place": activity.place,
    }
    _tell((signup.volunteer, text) for signup in promoted)
    return promoted


def sign_up(activity: Activity, *, volunteer: Volunteer) -> SignUp:
    """The volunteer signs up on their phone: confirmed while places last, else on the waiting list.

    Refused for a withdrawn volunteer, an activity not open (or its project not published), one
    already started, a second live sign-up, and an overlap with another confirmed sign-up. The
    volunteer's row is locked, then the activity's, so two sign-ups at the same moment are
    decided one after the other."""
    with transaction.atomic():
        volunteer = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
        if volunteer.status != VolunteerStatus.ACTIVE:
            raise ServiceError(_("您已注销志愿者身份，不能报名。"))
        activity = Activity.objects.select_for_update().select_related("project").get(pk=activity.pk)
        if activity.status == ActivityStatus.CANCELLED:
            raise ServiceError(_("该活动已取消。"))
        if activity.status != ActivityStatus.OPEN or activity.project.status != ProjectStatus.PUBLISHED:
            raise ServiceError(_("该活动未开放报名。"))
        moment = now()
        if activity.starts_at <= moment:
            raise ServiceError(_("活动已经开始，不能再报名。"))
        if activity.signups.filter(volunteer=volunteer, status__in=LIVE).exists():
            raise ServiceError(_("您已报名该活动。"))
        other = clash(volunteer, activity)
        if other is not None:
            raise _clash_error(other)
        confirmed = activity.signups.filter(status=SignUpStatus.CONFIRMED).count()
        full = confirmed >= activity.capacity
        return SignUp.objects.create(
            activity=activity,
            volunteer=volunteer,
            status=SignUpStatus.WAITING if full else SignUpStatus.CONFIRMED,
            created_at=moment,
            confirmed_at=None if full else moment,
        )


def _cancel(signup: SignUp) -> tuple[SignUp, Activity]:
    """Cancel a live sign-up before the start and give a freed place to the first one waiting
    (inside the caller's transaction; the activity's row is locked first)."""
    activity = Activity.objects.select_for_update().get(pk=signup.activity_id)
    signup = SignUp.objects.select_for_update().select_related("volunteer").get(pk=signup.pk)
    if signup.status == SignUpStatus.CANCELLED:
        raise ServiceError(_("该报名已取消。"))
    if activity.status != ActivityStatus.OPEN:
        raise ServiceError(_("活动已取消或已结束。"))
    moment = now()
    if activity.starts_at <= moment:
        raise ServiceError(_("活动已经开始，不能取消报名。"))
    was_confirmed = signup.status == SignUpStatus.CONFIRMED
    signup.status = SignUpStatus.CANCELLED
    signup.cancelled_at = moment
    signup.save(update_fields=["status", "cancelled_at"])
    if was_confirmed:
        _promote(activity)
    return signup, activity


def cancel(signup: SignUp, *, volunteer: Volunteer) -> SignUp:
    """The volunteer cancels their own sign-up (until the start)."""
    require(signup.volunteer_id == volunteer.pk)
    with transaction.atomic():
        signup, _activity = _cancel(signup)
    return signup


def cancel_by_staff(signup: SignUp, *, reason: str, by: User) -> SignUp:
    """Staff cancel a volunteer's sign-up (until the start), with the reason the volunteer is told."""
    require(may_manage(by))
    activity = Activity.objects.get(pk=signup.activity_id)
    require_visible_unit(by, activity.unit)
    reason = reason.strip()
    if not reason:
        raise ServiceError(_("请说明取消该报名的原因。"))
    if len(reason) > MAX_TEXT:
        raise ServiceError(_("取消原因不超过300字。"))
    with transaction.atomic():
        signup, activity = _cancel(signup)
        text = _("【志愿服务】您报名的“%(title)s”（%(when)s）已被组织方取消，原因：%(reason)s。") % {
            "title": activity.title,
            "when": _when(activity),
            "reason": reason,
        }
        _tell([(signup.volunteer, text)])
    return signup


# --- Reminders ------------------------------------------------------------------------------------


def remind_tomorrow(*, today: datetime | None = None) -> int:
    """Text every volunteer confirmed for an open activity starting tomorrow (local time), once:
    ``reminded_at`` is stamped in the same transaction, so a second run sends nothing. Returns the
    number of reminders sent."""
    moment = today or now()
    tomorrow = timezone.localtime(moment).date() + timedelta(days=1)
    start = timezone.make_aware(datetime.combine(tomorrow, datetime.min.time()))
    end = start + timedelta(days=1)
    sent = 0
    with transaction.atomic():
        # scoping: allowed — the daily job reminds every unit's volunteers.
        due = list(
            SignUp.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(
                status=SignUpStatus.CONFIRMED,
                reminded_at__isnull=True,
                activity__status=ActivityStatus.OPEN,
                activity__starts_at__gte=start,
                activity__starts_at__lt=end,
                volunteer__status=VolunteerStatus.ACTIVE,
            )
            .select_related("activity", "volunteer")
        )
        SignUp.objects.filter(pk__in=[signup.pk for signup in due]).update(reminded_at=moment)
        messages = []
        for signup in due:
            activity = signup.activity
            text = _("【志愿服务】提醒：您报名的“%(title)s”明天开始（%(when)s，%(place)s），请准时到场签到。") % {
                "title": activity.title,
                "when": _when(activity),
                "place": activity.place,
            }
            messages.append((signup.volunteer, text))
        sent = len(messages)
        _tell(messages)
    return sent
