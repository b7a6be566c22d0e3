"""The ledger core of good-deed points: the only code that writes ``PointEntry`` rows or changes an
account's ``balance``.

Every change goes through ``post``, called inside a transaction with the account row locked
(``lock``), so the balance always equals the sum of the entries and two writers at the same moment
queue on the row instead of both spending the same points. A change that would leave the balance
below zero is refused with "积分不足"; the database's check constraints stand behind that rule.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from xuanchuan.core.services import ServiceError
from xuanchuan.volunteers.models import EntryKind, Household, PointEntry, PointsAccount, Volunteer

# Entries that earn points; they expire ``VOLUNTEERS_POINTS_EXPIRY_DAYS`` after the day they are
# entered (a refund gives spent points back and expires like a new earning).
EARNING_KINDS = frozenset({EntryKind.HOURS, EntryKind.GOOD_DEED, EntryKind.CORRECTION, EntryKind.REFUND})


def expiry_for(day: datetime.date) -> datetime.date | None:
    """The day points earned on ``day`` expire (``None`` when expiry is switched off)."""
    days = settings.VOLUNTEERS_POINTS_EXPIRY_DAYS
    return day + datetime.timedelta(days=days) if days > 0 else None


def lock(account: PointsAccount) -> PointsAccount:
    """The account row again, locked until the surrounding transaction ends (its balance fresh)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("lock() must be called inside transaction.atomic()")
    return PointsAccount.objects.select_for_update().get(pk=account.pk)


def post(
    account: PointsAccount,
    *,
    kind: str,
    amount: int,
    by: Any,
    reason: str,
    at: datetime.datetime | None = None,
    expires_on: datetime.date | None = None,
    record: Any = None,
    claim: Any = None,
    rule: Any = None,
    redemption: Any = None,
) -> PointEntry:
    """Enter ``amount`` points (positive earned, negative spent) on the locked ``account``.

    ``account`` must come from ``lock`` in the caller's transaction: its ``balance`` is then the
    one in the database and nobody else can change it before the commit. Earned points get their
    expiry day unless the caller gives one.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("post() must be called inside transaction.atomic() with the account locked")
    amount = int(amount)
    if amount == 0:
        raise ServiceError(_("积分变动不能为零。"))
    balance = account.balance + amount
    if balance < 0:
        raise ServiceError(_("积分不足"))
    when = at or timezone.now()
    if amount > 0 and kind in EARNING_KINDS and expires_on is None:
        expires_on = expiry_for(timezone.localdate(when))
    if amount < 0:
        expires_on = None
    user = by if getattr(by, "is_authenticated", False) else None
    entry = PointEntry.objects.create(
        account=account,
        kind=kind,
        amount=amount,
        balance_after=balance,
        expires_on=expires_on,
        record=record,
        claim=claim,
        rule=rule,
        redemption=redemption,
        reason=reason[:300],
        by=user,
        at=when,
    )
    PointsAccount.objects.filter(pk=account.pk).update(balance=balance, updated_at=timezone.now())
    account.balance = balance
    return entry


def _get_or_create(owner: dict[str, Any], unit: Any) -> PointsAccount:
    account = PointsAccount.objects.filter(**owner).first()
    if account is not None:
        return account
    try:
        # A savepoint: when another request made the account at the same moment, the unique
        # owner column refuses ours and the other one is read back.
        with transaction.atomic():
            return PointsAccount.objects.create(unit=unit, **owner)
    except IntegrityError:
        return PointsAccount.objects.get(**owner)


def account_for_volunteer(volunteer: Volunteer) -> PointsAccount:
    """The volunteer's own points account (made on first use, in the volunteer's unit)."""
    return _get_or_create({"volunteer": volunteer}, volunteer.unit)


def account_for_household(household: Household) -> PointsAccount:
    """The household's points account (made on first use, in the household's unit)."""
    return _get_or_create({"household": household}, household.unit)


def ledger_problems(account: PointsAccount) -> list[str]:
    """What is wrong with ``account``'s ledger (empty when it is consistent): the balance differs
    from the sum of the entries, or a running balance is wrong or below zero."""
    problems = []
    running = 0
    for entry in (
        PointEntry.objects.filter(account=account)
        .order_by("pk")
        .only(  # scoping: allowed
            "pk", "amount", "balance_after"
        )
    ):
        running += entry.amount
        if running < 0:
            problems.append(f"entry {entry.pk}: running balance {running} < 0")
        if entry.balance_after != running:
            problems.append(f"entry {entry.pk}: balance_after {entry.balance_after} != {running}")
    total = PointEntry.objects.filter(account=account).aggregate(total=Sum("amount"))["total"] or 0
    balance = PointsAccount.objects.filter(pk=account.pk).values_list("balance", flat=True).first()
    if balance != total:
        problems.append(f"balance {balance} != sum of entries {total}")
    return problems


def verify_ledger(account: PointsAccount) -> bool:
    """True when ``account``'s balance equals the sum of its entries and no balance_after in order
    is wrong or negative."""
    return not ledger_problems(account)
