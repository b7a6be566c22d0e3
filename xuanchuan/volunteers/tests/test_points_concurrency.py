"""Redemptions at the same moment on PostgreSQL: two that together exceed the balance, or that
both want the last item in stock — exactly one goes through, the balance never goes below zero
and the ledger stays consistent."""

from __future__ import annotations

import pytest
from django.db import transaction

from xuanchuan.conftest import make_person
from xuanchuan.core.services import ServiceError
from xuanchuan.org.models import RoleCode
from xuanchuan.volunteers.models import EntryKind, Goods, MerchantKind, PointEntry, Redemption
from xuanchuan.volunteers.services import ledger, shop
from xuanchuan.volunteers.tests.factories import make_volunteer
from xuanchuan.volunteers.tests.races import postgresql_only, race

# Decided before any database set-up: a transactional test flushes the tables for the tests after it.
pytestmark = [
    postgresql_only("concurrent redemptions"),
    # Not serialized_rollback (see civility's test_problems_concurrency); the roles are made again
    # by ``make_person`` (``conftest.role`` gets or creates them).
    pytest.mark.django_db(transaction=True),
]


def _shop(district, *, points, stock):
    worker = make_person("shopkeeper", district.east_community, RoleCode.COMMUNITY_WORKER)
    merchant = shop.merchant_create(
        by=worker, unit=district.east_community, kind=MerchantKind.SHOP, name="积分超市", address="幸福路"
    )
    return shop.goods_create(by=worker, merchant=merchant, name="大米", points=points, stock=stock)


def _fund(volunteer, amount):
    account = ledger.account_for_volunteer(volunteer)
    with transaction.atomic():
        ledger.post(ledger.lock(account), kind=EntryKind.GOOD_DEED, amount=amount, by=None, reason="测试")
    return account


def test_two_redemptions_beyond_the_balance_at_once(district):
    volunteer = make_volunteer(district.east_community, 1)
    goods = _shop(district, points=60, stock=10)
    account = _fund(volunteer, 100)
    for _round in range(3):
        results = race(
            lambda: shop.reserve_redemption(goods, volunteer=volunteer),
            lambda: shop.reserve_redemption(goods, volunteer=volunteer),
        )
        made = [result for result in results if isinstance(result, Redemption)]
        refused = [result for result in results if isinstance(result, ServiceError)]
        assert len(made) == 1 and len(refused) == 1, results
        assert "积分不足" in str(refused[0])
        account.refresh_from_db()
        assert account.balance == 40
        assert ledger.verify_ledger(account)
        assert Goods.objects.get(pk=goods.pk).stock == 9
        shop.cancel_redemption(made[0], volunteer=volunteer)
    assert not PointEntry.objects.filter(balance_after__lt=0).exists()


def test_two_redemptions_of_the_last_item(district):
    first, second = make_volunteer(district.east_community, 1), make_volunteer(district.east_community, 2)
    goods = _shop(district, points=10, stock=1)
    accounts = [_fund(first, 50), _fund(second, 50)]
    results = race(
        lambda: shop.reserve_redemption(goods, volunteer=first),
        lambda: shop.reserve_redemption(goods, volunteer=second),
    )
    made = [result for result in results if isinstance(result, Redemption)]
    refused = [result for result in results if isinstance(result, ServiceError)]
    assert len(made) == 1 and len(refused) == 1, results
    assert "库存不足" in str(refused[0])
    assert Goods.objects.get(pk=goods.pk).stock == 0
    balances = sorted(type(account).objects.get(pk=account.pk).balance for account in accounts)
    assert balances == [40, 50]
    assert all(ledger.verify_ledger(account) for account in accounts)


def test_many_redemptions_at_once_never_overdraw(district):
    volunteer = make_volunteer(district.east_community, 1)
    goods = _shop(district, points=30, stock=50)
    account = _fund(volunteer, 100)
    results = race(*[lambda: shop.reserve_redemption(goods, volunteer=volunteer) for _ in range(6)])
    assert sum(isinstance(result, Redemption) for result in results) == 3, results
    account.refresh_from_db()
    assert account.balance == 10 and ledger.verify_ledger(account)
    assert Goods.objects.get(pk=goods.pk).stock == 47
