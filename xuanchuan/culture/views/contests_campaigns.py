"""Staff pages of the contests part, local-product campaigns (我为家乡特产代言): the list, a
campaign's page with its videos and their reach in total and per platform, and the actions
(campaign, video, a new reading of a video's reach, deleting a video after a confirmation)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from xuanchuan.core.services import run_service
from xuanchuan.core.views import require_role as require
from xuanchuan.core.views import visible_or_404
from xuanchuan.culture.forms import contests as forms
from xuanchuan.culture.models import ProductCampaign, ProductVideo
from xuanchuan.culture.permissions import may_manage_events, may_view
from xuanchuan.culture.queries import contests as queries
from xuanchuan.culture.services import contests as services
from xuanchuan.culture.views.contests import StaffListView, confirm_then_run, form_page


class CampaignListView(StaffListView):
    """Product campaigns in scope (year, unit, platform), with their videos and total reach."""

    model = ProductCampaign
    filterset_class = forms.CampaignFilterSet
    search_fields = ("title", "products", "description", "videos__title")
    title = gettext_lazy("特产推介")
    export_name = "product-campaigns"
    detail_url_name = "culture:campaign_detail"
    tab = "campaigns"
    create_url_name = "culture:campaign_create"
    create_label = gettext_lazy("新建推介活动")
    columns = (
        ("title", gettext_lazy("活动名称")),
        ("year", gettext_lazy("年度")),
        ("unit__name", gettext_lazy("主办单位")),
        ("products", gettext_lazy("推介的特产")),
        ("video_count", gettext_lazy("短片")),
        ("total_views", gettext_lazy("播放量")),
        ("total_likes", gettext_lazy("点赞数")),
    )

    def get_queryset(self) -> QuerySet:
        # Searching the videos' titles joins them: one row per campaign all the same.
        return super().get_queryset().distinct()

    def base_queryset(self) -> QuerySet:
        return queries.campaigns(self.request.user).order_by("-year", "title", "pk")


def _campaign(request: HttpRequest, pk: Any) -> ProductCampaign:
    require(may_view(request.user))
    return visible_or_404(ProductCampaign.objects.visible_to(request.user).select_related("unit"), request.user, pk)


def _manageable(request: HttpRequest, pk: Any) -> ProductCampaign:
    campaign = _campaign(request, pk)
    require(may_manage_events(request.user))
    return campaign


def _video(request: HttpRequest, campaign: ProductCampaign, video_pk: Any) -> ProductVideo:
    return visible_or_404(queries.videos(request.user).filter(campaign=campaign), request.user, video_pk)


def _detail_url(campaign: ProductCampaign) -> str:
    return reverse("culture:campaign_detail", kwargs={"pk": campaign.pk})


@login_required
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A campaign: its videos (newest first) with a form to read their reach again, total views and
    likes, and the reach per platform."""
    campaign = _campaign(request, pk)
    videos = list(
        ProductVideo.objects.visible_to(request.user).filter(campaign=campaign).order_by("-published_on", "pk")
    )
    context = {
        "campaign": campaign,
        "title": campaign.title,
        "videos": videos,
        "platforms": queries.reach_by_platform(campaign),
        "total_views": sum(video.views for video in videos),
        "total_likes": sum(video.likes for video in videos),
        "may_manage": may_manage_events(request.user),
        "today": timezone.localdate(),
        "tab": "campaigns",
    }
    return render(request, "culture/contests/campaign_detail.html", context)


def _campaign_input(data: dict[str, Any]) -> services.CampaignInput:
    return services.CampaignInput(
        title=data["title"], year=data["year"], products=data["products"], description=data["description"]
    )


@login_required
@require_http_methods(["GET", "POST"])
def campaign_create(request: HttpRequest) -> HttpResponse:
    """A new local-product campaign; its videos are added on its page."""
    require(may_manage_events(request.user))
    form = forms.CampaignForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        campaign = run_service(
            request,
            lambda: services.create_campaign(_campaign_input(data), unit=data["unit"], by=request.user),
            success=_("已新建推介活动，请添加短片。"),
        )
        if campaign is not None:
            return redirect(_detail_url(campaign))
    return form_page(request, form, title=_("新建特产推介活动"), back=reverse("culture:campaign_list"))


@login_required
@require_http_methods(["GET", "POST"])
def campaign_edit(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _manageable(request, pk)
    initial = {
        "title": campaign.title,
        "year": campaign.year,
        "products": campaign.products,
        "description": campaign.description,
    }
    form = forms.CampaignForm(request.POST or None, user=request.user, editing=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            request,
            lambda: services.update_campaign(campaign, _campaign_input(form.cleaned_data), by=request.user),
            success=_("已保存。"),
        )
        if done is not None:
            return redirect(_detail_url(campaign))
    return form_page(request, form, title=_("修改特产推介活动"), back=_detail_url(campaign))


def _video_form(request: HttpRequest, campaign: ProductCampaign, item: ProductVideo | None) -> HttpResponse:
    initial: dict[str, Any] = {}
    if item is not None:
        initial = {
            name: getattr(item, name)
            for name in ("title", "platform", "url", "published_on", "views", "likes", "counted_on")
        }
    form = forms.VideoForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = run_service(
            request,
            lambda: services.save_video(campaign, item, form.video_input(), by=request.user),
            success=_("已保存短片。"),
        )
        if saved is not None:
            return redirect(_detail_url(campaign))
    title = _("修改短片") if item else _("添加短片")
    return form_page(request, form, title=title, back=_detail_url(campaign), subject=campaign.title)


@login_required
@require_http_methods(["GET", "POST"])
def video_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a promotion video: platform, https link, publication date and, if read, its reach."""
    return _video_form(request, _manageable(request, pk), None)


@login_required
@require_http_methods(["GET", "POST"])
def video_edit(request: HttpRequest, pk: int, video_pk: int) -> HttpResponse:
    campaign = _manageable(request, pk)
    return _video_form(request, campaign, _video(request, campaign, video_pk))


@login_required
@require_http_methods(["POST"])
def video_reach(request: HttpRequest, pk: int, video_pk: int) -> HttpResponse:
    """A new reading of a video's views and likes (the small form on the campaign's page)."""
    campaign = _manageable(request, pk)
    video = _video(request, campaign, video_pk)
    form = forms.ReachForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        run_service(
            request,
            lambda: services.update_reach(
                video, views=data["views"], likes=data["likes"], counted_on=data["counted_on"], by=request.user
            ),
            success=_("已更新“%(title)s”的播放量。") % {"title": video.title},
        )
    else:
        problems = "；".join(f"{form.fields[name].label}：{' '.join(errors)}" for name, errors in form.errors.items())
        messages.error(request, _("“%(title)s”的播放量未更新（%(why)s）。") % {"title": video.title, "why": problems})
    return redirect(f"{_detail_url(campaign)}#video-{video.pk}")


@login_required
@require_http_methods(["GET", "POST"])
def video_delete(request: HttpRequest, pk: int, video_pk: int) -> HttpResponse:
    """Delete a video (asks first)."""
    campaign = _manageable(request, pk)
    video = _video(request, campaign, video_pk)
    return confirm_then_run(
        request,
        lambda: services.delete_video(video, by=request.user),
        success=_("已删除短片“%(title)s”。") % {"title": video.title},
        done_url=_detail_url(campaign),
        title=_("删除短片"),
        question=_("删除短片“%(title)s”？") % {"title": video.title},
        explain=_("删除后它的播放量不再计入推介活动和工作报告。"),
        button=_("删除"),
        danger=True,
    )
