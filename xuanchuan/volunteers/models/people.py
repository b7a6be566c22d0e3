"""Volunteers and their record as 民政部令第67号 asks: basic information (``Volunteer``), service
(``activities.ServiceRecord``), training, awards and evaluation; households (the scoring unit of
good-deed points in villages); certificates of hours with a public verification code."""

from __future__ import annotations

import secrets

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xuanchuan.core.pii import BlindIndexField, EncryptedCharField
from xuanchuan.org.models import UnitOwned


class VolunteerSource(models.TextChoices):
    SELF = "self", _("本人手机注册")
    IMPORT = "import", _("队伍Excel导入")
    STAFF = "staff", _("工作人员登记")


class VolunteerStatus(models.TextChoices):
    ACTIVE = "active", _("在册")
    WITHDRAWN = "withdrawn", _("已注销")


class Gender(models.TextChoices):
    MALE = "M", _("男")
    FEMALE = "F", _("女")


class Household(UnitOwned):
    """A household of a community or village (``unit``), the scoring unit of 道德信贷 where points
    are kept per household; ``number`` is the community's own household number (户号)."""

    number = models.CharField(_("户号"), max_length=30)
    head_name = EncryptedCharField(_("户主姓名"), max_length=50, kind="name")
    address = EncryptedCharField(_("住址"), max_length=200, kind="text", blank=True)

    class Meta:
        verbose_name = _("家庭户")
        verbose_name_plural = _("家庭户")
        ordering = ["unit__path", "number"]
        constraints = [models.UniqueConstraint(fields=["unit", "number"], name="volunteers_household_number")]

    def __str__(self) -> str:
        return self.number


def volunteer_number() -> str:
    """A volunteer number nobody can guess from another (志愿者编号)."""
    return "ZY" + secrets.token_hex(5).upper()


class Volunteer(UnitOwned):
    """One person, however they came in (self-registration, a team's import, staff): the blind
    index of the ID number is unique, so a second registration finds the first. ``unit`` is the
    community or village they belong to. ``consented_at`` records the consent to the stated use of
    their data (``consent_version`` names the text they agreed to). ``birth_year`` and ``gender`` are
    read from the ID number for the figures, so nobody needs to decrypt it for them."""

    number = models.CharField(_("志愿者编号"), max_length=16, unique=True, default=volunteer_number)
    name = EncryptedCharField(_("姓名"), max_length=50, kind="name")
    id_number = EncryptedCharField(_("身份证号码"), max_length=18, kind="id_number")
    # Unique among the volunteers who still have an ID number: the retention purge empties the
    # number (and its index) of volunteers who withdrew long ago, and there may be many of those.
    id_number_index = BlindIndexField(source="id_number")
    phone = EncryptedCharField(_("手机号码"), max_length=20, kind="phone")
    phone_index = BlindIndexField(source="phone")
    address = EncryptedCharField(_("住址"), max_length=200, kind="text", blank=True)
    gender = models.CharField(_("性别"), max_length=1, choices=Gender.choices, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("出生年份"), null=True, blank=True)
    skills = models.CharField(_("技能特长"), max_length=200, blank=True)
    availability = models.CharField(_("可服务时间"), max_length=200, blank=True)
    household = models.ForeignKey(
        Household,
        verbose_name=_("所在家庭户"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
    )
    source = models.CharField(_("登记方式"), max_length=10, choices=VolunteerSource.choices)
    consented_at = models.DateTimeField(_("同意个人信息使用的时间"))
    consent_version = models.CharField(_("同意的说明版本"), max_length=20)
    status = models.CharField(_("状态"), max_length=10, choices=VolunteerStatus.choices, default=VolunteerStatus.ACTIVE)
    withdrawn_at = models.DateTimeField(_("注销时间"), null=True, blank=True)
    # Raised to sign the volunteer out on every phone (``volunteers.session``).
    session_generation = models.PositiveIntegerField(_("登录版本"), default=0)

    class Meta:
        verbose_name = _("志愿者")
        verbose_name_plural = _("志愿者")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["unit", "status"], name="volunteers_vol_unit_status_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["id_number_index"],
                condition=~Q(id_number_index=""),
                name="volunteers_one_person_one_volunteer",
            )
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("volunteers:volunteer_detail", kwargs={"pk": self.pk})


