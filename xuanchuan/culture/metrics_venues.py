"""Figures of the culture app: venues and what is held there; arts associations and their members
(section 五 of the report: 建成文化阵地×个，其中文化大院×个、农家书屋×个，依托文化阵地开展活动×场次；
美术家协会、书法家协会已经成立，摄影家协会、音乐家协会正在积极筹备).

Each figure counts records of its unit and the units below it (``within(unit)``; the district,
``unit=None``, counts all). Venues and associations are counted as they stood at the period's end;
events in the period, once held.

A venue records whether it is open now, not since when it was closed: a venue closed today is left
out of past periods too (said in the figures' descriptions). An association's founding and
dissolution dates and a member's joining and leaving dates are recorded, so those figures are exact
for past periods.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from xuanchuan.culture.models import Association, AssociationMember, Event, EventStatus, Venue, VenueKind
from xuanchuan.org.models import Unit
from xuanchuan.reports.registry import Period, figure

VENUE_RULE = "期末仍开放、且在期末前已录入的文化场馆（场馆只记录现在是否开放，已关闭的场馆往期也不计入）"


def _open_venues(period: Period, unit: Unit | None) -> QuerySet:
    return Venue.objects.within(unit).filter(active=True, created_at__lt=period.end_datetime)


def _held_events(period: Period, unit: Unit | None) -> QuerySet:
    return Event.objects.within(unit).filter(period.q_instant("starts_at"), status=EventStatus.HELD)


def established_q(period: Period, prefix: str = "") -> Q:
    """Associations established on or before the period's last day and not dissolved by then."""
    return Q(**{f"{prefix}established_on__lte": period.end}) & (
        Q(**{f"{prefix}dissolved_on__isnull": True}) | Q(**{f"{prefix}dissolved_on__gt": period.end})
    )


@figure(
    "culture.venues",
    label="文化场馆",
    unit="个",
    synonyms=("文化阵地", "文化场馆", "图书馆", "博物馆", "文化馆", "基层文化服务中心"),
    description=f"{VENUE_RULE}，含图书馆、博物馆、文化馆、展览馆、文化大院、农家书屋和其他文化阵地。",
)
def venues(period: Period, unit: Unit | None) -> QuerySet:
    """期末开放的文化场馆（个）。"""
    return _open_venues(period, unit)


@figure(
    "culture.courtyards",
    label="文化大院",
    unit="个",
    synonyms=("文化大院",),
    description=f"{VENUE_RULE}中类型为文化大院的。",
)
def courtyards(period: Period, unit: Unit | None) -> QuerySet:
    """期末开放的文化大院（个）。"""
    return _open_venues(period, unit).filter(kind=VenueKind.COURTYARD)


@figure(
    "culture.bookshops",
    label="农家书屋",
    unit="个",
    synonyms=("农家书屋",),
    description=f"{VENUE_RULE}中类型为农家书屋的。",
)
def bookshops(period: Period, unit: Unit | None) -> QuerySet:
    """期末开放的农家书屋（个）。"""
    return _open_venues(period, unit).filter(kind=VenueKind.BOOKSHOP)


@figure(
    "culture.venue_events",
    label="依托文化阵地开展活动",
    unit="场次",
    synonyms=("依托阵地", "阵地活动", "依托文化阵地开展活动"),
    description="期间内已举办、地点为登记的文化场馆的文化活动（按主办单位统计），不含只填写地址的、已安排未举办和已取消的活动。",
    date_field="starts_at",
)
def venue_events(period: Period, unit: Unit | None) -> QuerySet:
    """期间内依托文化阵地开展的活动（场次）。"""
    return _held_events(period, unit).filter(venue__isnull=False)


@figure(
    "culture.associations_established",
    label="已成立的文艺协会",
    unit="个",
    synonyms=("文艺协会", "协会已经成立", "美术家协会", "书法家协会", "已成立的文艺协会"),
    description="成立日期在期末或之前、期末时尚未撤销的文艺协会。",
)
def associations_established(period: Period, unit: Unit | None) -> QuerySet:
    """期末已成立的文艺协会（个）。"""
    return Association.objects.within(unit).filter(established_q(period))


@figure(
    "culture.associations_preparing",
    label="筹备中的文艺协会",
    unit="个",
    synonyms=("正在积极筹备", "筹备", "筹备中的文艺协会"),
    description="期末处于筹备中的文艺协会：期末前已录入（以录入时间为开始筹备的时间），期末时尚未成立、也未撤销。",
)
def associations_preparing(period: Period, unit: Unit | None) -> QuerySet:
    """期末筹备中的文艺协会（个）。"""
    return Association.objects.within(unit).filter(
        Q(established_on__isnull=True) | Q(established_on__gt=period.end),
        Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=period.end),
        created_at__lt=period.end_datetime,
    )


@figure(
    "culture.association_members",
    label="文艺协会会员",
    unit="名",
    synonyms=("会员", "协会会员", "文艺协会会员"),
    description="期末已成立、未撤销的文艺协会中，入会日期在期末或之前、期末时尚未退会的会员（按协会所属单位统计）。",
)
def association_members(period: Period, unit: Unit | None) -> QuerySet:
    """期末已成立的文艺协会的会员（名）。"""
    return AssociationMember.objects.filter(
        established_q(period, "association__"),
        Q(left_on__isnull=True) | Q(left_on__gt=period.end),
        joined_on__lte=period.end,
    ).within(unit)


@figure(
    "culture.association_events",
    label="文艺协会开展活动",
    unit="场次",
    synonyms=("协会开展活动", "文艺协会开展活动", "文艺协会活动"),
    description="期间内已举办、登记了承办协会的文化活动（按主办单位统计）。",
    date_field="starts_at",
)
def association_events(period: Period, unit: Unit | None) -> QuerySet:
    """期间内文艺协会开展的活动（场次）。"""
    return _held_events(period, unit).filter(association__isnull=False)
