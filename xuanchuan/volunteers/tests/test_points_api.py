"""The points API (scoped, masked, bounded), the to-dos and the background tasks of the part."""

from __future__ import annotations

import datetime

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from xuanchuan.conftest import make_person, verified_login
from xuanchuan.org.models import RoleCode
from xuanchuan.volunteers import tasks_points, todos_points
from xuanchuan.volunteers.models import EntryKind, MerchantKind, RedemptionStatus, RuleKind
from xuanchuan.volunteers.services import ledger, shop
from xuanchuan.volunteers.services import points as services
from xuanchuan.volunteers.tests.factories import make_volunteer

pytestmark = pytest.mark.django_db


@pytest.fixture
def account(district):
    volunteer = make_volunteer(district.east_community, 1, name="张三丰")
    account = ledger.account_for_volunteer(volunteer)
    with transaction.atomic():
        ledger.post(ledger.lock(account), kind=EntryKind.GOOD_DEED, amount=12, by=None, reason="测试加分")
    return account


def test_accounts_and_entries_are_scoped_and_masked(client, account, bob, charlie):
    client.force_login(bob)
    rows = client.get(reverse("api:volunteers_points_account_list")).json()["items"]
    assert [(row["id"], row["balance"]) for row in rows] == [(account.pk, 12)]
    assert rows[0]["owner"].startswith("张**")
    entries = client.get(reverse("api:volunteers_points_entry_list", kwargs={"account_id": account.pk})).json()
    assert entries["items"][0]["amount"] == 12 and entries["items"][0]["kind"] == "good_deed"
    assert client.get(reverse("api:volunteers_points_account_list"), {"min_balance": -1}).status_code in (400, 422)
    client.force_login(charlie)
    assert client.get(reverse("api:volunteers_points_account_list")).json()["items"] == []
    url = reverse("api:volunteers_points_entry_list", kwargs={"account_id": account.pk})
    assert client.get(url).status_code == 404


def test_rules_and_redemptions_endpoints(client, district, account, alice, charlie):
    services.rule_create(by=alice, unit=district.east, kind=RuleKind.GOOD_DEED, name="拾金不昧", points=3)
    merchant = shop.merchant_create(
        by=alice, unit=district.east_community, kind=MerchantKind.SHOP, name="超市", address="路"
    )
    goods = shop.goods_create(by=alice, merchant=merchant, name="米", points=5, stock=2)
    shop.reserve_redemption(goods, volunteer=account.volunteer)
    verified_login(client, alice)
    rules = client.get(reverse("api:volunteers_points_rule_list"), {"kind": "good_deed"}).json()["items"]
    assert [rule["name"] for rule in rules] == ["拾金不昧"]
    made = client.get(reverse("api:volunteers_points_redemption_list"), {"status": "reserved"}).json()["items"]
    assert made[0]["goods"] == "米" and made[0]["points"] == 5
    client.force_login(charlie)
    assert client.get(reverse("api:volunteers_points_redemption_list")).json()["items"] == []
    assert client.get(reverse("api:volunteers_points_rule_list")).json()["items"] == []


def test_todos(district, account, alice, dora):
    rule = services.rule_create(by=alice, unit=district.east, kind=RuleKind.GOOD_DEED, name="助老", points=3)
    services.claim_create(
        by=dora, rule=rule, description="x", happened_on=timezone.localdate(), volunteer=account.volunteer
    )
    clerk = make_person("duihuan", district.east_community, RoleCode.POINTS_CLERK)
    merchant = shop.merchant_create(
        by=dora, unit=district.east_community, kind=MerchantKind.SHOP, name="超市", address="路", staff=[clerk]
    )
    goods = shop.goods_create(by=dora, merchant=merchant, name="米", points=5, stock=1)
    redemption = shop.reserve_redemption(goods, volunteer=account.volunteer)
    type(redemption).objects.filter(pk=redemption.pk).update(
        expires_at=timezone.localtime().replace(hour=23, minute=59)
    )

    def counts(user):
        return {str(todo.label): todo.count for todo in todos_points.todos(user)}

    assert counts(dora)["待审核的好人好事申报"] == 0  # she entered it herself
    assert counts(alice)["待审核的好人好事申报"] == 1
    assert counts(dora)["已缺货的兑换物品"] == 1
    assert counts(clerk) == {"今天到期待核销的兑换": 1}


def test_tasks(district, account, settings, alice):
    merchant = shop.merchant_create(
        by=alice, unit=district.east_community, kind=MerchantKind.SHOP, name="超市", address="路"
    )
    goods = shop.goods_create(by=alice, merchant=merchant, name="米", points=5, stock=2)
    redemption = shop.reserve_redemption(goods, volunteer=account.volunteer)
    type(redemption).objects.filter(pk=redemption.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    assert tasks_points.expire_redemptions() == 1
    redemption.refresh_from_db()
    assert redemption.status == RedemptionStatus.EXPIRED
    settings.VOLUNTEERS_POINTS_EXPIRY_DAYS = 1
    assert tasks_points.expire_points_daily() == 0  # the 12 points were entered today
    account.refresh_from_db()
    assert account.balance == 12 and ledger.verify_ledger(account)
