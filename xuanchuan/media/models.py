"""Outreach records (section 二 of the year-end report): press coverage, TV and radio programmes
with their episodes, new-media accounts with the posts imported from the platforms' exports, and
publicity campaigns with the material each unit put up."""

from __future__ import annotations

import secrets

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xuanchuan.org.models import Unit, UnitOwned
from xuanchuan.org.scoping import ScopedQuerySet


def upload_path(instance: models.Model, filename: str) -> str:
    """Uploads are stored under a random name (the original name is kept in ``file_name``)."""
    suffix = filename.rsplit(".", 1)[-1].lower()[:5] if "." in filename else "bin"
    return f"media/{timezone.now():%Y/%m}/{secrets.token_hex(12)}.{suffix}"


class Level(models.TextChoices):
    CENTRAL = "central", _("中央")
    PROVINCIAL = "provincial", _("省级")
    MUNICIPAL = "municipal", _("市级")
    DISTRICT = "district", _("区级")


# Levels of the "主流媒体" that 在省、市主流媒体发表新闻稿件 counts.
MAINSTREAM_LEVELS = (Level.CENTRAL, Level.PROVINCIAL, Level.MUNICIPAL)


class CampaignQuerySet(ScopedQuerySet):
    """A campaign run by the district (or a street) is seen by the units below it, which report
    their material for it, as well as by the units above."""

    def scope_q(self, unit_path: str) -> Q:
        steplen = Unit.steplen
        ancestors = [unit_path[:end] for end in range(steplen, len(unit_path) + 1, steplen)]
        return Q(unit__path__in=ancestors) | Q(unit__path__startswith=unit_path)


