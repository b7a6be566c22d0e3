"""The media app's part of the URL scoping walk (``xuanchuan/tests/test_url_scoping.py``)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from xuanchuan.media import services
from xuanchuan.media.models import Account, Campaign, Episode, Level, Material, MaterialKind, PressArticle, Programme

ARTICLE = "东城秘密稿件见报标题"
PROGRAMME = "东城秘密栏目"
EPISODE = "东城秘密一期节目"
ACCOUNT = "东城秘密公众号"
POST = "东城秘密推文标题"
CAMPAIGN = "东城街道自办秘密宣传活动"
NOTE = "东城秘密投放地点"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def create_records(district: Any, people: dict[str, Any]) -> list[str]:
    """bob's street: an article with a clipping, a programme with an episode, an account with an
    imported post, a campaign of its own and material for the district's campaign."""
    bob = people["bob"]
    day = date(2025, 3, 11)
    services.save_article(
        services.ArticleData(ARTICLE, "东城秘密日报", Level.MUNICIPAL, day, url="https://example.org/x"),
        unit=district.east,
        clipping=SimpleUploadedFile("clip.png", PNG, "image/png"),
        by=bob,
    )
    programme = services.create_programme(unit=district.east, name=PROGRAMME, station="东城秘密电视台", by=bob)
    services.add_episode(programme, aired_on=day, title=EPISODE, by=bob)
    account = services.create_account(unit=district.east, name=ACCOUNT, platform="wechat", by=bob)
    export = (
        "内容标题,发表时间,总阅读人数,总阅读次数,总分享人数,总分享次数,阅读后关注人数,送达人数,公众号消息阅读次数,"
        f"送达阅读率,首次分享次数,分享产生阅读次数,首次分享率,每次分享带来阅读次数,阅读完成率,内容url\n"
        f"{POST},20250311,1200,987653,45,60,8,21000,840,0.04,30,310,0.0357,5.1667,0.5821,https://mp.weixin.qq.com/s/S\n"
    )
    services.import_export(account, export.encode(), file_name="东城秘密导出.csv", by=bob)
    own = Campaign.objects.create(unit=district.east, name=CAMPAIGN, starts_on=day, created_by=bob)
    shared = Campaign.objects.create(unit=district.root, name="全区疫情防控宣传", starts_on=day)
    for campaign in (own, shared):
        services.add_material(
            campaign, unit=district.east, kind=MaterialKind.LEAFLET, quantity=987651, placed_on=day, note=NOTE,
            photo=SimpleUploadedFile("p.png", PNG, "image/png"), by=bob,
        )  # fmt: skip
    return [ARTICLE, PROGRAMME, EPISODE, ACCOUNT, POST, CAMPAIGN, NOTE, "987653", "987651", "东城秘密导出"]


def arguments(route_name: str, kwargs: tuple[str, ...], district: Any, people: dict[str, Any]) -> list[dict] | None:
    east = {"unit__path__startswith": district.east.path}
    if route_name.startswith("media:article_"):
        return [{"pk": article.pk} for article in PressArticle.objects.filter(**east)]
    if route_name in ("media:programme_detail", "media:episode_create"):
        return [{"pk": programme.pk} for programme in Programme.objects.filter(**east)]
    if route_name == "media:episode_delete":
        return [{"pk": episode.pk} for episode in Episode.objects.filter(**east)]
    if route_name == "media:account_detail":
        return [{"pk": account.pk} for account in Account.objects.filter(**east)]
    if route_name in ("media:campaign_detail", "media:material_create"):
        return [{"pk": campaign.pk} for campaign in Campaign.objects.filter(**east)]
    if route_name in ("media:material_delete", "media:material_photo"):
        return [{"pk": material.pk} for material in Material.objects.filter(**east)]
    if route_name == "api:media_campaign_totals":
        return [{"campaign_id": campaign.pk} for campaign in Campaign.objects.filter(**east)]
    return None
