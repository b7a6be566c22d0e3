"""Publications: what the department and its units publish, every saved version of it, and its
attachments. The review itself is in ``review.py``."""

from __future__ import annotations

from datetime import timedelta

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xuanchuan.org.models import UnitOwned, User
from xuanchuan.org.scoping import ScopedManager, ScopedQuerySet
from xuanchuan.publishing.models.outlets import Column, Outlet


class Urgency(models.TextChoices):
    """How fast each review step must be taken (``STEP_HOURS``)."""

    NORMAL = "normal", _("普通")
    URGENT = "urgent", _("紧急")
    IMMEDIATE = "immediate", _("特急")


# Hours each review step may take, by urgency: the due time of a step is its start plus these.
STEP_HOURS = {Urgency.NORMAL: 48, Urgency.URGENT: 8, Urgency.IMMEDIATE: 2}


def step_due(urgency: str, start=None):
    return (start or timezone.now()) + timedelta(hours=STEP_HOURS[Urgency(urgency)])


class PublicationStatus(models.TextChoices):
    """Where a publication is. In review, ``Publication.current_step`` says which of the three
    steps holds it (and ``ReviewTask`` who and since when)."""

    DRAFT = "draft", _("草稿")
    IN_REVIEW = "in_review", _("审核中")
    SCHEDULED = "scheduled", _("已通过，定时发布")
    PUBLISHED = "published", _("已发布")
    RETURNED = "returned", _("已退回")
    WITHDRAWN = "withdrawn", _("已撤回")
    TAKEN_DOWN = "taken_down", _("已下架")


class ReviewStep(models.TextChoices):
    """The three steps (三审制度), in order: 初审 checks wording, 复审 facts and sources,
    终审 political direction."""

    FIRST = "first", _("初审")
    SECOND = "second", _("复审")
    FINAL = "final", _("终审")


STEP_ORDER = (ReviewStep.FIRST, ReviewStep.SECOND, ReviewStep.FINAL)


class PublicationQuerySet(ScopedQuerySet):
    """谁主管谁负责: besides its author unit's line, a publication is seen by the units that own
    an outlet it targets (the department for the district website), once it has left the
    author's drafts: they review it and answer for it."""

    def scope_q(self, unit_path: str) -> Q:
        targets_ours = Publication.outlets.through.objects.filter(
            publication_id=OuterRef("pk"), outlet__unit__path__startswith=unit_path
        )
        return Q(unit__path__startswith=unit_path) | (Exists(targets_ours) & ~Q(status=PublicationStatus.DRAFT))


class Publication(UnitOwned):
    """An article, notice or post to be published on one or more outlets. ``unit`` is the author
    unit; ``title``/``body`` are the current version (``versions`` keeps every saved one)."""

    title = models.CharField(_("标题"), max_length=120)
    summary = models.CharField(_("摘要"), max_length=300, blank=True)
    body = models.TextField(_("正文"), blank=True, help_text=_("经过清理的 HTML"))
    body_text = models.TextField(_("正文纯文本"), blank=True, editable=False)
    author_name = models.CharField(_("作者"), max_length=60, blank=True)
    source = models.CharField(_("来源"), max_length=100, blank=True)
    outlets = models.ManyToManyField(Outlet, verbose_name=_("发布平台"), blank=True, related_name="publications")
    columns = models.ManyToManyField(Column, verbose_name=_("栏目"), blank=True, related_name="publications")
    urgency = models.CharField(_("紧急程度"), max_length=20, choices=Urgency.choices, default=Urgency.NORMAL)
    planned_at = models.DateTimeField(_("计划发布时间"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=PublicationStatus.choices, default=PublicationStatus.DRAFT, db_index=True
    )
    current_step = models.CharField(_("当前审核环节"), max_length=10, choices=ReviewStep.choices, blank=True)
    status_since = models.DateTimeField(_("进入当前状态时间"), default=timezone.now)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True, db_index=True)
    published_by = models.ForeignKey(
        User, verbose_name=_("发布人"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    taken_down_at = models.DateTimeField(_("下架时间"), null=True, blank=True)
    taken_down_by = models.ForeignKey(
        User, verbose_name=_("下架人"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    takedown_reason = models.TextField(_("下架原因"), blank=True)
    cover = models.ForeignKey(
        "publishing.Attachment",
        verbose_name=_("封面图"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    search_text = models.TextField(_("检索文本"), blank=True, editable=False)

    objects = ScopedManager.from_queryset(PublicationQuerySet)()

    class Meta:
        verbose_name = _("稿件")
        verbose_name_plural = _("稿件")
        ordering = ["-status_since"]
        indexes = [models.Index(fields=["status", "published_at"], name="publishing_pub_status_at")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_public(self) -> bool:
        return self.status == PublicationStatus.PUBLISHED

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("publishing:publication_detail", args=[self.pk])

    def status_text(self) -> str:
        """The status as people say it: "已提交（待初审）" until a first reviewer takes it up, then
        "初审中"; "待复审", "复审中" … (a list annotates ``waiting_claim`` to spare the query)."""
        if self.status != PublicationStatus.IN_REVIEW or not self.current_step:
            return str(self.get_status_display())
        waiting = getattr(self, "waiting_claim", None)
        if waiting is None:
            waiting = self.review_rounds.filter(
                status="in_progress", tasks__status="in_progress", tasks__holder__isnull=True
            ).exists()
        step = str(self.get_current_step_display())
        if waiting:
            return _("已提交（待初审）") if self.current_step == ReviewStep.FIRST else _("待%(step)s") % {"step": step}
        return _("%(step)s中") % {"step": step}


class PublicationVersion(models.Model):
    """One saved version of a publication's title and body (kept for ever, numbered from 1)."""

    publication = models.ForeignKey(
        Publication, verbose_name=_("稿件"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("版本号"))
    title = models.CharField(_("标题"), max_length=120)
    body = models.TextField(_("正文"), blank=True)
    body_text = models.TextField(_("正文纯文本"), blank=True)
    note = models.CharField(_("修改说明"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        User, verbose_name=_("保存人"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("保存时间"), default=timezone.now)

    scope_unit_path = "publication__unit__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("稿件版本")
        verbose_name_plural = _("稿件版本")
        ordering = ["publication", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["publication", "number"], name="publishing_version_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.publication_id} v{self.number}"


class AttachmentKind(models.TextChoices):
    IMAGE = "image", _("图片")
    FILE = "file", _("附件")


def attachment_path(instance: Attachment, filename: str) -> str:
    return f"publishing/{timezone.now():%Y/%m}/{instance.stored_name}"


class Attachment(models.Model):
    """An image or file of a publication (stored under a random name; the original name kept)."""

    publication = models.ForeignKey(
        Publication, verbose_name=_("稿件"), on_delete=models.CASCADE, related_name="attachments"
    )
    kind = models.CharField(_("类型"), max_length=10, choices=AttachmentKind.choices)
    file = models.FileField(_("文件"), upload_to=attachment_path, max_length=200)
    stored_name = models.CharField(_("存储名"), max_length=80, editable=False)
    original_name = models.CharField(_("原文件名"), max_length=200)
    content_type = models.CharField(_("文件类型"), max_length=100)
    size = models.PositiveIntegerField(_("大小（字节）"))
    uploaded_by = models.ForeignKey(
        User, verbose_name=_("上传人"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now)

    scope_unit_path = "publication__unit__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("稿件附件")
        verbose_name_plural = _("稿件附件")
        ordering = ["publication", "uploaded_at"]

    def __str__(self) -> str:
        return self.original_name
