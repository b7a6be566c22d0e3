"""New-media accounts, their posts and the imports of the platforms' exports."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, QuerySet, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from xuanchuan.core.services import refusal_text, run_service
from xuanchuan.core.views import ScopedListView, visible_or_404
from xuanchuan.media import queries, services
from xuanchuan.media.filters import PostFilterSet
from xuanchuan.media.forms import (
    AccountForm,
    ImportForm,
)
from xuanchuan.media.models import Account, ImportLog, Post
from xuanchuan.media.permissions import may_enter
from xuanchuan.media.views._common import MAX_IMPORT_BYTES, _form_page, _require_enter

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