class Campaign(UnitOwned):
    """A publicity campaign (e.g. 新冠肺炎疫情防控宣传) the units put up material for."""

    name = models.CharField(_("宣传活动"), max_length=100)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"), null=True, blank=True)
    description = models.TextField(_("说明"), blank=True, max_length=2000)

    objects = models.Manager.from_queryset(CampaignQuerySet)()

    class Meta:
        verbose_name = _("宣传活动")
        verbose_name_plural = _("宣传活动")
        ordering = ["-starts_on", "-pk"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("media:campaign_detail", args=[self.pk])


class MaterialKind(models.TextChoices):
    LED = "led", _("LED显示屏")
    BIG_SCREEN = "big_screen", _("大型电子显示屏")
    AD_MACHINE = "ad_machine", _("楼宇广告机")
    BANNER = "banner", _("宣传横幅")
    CAR_STICKER = "car_sticker", _("宣传车贴")
    LEAFLET = "leaflet", _("宣传彩页")
    SMS = "sms", _("短信")


MATERIAL_UNITS = {
    MaterialKind.LED: _("块"),
    MaterialKind.BIG_SCREEN: _("块"),
    MaterialKind.AD_MACHINE: _("台"),
    MaterialKind.BANNER: _("条"),
    MaterialKind.CAR_STICKER: _("条"),
    MaterialKind.LEAFLET: _("份"),
    MaterialKind.SMS: _("条"),
}


class Material(UnitOwned):
    """Material a unit put up for a campaign: how many of one kind, when, with an optional photo."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("宣传活动"), on_delete=models.PROTECT, related_name="materials"
    )
    kind = models.CharField(_("类别"), max_length=20, choices=MaterialKind.choices)
    quantity = models.PositiveIntegerField(_("数量"))
    placed_on = models.DateField(_("日期"))
    note = models.CharField(_("备注"), max_length=200, blank=True)
    photo = models.FileField(_("照片"), upload_to=upload_path, max_length=200, blank=True)

    class Meta:
        verbose_name = _("宣传品投放")
        verbose_name_plural = _("宣传品投放")
        ordering = ["-placed_on", "-pk"]
        indexes = [models.Index(fields=["kind", "placed_on"])]
        constraints = [models.CheckConstraint(condition=Q(quantity__gt=0), name="media_material_quantity_positive")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.quantity}"

    @property
    def measure_unit(self) -> str:
        return str(MATERIAL_UNITS[MaterialKind(self.kind)])


class PressArticle(UnitOwned):
    """A news article about the district that an outlet carried (稿件见报)."""

    title = models.CharField(_("标题"), max_length=200)
    outlet = models.CharField(_("媒体"), max_length=100, help_text=_("如人民日报、省日报、市电视台"))
    level = models.CharField(_("媒体级别"), max_length=12, choices=Level.choices)
    published_on = models.DateField(_("刊播日期"), db_index=True)
    url = models.URLField(_("链接"), max_length=500, blank=True)
    topic = models.CharField(_("主题"), max_length=100, blank=True, help_text=_("如脱贫攻坚、乡村振兴、新时代文明实践"))
    campaign = models.ForeignKey(
        Campaign, verbose_name=_("宣传活动"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    clipping = models.FileField(_("剪报"), upload_to=upload_path, max_length=200, blank=True)
    clipping_name = models.CharField(_("剪报文件名"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("稿件见报")
        verbose_name_plural = _("稿件见报")
        ordering = ["-published_on", "-pk"]
        indexes = [models.Index(fields=["level", "published_on"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("media:article_detail", args=[self.pk])


class ProgrammeKind(models.TextChoices):
    TV = "tv", _("电视")
    RADIO = "radio", _("广播")


class Programme(UnitOwned):
    """A district column on a TV or radio station (e.g. 《纵横×》 on ×广播电视台综合频道)."""

    name = models.CharField(_("栏目"), max_length=100)
    station = models.CharField(_("电台/电视台"), max_length=100)
    channel = models.CharField(_("频道"), max_length=100, blank=True)
    kind = models.CharField(_("类型"), max_length=8, choices=ProgrammeKind.choices, default=ProgrammeKind.TV)

    class Meta:
        verbose_name = _("广播电视栏目")
        verbose_name_plural = _("广播电视栏目")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return f"《{self.name}》"

    def get_absolute_url(self) -> str:
        return reverse("media:programme_detail", args=[self.pk])


class Episode(UnitOwned):
    """One broadcast episode of a programme (owned by the programme's unit)."""

    programme = models.ForeignKey(Programme, verbose_name=_("栏目"), on_delete=models.CASCADE, related_name="episodes")
    aired_on = models.DateField(_("播出日期"), db_index=True)
    title = models.CharField(_("本期标题"), max_length=200)
    duration_minutes = models.PositiveIntegerField(_("时长（分钟）"), null=True, blank=True)
    url = models.URLField(_("链接"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("栏目播出")
        verbose_name_plural = _("栏目播出")
        ordering = ["-aired_on", "-pk"]

    def __str__(self) -> str:
        return self.title


class Platform(models.TextChoices):
    WECHAT = "wechat", _("微信公众号")
    DOUYIN = "douyin", _("抖音")
    WEIBO = "weibo", _("微博")
    KUAISHOU = "kuaishou", _("快手")
    TOUTIAO = "toutiao", _("今日头条")
    CHANNELS = "channels", _("视频号")
    OTHER = "other", _("其他")


class Account(UnitOwned):
    """A new-media account whose statistics are imported (this app's own record of it)."""

    name = models.CharField(_("账号名称"), max_length=100)
    platform = models.CharField(_("平台"), max_length=12, choices=Platform.choices)

    class Meta:
        verbose_name = _("新媒体账号")
        verbose_name_plural = _("新媒体账号")
        ordering = ["platform", "name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "platform", "name"], name="media_account_unique_per_unit")
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_platform_display()}）"

    def get_absolute_url(self) -> str:
        return reverse("media:account_detail", args=[self.pk])


class Post(UnitOwned):
    """One post of an account with its cumulative numbers as of the latest imported export.

    ``key`` identifies the post across exports (WeChat: 发表时间 + the first 30 characters of the
    title; Douyin: 发布时间 + 作品名称), so importing the same file twice changes nothing."""

    account = models.ForeignKey(Account, verbose_name=_("账号"), on_delete=models.CASCADE, related_name="posts")
    platform = models.CharField(_("平台"), max_length=12, choices=Platform.choices)
    key = models.CharField(_("识别键"), max_length=64, editable=False)
    title = models.CharField(_("标题"), max_length=500)
    published_at = models.DateTimeField(_("发布时间"), db_index=True)
    kind = models.CharField(_("体裁"), max_length=30, blank=True)
    reads = models.PositiveBigIntegerField(_("阅读/播放次数"), null=True, blank=True)
    readers = models.PositiveBigIntegerField(_("阅读人数"), null=True, blank=True)
    likes = models.PositiveBigIntegerField(_("点赞"), null=True, blank=True)
    shares = models.PositiveBigIntegerField(_("分享"), null=True, blank=True)
    comments = models.PositiveBigIntegerField(_("评论"), null=True, blank=True)
    favourites = models.PositiveBigIntegerField(_("收藏"), null=True, blank=True)
    follows = models.BigIntegerField(_("带来关注"), null=True, blank=True)
    delivered = models.PositiveBigIntegerField(_("送达人数"), null=True, blank=True)
    completion_rate = models.DecimalField(_("完读/完播率"), max_digits=7, decimal_places=4, null=True, blank=True)
    url = models.URLField(_("链接"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("新媒体发布")
        verbose_name_plural = _("新媒体发布")
        ordering = ["-published_at", "-pk"]
        indexes = [models.Index(fields=["platform", "published_at"])]
        constraints = [models.UniqueConstraint(fields=["account", "key"], name="media_post_unique_key")]

    def __str__(self) -> str:
        return self.title[:60]


class FollowerDay(UnitOwned):
    """A day of an account's follower numbers (WeChat 用户增长)."""

    account = models.ForeignKey(Account, verbose_name=_("账号"), on_delete=models.CASCADE, related_name="follower_days")
    day = models.DateField(_("日期"))
    new = models.PositiveIntegerField(_("新关注人数"), null=True, blank=True)
    cancelled = models.PositiveIntegerField(_("取消关注人数"), null=True, blank=True)
    net = models.IntegerField(_("净增关注人数"), null=True, blank=True)
    cumulative = models.PositiveIntegerField(_("累积关注人数"), null=True, blank=True)

    class Meta:
        verbose_name = _("关注人数")
        verbose_name_plural = _("关注人数")
        ordering = ["-day"]
        constraints = [models.UniqueConstraint(fields=["account", "day"], name="media_follower_day_unique")]

    def __str__(self) -> str:
        return f"{self.account_id} {self.day}"


class ImportKind(models.TextChoices):
    WECHAT_ARTICLES = "wechat_articles", _("微信公众号·已通知内容")
    WECHAT_USERS = "wechat_users", _("微信公众号·用户增长")
    DOUYIN_WORKS = "douyin_works", _("抖音·作品数据")


class ImportLog(UnitOwned):
    """Who imported which export file when, and what it changed."""

    account = models.ForeignKey(Account, verbose_name=_("账号"), on_delete=models.CASCADE, related_name="imports")
    kind = models.CharField(_("文件类型"), max_length=20, choices=ImportKind.choices)
    file_name = models.CharField(_("文件名"), max_length=200)
    rows_added = models.PositiveIntegerField(_("新增"), default=0)
    rows_updated = models.PositiveIntegerField(_("更新"), default=0)
    rows_unchanged = models.PositiveIntegerField(_("未变"), default=0)

    class Meta:
        verbose_name = _("导入记录")
        verbose_name_plural = _("导入记录")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.file_name


__all__ = [
    "MAINSTREAM_LEVELS",
    "Account",
    "Campaign",
    "Episode",
    "FollowerDay",
    "ImportKind",
    "ImportLog",
    "Level",
    "Material",
    "MaterialKind",
    "Platform",
    "Post",
    "PressArticle",
    "Programme",
    "ProgrammeKind",
]
