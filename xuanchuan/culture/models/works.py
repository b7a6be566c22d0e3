"""Public calls for works (征集: paper-cutting, sand painting, calligraphy for a campaign): residents
submit images on a phone with their consent and contact details (personal data, encrypted), staff
review them, and the accepted works are shown in a public online exhibition."""

from __future__ import annotations

import secrets

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xuanchuan.core.pii import EncryptedCharField
from xuanchuan.org.models import UnitOwned, User
from xuanchuan.org.scoping import ScopedManager


class CallStatus(models.TextChoices):
    DRAFT = "draft", _("未发布")
    OPEN = "open", _("征集中")
    CLOSED = "closed", _("已截止")


class CallForWorks(UnitOwned):
    """A call for works: theme, art forms, the time submissions are taken, the consent text
    residents agree to (kept with each submission as agreed)."""

    title = models.CharField(_("征集名称"), max_length=150)
    theme = models.TextField(_("征集主题与要求"))
    art_forms = models.CharField(_("作品门类"), max_length=200, help_text=_("如：剪纸、沙画、书画"))
    opens_at = models.DateTimeField(_("开始时间"))
    closes_at = models.DateTimeField(_("截止时间"))
    consent_text = models.TextField(_("个人信息使用说明"))
    status = models.CharField(_("状态"), max_length=8, choices=CallStatus.choices, default=CallStatus.DRAFT)
    exhibition_open = models.BooleanField(_("公开展示入选作品"), default=False)

    class Meta:
        verbose_name = _("作品征集")
        verbose_name_plural = _("作品征集")
        ordering = ["-opens_at"]
        constraints = [
            models.CheckConstraint(condition=Q(closes_at__gt=models.F("opens_at")), name="culture_call_closes_after")
        ]

    def __str__(self) -> str:
        return self.title


class SubmissionStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    ACCEPTED = "accepted", _("入选")
    REJECTED = "rejected", _("未入选")


def submission_reference() -> str:
    """The reference a submitter is shown (to look their submission up with their phone)."""
    return secrets.token_hex(5).upper()


class Submission(models.Model):
    """A work submitted to a call: the author's name and phone are personal data; the name may be
    shown with an accepted work only as the author chose (``public_name``)."""

    call = models.ForeignKey(CallForWorks, verbose_name=_("作品征集"), on_delete=models.PROTECT, related_name="works")
    reference = models.CharField(_("编号"), max_length=10, unique=True, default=submission_reference)
    title = models.CharField(_("作品名称"), max_length=100)
    art_form = models.CharField(_("门类"), max_length=30)
    description = models.TextField(_("作品说明"), blank=True)
    author_name = EncryptedCharField(_("作者姓名"), max_length=50, kind="name")
    author_phone = EncryptedCharField(_("联系电话"), max_length=20, kind="phone")
    public_name = models.CharField(_("展示署名"), max_length=30, blank=True)
    author_org = models.CharField(_("单位或村（社区）"), max_length=120, blank=True)
    consented_at = models.DateTimeField(_("同意个人信息使用说明的时间"))
    status = models.CharField(
        _("状态"), max_length=10, choices=SubmissionStatus.choices, default=SubmissionStatus.PENDING
    )
    decided_by = models.ForeignKey(
        User, verbose_name=_("审核人"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    note = models.CharField(_("审核意见"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("提交时间"), db_index=True)

    scope_unit_path = "call__unit__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("征集作品")
        verbose_name_plural = _("征集作品")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class SubmissionImage(models.Model):
    """An image of a submitted work (checked and re-encoded without EXIF by ``core.photos``)."""

    submission = models.ForeignKey(
        Submission, verbose_name=_("征集作品"), on_delete=models.CASCADE, related_name="images"
    )
    image = models.ImageField(_("图片"), upload_to="culture/works/%Y/%m/")
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)

    scope_unit_path = "submission__call__unit__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("作品图片")
        verbose_name_plural = _("作品图片")
        ordering = ["submission", "order", "pk"]

    def __str__(self) -> str:
        return self.image.name