class Training(UnitOwned):
    """A training the volunteer took (培训情况): ``unit`` is the unit that gave or recorded it."""

    volunteer = models.ForeignKey(
        Volunteer, verbose_name=_("志愿者"), on_delete=models.CASCADE, related_name="trainings"
    )
    course = models.CharField(_("培训内容"), max_length=200)
    held_on = models.DateField(_("培训日期"))
    minutes = models.PositiveIntegerField(_("培训时长（分钟）"))
    result = models.CharField(_("培训结果"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("培训记录")
        verbose_name_plural = _("培训记录")
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return self.course


class AwardLevel(models.TextChoices):
    NATIONAL = "national", _("国家级")
    PROVINCE = "province", _("省级")
    CITY = "city", _("市级")
    DISTRICT = "district", _("区级")
    STREET = "street", _("街道（乡镇）级")
    COMMUNITY = "community", _("社区（村）级")


class Award(UnitOwned):
    """An honour the volunteer received (表彰奖励情况)."""

    volunteer = models.ForeignKey(Volunteer, verbose_name=_("志愿者"), on_delete=models.CASCADE, related_name="awards")
    honour = models.CharField(_("荣誉名称"), max_length=200)
    level = models.CharField(_("级别"), max_length=12, choices=AwardLevel.choices)
    issuer = models.CharField(_("授予单位"), max_length=100)
    awarded_on = models.DateField(_("授予日期"))

    class Meta:
        verbose_name = _("表彰奖励")
        verbose_name_plural = _("表彰奖励")
        ordering = ["-awarded_on"]

    def __str__(self) -> str:
        return self.honour


class Evaluation(UnitOwned):
    """The organiser's evaluation of a volunteer (评价情况), for one activity or in general."""

    volunteer = models.ForeignKey(
        Volunteer, verbose_name=_("志愿者"), on_delete=models.CASCADE, related_name="evaluations"
    )
    activity = models.ForeignKey(
        "volunteers.Activity",
        verbose_name=_("活动"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    rating = models.PositiveSmallIntegerField(_("评分（1–5）"))
    comment = models.CharField(_("评语"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("服务评价")
        verbose_name_plural = _("服务评价")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(rating__gte=1, rating__lte=5), name="volunteers_rating_1_to_5")
        ]

    def __str__(self) -> str:
        return f"{self.volunteer_id}: {self.rating}"


def certificate_code() -> str:
    """The verification code printed on a certificate (anyone may check it on the public page)."""
    return secrets.token_urlsafe(12)


class Certificate(UnitOwned):
    """A certificate of service hours (志愿服务记录证明): ``unit`` issued it from its own records
    (谁记录谁证明); the certified minutes are kept as issued, so a later correction of a record does
    not change a certificate already given; revoking keeps the row and the reason."""

    number = models.CharField(_("证明编号"), max_length=30, unique=True)
    code = models.CharField(_("验证码"), max_length=24, unique=True, default=certificate_code)
    volunteer = models.ForeignKey(
        Volunteer, verbose_name=_("志愿者"), on_delete=models.PROTECT, related_name="certificates"
    )
    period_start = models.DateField(_("服务起始日期"))
    period_end = models.DateField(_("服务截止日期"))
    minutes = models.PositiveIntegerField(_("证明时长（分钟）"))
    activities = models.PositiveIntegerField(_("活动次数"))
    issued_at = models.DateTimeField(_("出具时间"))
    revoked_at = models.DateTimeField(_("作废时间"), null=True, blank=True)
    revoke_reason = models.CharField(_("作废原因"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("志愿服务记录证明")
        verbose_name_plural = _("志愿服务记录证明")
        ordering = ["-issued_at"]

    def __str__(self) -> str:
        return self.number
