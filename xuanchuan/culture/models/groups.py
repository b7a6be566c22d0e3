"""Arts associations (文艺协会: established or in preparation) and their members; competitions
(reading and speech contests …) with their rounds, contestants, scores and who was recommended
to the next level; local-product promotion campaigns (我为家乡特产代言) with their videos and
reach."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xuanchuan.core.pii import EncryptedCharField
from xuanchuan.org.models import UnitOwned
from xuanchuan.org.scoping import ScopedManager


class AssociationStatus(models.TextChoices):
    PREPARING = "preparing", _("筹备中")
    ESTABLISHED = "established", _("已成立")
    DISSOLVED = "dissolved", _("已撤销")


class Association(UnitOwned):
    """An arts association (文艺家协会) of ``unit``; its activities are events pointing at it."""

    name = models.CharField(_("名称"), max_length=120)
    art_form = models.CharField(_("门类"), max_length=60)
    status = models.CharField(
        _("状态"), max_length=12, choices=AssociationStatus.choices, default=AssociationStatus.PREPARING
    )
    established_on = models.DateField(_("成立日期"), null=True, blank=True)
    dissolved_on = models.DateField(_("撤销日期"), null=True, blank=True)
    leader = models.CharField(_("负责人"), max_length=50, blank=True)
    description = models.TextField(_("简介"), blank=True)

    class Meta:
        verbose_name = _("文艺协会")
        verbose_name_plural = _("文艺协会")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="culture_association_name_per_unit"),
            models.CheckConstraint(
                condition=~Q(status="established") | Q(established_on__isnull=False),
                name="culture_established_has_a_date",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class AssociationMember(models.Model):
    """A member of an association; the phone is personal data (encrypted, shown masked)."""

    association = models.ForeignKey(
        Association, verbose_name=_("协会"), on_delete=models.CASCADE, related_name="members"
    )
    name = models.CharField(_("姓名"), max_length=50)
    phone = EncryptedCharField(_("联系电话"), max_length=20, kind="phone", blank=True)
    role = models.CharField(_("职务"), max_length=30, blank=True)
    joined_on = models.DateField(_("入会日期"))
    left_on = models.DateField(_("退会日期"), null=True, blank=True)

    scope_unit_path = "association__unit__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("协会会员")
        verbose_name_plural = _("协会会员")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Competition(UnitOwned):
    """A competition (e.g. “发现乡村领读员”农家书屋阅读演讲比赛) of a year, in rounds; contestants
    recommended to the next level (市上比赛) are counted by the report."""

    title = models.CharField(_("比赛名称"), max_length=150)
    year = models.PositiveSmallIntegerField(_("年度"))
    series = models.ForeignKey(
        "culture.Series", verbose_name=_("所属系列"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    next_level = models.CharField(_("推荐参加"), max_length=120, blank=True)
    description = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("比赛")
        verbose_name_plural = _("比赛")
        ordering = ["-year", "title"]

    def __str__(self) -> str:
        return self.title


class Round(models.Model):
    """A round of a competition (初赛, 复赛, 决赛), in ``order``."""

    competition = models.ForeignKey(
        Competition, verbose_name=_("比赛"), on_delete=models.CASCADE, related_name="rounds"
    )
    name = models.CharField(_("轮次"), max_length=30)
    order = models.PositiveSmallIntegerField(_("顺序"))
    held_on = models.DateField(_("比赛日期"), null=True, blank=True)

    scope_unit_path = "competition__unit__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("比赛轮次")
        verbose_name_plural = _("比赛轮次")
        ordering = ["competition", "order"]
        constraints = [models.UniqueConstraint(fields=["competition", "order"], name="culture_round_order")]

    def __str__(self) -> str:
        return self.name


class Contestant(models.Model):
    """A contestant: the name is published with the results; the phone is personal data.
    ``recommended_at`` is when they were recommended to the competition's next level."""

    competition = models.ForeignKey(
        Competition, verbose_name=_("比赛"), on_delete=models.CASCADE, related_name="contestants"
    )
    name = models.CharField(_("姓名"), max_length=50)
    organisation = models.CharField(_("单位或村（社区）"), max_length=120, blank=True)
    phone = EncryptedCharField(_("联系电话"), max_length=20, kind="phone", blank=True)
    recommended_at = models.DateTimeField(_("推荐时间"), null=True, blank=True)

    scope_unit_path = "competition__unit__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("参赛选手")
        verbose_name_plural = _("参赛选手")
        ordering = ["competition", "name"]

    def __str__(self) -> str:
        return self.name


class Score(models.Model):
    """A contestant's score in a round (one per round)."""

    round = models.ForeignKey(Round, verbose_name=_("轮次"), on_delete=models.CASCADE, related_name="scores")
    contestant = models.ForeignKey(Contestant, verbose_name=_("选手"), on_delete=models.CASCADE, related_name="scores")
    score = models.DecimalField(_("得分"), max_digits=6, decimal_places=2)

    scope_unit_path = "round__competition__unit__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("比赛得分")
        verbose_name_plural = _("比赛得分")
        constraints = [
            models.UniqueConstraint(fields=["round", "contestant"], name="culture_one_score_a_round"),
            models.CheckConstraint(condition=Q(score__gte=0), name="culture_score_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.contestant_id}/{self.round_id}: {self.score}"


class ProductCampaign(UnitOwned):
    """A local-product promotion (我为家乡特产代言) of a year: the products and the short videos."""

    title = models.CharField(_("活动名称"), max_length=150)
    year = models.PositiveSmallIntegerField(_("年度"))
    products = models.CharField(_("推介的特产"), max_length=300)
    description = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("特产推介活动")
        verbose_name_plural = _("特产推介活动")
        ordering = ["-year", "title"]

    def __str__(self) -> str:
        return self.title


class ProductVideo(models.Model):
    """A promotion video published on a platform (学习强国, 抖音, 快手 …) and its reach as the
    platform reported it on ``counted_on``."""

    campaign = models.ForeignKey(
        ProductCampaign, verbose_name=_("特产推介活动"), on_delete=models.CASCADE, related_name="videos"
    )
    title = models.CharField(_("短片名称"), max_length=150)
    platform = models.CharField(_("平台"), max_length=40)
    url = models.URLField(_("链接"), max_length=500, blank=True)
    published_on = models.DateField(_("发布日期"))
    views = models.PositiveBigIntegerField(_("播放量"), default=0)
    likes = models.PositiveBigIntegerField(_("点赞数"), default=0)
    counted_on = models.DateField(_("统计日期"), null=True, blank=True)

    scope_unit_path = "campaign__unit__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("特产推介短片")
        verbose_name_plural = _("特产推介短片")
        ordering = ["-published_on"]

    def __str__(self) -> str:
        return self.title
