"""Figures of the culture app, contests part (section 五 of the report: 举办“发现乡村领读员”农家书屋
阅读演讲比赛，选拔推荐×名选手参加市上比赛 … 组织开展“我为家乡特产代言”活动，拍摄制作了×部代言短片，
通过学习强国、抖音、快手等平台广泛宣传推介).

Each figure counts the records of its unit and the units below it (``within(unit)``; the district,
``unit=None``, counts all). A competition is counted in a period where one of its rounds was held
in it (once, however many rounds); its contestants with it. A recommendation is counted when it
was made (``recommended_at``), a video when it was published; a campaign where one of its videos
was published in the period. The views are the latest reading of each of those videos.
"""

from __future__ import annotations

from django.db.models import QuerySet, Sum
from django.db.models.functions import Coalesce

from xuanchuan.culture.models import Competition, Contestant, ProductCampaign, ProductVideo, Round
from xuanchuan.org.models import Unit
from xuanchuan.reports.registry import Measure, Period, figure

# The part's figures, in the order of the report's sentence.
KEYS = (
    "culture.competitions",
    "culture.contestants",
    "culture.contestants_recommended",
    "culture.product_campaigns",
    "culture.product_videos",
    "culture.product_video_views",
)


def _held_competitions(period: Period) -> QuerySet:
    # scoping: allowed — a figure's records are filtered by unit with ``within`` by the caller.
    return Round.objects.filter(period.q_date("held_on")).values("competition")


@figure(
    "culture.competitions",
    label="比赛",
    unit="场",
    synonyms=("比赛", "演讲比赛", "阅读比赛", "大赛"),
    description="期间内举行过一轮（初赛、复赛、决赛……按比赛日期）的比赛，每项比赛计一次。",
)
def competitions(period: Period, unit: Unit | None) -> QuerySet:
    """期间内举行的比赛（场）。"""
    return Competition.objects.within(unit).filter(pk__in=_held_competitions(period))


@figure(
    "culture.contestants",
    label="参赛选手",
    unit="名",
    synonyms=("参赛选手", "参赛"),
    description="期间内举行的比赛（见“比赛”）的参赛选手。",
)
def contestants(period: Period, unit: Unit | None) -> QuerySet:
    """期间内举行的比赛的参赛选手（名）。"""
    return Contestant.objects.within(unit).filter(competition__in=_held_competitions(period))


@figure(
    "culture.contestants_recommended",
    label="推荐参加上级比赛的选手",
    unit="名",
    synonyms=("选拔推荐", "推荐选手", "参加市上比赛", "推荐参加"),
    description="期间内被推荐参加上级比赛（如市上比赛）的选手，按推荐的时间计。",
    date_field="recommended_at",
)
def contestants_recommended(period: Period, unit: Unit | None) -> QuerySet:
    """期间内推荐参加上级比赛的选手（名）。"""
    return Contestant.objects.within(unit).filter(period.q_instant("recommended_at"))


def _published_videos(period: Period, unit: Unit | None) -> QuerySet:
    return ProductVideo.objects.within(unit).filter(period.q_date("published_on"))


@figure(
    "culture.product_campaigns",
    label="特产推介活动",
    unit="次",
    synonyms=("特产代言", "代言活动"),
    description="期间内发布过代言短片的特产推介活动（如“我为家乡特产代言”），每项活动计一次。",
)
def product_campaigns(period: Period, unit: Unit | None) -> QuerySet:
    """期间内发布短片的特产推介活动（次）。"""
    # scoping: allowed — the videos are the period's; the campaigns are limited to the unit here.
    published = ProductVideo.objects.filter(period.q_date("published_on")).values("campaign")
    return ProductCampaign.objects.within(unit).filter(pk__in=published)


@figure(
    "culture.product_videos",
    label="特产代言短片",
    unit="部",
    synonyms=("代言短片", "短片", "宣传片"),
    description="期间内发布的特产代言短片（同一短片发在几个平台上，按登记的条数计）。",
    date_field="published_on",
)
def product_videos(period: Period, unit: Unit | None) -> QuerySet:
    """期间内发布的特产代言短片（部）。"""
    return _published_videos(period, unit)


@figure(
    "culture.product_video_views",
    label="代言短片播放量",
    unit="次",
    synonyms=("播放量", "浏览量", "点击量"),
    description="期间内发布的特产代言短片的播放量合计（各短片最近一次统计的数字）。",
)
def product_video_views(period: Period, unit: Unit | None) -> Measure:
    """期间内发布的代言短片的播放量合计（次）。"""
    videos = _published_videos(period, unit)
    return Measure(videos.aggregate(total=Coalesce(Sum("views"), 0))["total"], videos)
