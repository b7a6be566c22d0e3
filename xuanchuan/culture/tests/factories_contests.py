"""Records the contests part's tests build on: a competition with rounds, contestants and scores, a
product campaign with videos (written directly, not through the services, so each test sets up
exactly what it needs)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone

from xuanchuan.culture.models import Competition, Contestant, ProductCampaign, ProductVideo, Round, Score
from xuanchuan.org.models import Unit


def make_competition(unit: Unit, title: str = "“发现乡村领读员”阅读演讲比赛", year: int | None = None, **fields: Any):
    year = year or timezone.localdate().year
    return Competition.objects.create(unit=unit, title=title, year=year, **fields)


def make_round(competition: Competition, name: str = "初赛", order: int = 1, held_on: date | None = None) -> Round:
    return Round.objects.create(competition=competition, name=name, order=order, held_on=held_on)


def make_contestant(competition: Competition, name: str = "张三", phone: str = "", **fields: Any) -> Contestant:
    return Contestant.objects.create(competition=competition, name=name, phone=phone, **fields)


def score(item: Round, person: Contestant, value: str | Decimal) -> Score:
    return Score.objects.create(round=item, contestant=person, score=Decimal(value))


def make_campaign(unit: Unit, title: str = "我为家乡特产代言", year: int | None = None, **fields: Any):
    year = year or timezone.localdate().year
    fields.setdefault("products", "甜糯玉米")
    return ProductCampaign.objects.create(unit=unit, title=title, year=year, **fields)


def make_video(campaign: ProductCampaign, title: str = "甜糯玉米", published_on: date | None = None, **fields: Any):
    fields.setdefault("platform", "抖音")
    return ProductVideo.objects.create(
        campaign=campaign, title=title, published_on=published_on or timezone.localdate(), **fields
    )
