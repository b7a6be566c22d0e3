"""The year's volunteer projects (志愿服务项目) published by teams, their activities with sign-up and a
waiting list, attendance by check-in and check-out, and the service hours that come of it.

Hours and points are kept apart: a ``ServiceRecord`` holds certified minutes (the hours ledger);
good-deed points live in ``points`` and are earned from confirmed records at a configurable rate.
"""

from __future__ import annotations

import secrets

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xuanchuan.org.models import UnitOwned, User
from xuanchuan.org.scoping import ScopedManager


class ProjectStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")
    CLOSED = "closed", _("已结束")


class Project(UnitOwned):
    """A volunteer project of a team for a year (发布×年志愿服务项目); residents see it once published."""

    team = models.ForeignKey(
        "volunteers.Team", verbose_name=_("发布队伍"), on_delete=models.PROTECT, related_name="projects"
    )
    brand = models.ForeignKey(
        "volunteers.Brand",
        verbose_name=_("品牌"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("项目名称"), max_length=120)
    summary = models.TextField(_("项目简介"))
    status = models.CharField(_("状态"), max_length=10, choices=ProjectStatus.choices, default=ProjectStatus.DRAFT)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("志愿服务项目")
        verbose_name_plural = _("志愿服务项目")
        ordering = ["-year", "title"]
        indexes = [models.Index(fields=["year", "status"], name="volunteers_project_year_idx")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("volunteers:project_detail", args=[self.pk])


class ActivityStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    OPEN = "open", _("报名中")
    CANCELLED = "cancelled", _("已取消")
    CLOSED = "closed", _("已结束")


def activity_secret() -> str:
    """The key of an activity's changing check-in code (never shown; the code is derived from it)."""
    return secrets.token_hex(16)


class Activity(UnitOwned):
    """An activity under a project: time, place, places available and requirements. ``organiser`` is
    the member of staff running it on the day (whose screen shows the changing check-in code);
    ``closed_at`` is when the organiser closed attendance (after that no check-in or check-out)."""

    project = models.ForeignKey(
        Project, verbose_name=_("所属项目"), on_delete=models.PROTECT, related_name="activities"
    )
    title = models.CharField(_("活动名称"), max_length=120)
    description = models.TextField(_("活动内容"), blank=True)
    place = models.CharField(_("活动地点"), max_length=200)
    site = models.ForeignKey(
        "volunteers.PracticeSite",
        verbose_name=_("文明实践阵地"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
    )
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    capacity = models.PositiveIntegerField(_("招募人数"))
    requirements = models.CharField(_("参加要求"), max_length=300, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=ActivityStatus.choices, default=ActivityStatus.DRAFT)
    organiser = models.ForeignKey(
        User, verbose_name=_("现场负责人"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    checkin_secret = models.CharField(_("签到码密钥"), max_length=32, default=activity_secret, editable=False)
    closed_at = models.DateTimeField(_("结束签到时间"), null=True, blank=True)
    # Why staff cancelled the activity (told to every volunteer signed up, kept for the record).
    cancel_reason = models.CharField(_("取消原因"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("志愿服务活动")
        verbose_name_plural = _("志愿服务活动")
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["starts_at"], name="volunteers_activity_start_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="volunteers_activity_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("volunteers:activity_detail", args=[self.pk])


class SignUpStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("已报名")
    WAITING = "waiting", _("候补")
    CANCELLED = "cancelled", _("已取消")


class SignUp(models.Model):
    """A volunteer's sign-up for an activity: confirmed while places last, else on the waiting list
    in order of ``created_at``; a cancellation frees a place for the first one waiting. At most one
    sign-up of a volunteer for an activity is not cancelled."""

    activity = models.ForeignKey(Activity, verbose_name=_("活动"), on_delete=models.CASCADE, related_name="signups")
    volunteer = models.ForeignKey(
        "volunteers.Volunteer", verbose_name=_("志愿者"), on_delete=models.CASCADE, related_name="signups"
    )
    status = models.CharField(_("状态"), max_length=10, choices=SignUpStatus.choices)
    created_at = models.DateTimeField(_("报名时间"), db_index=True)
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)
    # When the day-before reminder was sent (so the daily job sends it once, however often it runs).
    reminded_at = models.DateTimeField(_("提醒时间"), null=True, blank=True)

    scope_unit_path = "activity__unit__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("活动报名")
        verbose_name_plural = _("活动报名")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "volunteer"],
                condition=~Q(status="cancelled"),
                name="volunteers_one_live_signup",
            )
        ]
        indexes = [models.Index(fields=["activity", "status", "created_at"], name="volunteers_signup_queue_idx")]

    def __str__(self) -> str:
        return f"{self.activity_id}/{self.volunteer_id}: {self.status}"


class RecordSource(models.TextChoices):
    SCAN = "scan", _("扫码签到签退")
    MANUAL = "manual", _("补录（经审核）")


class RecordStatus(models.TextChoices):
    OPEN = "open", _("已签到未签退")
    PENDING = "pending", _("补录待审核")
    CONFIRMED = "confirmed", _("已确认")
    REFUSED = "refused", _("补录未通过")
    VOID = "void", _("无效（未签退）")


class ServiceRecord(UnitOwned):
    """The service of one volunteer at one activity (志愿服务情况): scanned check-in and check-out,
    and the minutes computed from them within the activity's time; or hours entered afterwards
    (``source=manual``), which count only once approved by someone other than who asked
    (``decided_by``). ``unit`` is the activity's unit (谁组织谁记录). Changes to ``minutes`` after
    confirmation go through ``HoursCorrection`` rows, which keep the history."""

    activity = models.ForeignKey(Activity, verbose_name=_("活动"), on_delete=models.PROTECT, related_name="records")
    volunteer = models.ForeignKey(
        "volunteers.Volunteer", verbose_name=_("志愿者"), on_delete=models.PROTECT, related_name="records"
    )
    source = models.CharField(_("记录方式"), max_length=10, choices=RecordSource.choices)
    status = models.CharField(_("状态"), max_length=10, choices=RecordStatus.choices)
    checked_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    checked_out_at = models.DateTimeField(_("签退时间"), null=True, blank=True)
    minutes = models.PositiveIntegerField(_("服务时长（分钟）"), default=0)
    served_on = models.DateField(_("服务日期"))
    reason = models.CharField(_("补录原因"), max_length=300, blank=True)
    requested_by_volunteer = models.BooleanField(_("志愿者本人申请补录"), default=False)
    decided_by = models.ForeignKey(
        User, verbose_name=_("审核人"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    decision_note = models.CharField(_("审核意见"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("志愿服务记录")
        verbose_name_plural = _("志愿服务记录")
        ordering = ["-served_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "volunteer"], name="volunteers_one_record_per_activity")
        ]
        indexes = [
            models.Index(fields=["status", "served_on"], name="volunteers_record_status_idx"),
            models.Index(fields=["volunteer", "status"], name="volunteers_record_person_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.activity_id}/{self.volunteer_id}: {self.minutes}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("volunteers:record_detail", args=[self.pk])


class HoursCorrection(models.Model):
    """One change to a record's certified minutes: old and new value, reason, who and when; never
    changed or deleted (the volunteer's report of an error and the organisation's fix, 67号)."""

    record = models.ForeignKey(
        ServiceRecord, verbose_name=_("服务记录"), on_delete=models.CASCADE, related_name="corrections"
    )
    old_minutes = models.PositiveIntegerField(_("原时长（分钟）"))
    new_minutes = models.PositiveIntegerField(_("新时长（分钟）"))
    reason = models.CharField(_("更正原因"), max_length=300)
    by = models.ForeignKey(User, verbose_name=_("更正人"), on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("更正时间"))

    scope_unit_path = "record__unit__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("时长更正")
        verbose_name_plural = _("时长更正")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.record_id}: {self.old_minutes}→{self.new_minutes}"


class DisputeStatus(models.TextChoices):
    OPEN = "open", _("待核实")
    CORRECTED = "corrected", _("已更正")
    REJECTED = "rejected", _("经核实无误")


class HoursDispute(models.Model):
    """A volunteer's report that the certified minutes of one of their CONFIRMED records are wrong
    (纠错, 67号: the organisation must verify and fix it promptly). Staff resolve it: with a new
    value through ``correct_hours`` (its ``HoursCorrection`` keeps the history, the answer is the
    reason) and CORRECTED, or REJECTED with the answer. At most one OPEN dispute per record; a
    resolved one stays as it was decided, so the volunteer may report again with new facts."""

    record = models.ForeignKey(
        ServiceRecord, verbose_name=_("服务记录"), on_delete=models.CASCADE, related_name="disputes"
    )
    text = models.CharField(_("志愿者反映的情况"), max_length=300)
    minutes_claimed = models.PositiveIntegerField(_("志愿者认为的时长（分钟）"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=DisputeStatus.choices, default=DisputeStatus.OPEN)
    created_at = models.DateTimeField(_("反映时间"))
    decided_by = models.ForeignKey(
        User, verbose_name=_("处理人"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    answer = models.CharField(_("处理答复"), max_length=300, blank=True)

    scope_unit_path = "record__unit__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("时长纠错")
        verbose_name_plural = _("时长纠错")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["record"], condition=Q(status="open"), name="volunteers_one_open_dispute_per_record"
            )
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="volunteers_dispute_status_idx")]

    def __str__(self) -> str:
        return f"{self.record_id}: {self.status}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("volunteers:record_detail", args=[self.record_id])
