"""The central study groups (理论学习中心组) of the district committee and of units: their members,
the year's study plan, the sessions held (集中学习, 研讨交流, 专题辅导) with attendance by a changing
QR code, leave with make-up study, and the speeches members submit."""

from __future__ import annotations

import secrets

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xuanchuan.org.models import UnitOwned, User
from xuanchuan.org.scoping import ScopedManager


class SessionKind(models.TextChoices):
    STUDY = "study", _("集中学习")
    DISCUSSION = "discussion", _("研讨交流")
    TUTORIAL = "tutorial", _("专题辅导")


class StudyGroup(UnitOwned):
    """A central study group (理论学习中心组) of ``unit``: 区委 for the district's, or a unit's own."""

    name = models.CharField(_("名称"), max_length=100)
    description = models.TextField(_("说明"), blank=True)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("理论学习中心组")
        verbose_name_plural = _("理论学习中心组")
        ordering = ["unit__path", "name"]
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="theory_group_name_per_unit")]

    def __str__(self) -> str:
        return self.name


class MemberRole(models.TextChoices):
    LEADER = "leader", _("组长")
    DEPUTY = "deputy", _("副组长")
    MEMBER = "member", _("成员")
    SECRETARY = "secretary", _("学习秘书")


class StudyMember(models.Model):
    """A member of a study group: a person with an account (members scan the session's code signed
    in on their phone), from ``joined_on`` until ``left_on`` (kept after leaving, for the archive)."""

    group = models.ForeignKey(StudyGroup, verbose_name=_("中心组"), on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(User, verbose_name=_("人员"), on_delete=models.PROTECT, related_name="study_memberships")
    role = models.CharField(_("职务"), max_length=10, choices=MemberRole.choices, default=MemberRole.MEMBER)
    joined_on = models.DateField(_("加入日期"))
    left_on = models.DateField(_("退出日期"), null=True, blank=True)

    scope_unit_path = "group__unit__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("中心组成员")
        verbose_name_plural = _("中心组成员")
        constraints = [
            models.UniqueConstraint(
                fields=["group", "user"], condition=Q(left_on__isnull=True), name="theory_one_current_membership"
            )
        ]

    def __str__(self) -> str:
        return f"{self.group_id}/{self.user_id}"


class StudyPlan(UnitOwned):
    """A group's study plan for a year (年度学习计划): its planned sessions below."""

    group = models.ForeignKey(StudyGroup, verbose_name=_("中心组"), on_delete=models.PROTECT, related_name="plans")
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("标题"), max_length=120)
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("学习计划")
        verbose_name_plural = _("学习计划")
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["group", "year"], name="theory_one_plan_per_year")]

    def __str__(self) -> str:
        return self.title


class PlannedSession(models.Model):
    """One planned item of a study plan: topic, kind, month, materials and speakers. A session held
    for it points back at it (``StudySession.planned``), which is how plan completion is counted."""

    plan = models.ForeignKey(StudyPlan, verbose_name=_("学习计划"), on_delete=models.CASCADE, related_name="items")
    topic = models.CharField(_("学习专题"), max_length=200)
    kind = models.CharField(_("形式"), max_length=12, choices=SessionKind.choices)
    month = models.PositiveSmallIntegerField(_("计划月份"))
    materials = models.TextField(_("学习材料"), blank=True)
    speakers = models.CharField(_("主讲或重点发言人"), max_length=200, blank=True)

    scope_unit_path = "plan__unit__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("计划学习专题")
        verbose_name_plural = _("计划学习专题")
        ordering = ["month", "pk"]
        constraints = [models.CheckConstraint(condition=Q(month__gte=1, month__lte=12), name="theory_month_1_to_12")]

    def __str__(self) -> str:
        return self.topic


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("已安排")
    HELD = "held", _("已举行")
    CANCELLED = "cancelled", _("已取消")


def session_secret() -> str:
    """The key of a session's changing attendance code (never shown; the code is derived from it)."""
    return secrets.token_hex(16)


