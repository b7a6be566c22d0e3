"""Good-deed points: the ledger core, points for hours, rules, claims, deductions, expiry,
households, merchants, redemptions. After every operation the ledger is checked."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from xuanchuan.conftest import make_person
from xuanchuan.core.services import ServiceError
from xuanchuan.org.models import RoleCode
from xuanchuan.volunteers import receivers_points  # noqa: F401 (connects the receivers, as apps.ready does)
from xuanchuan.volunteers.models import (
    ClaimStatus,
    EntryKind,
    Goods,
    MerchantKind,
    PointEntry,
    RecordSource,
    RecordStatus,
    RedemptionStatus,
    RuleKind,
    ServiceRecord,
)
from xuanchuan.volunteers.services import ledger, shop
from xuanchuan.volunteers.services import points as services
from xuanchuan.volunteers.signals import hours_confirmed, hours_corrected
from xuanchuan.volunteers.tests.factories import make_activity, make_project, make_team, make_volunteer

pytestmark = pytest.mark.django_db


def give(account, amount, *, days_ago=0, kind=EntryKind.GOOD_DEED):
    """Points earned ``days_ago`` days ago (their expiry counted from that day)."""
    at = timezone.now() - datetime.timedelta(days=days_ago)
    with transaction.atomic():
        account = ledger.lock(account)
        return ledger.post(
            account,
            kind=kind,
            amount=amount,
            by=None,
            reason="测试",
            at=at,
            expires_on=ledger.expiry_for(timezone.localdate(at)),
        )


def balance(account):
    account.refresh_from_db()
    assert ledger.verify_ledger(account)
    return account.balance


@pytest.fixture
def volunteer(district):
    return make_volunteer(district.east_community, 1, name="张三")


@pytest.fixture
def account(volunteer):
    return ledger.account_for_volunteer(volunteer)


@pytest.fixture
def record(district, volunteer):
    activity = make_activity(make_project(make_team(district.east_community)), hours=3)
    return ServiceRecord.objects.create(
        unit=activity.unit,
        activity=activity,
        volunteer=volunteer,
        source=RecordSource.SCAN,
        status=RecordStatus.CONFIRMED,
        minutes=150,
        served_on=timezone.localdate(),
    )


# ---------------------------------------------------------------- ledger


def test_post_keeps_balance_and_refuses_negative(account):
    give(account, 5)
    with transaction.atomic():
        locked = ledger.lock(account)
        with pytest.raises(ServiceError, match="积分不足"):
            ledger.post(locked, kind=EntryKind.DEDUCTION, amount=-6, by=None, reason="x")
        ledger.post(locked, kind=EntryKind.DEDUCTION, amount=-5, by=None, reason="x")
    assert balance(account) == 0
    assert list(PointEntry.objects.filter(account=account).values_list("balance_after", flat=True)) == [5, 0]


def test_earned_entries_expire_after_the_configured_days(account, settings):
    settings.VOLUNTEERS_POINTS_EXPIRY_DAYS = 10
    entry = give(account, 3)
    assert entry.expires_on == timezone.localdate() + datetime.timedelta(days=10)
    settings.VOLUNTEERS_POINTS_EXPIRY_DAYS = 0
    with transaction.atomic():
        other = ledger.post(ledger.lock(account), kind=EntryKind.GOOD_DEED, amount=1, by=None, reason="x")
    assert other.expires_on is None


def test_one_account_per_volunteer_and_household(volunteer, district, dora):
    assert ledger.account_for_volunteer(volunteer).pk == ledger.account_for_volunteer(volunteer).pk
    household = services.household_create(by=dora, unit=district.east_community, number="1-101", head_name="李四")
    account = ledger.account_for_household(household)
    assert account.pk == ledger.account_for_household(household).pk
    assert account.unit == district.east_community


def test_verify_ledger_and_command_find_a_tampered_balance(account):
    give(account, 5)
    call_command("check_points_ledger", stdout=StringIO())
    type(account).objects.filter(pk=account.pk).update(balance=4)
    assert not ledger.verify_ledger(account)
    out = StringIO()
    with pytest.raises(Exception, match="inconsistent"):
        call_command("check_points_ledger", stdout=out)
    assert f"account {account.pk}" in out.getvalue()


# ---------------------------------------------------------------- hours


def test_confirmed_hours_earn_points_once(record, account, settings, dora):
    settings.VOLUNTEERS_POINTS_PER_HOUR = 10
    settings.VOLUNTEERS_POINTS_MAX_HOURS_PER_ACTIVITY = 0
    hours_confirmed.send(sender=ServiceRecord, record=record, by=dora)
    hours_confirmed.send(sender=ServiceRecord, record=record, by=dora)
    assert balance(account) == 25  # floor(150 × 10 / 60)
    entry = PointEntry.objects.get(account=account)
    assert entry.kind == EntryKind.HOURS and entry.record == record and entry.by == dora


def test_the_ledger_line_gives_the_time_in_hours_and_minutes(record, account, settings):
    # Hours as a decimal read "0.733333小时" on the phone for 44 minutes (seen in the journey test).
    settings.VOLUNTEERS_POINTS_PER_HOUR = 10
    settings.VOLUNTEERS_POINTS_MAX_HOURS_PER_ACTIVITY = 0
    hours_confirmed.send(sender=ServiceRecord, record=record, by=None)
    assert PointEntry.objects.get(account=account).reason == "志愿服务“清洁家园”2小时30分钟"
    assert [services._hours_text(m) for m in (44, 60, 180, 61)] == ["44分钟", "1小时", "3小时", "1小时1分钟"]


def test_hours_cap_and_zero_rate(record, account, settings):
    settings.VOLUNTEERS_POINTS_PER_HOUR = 10
    settings.VOLUNTEERS_POINTS_MAX_HOURS_PER_ACTIVITY = 2
    hours_confirmed.send(sender=ServiceRecord, record=record, by=None)
    assert balance(account) == 20
    assert "最多计2小时" in PointEntry.objects.get(account=account).reason
    assert services.points_for_minutes(59) == 9
    settings.VOLUNTEERS_POINTS_PER_HOUR = 0
    assert services.credit_hours(record, by=None) is None


def test_corrected_hours_post_the_difference_never_below_zero(record, account, settings, volunteer):
    settings.VOLUNTEERS_POINTS_PER_HOUR = 10
    settings.VOLUNTEERS_POINTS_MAX_HOURS_PER_ACTIVITY = 0
    hours_confirmed.send(sender=ServiceRecord, record=record, by=None)
    record.minutes = 180
    hours_corrected.send(sender=ServiceRecord, record=record, old_minutes=150, by=None)
    assert balance(account) == 30
    # Spend most of it, then a reduction larger than what is left takes only what is there.
    with transaction.atomic():
        ledger.post(ledger.lock(account), kind=EntryKind.DEDUCTION, amount=-25, by=None, reason="x")
    record.minutes = 0
    hours_corrected.send(sender=ServiceRecord, record=record, old_minutes=180, by=None)
    assert balance(account) == 0
    last = PointEntry.objects.filter(account=account).last()
    assert last.kind == EntryKind.CORRECTION and last.amount == -5 and "已全部扣除" in last.reason


# ---------------------------------------------------------------- rules and claims


@pytest.fixture
def rule(district, alice):
    return services.rule_create(by=alice, unit=district.east, kind=RuleKind.GOOD_DEED, name="拾金不昧", points=10)


def test_rules_of_units_above_are_usable_and_refusals(district, rule, alice, charlie, dora):
    assert rule in services.usable_rules(district.east_community)
    assert rule not in services.usable_rules(district.west_community)
    with pytest.raises(ServiceError, match="同名"):
        services.rule_create(by=alice, unit=district.east, kind=RuleKind.GOOD_DEED, name="拾金不昧", points=3)
    with pytest.raises(PermissionDenied):
        services.rule_create(by=charlie, unit=district.east, kind=RuleKind.GOOD_DEED, name="x", points=1)
    with pytest.raises(PermissionDenied):
        services.rule_edit(rule, by=dora, points=3)  # a rule of the street above her community


def test_a_rule_in_use_is_deactivated_not_deleted(district, rule, volunteer, alice):
    services.submit_claim(volunteer=volunteer, rule=rule, description="捡到钱包", happened_on=timezone.localdate())
    with pytest.raises(ServiceError, match="不能删除，只能停用"):
        services.rule_delete(rule, by=alice)
    with pytest.raises(ServiceError, match="不能改变类别"):
        services.rule_edit(rule, by=alice, kind=RuleKind.DEDUCTION)
    services.rule_edit(rule, by=alice, active=False)
    unused = services.rule_create(by=alice, unit=district.east, kind=RuleKind.DEDUCTION, name="乱扔垃圾", points=2)
    services.rule_delete(unused, by=alice)


def test_claim_input_rules(district, rule, volunteer, alice):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ServiceError, match="不能晚于今天"):
        services.submit_claim(volunteer=volunteer, rule=rule, description="x", happened_on=tomorrow)
    with pytest.raises(ServiceError, match="请描述"):
        services.submit_claim(volunteer=volunteer, rule=rule, description="  ", happened_on=timezone.localdate())
    west_rule = services.rule_create(by=alice, unit=district.west, kind=RuleKind.GOOD_DEED, name="助人", points=1)
    with pytest.raises(ServiceError, match="不适用"):
        services.submit_claim(volunteer=volunteer, rule=west_rule, description="x", happened_on=timezone.localdate())


def test_approval_by_another_member_of_staff_and_the_yearly_cap(district, volunteer, alice, dora):
    rule = services.rule_create(
        by=alice, unit=district.east, kind=RuleKind.GOOD_DEED, name="助老", points=10, yearly_cap=15
    )
    today = timezone.localdate()
    claims = [
        services.claim_create(by=dora, rule=rule, description=f"第{n}次", happened_on=today, volunteer=volunteer)
        for n in range(3)
    ]
    with pytest.raises(ServiceError, match="不能审核自己录入的申报"):
        services.approve_claim(claims[0], by=dora)
    services.approve_claim(claims[0], by=alice)
    with pytest.raises(ServiceError, match="已审核"):
        services.approve_claim(claims[0], by=alice)
    services.approve_claim(claims[1], by=alice)
    account = ledger.account_for_volunteer(volunteer)
    assert balance(account) == 15
    assert "本次计5分" in PointEntry.objects.filter(account=account).last().reason
    with pytest.raises(ServiceError, match="已达上限15分"):
        services.approve_claim(claims[2], by=alice)
    claims[2].refresh_from_db()
    assert claims[2].status == ClaimStatus.PENDING
    with pytest.raises(ServiceError, match="理由"):
        services.refuse_claim(claims[2], by=alice, note=" ")
    services.refuse_claim(claims[2], by=alice, note="重复申报")
    claims[2].refresh_from_db()
    assert claims[2].status == ClaimStatus.REFUSED and balance(account) == 15


def test_outsider_cannot_approve(rule, volunteer, charlie):
    claim = services.submit_claim(volunteer=volunteer, rule=rule, description="x", happened_on=timezone.localdate())
    with pytest.raises(PermissionDenied):
        services.approve_claim(claim, by=charlie)


def test_household_claims_need_a_household_rule(district, rule, volunteer, alice, dora):
    household = services.household_create(by=dora, unit=district.east_community, number="8", head_name="王五")
    with pytest.raises(ServiceError, match="不计入家庭户"):
        services.claim_create(
            by=dora, rule=rule, description="x", happened_on=timezone.localdate(), household=household
        )
    family = services.rule_create(
        by=alice, unit=district.east, kind=RuleKind.GOOD_DEED, name="文明家庭", points=20, for_households=True
    )
    claim = services.claim_create(
        by=dora, rule=family, description="x", happened_on=timezone.localdate(), household=household
    )
    services.approve_claim(claim, by=alice)
    assert balance(ledger.account_for_household(household)) == 20


# ---------------------------------------------------------------- deductions


def test_deduction_needs_a_reason_takes_at_most_the_balance(district, account, alice, bob, dora):
    give(account, 3)
    with pytest.raises(PermissionDenied):
        services.deduct(account, by=bob, reason="x", amount=1)  # a reporter may not deduct
    with pytest.raises(ServiceError, match="扣分理由"):
        services.deduct(account, by=dora, reason="", amount=1)
    with pytest.raises(ServiceError, match="扣分规则或填写扣分分值"):
        services.deduct(account, by=dora, reason="x")
    rule = services.rule_create(by=alice, unit=district.east, kind=RuleKind.DEDUCTION, name="违规养犬", points=5)
    entry = services.deduct(account, by=dora, reason="屡教不改", rule=rule)
    assert entry.amount == -3 and "余额仅3分" in entry.reason
    assert balance(account) == 0
    with pytest.raises(ServiceError, match="没有积分可扣"):
        services.deduct(account, by=dora, reason="x", amount=1)


# ---------------------------------------------------------------- expiry


def test_expiry_takes_spent_points_from_the_oldest(account, settings):
    settings.VOLUNTEERS_POINTS_EXPIRY_DAYS = 100
    give(account, 10, days_ago=150)  # expired 50 days ago
    give(account, 20, days_ago=120)  # expired 20 days ago
    with transaction.atomic():  # spent 15 before the expiry ran: taken from the 10 and 5 of the 20
        ledger.post(ledger.lock(account), kind=EntryKind.REDEMPTION, amount=-15, by=None, reason="兑换")
    give(account, 7, days_ago=30)  # still live
    today = timezone.localdate()
    assert services.expire_points(today) == 1
    assert balance(account) == 7
    assert PointEntry.objects.filter(account=account, kind=EntryKind.EXPIRY).get().amount == -15
    assert services.expire_points(today) == 0
    assert balance(account) == 7
    # 70 days on, the last earning has expired too.
    assert services.expire_points(today + datetime.timedelta(days=70)) == 1
    assert balance(account) == 0


def test_expiry_off(account, settings):
    settings.VOLUNTEERS_POINTS_EXPIRY_DAYS = 100
    give(account, 10, days_ago=150)
    settings.VOLUNTEERS_POINTS_EXPIRY_DAYS = 0
    assert services.expire_points(timezone.localdate()) == 0
    assert balance(account) == 10


# ---------------------------------------------------------------- households


def test_household_numbers_and_members(district, volunteer, alice, dora, charlie):
    household = services.household_create(by=dora, unit=district.east_community, number="3-2", head_name="赵六")
    with pytest.raises(ServiceError, match="已有户号"):
        services.household_create(by=dora, unit=district.east_community, number="3-2", head_name="x")
    with pytest.raises(ServiceError, match="社区或村"):
        services.household_create(by=alice, unit=district.east, number="9", head_name="x")
    with pytest.raises(PermissionDenied):
        services.household_create(by=charlie, unit=district.east_community, number="9", head_name="x")
    services.household_add_member(household, volunteer, by=dora)
    other = services.household_create(by=dora, unit=district.east_community, number="3-3", head_name="x")
    with pytest.raises(ServiceError, match="另一个家庭户"):
        services.household_add_member(other, volunteer, by=dora)
    stranger = make_volunteer(district.west_community, 2)
    with pytest.raises(ServiceError, match="本社区"):
        services.household_add_member(household, stranger, by=dora)
    services.household_remove_member(household, volunteer, by=dora)
    volunteer.refresh_from_db()
    assert volunteer.household is None
    household.refresh_from_db()
    assert household.head_name == "赵六"


# ---------------------------------------------------------------- shop


@pytest.fixture
def clerk(district):
    return make_person("duihuan", district.east_community, RoleCode.POINTS_CLERK)


@pytest.fixture
def merchant(district, dora, clerk):
    return shop.merchant_create(
        by=dora,
        unit=district.east_community,
        kind=MerchantKind.SHOP,
        name="幸福积分超市",
        address="幸福路1号",
        staff=[clerk],
    )


@pytest.fixture
def goods(merchant, dora):
    return shop.goods_create(by=dora, merchant=merchant, name="洗衣液", points=10, stock=2)


def test_merchant_staff_must_be_clerks_in_scope(district, dora, merchant, bob, charlie):
    west_clerk = make_person("west_clerk", district.west_community, RoleCode.POINTS_CLERK)
    with pytest.raises(ServiceError, match="核销人员"):
        shop.merchant_edit(merchant, by=dora, staff=[west_clerk])
    with pytest.raises(ServiceError, match="核销人员"):
        shop.merchant_edit(merchant, by=dora, staff=[bob])  # a reporter, no clerk
    with pytest.raises(PermissionDenied):
        shop.merchant_edit(merchant, by=charlie, name="x")


def test_reserve_confirm_and_stock(volunteer, account, goods, clerk, dora):
    give(account, 25)
    redemption = shop.reserve_redemption(goods, volunteer=volunteer)
    assert redemption.status == RedemptionStatus.RESERVED and redemption.points == 10
    assert balance(account) == 15
    goods.refresh_from_db()
    assert goods.stock == 1
    with pytest.raises(ServiceError, match="库存不足"):
        shop.reserve_redemption(goods, volunteer=volunteer, quantity=2)
    with pytest.raises(ServiceError, match="数量"):
        shop.reserve_redemption(goods, volunteer=volunteer, quantity=0)
    shop.confirm_redemption(redemption, by=clerk)
    redemption.refresh_from_db()
    assert redemption.status == RedemptionStatus.CONFIRMED and redemption.confirmed_by == clerk
    with pytest.raises(ServiceError, match="不能核销"):
        shop.confirm_redemption(redemption, by=dora)
    with pytest.raises(ServiceError, match="只能取消待核销"):
        shop.cancel_redemption(redemption, volunteer=volunteer)


def test_not_enough_points(volunteer, account, goods):
    give(account, 5)
    with pytest.raises(ServiceError, match="积分不足"):
        shop.reserve_redemption(goods, volunteer=volunteer)
    assert balance(account) == 5
    goods.refresh_from_db()
    assert goods.stock == 2


def test_goods_outside_the_street_or_withdrawn_are_refused(district, volunteer, account, goods, dora, alice):
    give(account, 50)
    west_merchant = shop.merchant_create(
        by=alice, unit=district.west_community, kind=MerchantKind.PARTNER, name="西城商店", address="西路"
    )
    west_goods = shop.goods_create(by=alice, merchant=west_merchant, name="米", points=1, stock=5)
    with pytest.raises(ServiceError, match="不在本街道"):
        shop.reserve_redemption(west_goods, volunteer=volunteer)
    shop.goods_edit(goods, by=dora, active=False)
    with pytest.raises(ServiceError, match="已下架"):
        shop.reserve_redemption(goods, volunteer=volunteer)


def test_a_clerk_of_another_merchant_is_refused(district, volunteer, account, goods, alice):
    give(account, 10)
    redemption = shop.reserve_redemption(goods, volunteer=volunteer)
    other_clerk = make_person("other_clerk", district.east_community, RoleCode.POINTS_CLERK)
    with pytest.raises(PermissionDenied, match="不是该兑换点的核销人员"):
        shop.confirm_redemption(redemption, by=other_clerk)
    charlie_worker = make_person("wc", district.west_community, RoleCode.COMMUNITY_WORKER)
    with pytest.raises(PermissionDenied):
        shop.confirm_redemption(redemption, by=charlie_worker)
    shop.confirm_redemption(redemption, by=alice)  # a department admin covers every merchant


def test_cancel_and_expire_give_back(volunteer, account, goods, clerk):
    give(account, 30)
    first = shop.reserve_redemption(goods, volunteer=volunteer)
    second = shop.reserve_redemption(goods, volunteer=volunteer)
    other = make_volunteer(volunteer.unit, 7)
    with pytest.raises(ServiceError, match="本人"):
        shop.cancel_redemption(first, volunteer=other)
    shop.cancel_redemption(first, volunteer=volunteer)
    assert balance(account) == 20
    assert shop.expire_redemptions(timezone.now()) == 0
    assert shop.expire_redemptions(second.expires_at + datetime.timedelta(seconds=1)) == 1
    assert balance(account) == 30
    second.refresh_from_db()
    assert second.status == RedemptionStatus.EXPIRED
    with pytest.raises(ServiceError, match="不能核销"):
        shop.confirm_redemption(second, by=clerk)
    assert Goods.objects.get(pk=goods.pk).stock == 2


def test_an_expired_hold_cannot_be_confirmed(volunteer, account, goods, clerk):
    give(account, 10)
    redemption = shop.reserve_redemption(goods, volunteer=volunteer)
    type(redemption).objects.filter(pk=redemption.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    with pytest.raises(ServiceError, match="截止时间"):
        shop.confirm_redemption(redemption, by=clerk)
