"""Demo data of the volunteers app, third part: good-deed points (道德信贷).

The rules of the district (good deeds that earn points, misconduct that loses them), a points shop
at every station and partner merchants in every street with their goods, good-deed claims
(approved, refused, waiting), and each account's ledger: points for confirmed hours at the
configured rate and for approved good deeds, a few deductions, redemptions (confirmed by the
merchant, reserved, expired and given back) and the expiry of points not spent in time.

The ledger is played through in time order per account exactly as the ledger service keeps it:
earned points expire ``VOLUNTEERS_POINTS_EXPIRY_DAYS`` after the day they are entered, spending
takes the oldest first, nothing is spent beyond the balance; so every entry's ``balance_after`` is
the sum of the entries up to it, never negative, and the account's balance the sum of them all.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import accumulate
from typing import Any

from django.conf import settings

from xuanchuan.core.demo import DemoContext, bulk_insert
from xuanchuan.org.models import RoleCode, Unit
from xuanchuan.volunteers.demo_activities import Service
from xuanchuan.volunteers.demo_people import People, at, parents, staff_of
from xuanchuan.volunteers.models import (
    ClaimStatus,
    EntryKind,
    GoodDeedClaim,
    Goods,
    Household,
    Merchant,
    MerchantKind,
    PointEntry,
    PointRule,
    PointsAccount,
    RecordStatus,
    Redemption,
    RedemptionStatus,
    RuleKind,
    SiteLevel,
    Volunteer,
)
from xuanchuan.volunteers.services.ledger import expiry_for

GOOD_DEEDS = (
    ("见义勇为", 20, "公安机关或所在社区证明", 0, False),
    ("拾金不昧", 5, "失主或社区证明", 0, False),
    ("孝老爱亲", 5, "邻里或村组证明", 20, True),
    ("邻里互助", 3, "受助人证明", 15, False),
    ("参与环境整治", 2, "活动照片", 20, True),
    ("无偿献血", 10, "献血证", 20, False),
    ("移风易俗简办婚丧", 10, "村（居）委会证明", 0, True),
    ("家庭卫生评比优秀", 5, "评比记录", 10, True),
)
DEDUCTIONS = (
    ("乱扔垃圾、乱堆乱放", 2, "网格员记录"),
    ("不文明养犬", 3, "网格员记录"),
    ("高价彩礼、大操大办", 10, "村（居）委会记录"),
    ("邻里纠纷不听劝解", 5, "调解记录"),
)
GOODS = (
    ("食用盐一袋", 3),
    ("抽纸一提", 8),
    ("洗洁精一瓶", 10),
    ("毛巾两条", 12),
    ("洗衣液一桶", 20),
    ("大米五公斤", 30),
    ("食用油五升", 45),
    ("理发券", 15),
)
DEEDS_TOLD = ("帮助邻居老人买菜送药", "捡到钱包交还失主", "照料生病的婆婆", "参加村里的巷道清扫", "义务献血")


@dataclass
class Plan:
    """An account's events before they become ledger entries: ``(at, order, kind, amount, extra)``."""

    owner: Volunteer | Household
    unit_id: int
    events: list[tuple[datetime, int, str, int, dict[str, Any]]] = field(default_factory=list)


