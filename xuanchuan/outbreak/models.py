"""疫情上报管理: the district's daily report, what units file each day, and what happens to it.

The district defines a ``ReportForm`` (its indicators, the units that must report, the deadline
and the lock time). Each required unit files one ``DailyReport`` per day, holding one
``ReportValue`` per indicator. Later changes keep the earlier value in ``ValueCorrection``;
after the lock time only a supervisor can reopen entry (``EntryReopening``); the district's
approval of a day (``DayApproval``) locks it for good. ``Reminder`` and ``SmsMessage`` record the
reminders sent before the deadline.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Self
from zoneinfo import ZoneInfo

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from xuanchuan.org.models import Unit, UnitOwned, User
from xuanchuan.org.scoping import ScopedManager, ScopedQuerySet

# Deadline and lock times are times of day in China Standard Time, whatever the server's zone.
REPORT_TZ = ZoneInfo("Asia/Shanghai")


class ReportFormQuerySet(ScopedQuerySet):
    """Forms are defined by the district but filled in below it: a user sees a form owned by a
    unit they see, or one that a unit of theirs (or below theirs) must report on."""

    def scope_q(self, unit_path: str) -> Q:
        required_below = ReportForm.required_units.through.objects.filter(
            reportform_id=OuterRef("pk"), unit__path__startswith=unit_path
        )
        return Q(unit__path__startswith=unit_path) | Exists(required_below)

    def active(self) -> Self:
        return self.filter(is_active=True)


class ReportForm(UnitOwned):
    """The daily report the district asks for: indicators, the units that must file it, the
    deadline (on time until then) and the lock time (after it only a supervisor reopens entry)."""

    name = models.CharField(_("报表名称"), max_length=100)
    required_units = models.ManyToManyField(Unit, verbose_name=_("应报单位"), related_name="outbreak_forms", blank=True)
    deadline = models.TimeField(_("截止时间"), default=time(10, 0), help_text=_("北京时间；此前上报为按时上报"))
    lock_time = models.TimeField(
        _("锁定时间"), default=time(18, 0), help_text=_("北京时间；此后只有部管理员可以重新开放填报")
    )
    reminder_minutes = models.PositiveIntegerField(
        _("提前提醒（分钟）"),
        default=60,
        validators=[MinValueValidator(5), MaxValueValidator(24 * 60)],
        help_text=_("截止前多少分钟提醒尚未上报的单位"),
    )
    starts_on = models.DateField(_("启用日期"))
    ends_on = models.DateField(_("停用日期"), null=True, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    objects = ScopedManager.from_queryset(ReportFormQuerySet)()

    class Meta:
        verbose_name = _("日报表")
        verbose_name_plural = _("日报表")
        ordering = ["-is_active", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(lock_time__gt=models.F("deadline")), name="outbreak_lock_after_deadline"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return f"{reverse('outbreak:board')}?form={self.pk}"

    def deadline_at(self, day: date) -> datetime:
        """The deadline of ``day``'s report, as an aware datetime."""
        return datetime.combine(day, self.deadline, tzinfo=REPORT_TZ)

    def lock_at(self, day: date) -> datetime:
        return datetime.combine(day, self.lock_time, tzinfo=REPORT_TZ)

    def reminder_at(self, day: date) -> datetime:
        return self.deadline_at(day) - timedelta(minutes=self.reminder_minutes)

    def runs_on(self, day: date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)


class Indicator(models.Model):
    """One figure of the daily report; ``figure_key`` names a registered figure that pre-fills it."""

    form = models.ForeignKey(ReportForm, verbose_name=_("日报表"), on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(_("指标名称"), max_length=60)
    measure_unit = models.CharField(_("计量单位"), max_length=10, default="人")
    figure_key = models.CharField(
        _("自动预填指标"),
        max_length=80,
        blank=True,
        help_text=_("平台已登记指标的代码（如 arrivals.registrations），填报时按当日当单位预填"),
    )
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("日报指标")
        verbose_name_plural = _("日报指标")
        ordering = ["form", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["form", "name"], name="outbreak_indicator_unique_name")]

    def __str__(self) -> str:
        return f"{self.name}（{self.measure_unit}）"


class ReportStatus(models.TextChoices):
    """A filed report is submitted, then approved with its day; approval is final."""

    SUBMITTED = "submitted", _("已上报")
    APPROVED = "approved", _("已审核")


