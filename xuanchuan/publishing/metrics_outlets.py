"""Figures of the outlet registry for the report (section 六: 全区登记网站和政务新媒体×个; section
二: 开设“新时代文明实践”等专题专栏×个)."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Max, Q, QuerySet
from django.db.models.functions import TruncDate

from xuanchuan.org.models import Unit
from xuanchuan.publishing.models import Column, Outlet, OutletKind, OutletPost, Publication, PublicationStatus
from xuanchuan.reports.registry import Measure, Period, figure


def _open_at(day: date, unit: Unit | None) -> QuerySet:
    """Outlets registered on or before ``day`` (their opening day, else the day they were entered)
    and not closed by then."""
    registered = Q(registered_on__lte=day) | Q(registered_on__isnull=True, created_at__date__lte=day)
    still_open = Q(closed_on__isnull=True) | Q(closed_on__gt=day)
    return Outlet.objects.within(unit).filter(registered & still_open)


@figure(
    "publishing.outlets_registered",
    label="登记的网站和政务新媒体数",
    unit="个",
    synonyms=("网站和政务新媒体", "网站及政务新媒体", "政务网站和新媒体", "政务新媒体", "公众号", "新媒体平台"),
)
def outlets_registered(period: Period, unit: Unit | None) -> QuerySet:
    """期末登记在册、未关停的网站和政务新媒体账号（谁开办、谁主管）。"""
    return _open_at(period.end, unit)


@figure(
    "publishing.newmedia_accounts",
    label="政务新媒体账号数",
    unit="个",
    synonyms=("政务新媒体账号", "新媒体账号", "微信公众号、微博、抖音", "政务微博", "政务抖音号"),
)
def newmedia_accounts(period: Period, unit: Unit | None) -> QuerySet:
    """期末登记在册、未关停的政务新媒体账号（网站以外的微信公众号、微博、抖音等）。"""
    return _open_at(period.end, unit).exclude(kind=OutletKind.WEBSITE)


def _last_update_by(outlets: list[Outlet], day: date) -> dict[int, date]:
    """The day each outlet last published something on or before ``day``: from the items published
    through the platform and the publishing log, and from ``last_published_on`` when it is not later."""
    ids = [outlet.pk for outlet in outlets]
    latest: dict[int, date] = {}

    def keep(pk: int, when: date | None) -> None:
        if when is not None and when <= day and (pk not in latest or when > latest[pk]):
            latest[pk] = when

    for outlet in outlets:
        keep(outlet.pk, outlet.last_published_on)
    through = Publication.outlets.through.objects.filter(
        outlet_id__in=ids,
        publication__status__in=(PublicationStatus.PUBLISHED, PublicationStatus.TAKEN_DOWN),
        publication__published_at__date__lte=day,
    )
    for pk, when in (
        through.values("outlet_id")
        .annotate(last=Max(TruncDate("publication__published_at")))
        .values_list("outlet_id", "last")
    ):
        keep(pk, when)
    posts = OutletPost.objects.filter(outlet_id__in=ids, published_on__lte=day)
    for pk, when in posts.values("outlet_id").annotate(last=Max("published_on")).values_list("outlet_id", "last"):
        keep(pk, when)
    return latest


def stale_at(day: date, unit: Unit | None) -> QuerySet:
    """Outlets open and active on ``day`` that had published nothing within their update period
    before it. Where nothing is known on or before ``day`` but the outlet published later, it is
    not counted (its history before then is unknown)."""
    outlets = list(_open_at(day, unit).filter(status="active"))
    latest = _last_update_by(outlets, day)
    stale = []
    for outlet in outlets:
        start = latest.get(outlet.pk)
        if start is None:
            if outlet.last_published_on is not None:
                continue
            start = outlet.registered_on or outlet.created_at.date()
        if start + timedelta(days=outlet.update_period_days) < day:
            stale.append(outlet.pk)
    return Outlet.objects.filter(pk__in=stale)


@figure(
    "publishing.stale_outlets",
    label="长期未更新的网站和政务新媒体数",
    unit="个",
    synonyms=("长期未更新", "未按期更新", "更新不及时", "僵尸账号", "睡眠账号"),
)
def stale_outlets(period: Period, unit: Unit | None) -> Measure:
    """期末（本期未结束时为今天）处于运行中、超过更新周期没有发布内容的网站和政务新媒体。
    状态为“暂停更新”的不计入。"""
    from django.utils import timezone

    day = min(period.end, timezone.localdate())
    records = stale_at(day, unit)
    return Measure(records.count(), records)


@figure(
    "publishing.topic_columns_opened",
    label="开设的专题专栏数",
    unit="个",
    synonyms=("专题专栏", "专栏", "专题栏目", "开设专题"),
    date_field="opened_on",
)
def topic_columns_opened(period: Period, unit: Unit | None) -> QuerySet:
    """期间内在网站和政务新媒体上开设的专题专栏（如“新时代文明实践”“扫黑除恶专项斗争”）。"""
    return Column.objects.within(unit).filter(is_topic=True, opened_on__range=(period.start, period.end))
