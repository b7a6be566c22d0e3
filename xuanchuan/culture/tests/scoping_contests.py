"""The contests part's records for the URL walk (``xuanchuan/tests/test_url_scoping.py``): a
competition of 东城街道 with a round, a scored contestant (recommended) and one without a score, a
product campaign with a video. None may reach charlie (西城街道): every object URL given one of
them answers 404."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

COMPETITION = "东城秘密阅读比赛"
ROUND = "东城秘密初赛"
SCORED = "东城秘密选手甲"
UNSCORED = "东城秘密选手乙"
CAMPAIGN = "东城秘密特产代言"
VIDEO = "东城秘密代言短片"

PUBLIC_UNIT_LISTS: dict[str, str] = {}


def create_records(district: Any, people: dict[str, Any]) -> list[str]:
    from django.utils import timezone

    from xuanchuan.culture.tests.factories_contests import (
        make_campaign,
        make_competition,
        make_contestant,
        make_round,
        make_video,
        score,
    )

    competition = make_competition(district.east, title=COMPETITION, next_level="东城秘密市级比赛")
    item = make_round(competition, name=ROUND, held_on=timezone.localdate() - timedelta(days=1))
    scored = make_contestant(competition, name=SCORED, phone="13700004444", organisation="东城秘密书屋")
    score(item, scored, "91.50")
    scored.recommended_at = timezone.now()
    scored.save(update_fields=["recommended_at"])
    make_contestant(competition, name=UNSCORED, phone="13700005555")
    campaign = make_campaign(district.east, title=CAMPAIGN, products="东城秘密玉米")
    make_video(campaign, title=VIDEO, url="https://example.org/v/1", views=321, counted_on=timezone.localdate())
    return [COMPETITION, ROUND, SCORED, UNSCORED, CAMPAIGN, VIDEO, "东城秘密玉米", "东城秘密书屋"]


def arguments(route_name: str, kwargs: tuple[str, ...], district: Any, people: dict[str, Any]) -> list[dict] | None:
    from xuanchuan.culture.models import Competition, Contestant, ProductCampaign, ProductVideo, Round

    names = (
        "competition_detail",
        "competition_edit",
        "round_add",
        "round_edit",
        "scores_edit",
        "contestant_add",
        "contestant_edit",
        "contestant_delete",
        "contestant_recommend",
        "contestant_unrecommend",
        "campaign_detail",
        "campaign_edit",
        "video_add",
        "video_edit",
        "video_reach",
        "video_delete",
    )
    if route_name not in {f"culture:{name}" for name in names}:
        return None
    competition = Competition.objects.filter(title=COMPETITION).order_by("pk").first()
    campaign = ProductCampaign.objects.filter(title=CAMPAIGN).order_by("pk").first()
    if competition is None or campaign is None:
        return None
    item = Round.objects.filter(competition=competition).first()
    scored = Contestant.objects.filter(name=SCORED).first()
    unscored = Contestant.objects.filter(name=UNSCORED).first()
    video = ProductVideo.objects.filter(campaign=campaign).first()
    if route_name.startswith("culture:campaign_") or route_name.startswith("culture:video_"):
        base = {"pk": campaign.pk}
        if "video_pk" in kwargs:
            base["video_pk"] = video.pk
        return [base, {**base, "_method": "post"}]
    base = {"pk": competition.pk}
    if "round_pk" in kwargs:
        base["round_pk"] = item.pk
    if "contestant_pk" in kwargs:
        found = [{**base, "contestant_pk": scored.pk}, {**base, "contestant_pk": unscored.pk}]
        return [*found, *[{**one, "_method": "post"} for one in found]]
    return [base, {**base, "_method": "post"}]
