"""The publishing log: each publication put out on each outlet, by an adapter (WeChat's
draft → publish flow, ``adapters/``) or recorded by hand (link and date); and the WeChat
credentials of an outlet (the app secret and the callback token encrypted at rest)."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xuanchuan.core.pii import crypto
from xuanchuan.org.models import User
from xuanchuan.org.scoping import ScopedManager, ScopedQuerySet
from xuanchuan.publishing.models.outlets import Outlet
from xuanchuan.publishing.models.publications import Publication

HISTORY_LIMIT = 30  # the newest entries of a post's ``history`` kept


class PostStatus(models.TextChoices):
    PENDING = "pending", _("待发布")
    PUBLISHING = "publishing", _("发布中")
    PUBLISHED = "published", _("已发布")
    FAILED = "failed", _("发布失败")
    WITHDRAWN = "withdrawn", _("已删除")


class OutletPostQuerySet(ScopedQuerySet):
    """A post is seen by whoever sees its publication (the author unit's line and, once it left
    the drafts, the units owning an outlet it targets: 谁主管谁负责)."""

    def scope_q(self, unit_path: str) -> Q:
        return Q(publication__in=Publication.objects.filter(Publication.objects.all().scope_q(unit_path)))


class OutletPost(models.Model):
    """A publication on one outlet: its state there, the platform's identifiers and the link.

    ``next_try_at``: when the background sweep next tries again (a retry after a passing error)
    or asks the platform for the result of the publish job; ``history``: the newest attempts and
    answers, each ``{"at", "step", "ok", "message"}``; ``removal_needed``: the publication was
    taken down and this copy must still be removed by hand on the platform.
    """

    publication = models.ForeignKey(Publication, verbose_name=_("稿件"), on_delete=models.CASCADE, related_name="posts")
    outlet = models.ForeignKey(Outlet, verbose_name=_("发布平台"), on_delete=models.PROTECT, related_name="posts")
    status = models.CharField(_("状态"), max_length=20, choices=PostStatus.choices, default=PostStatus.PENDING)
    manual = models.BooleanField(_("人工登记"), default=False)
    external_id = models.CharField(_("平台稿件标识"), max_length=100, blank=True, help_text=_("如微信 media_id"))
    job_id = models.CharField(
        _("平台发布任务号"), max_length=100, blank=True, db_index=True, help_text=_("如微信 publish_id")
    )
    article_id = models.CharField(_("平台文章标识"), max_length=100, blank=True, help_text=_("如微信 article_id"))
    url = models.URLField(_("链接"), max_length=500, blank=True)
    published_on = models.DateField(_("发布日期"), null=True, blank=True)
    error = models.CharField(_("失败原因"), max_length=300, blank=True)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    polls = models.PositiveSmallIntegerField(_("查询结果次数"), default=0)
    next_try_at = models.DateTimeField(_("下次处理时间"), null=True, blank=True, db_index=True)
    removal_needed = models.BooleanField(_("下架后待人工删除"), default=False)
    history = models.JSONField(_("处理记录"), default=list, blank=True)
    recorded_by = models.ForeignKey(
        User, verbose_name=_("登记人"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    scope_unit_path = "publication__unit__path"
    objects = ScopedManager.from_queryset(OutletPostQuerySet)()

    class Meta:
        verbose_name = _("发布记录")
        verbose_name_plural = _("发布记录")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["publication", "outlet"], name="publishing_one_post_per_outlet")]

    def __str__(self) -> str:
        return f"{self.publication} → {self.outlet}"

    def get_absolute_url(self) -> str:
        return reverse("publishing:post_detail", kwargs={"pk": self.pk})

    @property
    def state_label(self) -> str:
        """The state as staff read it: a removal still to be done or a wait for a person says more
        than the bare status."""
        if self.removal_needed:
            return str(_("已下架，待到平台删除"))
        if self.manual and self.status == PostStatus.PENDING:
            return str(_("待人工发布登记"))
        return str(self.get_status_display())

    def note(self, step: str, ok: bool, message: str = "") -> None:
        """Add an entry to ``history`` (not saved here)."""
        entry = {"at": timezone.now().isoformat(timespec="seconds"), "step": step, "ok": ok, "message": message[:300]}
        self.history = [*(self.history or []), entry][-HISTORY_LIMIT:]


class SecretField(models.TextField):
    """A secret encrypted at rest with the platform's data key (``core.pii.crypto``), like
    ``passes.models.SecretKeyField``: no page shows it back, the audit trail leaves it out."""

    def __init__(self, *args: Any, label: str = "", **kwargs: Any) -> None:
        self.label = label
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["label"] = self.label
        return name, path, args, kwargs

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        return crypto.encrypt(value, self.label) if value else value

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        return crypto.decrypt(value, self.label) if value else value


class OutletCredential(models.Model):
    """What the platform needs to publish on a WeChat official account (公众号) by itself: the
    developer ID (AppID) and secret (AppSecret) from 公众平台 → 设置与开发 → 基本配置, the token
    of the server configuration (消息推送, 明文模式) used to verify the pushed publish result,
    and the permanent image material used as the cover (thumb_media_id)."""

    outlet = models.OneToOneField(
        Outlet, verbose_name=_("发布平台"), on_delete=models.CASCADE, related_name="wechat_credential"
    )
    app_id = models.CharField(_("AppID（开发者ID）"), max_length=40)
    app_secret = SecretField(_("AppSecret（开发者密码，加密存储）"), label="publishing.outletcredential.app_secret")
    callback_token = SecretField(
        _("消息推送令牌 Token（加密存储）"), label="publishing.outletcredential.callback_token"
    )
    thumb_media_id = models.CharField(
        _("默认封面素材 media_id"), max_length=100, help_text=_("公众号永久图片素材的 media_id，用作图文封面")
    )
    enabled = models.BooleanField(_("启用自动发布"), default=True)
    updated_by = models.ForeignKey(
        User, verbose_name=_("设置人"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    scope_unit_path = "outlet__unit__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("公众号接口凭据")
        verbose_name_plural = _("公众号接口凭据")

    def __str__(self) -> str:
        return f"{self.outlet} AppID {self.app_id}"