def seed(ctx: DemoContext, people: People, service: Service) -> None:
    rules = _rules(ctx, people.district)
    merchants, goods = _merchants(ctx, people)
    plans: dict[tuple[str, int], Plan] = {}

    def plan_of(owner: Volunteer | Household) -> Plan:
        key = ("h" if isinstance(owner, Household) else "v", owner.pk)
        if key not in plans:
            plans[key] = Plan(owner, owner.unit_id)
        return plans[key]

    _hours(ctx, service, plan_of)
    claims = _claims(ctx, people, rules, plan_of)
    _deductions(ctx, people, rules, plan_of)
    redemptions = _redemptions(ctx, people, goods, plans, plan_of)
    accounts, entries, kept = _play(ctx, plans)
    bulk_insert(PointsAccount, accounts)
    for claim in claims:
        claim.account = claim.account_plan.account
    bulk_insert(GoodDeedClaim, claims)
    kept_redemptions = [redemption for redemption in redemptions if id(redemption) in kept]
    for redemption in kept_redemptions:
        redemption.account = redemption.account_plan.account
    bulk_insert(Redemption, kept_redemptions)
    for entry in entries:
        # The accounts, claims and redemptions have their keys now: copy them to the entries (the
        # fast insert reads the ``_id`` columns only).
        entry.account_id = entry.account.pk
        entry.claim_id = entry.claim.pk if entry.claim is not None else None
        entry.redemption_id = entry.redemption.pk if entry.redemption is not None else None
    bulk_insert(PointEntry, entries, keep_ids=False)
    ctx.shared["volunteers_merchants"] = merchants
    ctx.log(
        f"积分规则 {len(rules)} 条，兑换点 {len(merchants)} 个、物品 {len(goods)} 种，积分账户 {len(accounts)} 个，"
        f"积分明细 {len(entries)} 条，好人好事申报 {len(claims)} 件，兑换 {len(kept_redemptions)} 次"
    )


def _rules(ctx: DemoContext, district: Unit) -> list[PointRule]:
    author = staff_of(ctx, district)
    made = at(date(ctx.years[0] - 1, 2, 10))
    rows = [
        PointRule(
            unit=district, created_by=author, created_at=made, kind=RuleKind.GOOD_DEED, name=name, points=points,
            evidence=evidence, yearly_cap=cap, for_households=households,
        )
        for name, points, evidence, cap, households in GOOD_DEEDS
    ] + [
        PointRule(
            unit=district, created_by=author, created_at=made, kind=RuleKind.DEDUCTION, name=name, points=points,
            evidence=evidence,
        )
        for name, points, evidence in DEDUCTIONS
    ]  # fmt: skip
    bulk_insert(PointRule, rows)
    return rows


def _merchants(ctx: DemoContext, people: People) -> tuple[list[Merchant], list[Goods]]:
    """A points shop at every station and two partner merchants in every street; the points clerk
    (``duihuan``) is the staff of the first community's shop, its community worker of the others."""
    clerks = ctx.shared.get("users_by_role", {}).get(RoleCode.POINTS_CLERK) or []
    merchants: list[Merchant] = []
    staff: list[tuple[Merchant, Any]] = []
    for site in people.sites_by_unit.values():
        if site.level != SiteLevel.STATION:
            continue
        merchants.append(
            Merchant(
                unit_id=site.unit_id, created_at=site.created_at, kind=MerchantKind.SHOP,
                name=site.name.replace("新时代文明实践站", "积分超市"), address=site.address,
                opening_hours="每周二、周五 9:00—11:30",
            )
        )  # fmt: skip
    for street in people.streets:
        for name in ("便民超市", "理发店"):
            merchants.append(
                Merchant(
                    unit=street, created_at=at(date(ctx.years[0] - 1, 5, 1)), kind=MerchantKind.PARTNER,
                    name=f"{street.name}{name}", address=f"{street.name}{ctx.rng.randint(1, 99)}号",
                    opening_hours="每天 8:00—21:00",
                )
            )  # fmt: skip
    bulk_insert(Merchant, merchants)
    units = {unit.pk: unit for unit in [*people.grassroots, *people.streets]}
    for merchant in merchants:
        unit = units.get(merchant.unit_id)
        clerk = next((user for user in clerks if user.unit_id == merchant.unit_id), None)
        person = clerk if clerk is not None and merchant.kind == MerchantKind.SHOP else staff_of(ctx, unit)
        if person is not None:
            staff.append((merchant, person))
    Merchant.staff.through.objects.bulk_create(
        [Merchant.staff.through(merchant_id=merchant.pk, user_id=person.pk) for merchant, person in staff]
    )
    goods = []
    for merchant in merchants:
        offered = GOODS[-1:] if merchant.name.endswith("理发店") else ctx.rng.sample(GOODS[:-1], 5)
        for name, points in offered:
            goods.append(
                Goods(
                    unit_id=merchant.unit_id, merchant=merchant, name=name, points=points,
                    stock=ctx.rng.randint(0, 3) if ctx.chance(0.05) else ctx.rng.randint(20, 120),
                )
            )  # fmt: skip
    bulk_insert(Goods, goods)
    return merchants, goods


