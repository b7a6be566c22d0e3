"""Pages of the points part: staff lists and actions with their refusals, the outsider's 404, the
clerk's confirmation, the phone pages (ledger, claim, shop, redeem, QR, cancel), the public
ranking, query ceilings."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from xuanchuan.conftest import make_person, verified_login
from xuanchuan.org.models import RoleCode
from xuanchuan.volunteers.models import (
    ClaimStatus,
    EntryKind,
    GoodDeedClaim,
    Household,
    Merchant,
    MerchantKind,
    PointEntry,
    PointRule,
    PracticeSite,
    Redemption,
    RedemptionStatus,
    RuleKind,
    SiteLevel,
)
from xuanchuan.volunteers.services import ledger, shop
from xuanchuan.volunteers.services import points as services
from xuanchuan.volunteers.tests.factories import make_volunteer, sign_in_phone

pytestmark = pytest.mark.django_db

LIST_QUERIES = 25


def give(account, amount):
    with transaction.atomic():
        ledger.post(ledger.lock(account), kind=EntryKind.GOOD_DEED, amount=amount, by=None, reason="测试加分")


@pytest.fixture
def volunteer(district):
    return make_volunteer(district.east_community, 1, name="张三丰")


@pytest.fixture
def account(volunteer):
    account = ledger.account_for_volunteer(volunteer)
    give(account, 40)
    return account


@pytest.fixture
def clerk(district):
    return make_person("duihuan", district.east_community, RoleCode.POINTS_CLERK)


@pytest.fixture
def goods(district, dora, clerk):
    merchant = shop.merchant_create(
        by=dora,
        unit=district.east_community,
        kind=MerchantKind.SHOP,
        name="幸福积分超市",
        address="幸福路",
        staff=[clerk],
    )
    return shop.goods_create(by=dora, merchant=merchant, name="洗衣液", points=15, stock=3)


@pytest.fixture
def rule(district, alice):
    return services.rule_create(by=alice, unit=district.east, kind=RuleKind.GOOD_DEED, name="拾金不昧", points=10)


# ---------------------------------------------------------------- staff


def test_rules_list_create_edit_and_outsider(client, district, dora, charlie, rule):
    verified_login(client, dora)
    response = client.get(reverse("volunteers:rule_list"))
    page = response.content.decode()
    # The street's rule above her community is listed (her community uses it) but not hers to edit.
    assert response.status_code == 200 and "拾金不昧" in page
    assert reverse("volunteers:rule_edit", args=[rule.pk]) not in page
    response = client.post(
        reverse("volunteers:rule_create"),
        {
            "unit": district.east_community.pk,
            "kind": RuleKind.GOOD_DEED,
            "name": "敬老",
            "points": 5,
            "yearly_cap": 0,
            "active": "on",
        },
    )
    assert response.status_code == 302
    made = PointRule.objects.get(name="敬老")
    assert made.unit == district.east_community
    response = client.post(
        reverse("volunteers:rule_create"),
        {"unit": district.west.pk, "kind": "good_deed", "name": "x", "points": 1, "yearly_cap": 0},
    )
    assert response.status_code == 400
    assert client.get(reverse("volunteers:rule_edit", args=[rule.pk])).status_code == 404
    assert client.get(reverse("volunteers:rule_list") + "?export=xlsx").status_code == 200
    client.force_login(charlie)
    assert client.get(reverse("volunteers:rule_edit", args=[made.pk])).status_code == 404


def test_rule_delete_needs_confirmation_and_is_refused_in_use(client, alice, rule, volunteer):
    verified_login(client, alice)
    url = reverse("volunteers:rule_delete", args=[rule.pk])
    assert "确认删除" in client.get(url).content.decode()
    services.submit_claim(volunteer=volunteer, rule=rule, description="x", happened_on=timezone.localdate())
    response = client.post(url, follow=True)
    assert "不能删除，只能停用" in response.content.decode()
    assert PointRule.objects.filter(pk=rule.pk).exists()


def test_claim_entered_by_staff_is_approved_by_another(client, district, alice, dora, rule, volunteer):
    verified_login(client, dora)
    response = client.post(
        reverse("volunteers:claim_create"),
        {
            "rule": rule.pk,
            "volunteer_number": volunteer.number.lower(),
            "description": "扶老人过马路",
            "happened_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 302
    claim = GoodDeedClaim.objects.get()
    page = client.get(reverse("volunteers:claim_queue")).content.decode()
    assert "本人录入，须他人审核" in page and "张**" in page and "张三丰" not in page
    response = client.post(reverse("volunteers:claim_approve", args=[claim.pk]), {"note": ""}, follow=True)
    assert "不能审核自己录入的申报" in response.content.decode()
    verified_login(client, alice)
    assert "确认通过" in client.get(reverse("volunteers:claim_approve", args=[claim.pk])).content.decode()
    client.post(reverse("volunteers:claim_approve", args=[claim.pk]), {"note": "属实"})
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.APPROVED
    assert ledger.account_for_volunteer(volunteer).balance == 10


def test_claim_form_refusals(client, dora, rule, volunteer):
    verified_login(client, dora)
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = client.post(
        reverse("volunteers:claim_create"),
        {"rule": rule.pk, "volunteer_number": "ZY0000000000", "description": "x", "happened_on": tomorrow},
    )
    page = response.content.decode()
    assert response.status_code == 400 and "不能晚于今天" in page and "没有找到该编号的志愿者" in page
    response = client.post(
        reverse("volunteers:claim_create"),
        {"rule": rule.pk, "description": "x", "happened_on": timezone.localdate().isoformat()},
    )
    assert "二选一" in response.content.decode()


def test_refuse_needs_a_note(client, alice, rule, volunteer):
    claim = services.submit_claim(volunteer=volunteer, rule=rule, description="x", happened_on=timezone.localdate())
    verified_login(client, alice)
    url = reverse("volunteers:claim_refuse", args=[claim.pk])
    assert client.post(url, {"note": ""}).status_code == 400
    client.post(url, {"note": "无法核实"})
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.REFUSED


def test_account_detail_export_and_deduct_with_confirmation(client, dora, bob, account):
    verified_login(client, dora)
    url = reverse("volunteers:account_detail", args=[account.pk])
    page = client.get(url).content.decode()
    assert "测试加分" in page and "张**" in page and "张三丰" not in page
    assert client.get(url + "?export=xlsx")["Content-Type"].startswith("application/vnd.openxmlformats")
    deduct = reverse("volunteers:deduct", args=[account.pk])
    response = client.post(deduct, {"amount": 50, "reason": "破坏公物"})
    page = response.content.decode()
    assert "将扣除 40 分" in page and "余额不足" in page
    account.refresh_from_db()
    assert account.balance == 40  # nothing before the confirmation
    client.post(deduct, {"amount": 50, "reason": "破坏公物", "confirmed": "1"})
    account.refresh_from_db()
    assert account.balance == 0 and ledger.verify_ledger(account)
    assert client.post(deduct, {"reason": ""}).status_code == 400
    client.force_login(bob)  # a reporter sees the account but may not deduct
    assert client.get(deduct).status_code == 403


def test_households_pages_mask_the_head(client, district, dora, volunteer, charlie):
    verified_login(client, dora)
    response = client.post(
        reverse("volunteers:household_create"),
        {"unit": district.east_community.pk, "number": "5-301", "head_name": "欧阳娜娜", "address": "幸福路5号"},
    )
    household = Household.objects.get()
    assert response.status_code == 302
    page = client.get(reverse("volunteers:household_list")).content.decode()
    assert "欧阳**" in page and "欧阳娜娜" not in page
    client.post(reverse("volunteers:household_member_add", args=[household.pk]), {"volunteer_number": volunteer.number})
    volunteer.refresh_from_db()
    assert volunteer.household == household
    page = client.get(reverse("volunteers:household_detail", args=[household.pk])).content.decode()
    assert volunteer.number in page and "幸福路5号" not in page
    remove = reverse("volunteers:household_member_remove", args=[household.pk, volunteer.pk])
    assert "确认移出" in client.get(remove).content.decode()
    client.post(remove)
    volunteer.refresh_from_db()
    assert volunteer.household is None
    response = client.post(
        reverse("volunteers:household_create"),
        {"unit": district.east_community.pk, "number": "5-301", "head_name": "x"},
        follow=True,
    )
    assert "已有户号" in response.content.decode()
    client.force_login(charlie)
    assert client.get(reverse("volunteers:household_detail", args=[household.pk])).status_code == 404


def test_merchant_and_goods_pages(client, district, dora, clerk, charlie):
    verified_login(client, dora)
    response = client.post(
        reverse("volunteers:merchant_create"),
        {
            "unit": district.east_community.pk,
            "kind": MerchantKind.PARTNER,
            "name": "便民超市",
            "address": "幸福路2号",
            "staff": [clerk.pk],
            "active": "on",
        },
    )
    assert response.status_code == 302
    merchant = Merchant.objects.get(name="便民超市")
    assert list(merchant.staff.all()) == [clerk]
    client.post(
        reverse("volunteers:goods_create", args=[merchant.pk]),
        {"name": "毛巾", "points": 5, "stock": 0, "active": "on"},
    )
    page = client.get(reverse("volunteers:merchant_edit", args=[merchant.pk])).content.decode()
    assert "毛巾" in page and "缺货" in page
    assert (
        client.post(
            reverse("volunteers:goods_create", args=[merchant.pk]), {"name": "y", "points": 0, "stock": 1}
        ).status_code
        == 400
    )
    client.force_login(charlie)
    assert client.get(reverse("volunteers:merchant_edit", args=[merchant.pk])).status_code == 404


def test_list_pages_keep_their_query_count(client, district, alice):
    verified_login(client, alice)
    names = [
        "volunteers:rule_list",
        "volunteers:account_list",
        "volunteers:household_list",
        "volunteers:merchant_list",
        "volunteers:redemption_list",
    ]

    def more(first, last):
        for n in range(first, last):
            volunteer = make_volunteer(district.east_community, 100 + n)
            give(ledger.account_for_volunteer(volunteer), 5)
            services.household_create(by=alice, unit=district.east_community, number=f"H{n}", head_name="某")

    more(0, 2)
    for name in names:
        client.get(reverse(name))
    with CaptureQueriesContext(connection) as few:
        for name in names:
            client.get(reverse(name))
    more(2, 17)
    with CaptureQueriesContext(connection) as many:
        for name in names:
            assert client.get(reverse(name)).status_code == 200
    assert len(many) == len(few)
    assert len(many) <= LIST_QUERIES * len(names)


# ---------------------------------------------------------------- phone and clerk


def test_phone_shop_redeem_qr_confirm(client, district, volunteer, account, goods, clerk):
    phone = sign_in_phone(client, volunteer)
    page = phone.get(reverse("volunteers:m_shop")).content.decode()
    assert "洗衣液" in page and 'id="shop-balance">40<' in page
    response = phone.post(reverse("volunteers:m_redeem", args=[goods.pk]), {"quantity": "1"})
    redemption = Redemption.objects.get()
    assert response["Location"] == reverse("volunteers:m_redemption", args=[redemption.code])
    page = phone.get(response["Location"]).content.decode()
    confirm_path = reverse("volunteers:redemption_confirm", args=[redemption.code])
    assert "<svg" in page and confirm_path in page and redemption.code in page
    phone.cookies.clear()
    client.force_login(clerk)
    page = client.get(confirm_path).content.decode()
    assert "洗衣液" in page and "张**" in page and "张三丰" not in page
    client.post(confirm_path)
    redemption.refresh_from_db()
    assert redemption.status == RedemptionStatus.CONFIRMED
    response = client.post(reverse("volunteers:redemption_lookup"), {"code": redemption.code})
    assert response["Location"] == confirm_path
    # Typed off the phone: any case, spaced, O and I/L for 0 and 1 — the code has no look-alikes.
    assert set(redemption.code) <= set("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
    typed = redemption.code.lower().replace("0", "o").replace("1", "l")
    response = client.post(reverse("volunteers:redemption_lookup"), {"code": f"{typed[:6]} {typed[6:]}"})
    assert response["Location"] == confirm_path


def test_a_clerk_of_another_merchant_gets_404(client, district, volunteer, account, goods):
    redemption = shop.reserve_redemption(goods, volunteer=volunteer)
    other = make_person("other_clerk", district.east_community, RoleCode.POINTS_CLERK)
    client.force_login(other)
    url = reverse("volunteers:redemption_confirm", args=[redemption.code])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    redemption.refresh_from_db()
    assert redemption.status == RedemptionStatus.RESERVED
    assert client.get(reverse("volunteers:redemption_confirm", args=["x" * 40])).status_code == 404


def test_phone_redeem_refusals_and_cancel(client, volunteer, account, goods):
    phone = sign_in_phone(client, volunteer)
    response = phone.post(reverse("volunteers:m_redeem", args=[goods.pk]), {"quantity": "3"}, follow=True)
    assert "积分不足" in response.content.decode()
    assert phone.post(reverse("volunteers:m_redeem", args=[999999])).status_code == 404
    assert phone.get(reverse("volunteers:m_redeem", args=[goods.pk])).status_code == 405
    phone.post(reverse("volunteers:m_redeem", args=[goods.pk]), {"quantity": "1"})
    redemption = Redemption.objects.get()
    phone.post(reverse("volunteers:m_redemption_cancel", args=[redemption.code]))
    redemption.refresh_from_db()
    account.refresh_from_db()
    assert redemption.status == RedemptionStatus.CANCELLED and account.balance == 40
    other = make_volunteer(volunteer.unit, 2)
    sign_in_phone(client, other)
    assert client.get(reverse("volunteers:m_redemption", args=[redemption.code])).status_code == 404


def test_phone_points_page_and_household(client, district, dora, volunteer, account, settings):
    settings.VOLUNTEERS_POINTS_EXPIRY_DAYS = 10
    give(account, 3)
    household = services.household_create(by=dora, unit=district.east_community, number="7", head_name="李")
    services.household_add_member(household, volunteer, by=dora)
    give(ledger.account_for_household(household), 9)
    page = sign_in_phone(client, volunteer).get(reverse("volunteers:m_points")).content.decode()
    assert 'id="mine-balance">43<' in page and 'id="household-balance">9<' in page
    assert "将于" in page  # points expiring within 30 days
    client.cookies.clear()
    response = client.get(reverse("volunteers:m_points"))
    assert response.status_code == 302 and reverse("volunteers:signin") in response["Location"]


def test_phone_claim(client, district, volunteer, rule):
    phone = sign_in_phone(client, volunteer)
    assert "拾金不昧" in phone.get(reverse("volunteers:m_claim_new")).content.decode()
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = phone.post(
        reverse("volunteers:m_claim_new"), {"rule": rule.pk, "description": "x", "happened_on": tomorrow}
    )
    assert response.status_code == 400 and "不能晚于今天" in response.content.decode()
    phone.post(
        reverse("volunteers:m_claim_new"),
        {"rule": rule.pk, "description": "捡到钱包交还", "happened_on": timezone.localdate().isoformat()},
    )
    claim = GoodDeedClaim.objects.get()
    assert claim.by_volunteer and claim.created_by is None and claim.status == ClaimStatus.PENDING


def test_public_ranking_only_where_shown(client, district, volunteer, account, dora):
    url = reverse("volunteers:m_ranking", args=[district.east_community.pk])
    assert client.get(url).status_code == 404
    site = PracticeSite.objects.create(
        unit=district.east_community, level=SiteLevel.STATION, name="幸福社区新时代文明实践站", address="幸福路"
    )
    assert client.get(url).status_code == 404
    site.show_ranking = True
    site.save()
    page = client.get(url).content.decode()
    assert "张**" in page and "张三丰" not in page and volunteer.number not in page and ">40<" in page
    assert client.get(reverse("volunteers:m_ranking", args=[district.east.pk])).status_code == 404
    verified_login(client, dora)
    response = client.get(
        reverse("volunteers:ranking"),
        {
            "unit": district.east_community.pk,
            "start": timezone.localdate().replace(month=1, day=1).isoformat(),
            "end": timezone.localdate().isoformat(),
        },
    )
    assert volunteer.number in response.content.decode()
    assert PointEntry.objects.count() == 1
