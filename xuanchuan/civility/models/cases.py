"""Problems found and the tickets (交办单) that assign them: 发现 → 交办 → 整改 → 复核 (→ 督办)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xuanchuan.civility.models.standards import Category, Place, Severity
from xuanchuan.core.pii import EncryptedCharField
from xuanchuan.org.models import Unit, UnitOwned, User
from xuanchuan.org.scoping import ScopedManager, ScopedQuerySet


class ProblemSource(models.TextChoices):
    INSPECTION = "inspection", _("巡查发现")
    OPEN311 = "open311", _("群众反映（Open311）")


class ProblemStatus(models.TextChoices):
    UNVERIFIED = "unverified", _("待核实")
    OPEN = "open", _("待交办")
    TICKETED = "ticketed", _("已交办")
    RECTIFIED = "rectified", _("已整改")
    UNFIXABLE = "unfixable", _("无法整改（已说明）")
    MERGED = "merged", _("已合并")
    REJECTED = "rejected", _("不属实")


class ProblemQuerySet(ScopedQuerySet):
    """A problem is seen by the line of the unit handling it (``unit``: the inspector's unit, or the
    unit receiving an Open311 client's reports), of the unit whose area it lies in, and of the unit
    its ticket assigns it to."""

    def scope_q(self, unit_path: str) -> Q:
        return (
            Q(unit__path__startswith=unit_path)
            | Q(area__path__startswith=unit_path)
            | Q(ticket__unit__path__startswith=unit_path)
        )


class Problem(UnitOwned):
    """A problem an inspector found (or a citizen reported through Open311). ``unit`` handles it
    (the inspector's unit); ``area`` is the street or town it lies in (from the place, or chosen
    when an inspector verifies a citizen's report); ``client_key`` makes a re-sent report idempotent."""

    public_id = models.CharField(_("编号"), max_length=24, unique=True)
    client_key = models.CharField(_("客户端提交标识"), max_length=64, unique=True, null=True, blank=True)
    source = models.CharField(_("来源"), max_length=20, choices=ProblemSource.choices, default=ProblemSource.INSPECTION)
    category = models.ForeignKey(
        Category, verbose_name=_("问题类别"), on_delete=models.PROTECT, related_name="problems"
    )
    place = models.ForeignKey(
        Place, verbose_name=_("点位"), on_delete=models.PROTECT, null=True, blank=True, related_name="problems"
    )
    area = models.ForeignKey(
        Unit, verbose_name=_("所在街道（乡镇）"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    description = models.TextField(_("问题描述"), max_length=4000)
    severity = models.CharField(_("严重程度"), max_length=10, choices=Severity.choices, default=Severity.MINOR)
    immediate = models.BooleanField(_("立行立改"), default=False, help_text=_("整改期限为 1 天"))
    found_at = models.DateTimeField(_("发现时间"), default=timezone.now, db_index=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=ProblemStatus.choices, default=ProblemStatus.OPEN, db_index=True
    )
    merged_into = models.ForeignKey(
        "self", verbose_name=_("合并到"), on_delete=models.SET_NULL, null=True, blank=True, related_name="merged"
    )
    ticket = models.ForeignKey(
        "civility.Ticket",
        verbose_name=_("交办单"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="problems",
    )
    media_url = models.URLField(_("照片链接（Open311）"), max_length=500, blank=True)
    verified_by = models.ForeignKey(
        User, verbose_name=_("核实人"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    verified_at = models.DateTimeField(_("核实时间"), null=True, blank=True)
    reject_reason = models.TextField(_("不属实的理由"), max_length=1000, blank=True)
    merged_at = models.DateTimeField(_("合并时间"), null=True, blank=True)
    merged_by = models.ForeignKey(
        User, verbose_name=_("合并人"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reporter_name = EncryptedCharField(_("反映人"), max_length=50, kind="name", blank=True)
    reporter_contact = EncryptedCharField(_("联系方式"), max_length=200, kind="text", blank=True)
    api_client = models.ForeignKey(
        "civility.ApiClient",
        verbose_name=_("提交的客户端"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = ScopedManager.from_queryset(ProblemQuerySet)()

    class Meta:
        verbose_name = _("问题")
        verbose_name_plural = _("问题")
        ordering = ["-found_at"]
        indexes = [models.Index(fields=["category", "found_at"], name="civility_problem_cat_found")]

    def __str__(self) -> str:
        return f"{self.public_id} {self.category}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("civility:problem_detail", args=[self.pk])


class PhotoStage(models.TextChoices):
    FOUND = "found", _("发现时")
    EVIDENCE = "evidence", _("整改后")


class PhotoQuerySet(ScopedQuerySet):
    """A photo is seen by whoever sees its problem or its ticket."""

    def scope_q(self, unit_path: str) -> Q:
        problems = Problem.objects.filter(ProblemQuerySet.scope_q(None, unit_path)).values("pk")
        tickets = Ticket.objects.filter(TicketQuerySet.scope_q(None, unit_path)).values("pk")
        return Q(problem__in=problems) | Q(ticket__in=tickets)


class Photo(models.Model):
    """A photo of a problem (as found) or of a ticket's rectification (evidence), resized and stored
    without its EXIF data; where the original carried a location, it is kept here."""

    problem = models.ForeignKey(
        Problem, verbose_name=_("问题"), on_delete=models.CASCADE, null=True, blank=True, related_name="photos"
    )
    ticket = models.ForeignKey(
        "civility.Ticket",
        verbose_name=_("交办单"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="photos",
    )
    stage = models.CharField(_("阶段"), max_length=10, choices=PhotoStage.choices)
    image = models.ImageField(_("图片"), upload_to="civility/%Y/%m/", width_field="width", height_field="height")
    width = models.PositiveIntegerField(_("宽"), default=0)
    height = models.PositiveIntegerField(_("高"), default=0)
    latitude = models.DecimalField(_("拍摄纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("拍摄经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    uploaded_by = models.ForeignKey(
        User, verbose_name=_("上传人"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now)

    scope_unit_path = "problem__unit__path"
    objects = ScopedManager.from_queryset(PhotoQuerySet)()

    class Meta:
        verbose_name = _("照片")
        verbose_name_plural = _("照片")
        ordering = ["uploaded_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(problem__isnull=False) | Q(ticket__isnull=False), name="civility_photo_has_owner"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} {self.image.name}"


class TicketStatus(models.TextChoices):
    ISSUED = "issued", _("已交办，整改中")
    REPLIED = "replied", _("已反馈，待复核")
    REOPENED = "reopened", _("复核未通过，重新整改")
    ACCEPTED = "accepted", _("复核通过，已销号")
    UNFIXABLE = "unfixable", _("无法整改，已说明并关闭")


OPEN_TICKET_STATUSES = (TicketStatus.ISSUED, TicketStatus.REOPENED)


class TicketQuerySet(ScopedQuerySet):
    """A ticket is seen by the responsible unit's line (``unit``) and the issuing unit's line."""

    def scope_q(self, unit_path: str) -> Q:
        return Q(unit__path__startswith=unit_path) | Q(issuing_unit__path__startswith=unit_path)


class Ticket(UnitOwned):
    """A numbered 交办单 assigning problems to the responsible unit (``unit``) with a deadline. The
    unit replies with what it did and evidence; an inspector of another unit verifies: accepts, or
    reopens with reasons (the history stays in ``events``). Overdue tickets are escalated (督办)."""

    number = models.CharField(_("交办单编号"), max_length=40, unique=True)
    year = models.PositiveSmallIntegerField(_("年度"))
    sequence = models.PositiveIntegerField(_("年度序号"))
    issued_by = models.ForeignKey(
        User, verbose_name=_("交办人"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    issuing_unit = models.ForeignKey(Unit, verbose_name=_("交办单位"), on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(_("交办时间"), default=timezone.now, db_index=True)
    due_on = models.DateField(_("整改期限"), db_index=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=TicketStatus.choices, default=TicketStatus.ISSUED, db_index=True
    )
    requirement = models.TextField(_("整改要求"), blank=True)
    reply = models.TextField(_("整改情况"), blank=True)
    replied_at = models.DateTimeField(_("反馈时间"), null=True, blank=True)
    replied_by = models.ForeignKey(
        User, verbose_name=_("反馈人"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(_("销号时间"), null=True, blank=True, db_index=True)
    closed_by = models.ForeignKey(
        User, verbose_name=_("复核人"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    close_reason = models.TextField(_("无法整改的理由"), blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("重新整改次数"), default=0)
    on_time = models.BooleanField(_("按期整改"), null=True, blank=True, help_text=_("销号时判定：反馈不晚于期限"))
    escalated_at = models.DateTimeField(_("督办时间"), null=True, blank=True)

    objects = ScopedManager.from_queryset(TicketQuerySet)()

    class Meta:
        verbose_name = _("交办单")
        verbose_name_plural = _("交办单")
        ordering = ["-issued_at"]
        constraints = [models.UniqueConstraint(fields=["year", "sequence"], name="civility_ticket_unique_sequence")]

    def __str__(self) -> str:
        return self.number

    @property
    def is_overdue(self) -> bool:
        return self.status in OPEN_TICKET_STATUSES and self.due_on < timezone.localdate()


class EventKind(models.TextChoices):
    ISSUED = "issued", _("交办")
    REPLIED = "replied", _("反馈整改情况")
    ACCEPTED = "accepted", _("复核通过")
    REOPENED = "reopened", _("复核未通过，重新整改")
    ESCALATED = "escalated", _("督办")
    UNFIXABLE = "unfixable", _("无法整改，关闭")


class TicketEventQuerySet(ScopedQuerySet):
    """A ticket's history is seen by whoever sees the ticket."""

    def scope_q(self, unit_path: str) -> Q:
        return Q(ticket__unit__path__startswith=unit_path) | Q(ticket__issuing_unit__path__startswith=unit_path)


class TicketEvent(models.Model):
    """One step of a ticket's history (kept for ever, also across reopenings)."""

    ticket = models.ForeignKey(Ticket, verbose_name=_("交办单"), on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("事项"), max_length=20, choices=EventKind.choices)
    by = models.ForeignKey(
        User, verbose_name=_("办理人"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(_("时间"), default=timezone.now)
    note = models.TextField(_("说明"), blank=True)

    scope_unit_path = "ticket__unit__path"
    objects = ScopedManager.from_queryset(TicketEventQuerySet)()

    class Meta:
        verbose_name = _("交办单记录")
        verbose_name_plural = _("交办单记录")
        ordering = ["ticket", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.get_kind_display()}"


class SupervisionNotice(UnitOwned):
    """A 督办 notice of an overdue ticket to the responsible unit's leader (``recipient``); ``unit``
    is the ticket's unit."""

    ticket = models.ForeignKey(Ticket, verbose_name=_("交办单"), on_delete=models.CASCADE, related_name="notices")
    recipient = models.ForeignKey(
        User, verbose_name=_("接收人"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    text = models.CharField(_("内容"), max_length=300)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("督办通知")
        verbose_name_plural = _("督办通知")
        ordering = ["-created_at"]