def _hours(ctx: DemoContext, service: Service, plan_of) -> None:
    """Points for every confirmed record at the configured rate, when its hours were confirmed; a
    correction's extra minutes earn their points when made."""
    rate = settings.VOLUNTEERS_POINTS_PER_HOUR
    cap = settings.VOLUNTEERS_POINTS_MAX_HOURS_PER_ACTIVITY
    if rate <= 0:
        return

    def points(minutes: int) -> int:
        hours = minutes / 60 if not cap else min(minutes / 60, cap)
        return int(hours * rate)

    corrected = {correction.record.pk: correction for correction in service.corrections}
    for record in service.records:
        if record.status != RecordStatus.CONFIRMED:
            continue
        correction = corrected.get(record.pk)
        first_minutes = correction.old_minutes if correction else record.minutes
        when = record.decided_at or record.checked_out_at or record.activity.ends_at
        if amount := points(first_minutes):
            plan_of(record.volunteer).events.append(
                (when, 0, EntryKind.HOURS, amount, {"record": record, "reason": "志愿服务时长确认"})
            )
        if correction and (extra := points(correction.new_minutes) - points(correction.old_minutes)):
            plan_of(record.volunteer).events.append(
                (correction.at, 0, EntryKind.CORRECTION, extra, {"record": record, "reason": correction.reason})
            )


def _claims(ctx: DemoContext, people: People, rules: list[PointRule], plan_of) -> list[GoodDeedClaim]:
    """Good deeds reported over each year: three in four approved (points entered on approval),
    some refused, the latest ones waiting. Household rules score the households of villages."""
    deeds = [rule for rule in rules if rule.kind == RuleKind.GOOD_DEED]
    households = people.households
    volunteers = [volunteer for volunteer in people.volunteers if volunteer.withdrawn_at is None]
    claims = []
    for year in ctx.years:
        for _ in range(ctx.scaled(90, 4000)):
            rule = ctx.rng.choice(deeds)
            owner = ctx.rng.choice(households) if rule.for_households and households else ctx.rng.choice(volunteers)
            happened = ctx.random_date_between(date(year, 1, 1), date(year, 12, 31))
            if isinstance(owner, Volunteer) and happened < owner.created_at.date():
                continue
            reported = at(happened + timedelta(days=ctx.rng.randint(0, 3)), ctx.rng.randint(9, 20))
            decided = at(happened + timedelta(days=ctx.rng.randint(4, 12)), 16)
            if reported > ctx.now:
                continue
            status = ClaimStatus.PENDING if decided > ctx.now else ctx.rng.choice(
                (ClaimStatus.APPROVED, ClaimStatus.APPROVED, ClaimStatus.APPROVED, ClaimStatus.REFUSED)
            )  # fmt: skip
            worker = staff_of(ctx, next(unit for unit in people.grassroots if unit.pk == owner.unit_id))
            claim = GoodDeedClaim(
                unit_id=owner.unit_id,
                created_at=reported,
                created_by=None if isinstance(owner, Volunteer) else worker,
                rule=rule,
                description=ctx.rng.choice(DEEDS_TOLD),
                happened_on=happened,
                by_volunteer=isinstance(owner, Volunteer),
                status=status,
                decided_by=worker if status != ClaimStatus.PENDING else None,
                decided_at=decided if status != ClaimStatus.PENDING else None,
                decision_note="" if status != ClaimStatus.REFUSED else "证明材料不足",
            )
            claim.account_plan = plan_of(owner)
            claims.append(claim)
            if status == ClaimStatus.APPROVED:
                claim.account_plan.events.append(
                    (decided, 1, EntryKind.GOOD_DEED, rule.points, {"claim": claim, "rule": rule, "by": worker,
                                                                     "reason": rule.name})
                )  # fmt: skip
    return claims


