"""The points part's share of the URL walk (see ``tests/scoping.py``): 幸福社区 (东城街道) keeps a
rule, a household, a volunteer's account with entries, a pending claim, a merchant with goods and
a redemption — nothing of it may reach charlie (西城街道)."""

from __future__ import annotations

from typing import Any

RULE = "东城秘密积分事项"
HOUSEHOLD = "东城秘密户号"
CLAIM = "东城秘密好人好事"
MERCHANT = "东城秘密积分超市"
GOODS = "东城秘密兑换物品"
WITHDRAWN = "东城秘密下架物品"


def _records() -> dict[str, Any]:
    from xuanchuan.volunteers.models import GoodDeedClaim, Goods, Household, Merchant, PointRule, Redemption

    goods = Goods.objects.filter(name=GOODS).first()
    return {
        "rule": PointRule.objects.filter(name=RULE).first(),
        "household": Household.objects.filter(number=HOUSEHOLD).first(),
        "claim": GoodDeedClaim.objects.filter(description=CLAIM).first(),
        "merchant": Merchant.objects.filter(name=MERCHANT).first(),
        "goods": goods,
        "redemption": Redemption.objects.filter(goods=goods).first(),
    }


def create_records(district: Any, people: dict[str, Any]) -> list[str]:
    from django.db import transaction
    from django.utils import timezone

    from xuanchuan.conftest import make_person
    from xuanchuan.org.models import RoleCode
    from xuanchuan.volunteers.models import EntryKind, MerchantKind, RuleKind
    from xuanchuan.volunteers.services import ledger, shop
    from xuanchuan.volunteers.services import points as services
    from xuanchuan.volunteers.tests.factories import make_volunteer

    dora = people["dora"]
    volunteer = make_volunteer(district.east_community, 901, name="东城秘密积分人")
    rule = services.rule_create(by=dora, unit=district.east_community, kind=RuleKind.GOOD_DEED, name=RULE, points=5)
    household = services.household_create(
        by=dora, unit=district.east_community, number=HOUSEHOLD, head_name="东城秘密户主"
    )
    services.household_add_member(household, volunteer, by=dora)
    services.claim_create(by=dora, rule=rule, description=CLAIM, happened_on=timezone.localdate(), volunteer=volunteer)
    account = ledger.account_for_volunteer(volunteer)
    with transaction.atomic():
        ledger.post(ledger.lock(account), kind=EntryKind.GOOD_DEED, amount=50, by=dora, reason="东城秘密加分说明")
    with transaction.atomic():
        ledger.post(
            ledger.lock(ledger.account_for_household(household)),
            kind=EntryKind.GOOD_DEED,
            amount=7,
            by=dora,
            reason="东城秘密家庭加分",
        )
    clerk = make_person("scoping_duihuan", district.east_community, RoleCode.POINTS_CLERK)
    merchant = shop.merchant_create(
        by=dora,
        unit=district.east_community,
        kind=MerchantKind.SHOP,
        name=MERCHANT,
        address="东城秘密路",
        staff=[clerk],
    )
    goods = shop.goods_create(by=dora, merchant=merchant, name=GOODS, points=10, stock=5)
    redemption = shop.reserve_redemption(goods, volunteer=volunteer)
    shop.goods_create(by=dora, merchant=merchant, name=WITHDRAWN, points=1, stock=1, active=False)
    return [
        RULE,
        HOUSEHOLD,
        CLAIM,
        MERCHANT,
        GOODS,
        "东城秘密加分说明",
        "东城秘密家庭加分",
        redemption.code,
        volunteer.number,
    ]


def arguments(route_name: str, kwargs: tuple[str, ...], district: Any, people: dict[str, Any]) -> list[dict] | None:
    from xuanchuan.volunteers.models import Goods, PointsAccount

    records = _records()
    post = "_method"
    if route_name in ("volunteers:rule_edit", "volunteers:rule_delete"):
        return [{"pk": records["rule"].pk}, {"pk": records["rule"].pk, post: "post"}]
    if route_name in ("volunteers:claim_approve", "volunteers:claim_refuse"):
        return [{"pk": records["claim"].pk}, {"pk": records["claim"].pk, post: "post"}]
    if route_name in ("volunteers:account_detail", "volunteers:deduct"):
        account = PointsAccount.objects.filter(volunteer__number__isnull=False, unit=district.east_community).first()
        return [{"pk": account.pk}, {"pk": account.pk, post: "post"}]
    if route_name in ("volunteers:household_detail", "volunteers:household_edit", "volunteers:household_member_add"):
        return [{"pk": records["household"].pk}, {"pk": records["household"].pk, post: "post"}]
    if route_name == "volunteers:household_member_remove":
        household = records["household"]
        member = household.members.first()
        return [
            {"pk": household.pk, "volunteer_pk": member.pk},
            {"pk": household.pk, "volunteer_pk": member.pk, post: "post"},
        ]
    if route_name in ("volunteers:merchant_edit", "volunteers:goods_create"):
        return [{"pk": records["merchant"].pk}, {"pk": records["merchant"].pk, post: "post"}]
    if route_name == "volunteers:goods_edit":
        return [{"pk": records["goods"].pk}, {"pk": records["goods"].pk, post: "post"}]
    if route_name == "volunteers:redemption_confirm":
        return [{"code": records["redemption"].code}, {"code": records["redemption"].code, post: "post"}]
    if route_name == "volunteers:m_redeem":
        # The shop's goods on offer are public (the street's residents see them); one withdrawn
        # is not there for anyone.
        withdrawn = Goods.objects.get(name=WITHDRAWN)
        return [{"goods_pk": withdrawn.pk, post: "post"}, {"goods_pk": withdrawn.pk}]
    if route_name in ("volunteers:m_redemption", "volunteers:m_redemption_cancel"):
        # Only the volunteer who redeemed sees their code (nobody else, signed in or not).
        code = records["redemption"].code
        return [{"code": code}, {"code": code, post: "post"}]
    if route_name == "volunteers:m_ranking":
        return [{"unit_pk": district.east_community.pk}]
    if route_name == "api:volunteers_points_entry_list":
        account = PointsAccount.objects.filter(unit=district.east_community).first()
        return [{"account_id": account.pk}]
    return None
