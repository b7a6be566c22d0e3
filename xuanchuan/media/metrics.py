"""Figures of the outreach records for section 二 of the report (在省、市主流媒体发表新闻稿件×多篇,
播出《纵横×》栏目×期, 微信公众号发布信息×多条、点击量达×万人次, 抖音发布短视频×条, and the campaign
material: LED显示屏、大型电子显示屏、楼宇广告机、横幅、车贴、彩页、短信)."""

from __future__ import annotations

from django.db.models import QuerySet, Sum

from xuanchuan.media.models import MAINSTREAM_LEVELS, Episode, Material, MaterialKind, Platform, Post, PressArticle
from xuanchuan.org.models import Unit
from xuanchuan.reports.registry import Measure, Period, figure, shared


@figure(
    "media.press_articles",
    label="在中央和省、市主流媒体发表的新闻稿件",
    unit="篇",
    synonyms=("主流媒体发表新闻稿件", "新闻稿件", "稿件", "见报稿件", "主流媒体", "外宣稿件", "发表稿件"),
    date_field="published_on",
)
def press_articles(period: Period, unit: Unit | None) -> QuerySet:
    """期间内刊播于中央、省级、市级媒体的稿件（不含区级媒体）。"""
    return PressArticle.objects.within(unit).filter(
        level__in=MAINSTREAM_LEVELS, published_on__range=(period.start, period.end)
    )


@figure(
    "media.tv_episodes",
    label="广播电视台播出的栏目期数",
    unit="期",
    synonyms=("栏目", "播出栏目", "电视栏目", "综合频道", "广播电视台", "播出"),
    date_field="aired_on",
)
def tv_episodes(period: Period, unit: Unit | None) -> QuerySet:
    """期间内在广播电视台播出的栏目期数。"""
    return Episode.objects.within(unit).filter(aired_on__range=(period.start, period.end))


def _posts(platform: str, period: Period, unit: Unit | None) -> QuerySet:
    return Post.objects.within(unit).filter(
        platform=platform, published_at__gte=period.start_datetime, published_at__lt=period.end_datetime
    )


def _scope_key(period: Period, unit: Unit | None) -> tuple:
    return (period.start, period.end, unit.pk if unit else None)


def _reads(platform: str, period: Period, unit: Unit | None) -> Measure:
    """The reads (plays) of every platform in one grouped query, shared by the figures of one batch."""

    def read() -> dict[str, int]:
        rows = (
            Post.objects.within(unit)
            .filter(published_at__gte=period.start_datetime, published_at__lt=period.end_datetime)
            .order_by()
            .values_list("platform")
            .annotate(total=Sum("reads"))
        )
        return {name: total or 0 for name, total in rows}

    totals = shared(("media.reads", *_scope_key(period, unit)), read)
    return Measure(totals.get(platform, 0), _posts(platform, period, unit))


@figure(
    "media.wechat_posts",
    label="微信公众号发布信息",
    unit="条",
    synonyms=("微信公众号发布信息", "微信公众号", "公众号", "微信发布", "推文"),
    date_field="published_at",
)
def wechat_posts(period: Period, unit: Unit | None) -> QuerySet:
    """期间内微信公众号发布的文章（按导入的后台数据）。"""
    return _posts(Platform.WECHAT, period, unit)


@figure(
    "media.wechat_reads",
    label="微信公众号文章点击量",
    unit="人次",
    synonyms=("微信点击量", "微信阅读量", "公众号阅读量", "点击量", "阅读量", "阅读次数"),
)
def wechat_reads(period: Period, unit: Unit | None) -> Measure:
    """期间内发布的微信公众号文章的总阅读次数（累计至最近一次导入）。"""
    return _reads(Platform.WECHAT, period, unit)


@figure(
    "media.douyin_videos",
    label="抖音发布短视频",
    unit="条",
    synonyms=("抖音发布短视频", "抖音", "短视频", "抖音作品"),
    date_field="published_at",
)
def douyin_videos(period: Period, unit: Unit | None) -> QuerySet:
    """期间内抖音账号发布的作品（按导入的后台数据）。"""
    return _posts(Platform.DOUYIN, period, unit)


@figure(
    "media.douyin_plays",
    label="抖音短视频点击量",
    unit="人次",
    synonyms=("抖音点击量", "抖音播放量", "短视频播放量", "播放量", "点击量", "播放次数"),
)
def douyin_plays(period: Period, unit: Unit | None) -> Measure:
    """期间内发布的抖音作品的总播放量（累计至最近一次导入）。"""
    return _reads(Platform.DOUYIN, period, unit)


def _material(kind: str, period: Period, unit: Unit | None) -> Measure:
    """Every kind's quantity in one grouped query, shared by the seven figures of one batch."""
    records = Material.objects.within(unit).filter(placed_on__range=(period.start, period.end))

    def read() -> dict[str, int]:
        rows = records.order_by().values_list("kind").annotate(total=Sum("quantity"))
        return {name: total or 0 for name, total in rows}

    totals = shared(("media.material", *_scope_key(period, unit)), read)
    return Measure(totals.get(kind, 0), records.filter(kind=kind))


MATERIAL_FIGURES = (
    ("led_screens", MaterialKind.LED, "LED显示屏", "块", ("LED显示屏", "LED屏", "显示屏", "LED")),
    (
        "big_screens",
        MaterialKind.BIG_SCREEN,
        "大型电子显示屏",
        "块",
        ("大型电子显示屏", "电子显示屏", "电子屏", "大屏"),
    ),
    ("ad_machines", MaterialKind.AD_MACHINE, "楼宇广告机", "台", ("楼宇广告机", "广告机", "楼宇电视")),
    ("banners", MaterialKind.BANNER, "宣传横幅", "条", ("宣传横幅", "横幅", "条幅")),
    ("car_stickers", MaterialKind.CAR_STICKER, "宣传车贴", "条", ("宣传车贴", "车贴")),
    ("leaflets", MaterialKind.LEAFLET, "宣传彩页", "份", ("宣传彩页", "彩页", "宣传单", "传单", "宣传资料")),
    ("sms", MaterialKind.SMS, "宣传短信", "条", ("疫情防控短信", "短信", "宣传短信", "提醒短信")),
)


def _register_material(key: str, kind: str, label: str, unit_word: str, synonyms: tuple[str, ...]) -> None:
    def compute(period: Period, unit: Unit | None) -> Measure:
        return _material(kind, period, unit)

    compute.__doc__ = f"期间内各单位在宣传活动中投放的{label}数量之和。"
    compute.__name__ = key
    figure(f"media.{key}", label=label, unit=unit_word, synonyms=synonyms)(compute)


for _key, _kind, _label, _unit, _synonyms in MATERIAL_FIGURES:
    _register_material(_key, _kind, _label, _unit, _synonyms)
