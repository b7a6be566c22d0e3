"""Figures of the outlet registry for the report (section 六: 全区登记网站和政务新媒体×个; section
二: 开设“新时代文明实践”等专题专栏×个)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Max, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from xuanchuan.org.models import Unit
from xuanchuan.publishing.models import (
    Column,
    Outlet,
    OutletKind,
    OutletPost,
    OutletStatus,
    Publication,
    PublicationStatus,
)
from xuanchuan.reports.registry import Measure, Period, figure, shared


def _open_at(day: date, unit: Unit | None) -> QuerySet:
    """Outlets registered on or before ``day`` (their opening day, else the day they were entered)
    and not closed by then."""
    registered = Q(registered_on__lte=day) | Q(registered_on__isnull=True, created_at__date__lte=day)
    still_open = Q(closed_on__isnull=True) | Q(closed_on__gt=day)
    return Outlet.objects.within(unit).filter(registered & still_open)


@dataclass(frozen=True)
class _Row:
    """What the outlet figures read of an outlet (the registry is small: read once per batch)."""

    pk: int
    unit_path: str
    kind: str
    status: str
    opened: date
    closed_on: date | None
    last_published_on: date | None
    period_days: int

    def open_at(self, day: date, unit: Unit | None) -> bool:
        in_unit = unit is None or self.unit_path.startswith(unit.path)
        return in_unit and self.opened <= day and (self.closed_on is None or self.closed_on > day)


def _read_rows() -> list[_Row]:
    fields = ("pk", "unit__path", "kind", "status", "registered_on", "created_at", "closed_on")
    rows = Outlet.objects.order_by().values_list(*fields, "last_published_on", "update_period_days")
    return [
        _Row(pk, path, kind, status, registered or timezone.localdate(created), closed, last, days)
        for pk, path, kind, status, registered, created, closed, last, days in rows
    ]


def _rows_open_at(day: date, unit: Unit | None) -> list[_Row]:
    return [row for row in shared("publishing.outlet_rows", _read_rows) if row.open_at(day, unit)]


@figure(
    "publishing.outlets_registered",
    label="登记的网站和政务新媒体数",
    unit="个",
    synonyms=("网站和政务新媒体", "网站及政务新媒体", "政务网站和新媒体", "政务新媒体", "公众号", "新媒体平台"),
)
def outlets_registered(period: Period, unit: Unit | None) -> Measure:
    """期末登记在册、未关停的网站和政务新媒体账号（谁开办、谁主管）。"""
    return Measure(len(_rows_open_at(period.end, unit)), _open_at(period.end, unit))


@figure(
    "publishing.newmedia_accounts",
    label="政务新媒体账号数",
    unit="个",
    synonyms=("政务新媒体账号", "新媒体账号", "微信公众号、微博、抖音", "政务微博", "政务抖音号"),
)
def newmedia_accounts(period: Period, unit: Unit | None) -> Measure:
    """期末登记在册、未关停的政务新媒体账号（网站以外的微信公众号、微博、抖音等）。"""
    rows = [row for row in _rows_open_at(period.end, unit) if row.kind != OutletKind.WEBSITE]
    return Measure(len(rows), _open_at(period.end, unit).exclude(kind=OutletKind.WEBSITE))


def _history(ids: list[int], day: date) -> dict[int, date]:
    """The day each of these outlets last published something on or before ``day``, from the
    items published through the platform and from the publishing log."""
    latest: dict[int, date] = {}
    through = Publication.outlets.through.objects.filter(
        outlet_id__in=ids,
        publication__status__in=(PublicationStatus.PUBLISHED, PublicationStatus.TAKEN_DOWN),
        publication__published_at__date__lte=day,
    )
    posts = OutletPost.objects.filter(outlet_id__in=ids, published_on__lte=day)
    for found in (
        through.values("outlet_id").annotate(last=Max(TruncDate("publication__published_at"))),
        posts.values("outlet_id").annotate(last=Max("published_on")),
    ):
        for pk, when in found.values_list("outlet_id", "last"):
            if when is not None and (pk not in latest or when > latest[pk]):
                latest[pk] = when
    return latest


def stale_ids_at(day: date, unit: Unit | None) -> list[int]:
    """Outlets open and active on ``day`` that had published nothing within their update period
    before it. Their last update on or before ``day`` is ``last_published_on`` when that is not
    later (the usual case for today: no further query), else the latest item of the publishing
    log before it; where nothing is known on or before ``day`` but the outlet published later,
    it is not counted (its history before then is unknown)."""
    rows = [row for row in _rows_open_at(day, unit) if row.status == OutletStatus.ACTIVE]
    later = [row.pk for row in rows if row.last_published_on is not None and row.last_published_on > day]
    history = _history(later, day) if later else {}
    stale = []
    for row in rows:
        if row.last_published_on is not None and row.last_published_on > day:
            start = history.get(row.pk)
            if start is None:
                continue
        else:
            start = row.last_published_on or row.opened
        if start + timedelta(days=row.period_days) < day:
            stale.append(row.pk)
    return stale


@figure(
    "publishing.stale_outlets",
    label="长期未更新的网站和政务新媒体数",
    unit="个",
    synonyms=("长期未更新", "未按期更新", "更新不及时", "僵尸账号", "睡眠账号"),
)
def stale_outlets(period: Period, unit: Unit | None) -> Measure:
    """期末（本期未结束时为今天）处于运行中、超过更新周期没有发布内容的网站和政务新媒体。
    状态为“暂停更新”的不计入。"""
    ids = stale_ids_at(min(period.end, timezone.localdate()), unit)
    return Measure(len(ids), Outlet.objects.filter(pk__in=ids))


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