class DailyReport(UnitOwned):
    """One unit's report for one day (at most one per form, unit and day)."""

    form = models.ForeignKey(ReportForm, verbose_name=_("日报表"), on_delete=models.PROTECT, related_name="reports")
    day = models.DateField(_("日期"))
    status = models.CharField(_("状态"), max_length=12, choices=ReportStatus.choices, default=ReportStatus.SUBMITTED)
    submitted_at = models.DateTimeField(_("上报时间"))
    is_late = models.BooleanField(_("迟报"), default=False, help_text=_("晚于截止时间上报"))
    carried_over = models.BooleanField(_("较昨日无变化"), default=False)

    class Meta:
        verbose_name = _("疫情日报")
        verbose_name_plural = _("疫情日报")
        ordering = ["-day", "unit__path"]
        constraints = [
            models.UniqueConstraint(fields=["form", "unit", "day"], name="outbreak_one_report_per_unit_day"),
        ]
        indexes = [
            models.Index(fields=["form", "day"]),
            # The daily-report figures count from it alone (index-only), for the district or a street.
            models.Index(fields=["day", "is_late", "unit"], name="outbreak_report_day_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.day:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("outbreak:report_detail", args=[self.pk])

    @property
    def is_on_time(self) -> bool:
        return not self.is_late

    @property
    def timeliness(self) -> str:
        return str(_("迟报") if self.is_late else _("按时"))


class ReportValue(models.Model):
    """The value one report gives for one indicator."""

    report = models.ForeignKey(DailyReport, verbose_name=_("日报"), on_delete=models.CASCADE, related_name="values")
    indicator = models.ForeignKey(Indicator, verbose_name=_("指标"), on_delete=models.PROTECT, related_name="+")
    value = models.PositiveIntegerField(_("数值"))
    prefilled = models.BooleanField(_("系统预填"), default=False, help_text=_("数值与平台数据预填值一致"))

    class Meta:
        verbose_name = _("日报数值")
        verbose_name_plural = _("日报数值")
        constraints = [
            models.UniqueConstraint(fields=["report", "indicator"], name="outbreak_one_value_per_indicator"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.name}：{self.value}"


class ValueCorrection(UnitOwned):
    """A change of a filed value: who, when, the old and the new value, and why."""

    report = models.ForeignKey(
        DailyReport, verbose_name=_("日报"), on_delete=models.CASCADE, related_name="corrections"
    )
    indicator = models.ForeignKey(Indicator, verbose_name=_("指标"), on_delete=models.PROTECT, related_name="+")
    old_value = models.PositiveIntegerField(_("原值"))
    new_value = models.PositiveIntegerField(_("新值"))
    reason = models.CharField(_("更正原因"), max_length=200)

    class Meta:
        verbose_name = _("更正记录")
        verbose_name_plural = _("更正记录")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.indicator.name}：{self.old_value} → {self.new_value}"


class EntryReopening(UnitOwned):
    """A supervisor's reopening of a locked unit-day, with the reason; used up by the next filing."""

    form = models.ForeignKey(ReportForm, verbose_name=_("日报表"), on_delete=models.PROTECT, related_name="+")
    day = models.DateField(_("日期"))
    reason = models.CharField(_("原因"), max_length=200)
    used_at = models.DateTimeField(_("使用时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("重新开放记录")
        verbose_name_plural = _("重新开放记录")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["form", "unit", "day"], condition=Q(used_at__isnull=True), name="outbreak_one_open_reopening"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.day:%Y-%m-%d}"


class DayApproval(UnitOwned):
    """The district's approval of one day's figures, which locks every report of the day."""

    form = models.ForeignKey(ReportForm, verbose_name=_("日报表"), on_delete=models.PROTECT, related_name="approvals")
    day = models.DateField(_("日期"))
    note = models.CharField(_("审核意见"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("日报审核")
        verbose_name_plural = _("日报审核")
        ordering = ["-day"]
        constraints = [models.UniqueConstraint(fields=["form", "day"], name="outbreak_one_approval_per_day")]

    def __str__(self) -> str:
        return f"{self.form} {self.day:%Y-%m-%d}"


class Reminder(UnitOwned):
    """An in-app reminder to a unit that had not reported shortly before the deadline."""

    form = models.ForeignKey(ReportForm, verbose_name=_("日报表"), on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("日期"))

    class Meta:
        verbose_name = _("上报提醒")
        verbose_name_plural = _("上报提醒")
        ordering = ["-day", "unit__path"]
        constraints = [models.UniqueConstraint(fields=["form", "unit", "day"], name="outbreak_one_reminder_per_day")]

    def __str__(self) -> str:
        return f"{self.unit} {self.day:%Y-%m-%d}"


class SmsStatus(models.TextChoices):
    SENT = "sent", _("已发送")
    FAILED = "failed", _("发送失败")


class SmsMessage(UnitOwned):
    """A text message sent to a person; only the masked number is kept."""

    recipient = models.ForeignKey(
        User, verbose_name=_("接收人"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    masked_mobile = models.CharField(_("手机号码（脱敏）"), max_length=20)
    text = models.CharField(_("内容"), max_length=300)
    backend = models.CharField(_("发送通道"), max_length=100)
    status = models.CharField(_("状态"), max_length=10, choices=SmsStatus.choices, default=SmsStatus.SENT)

    class Meta:
        verbose_name = _("短信")
        verbose_name_plural = _("短信")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.masked_mobile}：{self.text[:20]}"


class EntryState(models.TextChoices):
    """Whether a unit-day can be filled in now (computed, not stored)."""

    NOT_YET = "not_yet", _("未到填报日期")
    OPEN = "open", _("可填报")
    LATE = "late", _("已过截止时间（迟报）")
    REOPENED = "reopened", _("已重新开放")
    LOCKED = "locked", _("已锁定")
    APPROVED = "approved", _("已审核锁定")
    NOT_REQUIRED = "not_required", _("非应报单位")

    @classmethod
    def writable(cls) -> frozenset[str]:
        return frozenset({cls.OPEN, cls.LATE, cls.REOPENED})


__all__ = [
    "REPORT_TZ",
    "DailyReport",
    "DayApproval",
    "EntryReopening",
    "EntryState",
    "Indicator",
    "Reminder",
    "ReportForm",
    "ReportStatus",
    "ReportValue",
    "SmsMessage",
    "SmsStatus",
    "ValueCorrection",
]
