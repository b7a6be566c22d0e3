"""Pages of the outreach records (mounted at /media/, namespace ``media``): thin views over
``services`` (writes) and ``queries`` (reads), every record read through ``visible_to``."""

from __future__ import annotations

import mimetypes
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, QuerySet, Sum
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from xuanchuan.core.exports import xlsx_response
from xuanchuan.core.services import refusal_text, run_service
from xuanchuan.core.views import ScopedListView, visible_or_404
from xuanchuan.media import queries, services
from xuanchuan.media.filters import ArticleFilterSet, EpisodeFilterSet, MaterialFilterSet, PostFilterSet
from xuanchuan.media.forms import (
    AccountForm,
    ArticleForm,
    CampaignForm,
    EpisodeForm,
    ImportForm,
    MaterialForm,
    ProgrammeForm,
)
from xuanchuan.media.models import Account, Campaign, Episode, ImportLog, Material, Post, PressArticle, Programme
from xuanchuan.media.permissions import may_enter, may_manage_campaigns

MAX_IMPORT_BYTES = 10 * 1024 * 1024


def _require_enter(request: HttpRequest) -> None:
    if not may_enter(request.user):
        raise PermissionDenied


def _form_page(request: HttpRequest, form: Any, title: str, back: str, **extra: Any) -> HttpResponse:
    context = {"form": form, "title": title, "back": back, **extra}
    return render(request, "media/form.html", context)


def _confirm_page(request: HttpRequest, title: str, what: str, back: str) -> HttpResponse:
    return render(request, "media/confirm_delete.html", {"title": title, "what": what, "back": back})


def _file_response(field_file: Any, name: str) -> FileResponse:
    if not field_file:
        raise Http404
    try:
        handle = field_file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    content_type = mimetypes.guess_type(field_file.name)[0] or "application/octet-stream"
    response = FileResponse(handle, content_type=content_type, filename=name or field_file.name.rsplit("/", 1)[-1])
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- Press coverage --------------------------------------------------------------------------------


class ArticleListView(ScopedListView):
    """Press articles of the units the user sees."""

    model = PressArticle
    title = gettext_lazy("稿件见报")
    template_name = "media/list.html"
    filterset_class = ArticleFilterSet
    search_fields = ("title", "outlet", "topic")
    columns = (
        ("title", gettext_lazy("标题")),
        ("outlet", gettext_lazy("媒体")),
        ("get_level_display", gettext_lazy("级别")),
        ("published_on", gettext_lazy("刊播日期")),
        ("topic", gettext_lazy("主题")),
        ("unit__name", gettext_lazy("填报单位")),
    )
    export_name = "press_articles"

    def export_columns(self) -> Any:
        return (*self.columns, ("url", gettext_lazy("链接")), ("campaign__name", gettext_lazy("宣传活动")))

    def base_queryset(self) -> QuerySet:
        return super().base_queryset().select_related("unit", "campaign")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if may_enter(self.request.user):
            context["actions"] = [(reverse("media:article_create"), _("登记见报稿件"), "bi-plus-lg")]
        return context


def _article(request: HttpRequest, pk: int) -> PressArticle:
    return visible_or_404(
        PressArticle.objects.visible_to(request.user).select_related("unit", "campaign"),
        request.user,
        pk,
    )


