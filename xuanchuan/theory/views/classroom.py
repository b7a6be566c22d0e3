"""Staff pages of the classroom part: categories and items (list with Excel, detail with a player,
edit, publish, withdraw, delete a draft); the resumable upload is ``classroom_uploads``. Thin:
reads through ``queries.classroom`` (``visible_to``), writes through ``services.classroom``;
another unit's record answers 404 like a missing one."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from xuanchuan.core.services import run_service
from xuanchuan.core.views import ScopedListView, confirm_page, confirm_then_run, style_form, visible_or_404
from xuanchuan.theory.forms.classroom import (
    CategoryFilterSet,
    CategoryForm,
    ItemFilterSet,
    ItemForm,
    format_duration,
)
from xuanchuan.theory.models import Category, ClassItem, ItemStatus
from xuanchuan.theory.permissions import may_manage_classroom, may_view
from xuanchuan.theory.queries import classroom as queries
from xuanchuan.theory.services import classroom as services

FORM_TEMPLATE = "theory/classroom/_form.html"


def _require_view(request: HttpRequest) -> None:
    if not may_view(request.user):
        raise PermissionDenied


def _require_manager(request: HttpRequest) -> None:
    if not may_manage_classroom(request.user):
        raise PermissionDenied


def _category(request: HttpRequest, pk: Any) -> Category:
    _require_manager(request)
    return visible_or_404(queries.categories(request.user), request.user, pk)


def _item(request: HttpRequest, pk: Any) -> ClassItem:
    _require_view(request)
    return visible_or_404(queries.items(request.user), request.user, pk)


def _form_page(request: HttpRequest, context: dict[str, Any]) -> HttpResponse:
    return render(request, FORM_TEMPLATE, context, status=400 if request.method == "POST" else 200)


def _item_context(form: ItemForm, **extra: Any) -> dict[str, Any]:
    return {"form": style_form(form), "multipart": True, **extra}


# ---------------------------------------------------------------- categories


class CategoryListView(ScopedListView):
    """课程类别: the categories of the units the user sees, in their order (filter by state, search,
    Excel export); managers create, edit, stop and restart them."""

    model = Category
    title = gettext_lazy("云课堂课程类别")
    template_name = "theory/classroom/category_list.html"
    filterset_class = CategoryFilterSet
    search_fields = ("name",)
    columns = (
        ("name", gettext_lazy("名称")),
        ("order", gettext_lazy("排序")),
        ("state_label", gettext_lazy("状态")),
        ("unit__name", gettext_lazy("所属单位")),
    )
    export_name = "theory-categories"

    def base_queryset(self) -> QuerySet:
        return Category.objects.select_related("unit").order_by("unit__path", "order", "name")  # scoping: allowed

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            _require_manager(request)
        return super().get(request, *args, **kwargs)

    def row_values(self, row: Any, columns: Any = None) -> list[Any]:
        row.state_label = _("启用") if row.active else _("停用")
        return super().row_values(row, columns)


@login_required
@require_http_methods(["GET", "POST"])
def category_create(request: HttpRequest) -> HttpResponse:
    """New category of the user's unit."""
    _require_manager(request)
    form = CategoryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        category = run_service(
            request,
            lambda: services.create_category(
                unit=request.user.unit, name=data["name"], order=data["order"], by=request.user
            ),
            success=_("类别已添加。"),
        )
        if category is not None:
            return redirect("theory:category_list")
    return _form_page(
        request, {"form": style_form(form), "title": _("新增课程类别"), "back": reverse("theory:category_list")}
    )


