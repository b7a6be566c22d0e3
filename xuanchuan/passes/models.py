"""Households, their passes, the district's signing keys, and what checkpoints record."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xuanchuan.core.pii import BlindIndexField, EncryptedCharField, crypto, mask
from xuanchuan.org.models import UnitOwned, User
from xuanchuan.passes.cose import Reason


def new_public_id() -> str:
    """A pass number that cannot be guessed: 12 characters of base32 (60 bits)."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(12))


def new_access_token() -> str:
    return secrets.token_urlsafe(18)


class SecretKeyField(models.TextField):
    """A private key, encrypted at rest with the platform's data key (``core.pii.crypto``).

    Deliberately not a personal-data field: the "显示" reveal of ``core.pii`` only knows
    personal-data fields, so no page can ever show a signing key, and the audit trail leaves the
    field out (``apps.py``). Re-encrypting after a data-key rotation: ``passes.services.reencrypt_keys``.
    """

    label = "passes.signingkey.private_key_pem"

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        return crypto.encrypt(value, self.label) if value else value

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        return crypto.decrypt(value, self.label) if value else value


class KeyStatus(models.TextChoices):
    """Where a signing key is in its life."""

    SIGNING = "signing", _("签发中")
    VERIFY_ONLY = "verify_only", _("仅用于核验（过渡期）")
    RETIRED = "retired", _("已停用")


class SigningKey(UnitOwned):
    """An ES256 key pair of the district. One key signs at a time; after a rotation the old key
    still verifies until ``retires_at`` (the overlap), then passes signed with it are refused.
    The private key is stored only encrypted (``core.pii``)."""

    kid = models.CharField(_("密钥标识"), max_length=16, unique=True)
    public_key_pem = models.TextField(_("公钥"))
    private_key_pem = SecretKeyField(_("私钥（加密存储）"), editable=False)
    activated_at = models.DateTimeField(_("启用时间"), default=timezone.now)
    superseded_at = models.DateTimeField(_("停止签发时间"), null=True, blank=True)
    retires_at = models.DateTimeField(_("停止核验时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("签发密钥")
        verbose_name_plural = _("签发密钥")
        ordering = ["-activated_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit"], condition=models.Q(superseded_at__isnull=True), name="passes_one_signing_key"
            )
        ]

    def __str__(self) -> str:
        return self.kid

    def status_at(self, moment: datetime) -> str:
        if self.retires_at is not None and moment >= self.retires_at:
            return KeyStatus.RETIRED
        if self.superseded_at is not None:
            return KeyStatus.VERIFY_ONLY
        return KeyStatus.SIGNING

    @property
    def status(self) -> str:
        return self.status_at(timezone.now())

    def get_status_display(self) -> str:
        return str(KeyStatus(self.status).label)


class Household(UnitOwned):
    """A household of a community (``unit``), named by its number in the community's list."""

    number = models.CharField(_("户号"), max_length=40)
    address = EncryptedCharField(_("住址"), max_length=200, kind="text")
    head_name = EncryptedCharField(_("户主姓名"), max_length=50, kind="name", blank=True)

    class Meta:
        verbose_name = _("住户")
        verbose_name_plural = _("住户")
        ordering = ["unit__path", "number"]
        constraints = [models.UniqueConstraint(fields=["unit", "number"], name="passes_household_number")]

    def __str__(self) -> str:
        return f"{self.number}"

    @property
    def masked_address(self) -> str:
        return mask(self.address, "text")


class PassStatus(models.TextChoices):
    """The workflow of a pass: applied, then approved (signed) or refused; an approved pass may
    be revoked (also when it is re-issued)."""

    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已签发")
    REFUSED = "refused", _("未通过")
    REVOKED = "revoked", _("已撤销")


class ApplicationChannel(models.TextChoices):
    """How the application reached the community."""

    RESIDENT = "resident", _("居民自助申请")
    STAFF = "staff", _("工作人员代办")
    IMPORT = "import", _("批量导入")


