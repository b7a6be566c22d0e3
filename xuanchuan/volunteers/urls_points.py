"""Pages of the volunteers app's points part: staff pages under ``points/`` (rules, claims,
accounts and deductions, households, merchants and goods, redemptions, the clerk's confirmation
opened by scanning, rankings) and the residents' phone pages under ``m/``."""

from django.urls import path

from xuanchuan.volunteers.views import points as views
from xuanchuan.volunteers.views import points_clerk as clerk
from xuanchuan.volunteers.views import points_m as phone
from xuanchuan.volunteers.views import points_shop as shop

urlpatterns = [
    path("points/rules/", views.RuleListView.as_view(), name="rule_list"),
    path("points/rules/new/", views.rule_create, name="rule_create"),
    path("points/rules/<int:pk>/edit/", views.rule_edit, name="rule_edit"),
    path("points/rules/<int:pk>/delete/", views.rule_delete, name="rule_delete"),
    path("points/claims/", views.claim_queue, name="claim_queue"),
    path("points/claims/new/", views.claim_create, name="claim_create"),
    path("points/claims/<int:pk>/approve/", views.claim_approve, name="claim_approve"),
    path("points/claims/<int:pk>/refuse/", views.claim_refuse, name="claim_refuse"),
    path("points/accounts/", views.AccountListView.as_view(), name="account_list"),
    path("points/accounts/<int:pk>/", views.account_detail, name="account_detail"),
    path("points/accounts/<int:pk>/deduct/", views.deduct, name="deduct"),
    path("points/households/", views.HouseholdListView.as_view(), name="household_list"),
    path("points/households/new/", views.household_create, name="household_create"),
    path("points/households/<int:pk>/", views.household_detail, name="household_detail"),
    path("points/households/<int:pk>/edit/", views.household_edit, name="household_edit"),
    path("points/households/<int:pk>/members/add/", views.household_member_add, name="household_member_add"),
    path(
        "points/households/<int:pk>/members/<int:volunteer_pk>/remove/",
        views.household_member_remove,
        name="household_member_remove",
    ),
    path("points/merchants/", shop.MerchantListView.as_view(), name="merchant_list"),
    path("points/merchants/new/", shop.merchant_create, name="merchant_create"),
    path("points/merchants/<int:pk>/edit/", shop.merchant_edit, name="merchant_edit"),
    path("points/merchants/<int:pk>/goods/new/", shop.goods_create, name="goods_create"),
    path("points/goods/<int:pk>/edit/", shop.goods_edit, name="goods_edit"),
    path("points/redemptions/", shop.RedemptionListView.as_view(), name="redemption_list"),
    path("points/redeem/", clerk.redemption_lookup, name="redemption_lookup"),
    path("points/redeem/<str:code>/", clerk.redemption_confirm, name="redemption_confirm"),
    path("points/ranking/", views.ranking, name="ranking"),
    path("m/points/", phone.m_points, name="m_points"),
    path("m/points/claim/", phone.m_claim_new, name="m_claim_new"),
    path("m/shop/", phone.m_shop, name="m_shop"),
    path("m/shop/<int:goods_pk>/redeem/", phone.m_redeem, name="m_redeem"),
    path("m/redemptions/<str:code>/", phone.m_redemption, name="m_redemption"),
    path("m/redemptions/<str:code>/cancel/", phone.m_redemption_cancel, name="m_redemption_cancel"),
    path("m/ranking/<int:unit_pk>/", phone.m_ranking, name="m_ranking"),
]
