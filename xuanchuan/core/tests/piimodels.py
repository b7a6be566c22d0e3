"""A test-only model with every kind of encrypted field, scoped like a business record.

Its app label ``piitest`` is not in INSTALLED_APPS, so migrations, ``makemigrations --check``
and the system checks never see it; ``conftest.py`` creates its table in the test database.
The foreign key to ``org.Unit`` has no database constraint so flushing ``org_unit`` in a
transactional test is not blocked by this table.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xuanchuan.core.pii import BlindIndexField, EncryptedCharField, EncryptedTextField, validate_resident_id
from xuanchuan.org.models import Unit
from xuanchuan.org.scoping import ScopedManager


class Resident(models.Model):
    """A resident registered by a unit: name, ID number, phone, a health note."""

    name = EncryptedCharField(_("姓名"), max_length=50, kind="name")
    id_number = EncryptedCharField(
        _("身份证号码"), max_length=18, kind="id_number", blank=True, validators=[validate_resident_id]
    )
    id_number_index = BlindIndexField(source="id_number")
    phone = EncryptedCharField(_("手机号码"), max_length=20, kind="phone", blank=True)
    phone_index = BlindIndexField(source="phone")
    health_note = EncryptedTextField(_("健康情况"), kind="health", blank=True)
    unit = models.ForeignKey(
        Unit, verbose_name=_("所属单位"), on_delete=models.PROTECT, db_constraint=False, related_name="+"
    )
    registered_at = models.DateTimeField(_("登记时间"), default=timezone.now)
    visit_date = models.DateField(_("来访日期"), null=True, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    scope_unit_path = "unit__path"
    objects = ScopedManager()

    class Meta:
        app_label = "piitest"
        verbose_name = _("测试居民")

    def __str__(self) -> str:
        # Deliberately quotes the name: the audit trail must not copy it.
        return f"{self.name}（{self.unit_id}）"
