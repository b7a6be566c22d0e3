"""Press coverage and TV/radio programmes with their episodes."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from xuanchuan.core.services import run_service
from xuanchuan.core.views import ScopedListView, visible_or_404
from xuanchuan.media import services
from xuanchuan.media.filters import ArticleFilterSet, EpisodeFilterSet
from xuanchuan.media.forms import (
    ArticleForm,
    EpisodeForm,
    ProgrammeForm,
)
from xuanchuan.media.models import Episode, PressArticle, Programme
from xuanchuan.media.permissions import may_enter
from xuanchuan.media.views._common import _confirm_page, _file_response, _form_page, _require_enter

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