class StudySession(UnitOwned):
    """A study session of a group (学习会议): when, where, the kind, topic, speakers and materials,
    the minutes (纪要) once held. Attendance is taken by the members scanning the changing code on
    the organiser's screen until ``closed_at``."""

    group = models.ForeignKey(StudyGroup, verbose_name=_("中心组"), on_delete=models.PROTECT, related_name="sessions")
    planned = models.ForeignKey(
        PlannedSession,
        verbose_name=_("对应计划专题"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sessions",
    )
    topic = models.CharField(_("学习专题"), max_length=200)
    kind = models.CharField(_("形式"), max_length=12, choices=SessionKind.choices)
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    place = models.CharField(_("地点"), max_length=200)
    speakers = models.CharField(_("主讲或重点发言人"), max_length=200, blank=True)
    materials = models.TextField(_("学习材料"), blank=True)
    minutes = models.TextField(_("会议纪要"), blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=SessionStatus.choices, default=SessionStatus.SCHEDULED)
    checkin_secret = models.CharField(_("签到码密钥"), max_length=32, default=session_secret, editable=False)
    closed_at = models.DateTimeField(_("结束签到时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("中心组学习会议")
        verbose_name_plural = _("中心组学习会议")
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["starts_at"], name="theory_session_start_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="theory_session_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.topic


class AttendanceSource(models.TextChoices):
    SCAN = "scan", _("扫码签到")
    MANUAL = "manual", _("工作人员补记")


class Attendance(models.Model):
    """A member present at a session: scanned, or recorded by the organiser (marked as such)."""

    session = models.ForeignKey(
        StudySession, verbose_name=_("学习会议"), on_delete=models.CASCADE, related_name="attendances"
    )
    member = models.ForeignKey(
        StudyMember, verbose_name=_("成员"), on_delete=models.PROTECT, related_name="attendances"
    )
    at = models.DateTimeField(_("签到时间"))
    source = models.CharField(_("签到方式"), max_length=10, choices=AttendanceSource.choices)
    recorded_by = models.ForeignKey(
        User, verbose_name=_("补记人"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    scope_unit_path = "session__unit__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("出席记录")
        verbose_name_plural = _("出席记录")
        constraints = [models.UniqueConstraint(fields=["session", "member"], name="theory_one_attendance")]

    def __str__(self) -> str:
        return f"{self.session_id}/{self.member_id}"


class LeaveStatus(models.TextChoices):
    PENDING = "pending", _("待批准")
    APPROVED = "approved", _("已准假")
    REFUSED = "refused", _("不准假")


class Leave(models.Model):
    """Leave from a session with a reason; an approved leave owes make-up study by ``makeup_due``,
    done when the member submits what they studied (``made_up_at``, ``makeup_note``)."""

    session = models.ForeignKey(
        StudySession, verbose_name=_("学习会议"), on_delete=models.CASCADE, related_name="leaves"
    )
    member = models.ForeignKey(StudyMember, verbose_name=_("成员"), on_delete=models.PROTECT, related_name="leaves")
    reason = models.CharField(_("请假事由"), max_length=300)
    status = models.CharField(_("状态"), max_length=10, choices=LeaveStatus.choices, default=LeaveStatus.PENDING)
    decided_by = models.ForeignKey(
        User, verbose_name=_("批准人"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("批准时间"), null=True, blank=True)
    makeup_due = models.DateField(_("补学期限"), null=True, blank=True)
    made_up_at = models.DateTimeField(_("补学时间"), null=True, blank=True)
    makeup_note = models.TextField(_("补学情况"), blank=True)
    created_at = models.DateTimeField(_("申请时间"), db_index=True)

    scope_unit_path = "session__unit__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("请假与补学")
        verbose_name_plural = _("请假与补学")
        constraints = [models.UniqueConstraint(fields=["session", "member"], name="theory_one_leave")]

    def __str__(self) -> str:
        return f"{self.session_id}/{self.member_id}: {self.status}"


class Speech(models.Model):
    """A speech or study paper a member submits for a session (交流发言材料), kept in the archive."""

    session = models.ForeignKey(
        StudySession, verbose_name=_("学习会议"), on_delete=models.CASCADE, related_name="speeches"
    )
    member = models.ForeignKey(StudyMember, verbose_name=_("成员"), on_delete=models.PROTECT, related_name="speeches")
    title = models.CharField(_("题目"), max_length=200)
    text = models.TextField(_("正文"), blank=True)
    file = models.FileField(_("附件"), upload_to="theory/speeches/%Y/%m/", blank=True)
    submitted_at = models.DateTimeField(_("提交时间"))

    scope_unit_path = "session__unit__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("交流发言")
        verbose_name_plural = _("交流发言")
        ordering = ["submitted_at", "pk"]

    def __str__(self) -> str:
        return self.title