class Pass(UnitOwned):
    """A household member's electronic pass. ``unit`` is the household's community; the signed
    text carries only the pass number, household number, community, validity and masked name."""

    public_id = models.CharField(_("通行证编号"), max_length=16, unique=True, default=new_public_id)
    access_token = models.CharField(_("查询凭据"), max_length=32, unique=True, default=new_access_token)
    household = models.ForeignKey(Household, verbose_name=_("住户"), on_delete=models.PROTECT, related_name="passes")
    holder_name = EncryptedCharField(_("持证人姓名"), max_length=50, kind="name")
    holder_phone = EncryptedCharField(_("联系电话"), max_length=20, kind="phone", blank=True)
    holder_phone_index = BlindIndexField(source="holder_phone")
    channel = models.CharField(_("申请方式"), max_length=16, choices=ApplicationChannel.choices)
    status = models.CharField(_("状态"), max_length=16, choices=PassStatus.choices, default=PassStatus.PENDING)
    valid_from = models.DateField(_("生效日期"))
    valid_until = models.DateField(_("截止日期"))
    outing_interval_days = models.PositiveSmallIntegerField(_("外出间隔天数"), default=2)
    decided_by = models.ForeignKey(
        User, verbose_name=_("审批人"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    refusal_reason = models.CharField(_("不予通过的理由"), max_length=200, blank=True)
    signing_key = models.ForeignKey(
        SigningKey, verbose_name=_("签发密钥"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signed_text = models.TextField(_("通行码"), blank=True)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True, db_index=True)
    revoked_by = models.ForeignKey(
        User, verbose_name=_("撤销人"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revocation_reason = models.CharField(_("撤销理由"), max_length=200, blank=True)
    replaces = models.OneToOneField(
        "self",
        verbose_name=_("重新签发自"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replaced_by",
    )

    class Meta:
        verbose_name = _("电子通行证")
        verbose_name_plural = _("电子通行证")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "valid_until"]),
            # passes.issued counts from it alone (index-only), for the district or a street.
            models.Index(fields=["status", "decided_at", "unit"], name="passes_pass_decided_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(valid_until__gte=models.F("valid_from")), name="passes_validity")
        ]

    def __str__(self) -> str:
        return self.public_id

    def get_absolute_url(self) -> str:
        return reverse("passes:pass_detail", args=[self.pk])

    @property
    def masked_holder(self) -> str:
        return mask(self.holder_name, "name")

    @property
    def is_expired(self) -> bool:
        return self.valid_until < timezone.localdate()

    @property
    def state_label(self) -> str:
        """The status, with "expired" for an approved pass past its last day."""
        if self.status == PassStatus.APPROVED and self.is_expired:
            return str(_("已过期"))
        return self.get_status_display()


class Direction(models.TextChoices):
    """Which way a person passed the checkpoint."""

    EXIT = "exit", _("外出")
    ENTRY = "entry", _("返回")


class Movement(UnitOwned):
    """One exit or entry recorded at a checkpoint. ``unit`` is the pass's community (so the
    household's outings count there); ``event_id`` is made by the checkpoint device, so a queue
    sent twice records each event once."""

    event_id = models.UUIDField(_("事件标识"), unique=True)
    pass_obj = models.ForeignKey(Pass, verbose_name=_("通行证"), on_delete=models.PROTECT, related_name="movements")
    household = models.ForeignKey(Household, verbose_name=_("住户"), on_delete=models.PROTECT, related_name="+")
    direction = models.CharField(_("方向"), max_length=8, choices=Direction.choices)
    occurred_at = models.DateTimeField(_("发生时间"), db_index=True)
    checkpoint = models.CharField(_("卡口"), max_length=60, blank=True)
    offline = models.BooleanField(_("离线记录"), default=False)
    rule_breached = models.BooleanField(
        _("超出外出限制"), default=False, help_text=_("离线时放行、联网后发现超出外出次数限制的记录")
    )

    class Meta:
        verbose_name = _("出入记录")
        verbose_name_plural = _("出入记录")
        ordering = ["-occurred_at", "-pk"]
        indexes = [
            models.Index(fields=["household", "direction", "occurred_at"]),
            # passes.outings counts from it alone (index-only), for the district or a street.
            models.Index(fields=["direction", "occurred_at", "unit"], name="passes_movement_outing_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.pass_obj_id} {self.get_direction_display()}"


class Verification(UnitOwned):
    """Every check of a pass at a checkpoint, whatever the verdict. ``unit`` is the checking
    guard's unit; the pass, when the text named one of ours, is linked. ``checked_at`` is the
    server's time of the verdict; an event a device uploads keeps its own time in ``device_time``."""

    pass_obj = models.ForeignKey(
        Pass, verbose_name=_("通行证"), on_delete=models.SET_NULL, null=True, blank=True, related_name="verifications"
    )
    pass_public_id = models.CharField(_("通行证编号"), max_length=16, blank=True, db_index=True)
    kid = models.CharField(_("密钥标识"), max_length=16, blank=True)
    result = models.CharField(_("核验结果"), max_length=16, choices=Reason.choices())
    direction = models.CharField(_("方向"), max_length=8, choices=Direction.choices, blank=True)
    checked_at = models.DateTimeField(_("核验时间"), default=timezone.now, db_index=True)
    device_time = models.DateTimeField(
        _("设备记录时间"), null=True, blank=True, help_text=_("卡口设备上传的记录所报的时间；核验一律以服务器时间为准")
    )
    checkpoint = models.CharField(_("卡口"), max_length=60, blank=True)
    offline = models.BooleanField(_("离线核验"), default=False)
    event_id = models.UUIDField(_("事件标识"), null=True, blank=True, unique=True)

    class Meta:
        verbose_name = _("核验记录")
        verbose_name_plural = _("核验记录")
        ordering = ["-checked_at", "-pk"]
        # passes.verifications counts from it alone (index-only), for the district or a street.
        indexes = [models.Index(fields=["checked_at", "unit"], name="passes_verif_checked_idx")]

    def __str__(self) -> str:
        return f"{self.pass_public_id or '—'} {self.get_result_display()}"

    @property
    def accepted(self) -> bool:
        return self.result == Reason.VALID
