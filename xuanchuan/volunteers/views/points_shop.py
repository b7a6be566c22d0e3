"""Staff pages of the points shop: merchants (the points shop of a station or a partner) with
their clerks, goods and stock, and the redemptions list. Thin, like ``views.points``: reads through
``visible_to``, writes through ``services.shop``."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xuanchuan.core.services import run_service
from xuanchuan.core.views import visible_or_404
from xuanchuan.volunteers.forms.points import GoodsForm, MerchantForm, RedemptionFilterSet
from xuanchuan.volunteers.models import Goods, Merchant, Redemption
from xuanchuan.volunteers.queries import points as queries
from xuanchuan.volunteers.services import shop as services
from xuanchuan.volunteers.views.points import ManagerListView, form_page, require_manager

# ---------------------------------------------------------------- merchants and goods


class MerchantListView(ManagerListView):
    """兑换点: points shops and partner merchants of the user's scope."""

    model = Merchant
    title = gettext_lazy("兑换点")
    search_fields = ("name", "address")
    columns = (
        ("name", gettext_lazy("名称")),
        ("get_kind_display", gettext_lazy("类型")),
        ("address", gettext_lazy("地址")),
        ("unit__name", gettext_lazy("所属单位")),
        ("active", gettext_lazy("启用")),
    )
    export_name = "merchants"
    new_url = "volunteers:merchant_create"
    link_name = "volunteers:merchant_edit"
    new_label = gettext_lazy("新增兑换点")

    def base_queryset(self) -> Any:
        return Merchant.objects.visible_to(self.request.user).select_related("unit")


def _merchant_form(request: HttpRequest, merchant: Merchant | None) -> HttpResponse:
    instance = merchant
    form = MerchantForm(request.POST or None, instance=instance, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        staff = data.pop("staff")
        if merchant is None:
            unit = data.pop("unit")
            action = lambda: services.merchant_create(by=request.user, unit=unit, staff=staff, **data)  # noqa: E731
        else:
            action = lambda: services.merchant_edit(merchant, by=request.user, staff=staff, **data)  # noqa: E731
        if run_service(request, action, _("已保存。")) is not None:
            return HttpResponseRedirect(reverse("volunteers:merchant_list"))
    goods = Goods.objects.visible_to(request.user).filter(merchant=merchant) if merchant else []
    title = _("修改兑换点") if merchant else _("新增兑换点")
    return form_page(request, title, form, reverse("volunteers:merchant_list"), merchant=merchant, goods=goods)


@login_required
def merchant_create(request: HttpRequest) -> HttpResponse:
    """新增兑换点, with its clerks."""
    require_manager(request)
    return _merchant_form(request, None)


@login_required
def merchant_edit(request: HttpRequest, pk: Any) -> HttpResponse:
    """修改兑换点 and its clerks; lists its goods."""
    require_manager(request)
    return _merchant_form(request, visible_or_404(Merchant, request.user, pk))


@login_required
def goods_create(request: HttpRequest, pk: Any) -> HttpResponse:
    """上架物品 at a merchant."""
    require_manager(request)
    merchant = visible_or_404(Merchant, request.user, pk)
    back = reverse("volunteers:merchant_edit", args=[merchant.pk])
    form = GoodsForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and run_service(
            request,
            lambda: services.goods_create(by=request.user, merchant=merchant, **form.cleaned_data),
            _("已保存。"),
        )
    ):
        return HttpResponseRedirect(back)
    return form_page(request, _("新增物品：%(merchant)s") % {"merchant": merchant.name}, form, back)


@login_required
def goods_edit(request: HttpRequest, pk: Any) -> HttpResponse:
    """修改物品 (price, stock, offered or not)."""
    require_manager(request)
    goods = visible_or_404(Goods, request.user, pk)
    back = reverse("volunteers:merchant_edit", args=[goods.merchant_id])
    form = GoodsForm(request.POST or None, instance=goods)
    if (
        request.method == "POST"
        and form.is_valid()
        and run_service(
            request, lambda: services.goods_edit(goods, by=request.user, **form.cleaned_data), _("已保存。")
        )
    ):
        return HttpResponseRedirect(back)
    return form_page(request, _("修改物品"), form, back)


# ---------------------------------------------------------------- redemptions


class RedemptionListView(ManagerListView):
    """积分兑换记录 of the user's scope (status filter, export)."""

    model = Redemption
    title = gettext_lazy("积分兑换记录")
    filterset_class = RedemptionFilterSet
    search_fields = ("code", "goods__name")
    columns = (
        ("created_at", gettext_lazy("兑换时间")),
        ("goods__name", gettext_lazy("物品")),
        ("quantity", gettext_lazy("数量")),
        ("points", gettext_lazy("积分")),
        ("goods__merchant__name", gettext_lazy("兑换点")),
        ("get_status_display", gettext_lazy("状态")),
        ("label", gettext_lazy("兑换人")),
    )
    export_name = "redemptions"

    def base_queryset(self) -> Any:
        return Redemption.objects.visible_to(self.request.user).select_related(
            "goods__merchant", "account__volunteer", "account__household"
        )

    def row_values(self, row: Any, columns: Any = None) -> list[Any]:
        row.label = queries.owner_label(row.account)
        return super().row_values(row, columns)
