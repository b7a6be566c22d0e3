"""Lecture teams on four levels (专家领导讲理论, 干部职工讲政策, 党员群众讲故事, 红色文艺轻骑兵), their
lecturers, the lectures (宣讲) given with date, place, audience and photos, and the requests for a
lecture that residents and units send and staff assign to a team."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xuanchuan.core.pii import EncryptedCharField
from xuanchuan.org.models import UnitOwned
from xuanchuan.org.scoping import ScopedManager


class TeamLevel(models.TextChoices):
    EXPERTS = "experts", _("专家领导讲理论")
    CADRES = "cadres", _("干部职工讲政策")
    PEOPLE = "people", _("党员群众讲故事")
    ARTS = "arts", _("红色文艺轻骑兵")


class LectureTeam(UnitOwned):
    """A lecture team (宣讲队伍) of ``unit`` on one of the four levels."""

    name = models.CharField(_("队伍名称"), max_length=100)
    level = models.CharField(_("层级"), max_length=10, choices=TeamLevel.choices)
    description = models.TextField(_("简介"), blank=True)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("宣讲队伍")
        verbose_name_plural = _("宣讲队伍")
        ordering = ["level", "name"]
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="theory_team_name_per_unit")]

    def __str__(self) -> str:
        return self.name


class Lecturer(UnitOwned):
    """A lecturer of a team. The name and title are shown publicly with the lectures they give (a
    lecturer speaks in public); the phone is personal data, encrypted and shown masked."""

    team = models.ForeignKey(
        LectureTeam, verbose_name=_("宣讲队伍"), on_delete=models.PROTECT, related_name="lecturers"
    )
    name = models.CharField(_("姓名"), max_length=50)
    title = models.CharField(_("职务或职称"), max_length=100, blank=True)
    phone = EncryptedCharField(_("联系电话"), max_length=20, kind="phone", blank=True)
    topics = models.CharField(_("擅长宣讲内容"), max_length=300, blank=True)
    active = models.BooleanField(_("在队"), default=True)

    class Meta:
        verbose_name = _("宣讲员")
        verbose_name_plural = _("宣讲员")
        ordering = ["team", "name"]

    def __str__(self) -> str:
        return self.name


class LectureStatus(models.TextChoices):
    PLANNED = "planned", _("已安排")
    HELD = "held", _("已开展")
    CANCELLED = "cancelled", _("已取消")


class Lecture(UnitOwned):
    """A lecture (宣讲): who gave it (team and lecturers), when and where, the topic, the event it was
    part of (a 孝善宴, a 德润生日会 …), and once held the audience size and photos."""

    team = models.ForeignKey(LectureTeam, verbose_name=_("宣讲队伍"), on_delete=models.PROTECT, related_name="lectures")
    lecturers = models.ManyToManyField(Lecturer, verbose_name=_("宣讲员"), blank=True, related_name="lectures")
    topic = models.CharField(_("宣讲主题"), max_length=200)
    starts_at = models.DateTimeField(_("时间"))
    place = models.CharField(_("地点"), max_length=200)
    event = models.CharField(_("依托活动"), max_length=120, blank=True)
    audience = models.PositiveIntegerField(_("受众人数"), null=True, blank=True)
    summary = models.TextField(_("宣讲内容摘要"), blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=LectureStatus.choices, default=LectureStatus.PLANNED)
    cancel_reason = models.CharField(_("取消原因"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("宣讲活动")
        verbose_name_plural = _("宣讲活动")
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["starts_at"], name="theory_lecture_start_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="held") | Q(audience__isnull=False), name="theory_held_lecture_has_audience"
            )
        ]

    def __str__(self) -> str:
        return self.topic


class LecturePhoto(models.Model):
    """A photo of a lecture (checked and re-encoded without EXIF, as civility's photos are)."""

    lecture = models.ForeignKey(Lecture, verbose_name=_("宣讲活动"), on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("照片"), upload_to="theory/lectures/%Y/%m/")
    caption = models.CharField(_("说明"), max_length=100, blank=True)
    uploaded_at = models.DateTimeField(_("上传时间"))

    scope_unit_path = "lecture__unit__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("宣讲照片")
        verbose_name_plural = _("宣讲照片")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.caption or self.image.name


class RequestStatus(models.TextChoices):
    NEW = "new", _("待安排")
    ASSIGNED = "assigned", _("已安排队伍")
    DONE = "done", _("已宣讲")
    DECLINED = "declined", _("未能安排")


class LectureRequest(UnitOwned):
    """A request for a lecture (点单): a resident or a unit asks for a topic at a place and time;
    ``unit`` is the community or unit it is for, whose staff (or the district's) assign a team and
    then record the lecture. The requester's name and phone are personal data."""

    requester_name = EncryptedCharField(_("联系人"), max_length=50, kind="name")
    requester_phone = EncryptedCharField(_("联系电话"), max_length=20, kind="phone")
    requester_org = models.CharField(_("单位或群体"), max_length=100, blank=True)
    topic = models.CharField(_("希望宣讲的内容"), max_length=200)
    preferred_on = models.DateField(_("希望日期"), null=True, blank=True)
    place = models.CharField(_("地点"), max_length=200)
    audience_estimate = models.PositiveIntegerField(_("预计听众人数"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.NEW)
    team = models.ForeignKey(
        LectureTeam,
        verbose_name=_("安排的队伍"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="requests",
    )
    lecture = models.OneToOneField(
        Lecture, verbose_name=_("宣讲活动"), on_delete=models.SET_NULL, null=True, blank=True, related_name="request"
    )
    note = models.CharField(_("处理说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("宣讲点单")
        verbose_name_plural = _("宣讲点单")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.topic