@login_required
@require_http_methods(["GET", "POST"])
def category_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Rename or reorder a category."""
    category = _category(request, pk)
    form = CategoryForm(request.POST or None, instance=Category(name=category.name, order=category.order))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = run_service(
            request,
            lambda: services.update_category(category, name=data["name"], order=data["order"], by=request.user),
            success=_("类别已保存。"),
        )
        if done is not None:
            return redirect("theory:category_list")
    return _form_page(
        request,
        {"form": style_form(form), "title": _("编辑课程类别：%s") % category, "back": reverse("theory:category_list")},
    )


@login_required
@require_http_methods(["GET", "POST"])
def category_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    """Stop a category (after confirmation): new items no longer go in it; its items stay."""
    category = _category(request, pk)
    return confirm_then_run(
        request,
        lambda: services.set_category_active(category, False, by=request.user),
        success=_("类别已停用。"),
        done_url=reverse("theory:category_list"),
        title=_("停用类别"),
        question=_("停用类别“%s”？") % category,
        explain=_("停用后新课程不能再选它；已有课程仍在该类别下。可以随时重新启用。"),
        button=_("停用"),
        danger=True,
    )


@login_required
@require_http_methods(["GET", "POST"])
def category_activate(request: HttpRequest, pk: int) -> HttpResponse:
    """Offer a stopped category again (after confirmation)."""
    category = _category(request, pk)
    return confirm_then_run(
        request,
        lambda: services.set_category_active(category, True, by=request.user),
        success=_("类别已启用。"),
        done_url=reverse("theory:category_list"),
        title=_("启用类别"),
        question=_("重新启用类别“%s”？") % category,
        button=_("启用"),
    )


# ---------------------------------------------------------------- items


class ItemListView(ScopedListView):
    """云课堂课程: the items of the units the user sees (filter by category, kind, status; search
    title and speaker; Excel export)."""

    model = ClassItem
    title = gettext_lazy("云课堂课程")
    template_name = "theory/classroom/item_list.html"
    filterset_class = ItemFilterSet
    search_fields = ("title", "speaker", "description")
    columns = (
        ("title", gettext_lazy("标题")),
        ("category__name", gettext_lazy("类别")),
        ("get_kind_display", gettext_lazy("类型")),
        ("speaker", gettext_lazy("主讲人")),
        ("duration_label", gettext_lazy("时长")),
        ("get_status_display", gettext_lazy("状态")),
        ("published_at", gettext_lazy("发布时间")),
        ("unit__name", gettext_lazy("所属单位")),
    )
    export_name = "theory-classroom-items"

    def base_queryset(self) -> QuerySet:
        return ClassItem.objects.select_related("category", "unit")  # scoping: allowed

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            _require_view(request)
        return super().get(request, *args, **kwargs)

    def row_values(self, row: Any, columns: Any = None) -> list[Any]:
        row.duration_label = format_duration(row.duration_seconds)
        return super().row_values(row, columns)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["may_manage"] = may_manage_classroom(self.request.user)
        return context


@login_required
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An item with a player (its media through the ranged media view) and its actions."""
    item = _item(request, pk)
    return render(
        request,
        "theory/classroom/item_detail.html",
        {
            "item": item,
            "title": item.title,
            "duration": format_duration(item.duration_seconds),
            "may_manage": may_manage_classroom(request.user),
            "size_mb": f"{item.size / (1024 * 1024):.1f}",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change an item's description, category, length or poster."""
    item = _item(request, pk)
    _require_manager(request)
    form = ItemForm(request.POST or None, request.FILES or None, user=request.user, item=item)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = run_service(
            request,
            lambda: services.update_item(
                item,
                title=data["title"],
                category=data["category"],
                speaker=data["speaker"],
                description=data["description"],
                lecture=data["lecture"],
                duration_seconds=data["duration"],
                poster=data["poster"] or None,
                remove_poster=data["poster"] is False,
                by=request.user,
            ),
            success=_("课程已保存。"),
        )
        if done is not None:
            return redirect("theory:item_detail", pk=item.pk)
    delete_url = reverse("theory:item_delete", args=[item.pk]) if item.status == ItemStatus.DRAFT else ""
    return _form_page(
        request,
        _item_context(
            form,
            title=_("编辑课程：%s") % item,
            back=reverse("theory:item_detail", args=[item.pk]),
            delete_url=delete_url,
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def item_publish(request: HttpRequest, pk: int) -> HttpResponse:
    """Publish an item (after confirmation): it appears in the public phone classroom."""
    item = _item(request, pk)
    _require_manager(request)
    return confirm_then_run(
        request,
        lambda: services.publish(item, by=request.user),
        success=_("课程已发布，居民可以在云课堂观看。"),
        done_url=reverse("theory:item_detail", args=[item.pk]),
        title=_("发布课程"),
        question=_("发布“%s”？") % item,
        explain=_("发布后任何人都可以在手机云课堂观看，随时可以撤下。"),
        button=_("发布"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def item_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """Withdraw a published item (after confirmation): gone from the public classroom, its plays
    and questions kept."""
    item = _item(request, pk)
    _require_manager(request)
    return confirm_then_run(
        request,
        lambda: services.withdraw(item, by=request.user),
        success=_("课程已撤下。"),
        done_url=reverse("theory:item_detail", args=[item.pk]),
        title=_("撤下课程"),
        question=_("撤下“%s”？") % item,
        explain=_("撤下后居民不能再观看；播放记录和提问保留，可以重新发布。"),
        button=_("撤下"),
        danger=True,
    )


@login_required
@require_http_methods(["GET", "POST"])
def item_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete a draft never published, with its files (after confirmation)."""
    item = _item(request, pk)
    _require_manager(request)
    if request.method == "POST":
        if run_service(
            request, lambda: services.delete_draft(item, by=request.user) or True, success=_("课程已删除。")
        ):
            return redirect("theory:item_list")
        return redirect("theory:item_detail", pk=item.pk)
    if item.status != ItemStatus.DRAFT:
        messages.error(request, _("只能删除未发布过的课程；已发布的请撤下。"))
        return redirect("theory:item_detail", pk=item.pk)
    return confirm_page(
        request,
        back=reverse("theory:item_detail", args=[item.pk]),
        title=_("删除课程"),
        question=_("删除“%s”及其音视频文件？") % item,
        explain=_("删除后无法恢复。"),
        button=_("删除"),
        danger=True,
    )
