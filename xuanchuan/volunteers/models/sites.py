"""Where New-Era Civilisation Practice happens and who does it: the practice centre (district),
institutes (streets/towns) and stations (communities/villages) on the unit tree, the service brands
(理论宣讲, 道德信贷, 孝善 …) and the volunteer teams with their members."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from xuanchuan.org.models import UnitOwned
from xuanchuan.org.scoping import ScopedManager


class SiteLevel(models.TextChoices):
    CENTRE = "centre", _("新时代文明实践中心")
    INSTITUTE = "institute", _("新时代文明实践所")
    STATION = "station", _("新时代文明实践站")


class PracticeSite(UnitOwned):
    """A practice centre, institute or station: ``unit`` is the district, street/town or
    community/village it serves (one site per unit). ``show_ranking`` is the staff's choice to show
    the good-deed points ranking of the community publicly (off unless chosen)."""

    level = models.CharField(_("层级"), max_length=12, choices=SiteLevel.choices)
    name = models.CharField(_("名称"), max_length=100)
    address = models.CharField(_("地址"), max_length=200)
    opening_hours = models.CharField(_("开放时间"), max_length=200, blank=True)
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    description = models.TextField(_("简介"), blank=True)
    show_ranking = models.BooleanField(_("公开积分排行"), default=False)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("文明实践阵地")
        verbose_name_plural = _("文明实践阵地")
        ordering = ["unit__path"]
        constraints = [models.UniqueConstraint(fields=["unit"], name="volunteers_one_site_per_unit")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("volunteers:site_detail", args=[self.pk])

    @property
    def state_label(self) -> str:
        return str(_("启用") if self.active else _("停用"))


class Brand(UnitOwned):
    """A service brand of civilisation practice (十大文明实践品牌: 理论宣讲, 道德信贷, 孝善矩阵 …)."""

    name = models.CharField(_("品牌名称"), max_length=60)
    description = models.TextField(_("简介"), blank=True)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("文明实践品牌")
        verbose_name_plural = _("文明实践品牌")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="volunteers_brand_name_per_unit")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("volunteers:brand_edit", args=[self.pk])

    @property
    def state_label(self) -> str:
        return str(_("启用") if self.active else _("停用"))


class Team(UnitOwned):
    """A volunteer team (志愿服务队) of a unit, optionally under a brand and based at a site."""

    name = models.CharField(_("队伍名称"), max_length=100)
    brand = models.ForeignKey(
        Brand, verbose_name=_("所属品牌"), on_delete=models.PROTECT, null=True, blank=True, related_name="teams"
    )
    site = models.ForeignKey(
        PracticeSite, verbose_name=_("依托阵地"), on_delete=models.PROTECT, null=True, blank=True, related_name="teams"
    )
    description = models.TextField(_("服务内容"), blank=True)
    founded_on = models.DateField(_("成立日期"))
    dissolved_on = models.DateField(_("撤销日期"), null=True, blank=True)
    # Why the team was dissolved (kept with the team, whose members and records stay).
    dissolved_reason = models.CharField(_("撤销原因"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("志愿服务队伍")
        verbose_name_plural = _("志愿服务队伍")
        ordering = ["unit__path", "name"]
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="volunteers_team_name_per_unit")]
        indexes = [models.Index(fields=["founded_on"], name="volunteers_team_founded_idx")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("volunteers:team_detail", args=[self.pk])

    @property
    def state_label(self) -> str:
        return str(_("已撤销") if self.dissolved_on else _("在册"))


class MemberRole(models.TextChoices):
    LEADER = "leader", _("队长")
    MEMBER = "member", _("队员")


class Membership(models.Model):
    """A volunteer's membership of a team, from ``joined_on`` until ``left_on`` (kept after leaving)."""

    team = models.ForeignKey(Team, verbose_name=_("队伍"), on_delete=models.CASCADE, related_name="memberships")
    volunteer = models.ForeignKey(
        "volunteers.Volunteer", verbose_name=_("志愿者"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("角色"), max_length=10, choices=MemberRole.choices, default=MemberRole.MEMBER)
    joined_on = models.DateField(_("加入日期"))
    left_on = models.DateField(_("退出日期"), null=True, blank=True)

    scope_unit_path = "team__unit__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("队伍成员")
        verbose_name_plural = _("队伍成员")
        constraints = [
            models.UniqueConstraint(
                fields=["team", "volunteer"],
                condition=Q(left_on__isnull=True),
                name="volunteers_one_current_membership",
            )
        ]

    def __str__(self) -> str:
        return f"{self.team} · {self.volunteer_id}"
