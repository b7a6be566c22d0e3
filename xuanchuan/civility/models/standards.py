"""The assessment standard: a versioned list of problem categories (市容环境, 集贸市场, 公共设施 …),
each with its default severity and deadline, and the places inspectors check."""

from __future__ import annotations

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xuanchuan.org.models import Unit, UnitOwned, User
from xuanchuan.org.scoping import ScopedManager, ScopedQuerySet


class Severity(models.TextChoices):
    """How serious a problem is; a serious one gets a shorter deadline (``deadlines.py``)."""

    MINOR = "minor", _("一般")
    MAJOR = "major", _("较重")
    SEVERE = "severe", _("严重")


class Standard(models.Model):
    """One version of the category list (e.g. 《全国文明城市测评体系操作手册（2021年版）》 as the
    district applies it). Exactly one version is current; older ones stay for old problems."""

    name = models.CharField(_("名称"), max_length=100)
    version = models.CharField(_("版本"), max_length=30)
    effective_from = models.DateField(_("启用日期"), default=timezone.localdate)
    is_current = models.BooleanField(_("当前版本"), default=False)
    note = models.TextField(_("说明"), blank=True)
    created_by = models.ForeignKey(
        User, verbose_name=_("创建人"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        verbose_name = _("测评标准版本")
        verbose_name_plural = _("测评标准版本")
        ordering = ["-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["version"], name="civility_standard_unique_version"),
            models.UniqueConstraint(
                fields=["is_current"], condition=models.Q(is_current=True), name="civility_one_current_standard"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.version}）"


class Category(models.Model):
    """A problem type of a standard version: its group (市容环境 …), default severity and the days a
    unit has to rectify it (calendar days; ``immediate`` problems get 1 day whatever the category)."""

    standard = models.ForeignKey(
        Standard, verbose_name=_("标准版本"), on_delete=models.CASCADE, related_name="categories"
    )
    code = models.CharField(_("代码"), max_length=30)
    name = models.CharField(_("名称"), max_length=60)
    group = models.CharField(
        _("大类"), max_length=30, help_text=_("如 市容环境、集贸市场、公共设施、交通秩序、公益广告")
    )
    default_severity = models.CharField(
        _("默认严重程度"), max_length=10, choices=Severity.choices, default=Severity.MINOR
    )
    deadline_days = models.PositiveSmallIntegerField(_("整改期限（天）"), default=3)
    description = models.TextField(_("说明"), blank=True)
    position = models.PositiveSmallIntegerField(_("排序"), default=100)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("问题类别")
        verbose_name_plural = _("问题类别")
        ordering = ["standard", "position", "code"]
        constraints = [models.UniqueConstraint(fields=["standard", "code"], name="civility_category_unique_code")]

    def __str__(self) -> str:
        return self.name


class PlaceKind(models.TextChoices):
    """Places of the assessment's field visits (实地考察点位)."""

    ROAD_MAIN = "ROAD_MAIN", _("主次干道")
    ST_COMM = "ST_COMM", _("商业大街")
    ALLEY = "ALLEY", _("背街小巷")
    COMMUNITY = "COMMUNITY", _("社区")
    ESTATE = "ESTATE", _("小区")
    MARKET = "MARKET", _("农贸/集贸市场")
    PARK = "PARK", _("公园")
    SQUARE = "SQUARE", _("公共广场")
    TOILET = "TOILET", _("室外公厕")
    WINDOW = "WINDOW", _("窗口单位/政务大厅/银行网点")
    MALL = "MALL", _("商场超市")
    HOTEL = "HOTEL", _("宾馆酒店")
    HOSPITAL = "HOSPITAL", _("医院")
    SCHOOL = "SCHOOL", _("中小学校及周边")
    BUS = "BUS", _("公交站点/公交车")
    TAXI = "TAXI", _("出租车")
    JUNCTION = "JUNCTION", _("主要交通路口")
    STATION = "STATION", _("交通场站")
    SITE = "SITE", _("建筑工地")
    SCENIC = "SCENIC", _("景区景点")
    CULTURE = "CULTURE", _("公共文化设施")
    PRACTICE = "PRACTICE", _("新时代文明实践中心")
    FRINGE = "FRINGE", _("城乡接合部")
    TOWN = "TOWN", _("乡镇")


class PlaceQuerySet(ScopedQuerySet):
    """A place is seen by the line of the unit keeping the list (``unit``, the civility office), of
    the unit whose area it lies in, and of the units answering for it."""

    def scope_q(self, unit_path: str) -> Q:
        from xuanchuan.civility.models.responsibility import Assignment

        answering = Assignment.objects.filter(place_id=OuterRef("pk"), unit__path__startswith=unit_path)
        return Q(unit__path__startswith=unit_path) | Q(area__path__startswith=unit_path) | Exists(answering)


class Place(UnitOwned):
    """A street, community, market … that inspectors check. ``unit`` keeps it on the list (the
    civility office); ``area`` is the unit whose area it lies in (a street office, a town); the
    units answering for it are its ``Assignment``s."""

    name = models.CharField(_("名称"), max_length=100)
    area = models.ForeignKey(Unit, verbose_name=_("所在街道（乡镇）"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("点位类型"), max_length=20, choices=PlaceKind.choices)
    address = models.CharField(_("地址或范围"), max_length=200, blank=True)
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    objects = ScopedManager.from_queryset(PlaceQuerySet)()

    class Meta:
        verbose_name = _("点位")
        verbose_name_plural = _("点位")
        ordering = ["unit__path", "kind", "name"]
        constraints = [models.UniqueConstraint(fields=["area", "name"], name="civility_place_unique_name")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("civility:place_detail", args=[self.pk])
