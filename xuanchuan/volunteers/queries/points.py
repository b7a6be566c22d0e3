"""Reads of the points part for pages: accounts and their ledgers, the volunteer's phone summary,
the shop, the claims queue and rankings. Staff reads go through ``visible_to``; the phone's reads
are of the signed-in volunteer's own account; names are masked everywhere."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet, Sum
from django.utils import timezone

from xuanchuan.core.pii import masked
from xuanchuan.org.models import Unit
from xuanchuan.volunteers.models import (
    ClaimStatus,
    EntryKind,
    GoodDeedClaim,
    Goods,
    PointEntry,
    PointsAccount,
    Redemption,
    RedemptionStatus,
    Volunteer,
)
from xuanchuan.volunteers.services.points import expiring_amount
from xuanchuan.volunteers.services.shop import street_of

EXPIRY_NOTICE_DAYS = 30
PHONE_ENTRIES = 50
RANKING_SIZE = 20
# Kinds that count as points earned in a ranking (refunds only give back what was spent).
EARNED_KINDS = (EntryKind.HOURS, EntryKind.GOOD_DEED, EntryKind.CORRECTION)


def owner_label(account: PointsAccount) -> str:
    """Who holds the account, masked: ``张*（ZY…）`` or ``户 3-2（赵*）``."""
    if account.volunteer_id:
        return f"{masked(account.volunteer, 'name')}（{account.volunteer.number}）"
    return f"户 {account.household.number}（{masked(account.household, 'head_name')}）"


def accounts(user: Any) -> QuerySet[PointsAccount]:
    return PointsAccount.objects.visible_to(user).select_related("volunteer", "household", "unit")


def entries(account: PointsAccount) -> QuerySet[PointEntry]:
    """The account's ledger, newest first."""
    return (
        PointEntry.objects.filter(account=account)  # scoping: allowed — the account was read through visible_to.
        .select_related("by")
        .order_by("-pk")
    )


@dataclass
class Ledger:
    """An account on the phone: its balance, what expires soon and the latest entries."""

    account: PointsAccount | None
    balance: int = 0
    expiring: int = 0
    expiring_by: datetime.date | None = None
    entries: list[PointEntry] = field(default_factory=list)


def _ledger(account: PointsAccount | None) -> Ledger:
    if account is None:
        return Ledger(None)
    by = timezone.localdate() + datetime.timedelta(days=EXPIRY_NOTICE_DAYS)
    return Ledger(account, account.balance, expiring_amount(account, by), by, list(entries(account)[:PHONE_ENTRIES]))


@dataclass
class PhonePoints:
    mine: Ledger
    household: Ledger
    reserved: list[Redemption]


def phone_points(volunteer: Volunteer) -> PhonePoints:
    """The volunteer's own ledger, their household's (if they belong to one) and their redemptions
    waiting for the merchant."""
    mine = PointsAccount.objects.filter(volunteer=volunteer).first()  # scoping: allowed — their own account.
    household = None
    if volunteer.household_id:
        household = PointsAccount.objects.filter(household_id=volunteer.household_id).first()  # scoping: allowed
    reserved = []
    if mine is not None:
        reserved = list(
            Redemption.objects.filter(account=mine, status=RedemptionStatus.RESERVED)  # scoping: allowed — own.
            .select_related("goods__merchant")
            .order_by("-pk")
        )
    return PhonePoints(_ledger(mine), _ledger(household), reserved)


@dataclass
class ShopItem:
    goods: Goods
    affordable: bool


def shop(volunteer: Volunteer) -> tuple[int, list[ShopItem]]:
    """Active goods of active merchants in the volunteer's street, and the balance they can spend."""
    account = PointsAccount.objects.filter(volunteer=volunteer).first()  # scoping: allowed — their own account.
    balance = account.balance if account else 0
    street = street_of(volunteer.unit)
    goods = (
        Goods.objects.within(street)  # scoping: allowed — the street's offer is shown to its residents.
        .filter(active=True, merchant__active=True)
        .select_related("merchant")
        .order_by("points", "name")
    )
    return balance, [ShopItem(item, item.stock > 0 and item.points <= balance) for item in goods]


def pending_claims(user: Any) -> QuerySet[GoodDeedClaim]:
    return (
        GoodDeedClaim.objects.visible_to(user)
        .filter(status=ClaimStatus.PENDING)
        .select_related("rule", "account__volunteer", "account__household", "unit", "created_by")
        .order_by("created_at")
    )


def claims_to_decide_count(user: Any) -> int:
    """Pending claims the user may decide (not the ones they entered themselves)."""
    return pending_claims(user).exclude(created_by=user).count()


@dataclass
class RankingRow:
    place: int
    label: str
    points: int


def ranking(unit: Unit, start: datetime.date, end: datetime.date, *, public: bool = False) -> list[RankingRow]:
    """The community's accounts by points earned from ``start`` to ``end`` (hours, good deeds and
    their corrections), best first. ``public`` shows the masked name only (no volunteer number)."""
    earned = (
        PointEntry.objects.filter(  # scoping: allowed — callers check the unit (staff scope or the site's choice).
            account__unit=unit, kind__in=EARNED_KINDS, at__date__gte=start, at__date__lte=end
        )
        .values("account")
        .annotate(total=Sum("amount"))
        .filter(total__gt=0)
        .order_by("-total", "account")[:RANKING_SIZE]
    )
    totals = {row["account"]: row["total"] for row in earned}
    found = PointsAccount.objects.filter(pk__in=totals).select_related("volunteer", "household")  # scoping: allowed
    by_pk = {account.pk: account for account in found}
    rows = []
    for place, (pk, total) in enumerate(totals.items(), start=1):
        account = by_pk[pk]
        if public:
            label = masked(account.volunteer, "name") if account.volunteer_id else f"户 {account.household.number}"
        else:
            label = owner_label(account)
        rows.append(RankingRow(place, label, total))
    return rows


def expiring_today(user: Any) -> QuerySet[Redemption]:
    """Reserved redemptions whose hold ends today, at merchants the user serves (or in scope)."""
    today = timezone.localdate()
    reserved = Redemption.objects.visible_to(user).filter(
        status=RedemptionStatus.RESERVED, expires_at__date=today
    ) | Redemption.objects.filter(  # scoping: allowed — the merchants the user is a clerk of.
        status=RedemptionStatus.RESERVED, expires_at__date=today, goods__merchant__staff=user
    )
    return reserved.distinct()


def goods_out_of_stock(user: Any) -> QuerySet[Goods]:
    return Goods.objects.visible_to(user).filter(active=True, stock=0)
