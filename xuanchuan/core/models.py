"""Records the personal-data protection keeps about itself: who unmasked what, and what was purged."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xuanchuan.core.pii.retention import RetentionAction, register_retention


class PersonalDataAccess(models.Model):
    """One unmasked view of one field of one record: who, when, which record, from where, why.

    Written by :func:`xuanchuan.core.pii.access.reveal`; never edited. Kept for
    ``XUANCHUAN_PII_ACCESS_LOG_DAYS`` days, then purged like the data it protects.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("查看人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Kept beside the foreign key so the record still names the person if the account goes.
    username = models.CharField(_("账号"), max_length=150)
    accessed_at = models.DateTimeField(_("查看时间"), default=timezone.now, db_index=True)
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("数据类型"), on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.CharField(_("记录编号"), max_length=64)
    field = models.CharField(_("字段"), max_length=100)
    reason = models.CharField(_("查看原因"), max_length=200, blank=True)
    ip_address = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    user_agent = models.CharField(_("浏览器标识"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("个人信息查看记录")
        verbose_name_plural = _("个人信息查看记录")
        ordering = ["-accessed_at", "-id"]
        default_permissions = ("view",)
        indexes = [models.Index(fields=["content_type", "object_id"], name="core_pda_object_idx")]

    def __str__(self) -> str:
        when = f"{self.accessed_at:%Y-%m-%d %H:%M}"
        return f"{self.username} {when} {self.content_type_id}/{self.object_id}.{self.field}"

    @property
    def field_verbose_name(self) -> str:
        """The field's Chinese name when its model is loaded, else its attribute name."""
        model = self.content_type.model_class()
        if model is None:
            return self.field
        try:
            return str(model._meta.get_field(self.field).verbose_name)
        except FieldDoesNotExist:  # a field removed since the access was logged
            return self.field


class RetentionPurge(models.Model):
    """One run of one retention rule: how many rows went (or would go, on a dry run)."""

    label = models.CharField(_("数据类别"), max_length=100)
    model_label = models.CharField(_("模型"), max_length=100)
    action = models.CharField(_("处理方式"), max_length=10, choices=RetentionAction.choices)
    cutoff = models.DateTimeField(_("保留截止时间"), help_text=_("早于此时间的记录被处理"))
    count = models.PositiveIntegerField(_("条数"), default=0)
    dry_run = models.BooleanField(_("试运行"), default=False)
    error = models.TextField(_("错误"), blank=True)
    ran_at = models.DateTimeField(_("执行时间"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("个人信息清理记录")
        verbose_name_plural = _("个人信息清理记录")
        ordering = ["-ran_at", "-id"]
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"{self.label} {self.ran_at:%Y-%m-%d} {self.get_action_display()} {self.count}"


register_retention(
    PersonalDataAccess,
    days=lambda: settings.XUANCHUAN_PII_ACCESS_LOG_DAYS,
    date_field="accessed_at",
    action=RetentionAction.DELETE,
    label="个人信息查看记录",
)
