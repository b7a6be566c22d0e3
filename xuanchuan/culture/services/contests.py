"""Writes of the contests part: competitions (reading and speech contests …) with their rounds,
contestants (the phone is personal data: encrypted, shown masked), one score per contestant and
round, and the recommendation of contestants to the next level (市上比赛); local-product
promotion campaigns (我为家乡特产代言) with their short videos and the reach each platform reported.

Every service checks the role first (``may_manage_events``), then the unit scope, and writes in one
transaction with the row locked where two people may act on it at once.

The reach of a video (views, likes) is what the platform showed on ``counted_on``: any number
≥ 0 may be entered (platforms do correct their counters downwards, e.g. after removing fraudulent
plays), but the date of the reading is required with it, may not lie before the video was
published nor in the future, and a new reading may not be dated before the one it replaces.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models import Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from xuanchuan.core.pii import register_retention as register_pii_retention
from xuanchuan.core.services import ServiceError, require
from xuanchuan.culture.models import (
    Competition,
    Contestant,
    ProductCampaign,
    ProductVideo,
    Round,
    Score,
    Series,
)
from xuanchuan.culture.permissions import may_manage_events
from xuanchuan.org.models import Unit, User
from xuanchuan.org.scoping import require_visible_unit

MIN_YEAR, MAX_YEAR = 2000, 2100
MAX_SCORE = Decimal("100")
MAX_ROUNDS = 10
MAX_REACH = 10**12
PLATFORMS = ("学习强国", "抖音", "快手", "视频号", "微信公众号", "哔哩哔哩", "微博", "今日头条")
RETENTION_LABEL = "比赛选手的联系电话"
DEFAULT_RETENTION_DAYS = 365


def retention_days() -> int:
    return int(getattr(settings, "CULTURE_CONTESTANT_RETENTION_DAYS", DEFAULT_RETENTION_DAYS))


# --- Retention ------------------------------------------------------------------------------------


def ended_before(day: date) -> models.QuerySet:
    """Competitions that ended before ``day``: the last dated round before it, or, with no dated
    round, the whole year before it (Dec 31 of the year before ``day``'s year at the latest)."""
    # scoping: allowed — the purge of personal data runs for every unit.
    return (
        Competition.objects.annotate(last_held=Max("rounds__held_on"))
        .filter(Q(last_held__lt=day) | Q(last_held__isnull=True, year__lt=day.year))
        .values("pk")
    )


def _contestants_past(cutoff: datetime) -> QuerySet:
    """Contestants of competitions that ended before ``cutoff`` (the retention rule's rows)."""
    ended = ended_before(timezone.localdate(cutoff))
    return Contestant._base_manager.filter(competition__in=ended)


def register_retention() -> None:
    """Erase contestants' phones ``CULTURE_CONTESTANT_RETENTION_DAYS`` (default 365) after their
    competition ended (its last dated round, or Dec 31 of its year): the name, organisation and
    scores stay with the published results. The date is no field of the contestant, so the rule
    selects its rows itself (``core.pii.register_retention(select=...)``)."""
    register_pii_retention(
        Contestant,
        days=retention_days,
        action="erase",
        fields=("phone",),
        label=RETENTION_LABEL,
        select=_contestants_past,
    )


# --- Helpers --------------------------------------------------------------------------------------


def _manage(by: User, unit: Unit) -> None:
    require(may_manage_events(by))
    require_visible_unit(by, unit)


def _text(value: Any) -> str:
    return (value or "").strip()


def _year(value: Any) -> int:
    try:
        year = int(value)
    except (TypeError, ValueError):
        raise ServiceError(_("请填写年度。")) from None
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ServiceError(_("年度应在 %(low)d 到 %(high)d 之间。") % {"low": MIN_YEAR, "high": MAX_YEAR})
    return year


def _series(series: Series | None, by: User) -> Series | None:
    if series is not None and not Series.objects.visible_to(by).filter(pk=series.pk).exists():
        raise ServiceError(_("所选系列活动不在您的单位范围内。"))
    return series


# --- Competitions ---------------------------------------------------------------------------------


@dataclass
class CompetitionInput:
    """What the competition form gives a service (checked again there)."""

    title: str
    year: int
    series: Series | None = None
    next_level: str = ""
    description: str = ""


def _check_competition(data: CompetitionInput, by: User) -> tuple[str, int, Series | None]:
    title = _text(data.title)
    if not title:
        raise ServiceError(_("请填写比赛名称。"))
    return title, _year(data.year), _series(data.series, by)


def create_competition(data: CompetitionInput, *, unit: Unit, by: User) -> Competition:
    """A new competition of ``unit``; rounds and contestants are added on its page."""
    _manage(by, unit)
    title, year, series = _check_competition(data, by)
    with transaction.atomic():
        return Competition.objects.create(
            unit=unit,
            title=title,
            year=year,
            series=series,
            next_level=_text(data.next_level),
            description=_text(data.description),
            created_by=by,
        )


def update_competition(competition: Competition, data: CompetitionInput, *, by: User) -> Competition:
    """Change a competition's title, year, series, next level or description (its unit stays)."""
    _manage(by, competition.unit)
    title, year, series = _check_competition(data, by)
    with transaction.atomic():
        locked = Competition.objects.select_for_update().get(pk=competition.pk)
        locked.title, locked.year, locked.series = title, year, series
        locked.next_level, locked.description = _text(data.next_level), _text(data.description)
        locked.save(update_fields=["title", "year", "series", "next_level", "description", "updated_at"])
    return locked


# --- Rounds ---------------------------------------------------------------------------------------


def save_round(
    competition: Competition, item: Round | None, *, name: str, order: Any = None, held_on: date | None = None, by: User
) -> Round:
    """Add a round (``item`` None; ``order`` defaults to after the last) or change one. Orders are
    unique in a competition; a round's date lies in the competition's year."""
    _manage(by, competition.unit)
    name = _text(name)
    if not name:
        raise ServiceError(_("请填写轮次名称，如初赛、复赛、决赛。"))
    if held_on is not None and held_on.year != competition.year:
        raise ServiceError(_("比赛日期应在比赛的年度（%(year)d 年）内。") % {"year": competition.year})
    taken = ServiceError(_("该比赛已有第 %(order)s 轮，请换一个顺序号。") % {"order": order})
    try:
        with transaction.atomic():
            locked = Competition.objects.select_for_update().get(pk=competition.pk)
            rounds = Round.objects.filter(competition=locked)
            if order in (None, ""):
                order = (rounds.aggregate(top=Max("order"))["top"] or 0) + 1 if item is None else item.order
            try:
                order = int(order)
            except (TypeError, ValueError):
                raise ServiceError(_("顺序应为 1 到 %(max)d 的整数。") % {"max": MAX_ROUNDS}) from None
            if not 1 <= order <= MAX_ROUNDS:
                raise ServiceError(_("顺序应为 1 到 %(max)d 的整数。") % {"max": MAX_ROUNDS})
            taken = ServiceError(_("该比赛已有第 %(order)d 轮，请换一个顺序号。") % {"order": order})
            others = rounds.exclude(pk=item.pk) if item is not None else rounds
            if others.filter(order=order).exists():
                raise taken
            if item is None and rounds.count() >= MAX_ROUNDS:
                raise ServiceError(_("一项比赛最多 %(max)d 轮。") % {"max": MAX_ROUNDS})
            if item is None:
                return Round.objects.create(competition=locked, name=name, order=order, held_on=held_on)
            item = Round.objects.select_for_update().get(pk=item.pk, competition=locked)
            item.name, item.order, item.held_on = name, order, held_on
            item.save(update_fields=["name", "order", "held_on"])
            return item
    except IntegrityError:  # the same order saved a moment ago by someone else
        raise taken from None


# --- Contestants ----------------------------------------------------------------------------------


def save_contestant(
    competition: Competition,
    item: Contestant | None,
    *,
    name: str,
    organisation: str = "",
    phone: str = "",
    by: User,
) -> Contestant:
    """Add a contestant (``item`` None) or change one; the phone is stored encrypted."""
    _manage(by, competition.unit)
    name = _text(name)
    if not name:
        raise ServiceError(_("请填写选手姓名。"))
    with transaction.atomic():
        if item is None:
            return Contestant.objects.create(
                competition=competition, name=name, organisation=_text(organisation), phone=_text(phone)
            )
        locked = Contestant.objects.select_for_update().get(pk=item.pk, competition=competition)
        locked.name, locked.organisation, locked.phone = name, _text(organisation), _text(phone)
        locked.save(update_fields=["name", "organisation", "phone"])
    return locked


def delete_contestant(item: Contestant, *, by: User) -> None:
    """Withdraw a contestant who has no score yet; one with scores is part of the results and stays."""
    _manage(by, item.competition.unit)
    with transaction.atomic():
        locked = Contestant.objects.select_for_update().get(pk=item.pk)
        if Score.objects.filter(contestant=locked).exists():
            raise ServiceError(_("“%(name)s”已有比赛成绩，不能删除。") % {"name": locked.name})
        if locked.recommended_at is not None:
            raise ServiceError(_("“%(name)s”已被推荐参加上级比赛，请先撤销推荐。") % {"name": locked.name})
        locked.delete()


def recommend(item: Contestant, *, by: User) -> Contestant:
    """Recommend a contestant with a score to the competition's next level (now)."""
    _manage(by, item.competition.unit)
    with transaction.atomic():
        locked = Contestant.objects.select_for_update().get(pk=item.pk)
        if locked.recommended_at is not None:
            raise ServiceError(_("“%(name)s”已经推荐过了。") % {"name": locked.name})
        if not Score.objects.filter(contestant=locked).exists():
            raise ServiceError(_("“%(name)s”还没有比赛成绩，不能推荐。") % {"name": locked.name})
        locked.recommended_at = timezone.now()
        locked.save(update_fields=["recommended_at"])
    return locked


def unrecommend(item: Contestant, *, by: User) -> Contestant:
    """Take a recommendation back (a mistake, or the contestant cannot go)."""
    _manage(by, item.competition.unit)
    with transaction.atomic():
        locked = Contestant.objects.select_for_update().get(pk=item.pk)
        if locked.recommended_at is None:
            raise ServiceError(_("“%(name)s”没有被推荐，无需撤销。") % {"name": locked.name})
        locked.recommended_at = None
        locked.save(update_fields=["recommended_at"])
    return locked


# --- Scores ---------------------------------------------------------------------------------------


def score_value(value: Any) -> Decimal | None:
    """A typed score as a number 0–100 with at most two decimals; None for a blank."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise ServiceError(_("成绩“%(value)s”不是数字。") % {"value": value}) from None
    if not number.is_finite() or not Decimal(0) <= number <= MAX_SCORE:
        raise ServiceError(_("成绩应在 0 到 100 之间（“%(value)s”）。") % {"value": value})
    if number != number.quantize(Decimal("0.01")):
        raise ServiceError(_("成绩最多保留两位小数（“%(value)s”）。") % {"value": value})
    return number.quantize(Decimal("0.01"))


def save_scores(item: Round, scores: Mapping[int, Any], *, by: User) -> int:
    """Enter or change the scores of one round at once: ``{contestant id: score}``; a blank score
    removes the one entered before. Only contestants of the round's competition; a round whose
    date is still to come takes no scores. All or nothing: the number of scores saved."""
    competition = item.competition
    _manage(by, competition.unit)
    if item.held_on is not None and item.held_on > timezone.localdate():
        raise ServiceError(_("“%(name)s”的比赛日期还没到，不能录入成绩。") % {"name": item.name})
    cleaned = {int(pk): score_value(value) for pk, value in scores.items()}
    with transaction.atomic():
        Round.objects.select_for_update().get(pk=item.pk)
        # Locked: a contestant withdrawn meanwhile is missing here, one being withdrawn waits.
        locked = Contestant.objects.select_for_update().filter(competition=competition, pk__in=cleaned).order_by("pk")
        known = set(locked.values_list("pk", flat=True))
        if known != set(cleaned):
            raise ServiceError(_("成绩中有不属于本比赛的选手，请刷新页面后重新录入。"))
        existing = {score.contestant_id: score for score in Score.objects.filter(round=item)}
        saved = 0
        for pk, value in cleaned.items():
            current = existing.get(pk)
            if value is None:
                if current is not None:
                    current.delete()
                continue
            saved += 1
            if current is None:
                Score.objects.create(round=item, contestant_id=pk, score=value)
            elif current.score != value:
                current.score = value
                current.save(update_fields=["score"])
    return saved


# --- Product campaigns ----------------------------------------------------------------------------


@dataclass
class CampaignInput:
    title: str
    year: int
    products: str
    description: str = ""


def _check_campaign(data: CampaignInput) -> tuple[str, int, str]:
    title, products = _text(data.title), _text(data.products)
    if not title:
        raise ServiceError(_("请填写活动名称。"))
    if not products:
        raise ServiceError(_("请填写推介的特产。"))
    return title, _year(data.year), products


def create_campaign(data: CampaignInput, *, unit: Unit, by: User) -> ProductCampaign:
    """A new local-product promotion campaign of ``unit``."""
    _manage(by, unit)
    title, year, products = _check_campaign(data)
    with transaction.atomic():
        return ProductCampaign.objects.create(
            unit=unit, title=title, year=year, products=products, description=_text(data.description), created_by=by
        )


def update_campaign(campaign: ProductCampaign, data: CampaignInput, *, by: User) -> ProductCampaign:
    _manage(by, campaign.unit)
    title, year, products = _check_campaign(data)
    with transaction.atomic():
        locked = ProductCampaign.objects.select_for_update().get(pk=campaign.pk)
        locked.title, locked.year, locked.products = title, year, products
        locked.description = _text(data.description)
        locked.save(update_fields=["title", "year", "products", "description", "updated_at"])
    return locked


@dataclass
class VideoInput:
    """What the video form gives a service (checked again there)."""

    title: str
    platform: str
    published_on: date
    url: str = ""
    views: int = 0
    likes: int = 0
    counted_on: date | None = None


def _check_url(url: str) -> str:
    url = _text(url)
    if url:
        parts = urlsplit(url)
        if parts.scheme != "https" or not parts.netloc:
            raise ServiceError(_("链接应以 https:// 开头。"))
    return url


def _check_reach(views: Any, likes: Any, counted_on: date | None, published_on: date) -> tuple[int, int]:
    try:
        views, likes = int(views or 0), int(likes or 0)
    except (TypeError, ValueError):
        raise ServiceError(_("播放量和点赞数应为整数。")) from None
    if not (0 <= views <= MAX_REACH and 0 <= likes <= MAX_REACH):
        raise ServiceError(_("播放量和点赞数应为不小于 0 的整数。"))
    if (views or likes) and counted_on is None:
        raise ServiceError(_("填写播放量或点赞数时，请同时填写统计日期。"))
    if counted_on is not None:
        if counted_on < published_on:
            raise ServiceError(_("统计日期不能早于发布日期。"))
        if counted_on > timezone.localdate():
            raise ServiceError(_("统计日期不能晚于今天。"))
    return views, likes


def save_video(campaign: ProductCampaign, item: ProductVideo | None, data: VideoInput, *, by: User) -> ProductVideo:
    """Add a video to a campaign (``item`` None) or change one; its reach (views, likes) needs the
    date it was read (``counted_on``)."""
    _manage(by, campaign.unit)
    title, platform = _text(data.title), _text(data.platform)
    if not title:
        raise ServiceError(_("请填写短片名称。"))
    if not platform:
        raise ServiceError(_("请选择或填写发布平台。"))
    if data.published_on is None:
        raise ServiceError(_("请填写发布日期。"))
    if data.published_on > timezone.localdate():
        raise ServiceError(_("发布日期不能晚于今天。"))
    url = _check_url(data.url)
    views, likes = _check_reach(data.views, data.likes, data.counted_on, data.published_on)
    fields = {
        "title": title,
        "platform": platform[:40],
        "url": url,
        "published_on": data.published_on,
        "views": views,
        "likes": likes,
        "counted_on": data.counted_on,
    }
    with transaction.atomic():
        if item is None:
            return ProductVideo.objects.create(campaign=campaign, **fields)
        locked = ProductVideo.objects.select_for_update().get(pk=item.pk, campaign=campaign)
        for name, value in fields.items():
            setattr(locked, name, value)
        locked.save(update_fields=list(fields))
    return locked


def update_reach(item: ProductVideo, *, views: Any, likes: Any, counted_on: date | None, by: User) -> ProductVideo:
    """A new reading of a video's reach: any views and likes ≥ 0 (a platform may correct them
    downwards), with the date read, not earlier than the reading it replaces."""
    _manage(by, item.campaign.unit)
    if counted_on is None:
        raise ServiceError(_("请填写统计日期。"))
    with transaction.atomic():
        locked = ProductVideo.objects.select_for_update().get(pk=item.pk)
        views, likes = _check_reach(views, likes, counted_on, locked.published_on)
        if locked.counted_on is not None and counted_on < locked.counted_on:
            raise ServiceError(
                _("统计日期不能早于上次统计的日期（%(day)s）。") % {"day": f"{locked.counted_on:%Y-%m-%d}"}
            )
        locked.views, locked.likes, locked.counted_on = views, likes, counted_on
        locked.save(update_fields=["views", "likes", "counted_on"])
    return locked


def delete_video(item: ProductVideo, *, by: User) -> None:
    _manage(by, item.campaign.unit)
    with transaction.atomic():
        ProductVideo.objects.filter(pk=item.pk).delete()