@login_required
def article_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One press article with its link or clipping."""
    article = _article(request, pk)
    return render(
        request,
        "media/article_detail.html",
        {"article": article, "title": article.title, "may_enter": may_enter(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def article_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Enter a press article (or change one)."""
    _require_enter(request)
    article = _article(request, pk) if pk is not None else None
    initial = {}
    if article is not None:
        initial = {
            name: getattr(article, name) for name in ("title", "outlet", "level", "published_on", "url", "topic")
        }
        initial.update(unit=article.unit_id, campaign=article.campaign_id)
    form = ArticleForm(request.POST or None, request.FILES or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = run_service(
            request,
            lambda: services.save_article(
                form.article_data(),
                unit=form.cleaned_data["unit"],
                article=article,
                clipping=form.cleaned_data.get("clipping"),
                by=request.user,
            ),
            success=_("已保存。"),
        )
        if saved:
            return redirect(saved)
    title = _("修改见报稿件") if article else _("登记见报稿件")
    return _form_page(request, form, title, reverse("media:article_list"), multipart=True)


@login_required
@require_http_methods(["GET", "POST"])
def article_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete a press article after a confirmation."""
    article = _article(request, pk)
    if request.method == "POST":
        if run_service(request, lambda: services.delete_article(article, by=request.user) or True, _("已删除。")):
            return redirect("media:article_list")
        return redirect(article)
    return _confirm_page(request, _("删除见报稿件"), article.title, article.get_absolute_url())


@login_required
def article_clipping(request: HttpRequest, pk: int) -> FileResponse:
    """The clipping of an article the user may see."""
    article = _article(request, pk)
    return _file_response(article.clipping, article.clipping_name)


# --- TV and radio ----------------------------------------------------------------------------------


class ProgrammeListView(ScopedListView):
    """The TV and radio programmes, each with its number of episodes."""

    model = Programme
    title = gettext_lazy("广播电视栏目")
    template_name = "media/list.html"
    search_fields = ("name", "station", "channel")
    columns = (
        ("name", gettext_lazy("栏目")),
        ("station", gettext_lazy("电台/电视台")),
        ("channel", gettext_lazy("频道")),
        ("get_kind_display", gettext_lazy("类型")),
        ("episode_count", gettext_lazy("播出期数")),
        ("unit__name", gettext_lazy("填报单位")),
    )
    export_name = "programmes"

    def base_queryset(self) -> QuerySet:
        return (
            super()
            .base_queryset()
            .select_related("unit")
            .annotate(episode_count=Count("episodes"))
            .order_by("name", "pk")
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if may_enter(self.request.user):
            context["actions"] = [(reverse("media:programme_create"), _("登记栏目"), "bi-plus-lg")]
        return context


@login_required
@require_http_methods(["GET", "POST"])
def programme_create(request: HttpRequest) -> HttpResponse:
    _require_enter(request)
    form = ProgrammeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        programme = run_service(
            request,
            lambda: services.create_programme(
                unit=data["unit"],
                name=data["name"],
                station=data["station"],
                channel=data.get("channel") or "",
                kind=data["kind"],
                by=request.user,
            ),
            success=_("已登记栏目。"),
        )
        if programme:
            return redirect(programme)
    return _form_page(request, form, _("登记广播电视栏目"), reverse("media:programme_list"))


class ProgrammeDetailView(ScopedListView):
    """A programme and its episodes (search, dates, export), with the form to add one."""

    model = Episode
    template_name = "media/programme_detail.html"
    filterset_class = EpisodeFilterSet
    search_fields = ("title",)
    columns = (
        ("aired_on", gettext_lazy("播出日期")),
        ("title", gettext_lazy("本期标题")),
        ("duration_minutes", gettext_lazy("时长（分钟）")),
        ("url", gettext_lazy("链接")),
    )
    export_name = "episodes"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if request.user.is_authenticated:
            self.programme = visible_or_404(Programme, request.user, kwargs["pk"])
            self.title = str(self.programme)
        return super().dispatch(request, *args, **kwargs)

    def base_queryset(self) -> QuerySet:
        return super().base_queryset().filter(programme=self.programme)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["programme"] = self.programme
        context["may_enter"] = may_enter(self.request.user)
        context["delete_url_name"] = "media:episode_delete"
        if context["may_enter"]:
            context["episode_form"] = EpisodeForm()
        return context


@login_required
@require_http_methods(["POST"])
def episode_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Add an episode to a programme."""
    programme = visible_or_404(Programme, request.user, pk)
    _require_enter(request)
    form = EpisodeForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        run_service(
            request,
            lambda: services.add_episode(
                programme,
                aired_on=data["aired_on"],
                title=data["title"],
                duration_minutes=data.get("duration_minutes"),
                url=data.get("url") or "",
                by=request.user,
            ),
            success=_("已登记本期节目。"),
        )
    else:
        messages.error(request, "；".join(f"{form.fields[n].label}：{e[0]}" for n, e in form.errors.items()))
    return redirect(programme)


@login_required
@require_http_methods(["GET", "POST"])
def episode_delete(request: HttpRequest, pk: int) -> HttpResponse:
    episode = visible_or_404(
        Episode.objects.visible_to(request.user).select_related("programme"),
        request.user,
        pk,
    )
    if request.method == "POST":
        run_service(request, lambda: services.delete_episode(episode, by=request.user), _("已删除。"))
        return redirect(episode.programme)
    return _confirm_page(
        request, _("删除本期节目"), f"{episode.aired_on} {episode.title}", episode.programme.get_absolute_url()
    )


# --- New media -------------------------------------------------------------------------------------


@login_required
def account_list(request: HttpRequest) -> HttpResponse:
    """The accounts with their post counts and reads; importing an export starts here."""
    context = {
        "title": _("新媒体账号"),
        "accounts": queries.account_rows(request.user),
        "may_enter": may_enter(request.user),
    }
    return render(request, "media/account_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def account_create(request: HttpRequest) -> HttpResponse:
    _require_enter(request)
    form = AccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        account = run_service(
            request,
            lambda: services.create_account(
                unit=data["unit"], name=data["name"], platform=data["platform"], by=request.user
            ),
            success=_("已登记账号。"),
        )
        if account:
            return redirect(account)
    return _form_page(request, form, _("登记新媒体账号"), reverse("media:account_list"))


@login_required
def account_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An account: its latest posts, follower days and imports."""
    account = visible_or_404(
        Account.objects.visible_to(request.user).select_related("unit"),
        request.user,
        pk,
    )
    context = {
        "title": str(account),
        "account": account,
        "posts": queries.account_posts(request.user, account),
        "totals": Post.objects.visible_to(request.user)
        .filter(account=account)
        .aggregate(count=Count("pk"), reads=Sum("reads")),
        "imports": ImportLog.objects.visible_to(request.user).filter(account=account).select_related("created_by")[:10],
        "follower_days": account.follower_days.order_by("-day")[:10],
        "may_enter": may_enter(request.user),
    }
    return render(request, "media/account_detail.html", context)


class PostListView(ScopedListView):
    """Posts of the accounts the user sees, with their numbers as of the latest import."""

    model = Post
    title = gettext_lazy("新媒体发布")
    template_name = "media/list.html"
    filterset_class = PostFilterSet
    search_fields = ("title",)
    columns = (
        ("title", gettext_lazy("标题")),
        ("account__name", gettext_lazy("账号")),
        ("get_platform_display", gettext_lazy("平台")),
        ("published_at", gettext_lazy("发布时间")),
        ("reads", gettext_lazy("阅读/播放次数")),
        ("likes", gettext_lazy("点赞")),
        ("shares", gettext_lazy("分享")),
        ("comments", gettext_lazy("评论")),
    )
    export_name = "posts"

    def export_columns(self) -> Any:
        return (*self.columns, ("readers", gettext_lazy("阅读人数")), ("url", gettext_lazy("链接")))

    def base_queryset(self) -> QuerySet:
        return super().base_queryset().select_related("account")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if may_enter(self.request.user):
            context["actions"] = [(reverse("media:post_import"), _("导入后台数据"), "bi-upload")]
        return context


@login_required
@require_http_methods(["GET", "POST"])
def post_import(request: HttpRequest) -> HttpResponse:
    """Import a WeChat or Douyin back-office export for an account (all or nothing)."""
    _require_enter(request)
    initial = {"account": request.GET.get("account")} if str(request.GET.get("account", "")).isdigit() else {}
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            form.add_error("file", _("文件超过 10 MB，请按时间段分批导出后再导入。"))
        else:
            account = form.cleaned_data["account"]
            try:
                log = services.import_export(account, upload.read(), file_name=upload.name, by=request.user)
            except (PermissionDenied, ValidationError) as exc:
                # Not run_service: each bad cell is listed on its own line under the form.
                errors = exc.messages if isinstance(exc, ValidationError) else [refusal_text(exc)]
                return _form_page(
                    request, form, _("导入新媒体后台数据"), reverse("media:account_list"), multipart=True, errors=errors
                )
            messages.success(
                request,
                _("已导入“%(file)s”：新增 %(added)d 条，更新 %(updated)d 条，未变 %(same)d 条。")
                % {
                    "file": log.file_name,
                    "added": log.rows_added,
                    "updated": log.rows_updated,
                    "same": log.rows_unchanged,
                },
            )
            return redirect(account)
    return _form_page(request, form, _("导入新媒体后台数据"), reverse("media:account_list"), multipart=True)


class ImportLogListView(ScopedListView):
    """Who imported which file when, and what it changed."""

    model = ImportLog
    title = gettext_lazy("导入记录")
    template_name = "media/list.html"
    search_fields = ("file_name", "account__name")
    columns = (
        ("created_at", gettext_lazy("导入时间")),
        ("account__name", gettext_lazy("账号")),
        ("get_kind_display", gettext_lazy("文件类型")),
        ("file_name", gettext_lazy("文件名")),
        ("created_by__full_name", gettext_lazy("导入人")),
        ("rows_added", gettext_lazy("新增")),
        ("rows_updated", gettext_lazy("更新")),
        ("rows_unchanged", gettext_lazy("未变")),
    )
    export_name = "media_imports"

    def base_queryset(self) -> QuerySet:
        return super().base_queryset().select_related("account", "created_by")


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
