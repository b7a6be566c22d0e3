"""Cultural events for residents and the series or campaigns they belong to (迎新春系列活动, 送文化
下乡, 百姓文化大舞台 …), held at a venue or an address, with audience, performers, photos and
video links; venues (library, museum, cultural centre, village courtyards, rural bookshops) and the
activities held there (study trips, reading promotion) are events of the kinds below."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xuanchuan.org.models import UnitOwned
from xuanchuan.org.scoping import ScopedManager


class Series(UnitOwned):
    """A series or campaign of events of a year (e.g. “激昂新×·欢乐中国年”迎新春系列活动): the report
    counts the events of a named series, so a series is what a figure's parameter chooses."""

    name = models.CharField(_("名称"), max_length=120)
    year = models.PositiveSmallIntegerField(_("年度"))
    description = models.TextField(_("说明"), blank=True)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("系列活动")
        verbose_name_plural = _("系列活动")
        ordering = ["-year", "name"]
        constraints = [models.UniqueConstraint(fields=["unit", "name", "year"], name="culture_series_once_a_year")]

    def __str__(self) -> str:
        return f"{self.name}（{self.year}）"


class VenueKind(models.TextChoices):
    LIBRARY = "library", _("图书馆")
    MUSEUM = "museum", _("博物馆")
    CULTURAL_CENTRE = "centre", _("文化馆")
    EXHIBITION_HALL = "hall", _("展览馆")
    COURTYARD = "courtyard", _("文化大院")
    BOOKSHOP = "bookshop", _("农家书屋")
    OTHER = "other", _("其他")


class Venue(UnitOwned):
    """A cultural venue of ``unit`` with its address, opening hours and capacity."""

    name = models.CharField(_("名称"), max_length=120)
    kind = models.CharField(_("类型"), max_length=10, choices=VenueKind.choices)
    address = models.CharField(_("地址"), max_length=200)
    opening_hours = models.CharField(_("开放时间"), max_length=200, blank=True)
    capacity = models.PositiveIntegerField(_("容纳人数"), null=True, blank=True)
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    active = models.BooleanField(_("开放中"), default=True)

    class Meta:
        verbose_name = _("文化场馆")
        verbose_name_plural = _("文化场馆")
        ordering = ["kind", "name"]
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="culture_venue_name_per_unit")]

    def __str__(self) -> str:
        return self.name


class EventKind(models.TextChoices):
    PERFORMANCE = "performance", _("文艺演出")
    COUNTRYSIDE = "countryside", _("送文化下乡")
    STAGE = "stage", _("百姓文化大舞台")
    STUDY_TRIP = "study_trip", _("研学活动")
    READING = "reading", _("阅读推广")
    EXHIBITION = "exhibition", _("展览")
    LECTURE = "lecture", _("讲座培训")
    OTHER = "other", _("其他")


class EventStatus(models.TextChoices):
    PLANNED = "planned", _("已安排")
    HELD = "held", _("已举办")
    CANCELLED = "cancelled", _("已取消")


class Event(UnitOwned):
    """A cultural event organised by ``unit``: at a venue or an address, in a series or on its own,
    once held with its audience. Units record their own; the district sees all."""

    series = models.ForeignKey(
        Series, verbose_name=_("所属系列"), on_delete=models.PROTECT, null=True, blank=True, related_name="events"
    )
    association = models.ForeignKey(
        "culture.Association",
        verbose_name=_("承办协会"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
    )
    title = models.CharField(_("活动名称"), max_length=150)
    kind = models.CharField(_("类型"), max_length=12, choices=EventKind.choices)
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    venue = models.ForeignKey(
        Venue, verbose_name=_("场馆"), on_delete=models.PROTECT, null=True, blank=True, related_name="events"
    )
    address = models.CharField(_("地点"), max_length=200, blank=True)
    audience = models.PositiveIntegerField(_("参与群众人数"), null=True, blank=True)
    performers = models.CharField(_("演职人员或主讲"), max_length=300, blank=True)
    summary = models.TextField(_("活动情况"), blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=EventStatus.choices, default=EventStatus.PLANNED)
    cancel_reason = models.CharField(_("取消原因"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("文化活动")
        verbose_name_plural = _("文化活动")
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["starts_at"], name="culture_event_start_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="culture_event_ends_after"),
            models.CheckConstraint(condition=~Q(venue=None, address=""), name="culture_event_has_a_place"),
            models.CheckConstraint(
                condition=~Q(status="held") | Q(audience__isnull=False), name="culture_held_event_has_audience"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class EventPhoto(models.Model):
    """A photo of an event (checked and re-encoded without EXIF by ``core.photos``)."""

    event = models.ForeignKey(Event, verbose_name=_("文化活动"), on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("照片"), upload_to="culture/events/%Y/%m/")
    caption = models.CharField(_("说明"), max_length=100, blank=True)
    uploaded_at = models.DateTimeField(_("上传时间"))

    scope_unit_path = "event__unit__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("活动照片")
        verbose_name_plural = _("活动照片")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.caption or self.image.name


class EventLink(models.Model):
    """A video or report of an event published elsewhere (an https link and where it is)."""

    event = models.ForeignKey(Event, verbose_name=_("文化活动"), on_delete=models.CASCADE, related_name="links")
    url = models.URLField(_("链接"), max_length=500)
    title = models.CharField(_("标题"), max_length=150, blank=True)
    platform = models.CharField(_("平台"), max_length=40, blank=True)

    scope_unit_path = "event__unit__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("活动视频或报道链接")
        verbose_name_plural = _("活动视频或报道链接")

    def __str__(self) -> str:
        return self.title or self.url
