"""Publicity campaigns and the material units put up for them."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from xuanchuan.core.exports import xlsx_response
from xuanchuan.core.services import run_service
from xuanchuan.core.views import ScopedListView, visible_or_404
from xuanchuan.media import queries, services
from xuanchuan.media.filters import MaterialFilterSet
from xuanchuan.media.forms import (
    CampaignForm,
    MaterialForm,
)
from xuanchuan.media.models import Campaign, Material
from xuanchuan.media.permissions import may_enter, may_manage_campaigns
from xuanchuan.media.views._common import _confirm_page, _file_response, _form_page, _require_enter

# --- Campaigns -------------------------------------------------------------------------------------


class CampaignListView(ScopedListView):
    model = Campaign
    title = gettext_lazy("宣传活动")
    template_name = "media/list.html"
    search_fields = ("name",)
    columns = (
        ("name", gettext_lazy("宣传活动")),
        ("starts_on", gettext_lazy("开始日期")),
        ("ends_on", gettext_lazy("结束日期")),
        ("unit__name", gettext_lazy("发起单位")),
    )
    export_name = "campaigns"

    def base_queryset(self) -> QuerySet:
        return super().base_queryset().select_related("unit")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if may_manage_campaigns(self.request.user):
            context["actions"] = [(reverse("media:campaign_create"), _("发起宣传活动"), "bi-plus-lg")]
        return context


@login_required
@require_http_methods(["GET", "POST"])
def campaign_create(request: HttpRequest) -> HttpResponse:
    if not may_manage_campaigns(request.user):
        raise PermissionDenied
    form = CampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        campaign = run_service(
            request,
            lambda: services.create_campaign(
                name=data["name"],
                starts_on=data["starts_on"],
                ends_on=data.get("ends_on"),
                description=data.get("description") or "",
                by=request.user,
            ),
            success=_("已发起宣传活动，各单位可登记投放的宣传品。"),
        )
        if campaign:
            return redirect(campaign)
    return _form_page(request, form, _("发起宣传活动"), reverse("media:campaign_list"))


@login_required
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A campaign's material per unit with the totals (``?export=xlsx`` for the table)."""
    campaign = visible_or_404(
        Campaign.objects.visible_to(request.user).select_related("unit"),
        request.user,
        pk,
    )
    rollup = queries.campaign_rollup(request.user, campaign)
    headers = [_("单位")] + [f"{label}（{unit}）" for _kind, label, unit in rollup.kinds]
    if request.GET.get("export") == "xlsx":
        rows = [[unit.name, *values] for unit, values in rollup.rows] + [[_("合计"), *rollup.totals]]
        return xlsx_response(f"campaign_{campaign.pk}", campaign.name[:30], headers, rows)
    context = {
        "title": campaign.name,
        "campaign": campaign,
        "rollup": rollup,
        "headers": headers,
        "may_enter": may_enter(request.user),
    }
    return render(request, "media/campaign_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def material_create(request: HttpRequest, pk: int) -> HttpResponse:
    """A unit enters the material it put up for a campaign (phone-friendly form)."""
    campaign = visible_or_404(Campaign, request.user, pk)
    _require_enter(request)
    form = MaterialForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        material = run_service(
            request,
            lambda: services.add_material(
                campaign,
                unit=data["unit"],
                kind=data["kind"],
                quantity=data["quantity"],
                placed_on=data["placed_on"],
                note=data.get("note") or "",
                photo=data.get("photo"),
                by=request.user,
            ),
            success=_("已登记。"),
        )
        if material:
            if request.POST.get("again"):
                return redirect("media:material_create", pk=campaign.pk)
            return redirect(campaign)
    return _form_page(
        request,
        form,
        _("登记宣传品投放"),
        campaign.get_absolute_url(),
        multipart=True,
        subtitle=campaign.name,
        again=True,
    )


class MaterialListView(ScopedListView):
    model = Material
    title = gettext_lazy("宣传品投放")
    template_name = "media/list.html"
    filterset_class = MaterialFilterSet
    search_fields = ("note", "campaign__name")
    columns = (
        ("placed_on", gettext_lazy("日期")),
        ("campaign__name", gettext_lazy("宣传活动")),
        ("unit__name", gettext_lazy("单位")),
        ("get_kind_display", gettext_lazy("类别")),
        ("quantity", gettext_lazy("数量")),
        ("measure_unit", gettext_lazy("单位名称")),
        ("note", gettext_lazy("备注")),
    )
    export_name = "campaign_material"

    def base_queryset(self) -> QuerySet:
        return super().base_queryset().select_related("campaign", "unit")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["may_enter"] = may_enter(self.request.user)
        context["delete_url_name"] = "media:material_delete"
        return context


@login_required
@require_http_methods(["GET", "POST"])
def material_delete(request: HttpRequest, pk: int) -> HttpResponse:
    material = visible_or_404(
        Material.objects.visible_to(request.user).select_related("campaign", "unit"),
        request.user,
        pk,
    )
    if request.method == "POST":
        run_service(request, lambda: services.delete_material(material, by=request.user), _("已删除。"))
        return redirect(material.campaign)
    what = f"{material.unit.name} {material.get_kind_display()} {material.quantity}{material.measure_unit}"
    return _confirm_page(request, _("删除宣传品投放"), what, material.campaign.get_absolute_url())


@login_required
def material_photo(request: HttpRequest, pk: int) -> FileResponse:
    material = visible_or_404(Material, request.user, pk)
    return _file_response(material.photo, "")
