"""Clients allowed to submit reports through the Open311 GeoReport v2 endpoints (api_key)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from xuanchuan.org.models import UnitOwned


class ApiClient(UnitOwned):
    """An Open311 client (an app, a hotline system). ``unit`` receives its reports (the civility
    office); only a keyed hash of its key is stored."""

    name = models.CharField(_("名称"), max_length=100)
    key_prefix = models.CharField(_("密钥前缀"), max_length=8, db_index=True)
    key_hash = models.CharField(_("密钥摘要"), max_length=128, unique=True)
    is_active = models.BooleanField(_("启用"), default=True)
    contact = models.CharField(_("联系人"), max_length=100, blank=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)

    class Meta:
        verbose_name = _("Open311 客户端")
        verbose_name_plural = _("Open311 客户端")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
