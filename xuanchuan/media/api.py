"""The media app's JSON API (mounted at ``/api/media/``): read-only lists of the outreach records
and a campaign's totals per unit, all through ``visible_to``."""

from datetime import date, datetime
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate
from pydantic import Field

from xuanchuan.core.views import visible_or_404
from xuanchuan.media import queries
from xuanchuan.media.models import Campaign, Post, PressArticle

router = Router(tags=["新闻宣传"])

Id = Annotated[int, Field(ge=1, le=2**63 - 1)]
Year = Annotated[int, Field(ge=2000, le=2100)]
# The codes of ``Level`` and ``Platform`` (a test checks they stay the same).
LevelCode = Literal["central", "provincial", "municipal", "district"]
PlatformCode = Literal["wechat", "douyin", "weibo", "kuaishou", "toutiao", "channels", "other"]


class ArticleOut(Schema):
    id: int
    title: str
    outlet: str
    level: str
    published_on: date
    url: str
    topic: str
    unit_id: int


class PostOut(Schema):
    id: int
    account_id: int
    platform: str
    title: str
    published_at: datetime
    reads: int | None
    likes: int | None
    shares: int | None
    comments: int | None


class CampaignOut(Schema):
    id: int
    name: str
    starts_on: date
    ends_on: date | None
    unit_id: int


class UnitTotalsOut(Schema):
    unit_id: int
    unit_name: str
    quantities: dict[str, int]


class CampaignTotalsOut(Schema):
    campaign: CampaignOut
    units: list[UnitTotalsOut]
    totals: dict[str, int]


@router.get("/articles", response=list[ArticleOut], url_name="media_articles", summary="稿件见报")
@paginate
def articles(request: HttpRequest, level: LevelCode | None = None, year: Year | None = None) -> Any:
    rows = PressArticle.objects.visible_to(request.user).order_by("-published_on", "-pk")
    if level:
        rows = rows.filter(level=level)
    if year:
        rows = rows.filter(published_on__year=year)
    return rows


@router.get("/posts", response=list[PostOut], url_name="media_posts", summary="新媒体发布")
@paginate
def posts(request: HttpRequest, platform: PlatformCode | None = None, account: Id | None = None) -> Any:
    rows = Post.objects.visible_to(request.user).order_by("-published_at", "-pk")
    if platform:
        rows = rows.filter(platform=platform)
    if account:
        rows = rows.filter(account_id=account)
    return rows


@router.get("/campaigns", response=list[CampaignOut], url_name="media_campaigns", summary="宣传活动")
@paginate
def campaigns(request: HttpRequest) -> Any:
    return Campaign.objects.visible_to(request.user).order_by("-starts_on", "-pk")


@router.get(
    "/campaigns/{campaign_id}/totals",
    response=CampaignTotalsOut,
    url_name="media_campaign_totals",
    summary="宣传活动各单位投放汇总",
)
def campaign_totals(request: HttpRequest, campaign_id: Id) -> dict:
    campaign = visible_or_404(Campaign, request.user, campaign_id)
    rollup = queries.campaign_rollup(request.user, campaign)
    kinds = [kind for kind, _label, _unit in rollup.kinds]
    return {
        "campaign": campaign,
        "units": [
            {"unit_id": unit.pk, "unit_name": unit.name, "quantities": dict(zip(kinds, values, strict=True))}
            for unit, values in rollup.rows
        ],
        "totals": dict(zip(kinds, rollup.totals, strict=True)),
    }