def _deductions(ctx: DemoContext, people: People, rules: list[PointRule], plan_of) -> None:
    """A few deductions a year for misconduct, with the rule and a reason (only from what is there)."""
    deductions = [rule for rule in rules if rule.kind == RuleKind.DEDUCTION]
    owners = [*people.households, *people.volunteers[: max(1, len(people.volunteers) // 3)]]
    for year in ctx.years:
        for _ in range(ctx.scaled(15, 600)):
            rule = ctx.rng.choice(deductions)
            owner = ctx.rng.choice(owners)
            when = at(ctx.random_date_between(date(year, 1, 1), date(year, 12, 31)), 15)
            worker = staff_of(ctx, next(unit for unit in people.grassroots if unit.pk == owner.unit_id))
            plan_of(owner).events.append(
                (when, 2, EntryKind.DEDUCTION, -rule.points, {"rule": rule, "by": worker,
                                                             "reason": f"{rule.name}，经劝导仍未改正"})
            )  # fmt: skip


def _redemptions(ctx: DemoContext, people: People, goods: list[Goods], plans: dict, plan_of) -> list[Redemption]:
    """Redemptions at the shop of the volunteer's community or a partner of their street: most
    confirmed by the merchant's scan, some reserved in the last days, some expired (points back)."""
    by_unit: dict[int, list[Goods]] = defaultdict(list)
    for item in goods:
        by_unit[item.unit_id].append(item)
    parent = parents(people)
    hold = timedelta(hours=settings.VOLUNTEERS_REDEMPTION_HOLD_HOURS)
    rows = []
    # Those who have earned points (hours, good deeds) are the ones who come to spend them.
    # Those who have earned most (hours, good deeds) are the ones who come to spend: weighted so.
    earners = [
        (plan.owner, sum(event[3] for event in plan.events if event[3] > 0))
        for plan in plans.values()
        if getattr(plan.owner, "withdrawn_at", None) is None
    ]
    owners = [owner for owner, earned in earners if earned > 0]
    weights = list(accumulate(earned for _owner, earned in earners if earned > 0))
    for year in ctx.years:
        for _ in range(ctx.scaled(150, 9000)):
            owner = ctx.rng.choices(owners, cum_weights=weights)[0]
            offered = by_unit.get(owner.unit_id, []) + by_unit.get(parent.get(owner.unit_id), [])
            offered = [item for item in offered if item.stock > 3]
            if not offered:
                continue
            item = ctx.rng.choice(offered)
            quantity = 1 if ctx.chance(0.85) else 2
            asked = at(ctx.random_date_between(date(year, 2, 1), date(year, 12, 31)), ctx.rng.randint(9, 17))
            if asked > ctx.now:
                continue
            recent = asked > ctx.now - hold
            status = RedemptionStatus.RESERVED if recent else ctx.rng.choice(
                (RedemptionStatus.CONFIRMED,) * 8 + (RedemptionStatus.EXPIRED,)
            )  # fmt: skip
            confirmed = (
                asked + timedelta(hours=ctx.rng.randint(1, 48)) if status == RedemptionStatus.CONFIRMED else None
            )
            redemption = Redemption(
                unit_id=owner.unit_id,
                created_at=asked,
                goods=item,
                quantity=quantity,
                points=item.points * quantity,
                status=status,
                expires_at=asked + hold,
                confirmed_at=min(confirmed, ctx.now) if confirmed else None,
            )
            redemption.account_plan = plan_of(owner)
            plan = redemption.account_plan
            plan.events.append((asked, 3, EntryKind.REDEMPTION, -redemption.points,
                                {"redemption": redemption, "reason": item.name}))  # fmt: skip
            if status == RedemptionStatus.EXPIRED:
                plan.events.append((asked + hold, 4, EntryKind.REFUND, redemption.points,
                                    {"redemption": redemption, "reason": "逾期未核销，积分退回"}))  # fmt: skip
            rows.append(redemption)
    staff = defaultdict(list)
    for through in Merchant.staff.through.objects.filter(merchant__in=[item.merchant for item in goods]):
        staff[through.merchant_id].append(through.user_id)
    for redemption in rows:
        people_there = staff.get(redemption.goods.merchant_id)
        if redemption.status == RedemptionStatus.CONFIRMED and people_there:
            redemption.confirmed_by_id = people_there[0]
    return rows


class _Ledger:
    """One account's ledger as it is played through: the balance, the earned lots not yet spent or
    expired (oldest first) and the entries so far."""

    def __init__(self, account: PointsAccount) -> None:
        self.account = account
        self.balance = 0
        self.lots: list[list[Any]] = []  # [expires_on, points left]
        self.entries: list[PointEntry] = []

    def expire_until(self, day: date) -> None:
        """Points of the lots expiring on or before ``day`` go, each at the start of its day."""
        while self.lots and self.lots[0][0] is not None and self.lots[0][0] <= day:
            expires_on, left = self.lots.pop(0)
            self.balance -= left
            self.entries.append(
                PointEntry(
                    account=self.account, kind=EntryKind.EXPIRY, amount=-left, balance_after=self.balance,
                    reason="积分到期清零", at=at(expires_on, 0, 5),
                )
            )  # fmt: skip

    def spend(self, amount: int) -> None:
        """Take ``amount`` from the oldest lots first."""
        while amount and self.lots:
            take = min(amount, self.lots[0][1])
            self.lots[0][1] -= take
            amount -= take
            if self.lots[0][1] == 0:
                self.lots.pop(0)


def _play(ctx: DemoContext, plans: dict) -> tuple[list[PointsAccount], list[PointEntry], set[int]]:
    """Every account's ledger in time order (see the module docstring). Returns the accounts with
    their balances, the entries, and the ids of the redemptions that went through (one the
    balance could not pay for is left out, with its refund)."""
    accounts, entries, kept = [], [], set()
    for plan in plans.values():
        owner = plan.owner
        account = PointsAccount(
            unit_id=plan.unit_id,
            created_at=min((event[0] for event in plan.events), default=ctx.now),
            volunteer=owner if isinstance(owner, Volunteer) else None,
            household=owner if isinstance(owner, Household) else None,
        )
        plan.account = account
        ledger = _Ledger(account)
        for when, _order, kind, amount, extra in sorted(plan.events, key=lambda event: (event[0], event[1])):
            ledger.expire_until(when.date())
            redemption = extra.get("redemption")
            if amount < 0:
                if -amount > ledger.balance:
                    # No redemption beyond the balance; a deduction never takes an account below zero.
                    continue
                ledger.spend(-amount)
            else:
                if redemption is not None and id(redemption) not in kept:
                    continue  # the refund of a redemption that never was
                ledger.lots.append([expiry_for(when.date()), amount])
            if redemption is not None and kind == EntryKind.REDEMPTION:
                kept.add(id(redemption))
            ledger.balance += amount
            ledger.entries.append(
                PointEntry(
                    account=account,
                    kind=kind,
                    amount=amount,
                    balance_after=ledger.balance,
                    expires_on=expiry_for(when.date()) if amount > 0 else None,
                    record=extra.get("record"),
                    claim=extra.get("claim"),
                    rule=extra.get("rule"),
                    redemption=redemption,
                    reason=extra.get("reason", ""),
                    by=extra.get("by"),
                    at=when,
                )
            )
        ledger.expire_until(ctx.today)
        account.balance = ledger.balance
        accounts.append(account)
        entries.extend(ledger.entries)
    return accounts, entries, kept
