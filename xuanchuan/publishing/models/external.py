"""The publishing log: each publication put out on each outlet, by an adapter (WeChat's
draft → publish flow, ``adapters/``) or recorded by hand (link and date)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xuanchuan.org.models import User
from xuanchuan.org.scoping import ScopedManager
from xuanchuan.publishing.models.outlets import Outlet
from xuanchuan.publishing.models.publications import Publication


class PostStatus(models.TextChoices):
    PENDING = "pending", _("待发布")
    PUBLISHING = "publishing", _("发布中")
    PUBLISHED = "published", _("已发布")
    FAILED = "failed", _("发布失败")
    WITHDRAWN = "withdrawn", _("已删除")


class OutletPost(models.Model):
    """A publication on one outlet: its state there, the platform's identifiers and the link."""

    publication = models.ForeignKey(Publication, verbose_name=_("稿件"), on_delete=models.CASCADE, related_name="posts")
    outlet = models.ForeignKey(Outlet, verbose_name=_("发布平台"), on_delete=models.PROTECT, related_name="posts")
    status = models.CharField(_("状态"), max_length=20, choices=PostStatus.choices, default=PostStatus.PENDING)
    manual = models.BooleanField(_("人工登记"), default=False)
    external_id = models.CharField(_("平台稿件标识"), max_length=100, blank=True, help_text=_("如微信 media_id"))
    job_id = models.CharField(
        _("平台发布任务号"), max_length=100, blank=True, db_index=True, help_text=_("如微信 publish_id")
    )
    url = models.URLField(_("链接"), max_length=500, blank=True)
    published_on = models.DateField(_("发布日期"), null=True, blank=True)
    error = models.CharField(_("失败原因"), max_length=300, blank=True)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    recorded_by = models.ForeignKey(
        User, verbose_name=_("登记人"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    scope_unit_path = "publication__unit__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("发布记录")
        verbose_name_plural = _("发布记录")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["publication", "outlet"], name="publishing_one_post_per_outlet")]

    def __str__(self) -> str:
        return f"{self.publication} → {self.outlet}"
