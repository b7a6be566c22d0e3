"""The cloud classroom (云课堂): recorded lectures as video or audio, in categories, uploaded in
resumable chunks, played on a public phone page at any hour. A viewer (an anonymous, random cookie
id) has one progress row per item: where they stopped (to resume) and which stretches they have
watched, so watch time counts each stretch once however often it is replayed, and a play is counted
once per viewer and day. Residents ask questions under an item; a question is shown after review,
answers to all."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from xuanchuan.org.models import UnitOwned, User
from xuanchuan.org.scoping import ScopedManager


class Category(UnitOwned):
    """A category of the classroom (e.g. 党的创新理论, 政策解读, 身边故事)."""

    name = models.CharField(_("名称"), max_length=60)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("课程类别")
        verbose_name_plural = _("课程类别")
        ordering = ["order", "name"]
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="theory_category_name_per_unit")]

    def __str__(self) -> str:
        return self.name


class MediaKind(models.TextChoices):
    VIDEO = "video", _("视频")
    AUDIO = "audio", _("音频")


class ItemStatus(models.TextChoices):
    DRAFT = "draft", _("未发布")
    PUBLISHED = "published", _("已发布")
    WITHDRAWN = "withdrawn", _("已撤下")


class ClassItem(UnitOwned):
    """A recorded lecture of the classroom. ``media`` is kept outside the public static files and
    served only by the platform's view (ranges answered; in production nginx sends the bytes after
    the platform's check, X-Accel-Redirect); ``poster`` is taken from the video with ffmpeg where it
    is installed. ``duration_seconds`` bounds what any viewer can be counted as having watched."""

    category = models.ForeignKey(Category, verbose_name=_("类别"), on_delete=models.PROTECT, related_name="items")
    lecture = models.ForeignKey(
        "theory.Lecture",
        verbose_name=_("录自宣讲活动"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    title = models.CharField(_("标题"), max_length=120)
    speaker = models.CharField(_("主讲人"), max_length=100, blank=True)
    description = models.TextField(_("简介"), blank=True)
    kind = models.CharField(_("类型"), max_length=5, choices=MediaKind.choices)
    media = models.FileField(_("音视频文件"), upload_to="theory/classroom/%Y/%m/", max_length=200)
    content_type = models.CharField(_("文件类型"), max_length=40)
    size = models.PositiveBigIntegerField(_("文件大小（字节）"))
    duration_seconds = models.PositiveIntegerField(_("时长（秒）"))
    poster = models.ImageField(_("封面"), upload_to="theory/posters/%Y/%m/", blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=ItemStatus.choices, default=ItemStatus.DRAFT)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("撤下时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("云课堂课程")
        verbose_name_plural = _("云课堂课程")
        ordering = ["-published_at", "-pk"]
        indexes = [models.Index(fields=["status", "published_at"], name="theory_item_published_idx")]

    def __str__(self) -> str:
        return self.title


class Upload(models.Model):
    """A resumable upload in progress: the client sends the file in chunks, each at ``received``
    (the server's offset, which a client that lost its connection asks for to resume); when all
    ``size`` bytes are in, the file is checked (type by content, size) and becomes an item's media,
    or is deleted with a clear refusal. Unfinished uploads are deleted after a day."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    unit = models.ForeignKey("org.Unit", verbose_name=_("所属单位"), on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(User, verbose_name=_("上传人"), on_delete=models.CASCADE, related_name="+")
    filename = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveBigIntegerField(_("文件大小（字节）"))
    received = models.PositiveBigIntegerField(_("已接收（字节）"), default=0)
    created_at = models.DateTimeField(_("开始时间"), db_index=True)
    completed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    scope_unit_path = "unit__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("上传中的文件")
        verbose_name_plural = _("上传中的文件")

    def __str__(self) -> str:
        return self.filename


class ViewerProgress(models.Model):
    """One viewer's progress in one item: ``position`` (seconds) to resume from, and ``watched`` a
    bitmap of the item's stretches of ``THEORY_WATCH_BUCKET_SECONDS`` already watched; the viewer's
    watch time is the number of set bits times the bucket, never more than the item's length."""

    item = models.ForeignKey(ClassItem, verbose_name=_("课程"), on_delete=models.CASCADE, related_name="progress")
    viewer = models.CharField(_("观看者标识"), max_length=32)
    position = models.PositiveIntegerField(_("上次看到（秒）"), default=0)
    watched = models.BinaryField(_("已观看片段"), default=bytes)
    watched_seconds = models.PositiveIntegerField(_("观看时长（秒）"), default=0)
    first_at = models.DateTimeField(_("首次观看"))
    last_at = models.DateTimeField(_("最近观看"), db_index=True)

    scope_unit_path = "item__unit__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("观看进度")
        verbose_name_plural = _("观看进度")
        constraints = [models.UniqueConstraint(fields=["item", "viewer"], name="theory_one_progress_per_viewer")]

    def __str__(self) -> str:
        return f"{self.item_id}/{self.viewer}"


class Play(models.Model):
    """A play of an item: at most one per viewer and day, however often they press play. ``at`` is
    the first press of that day (the hours of the day in which the classroom is used are counted
    from it: the report's "×小时不打烊"). ``watched_seconds`` is what that viewer newly watched of
    the item that day (the stretches first set in ``ViewerProgress.watched`` that day), so a
    period's watch time is the sum over its days and each stretch is counted once, ever."""

    item = models.ForeignKey(ClassItem, verbose_name=_("课程"), on_delete=models.CASCADE, related_name="plays")
    viewer = models.CharField(_("观看者标识"), max_length=32)
    day = models.DateField(_("日期"))
    at = models.DateTimeField(_("首次播放时间"))
    watched_seconds = models.PositiveIntegerField(_("当日新看时长（秒）"), default=0)

    scope_unit_path = "item__unit__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("播放")
        verbose_name_plural = _("播放")
        constraints = [models.UniqueConstraint(fields=["item", "viewer", "day"], name="theory_one_play_a_day")]
        indexes = [models.Index(fields=["day"], name="theory_play_day_idx")]

    def __str__(self) -> str:
        return f"{self.item_id}/{self.viewer}/{self.day}"


class QuestionStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    SHOWN = "shown", _("已公开")
    REJECTED = "rejected", _("未通过")


class Question(models.Model):
    """A resident's question under an item: shown only once staff approve it (after the
    proofreading engine's sensitive-word check, whose findings are kept in ``flags``); the answer
    is shown to everyone with the question."""

    item = models.ForeignKey(ClassItem, verbose_name=_("课程"), on_delete=models.CASCADE, related_name="questions")
    viewer = models.CharField(_("提问者标识"), max_length=32)
    nickname = models.CharField(_("称呼"), max_length=20, blank=True)
    text = models.CharField(_("问题"), max_length=500)
    flags = models.JSONField(_("校对提示"), default=list, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=QuestionStatus.choices, default=QuestionStatus.PENDING)
    answer = models.TextField(_("解答"), blank=True)
    decided_by = models.ForeignKey(
        User, verbose_name=_("审核人"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answered_by = models.ForeignKey(
        User, verbose_name=_("解答人"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(_("解答时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("提问时间"), db_index=True)

    scope_unit_path = "item__unit__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("课程提问")
        verbose_name_plural = _("课程提问")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.text[:30]
