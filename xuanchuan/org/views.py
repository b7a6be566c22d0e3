"""Pages of the organisation: units and people, read through the scoping rule."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet
from django.utils.translation import gettext_lazy as _

from xuanchuan.core.views import ScopedDetailView, ScopedListView
from xuanchuan.org.filters import PersonFilterSet, UnitFilterSet
from xuanchuan.org.models import Unit, User
from xuanchuan.org.queries import unit_page


class UnitListView(ScopedListView):
    """The units the user may see, with parent name and head count."""

    model = Unit
    title = _("单位")
    filterset_class = UnitFilterSet
    search_fields = ("name", "short_name", "code")
    columns = (
        ("name", _("名称")),
        ("get_unit_type_display", _("类型")),
        ("parent_name", _("上级单位")),
        ("code", _("单位代码")),
        ("member_count", _("人员数")),
        ("established_on", _("设立日期")),
        ("dissolved_on", _("撤销日期")),
    )
    export_name = "units"

    def base_queryset(self) -> QuerySet:
        return super().base_queryset().with_parent_name().annotate(member_count=Count("members"))


class UnitDetailView(ScopedDetailView):
    """A unit with its place in the tree, the units below it and its members."""

    model = Unit
    template_name = "org/unit_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        page = unit_page(self.request.user, self.object)
        context.update(
            {"title": self.object.name, "ancestors": page.ancestors, "children": page.children, "members": page.members}
        )
        return context


class PersonListView(ScopedListView):
    """The people of the units the user may see."""

    model = User
    title = _("人员")
    filterset_class = PersonFilterSet
    search_fields = ("full_name", "username", "job_title", "unit__name")
    columns = (
        ("full_name", _("姓名")),
        ("username", _("用户名")),
        ("unit__name", _("单位")),
        ("job_title", _("职务")),
        ("role_names", _("角色")),
        ("status_label", _("状态")),
        ("last_login", _("最近登录")),
    )
    export_name = "people"

    def base_queryset(self) -> QuerySet:
        return super().base_queryset().select_related("unit").prefetch_related("roles")


class PersonDetailView(ScopedDetailView):
    """One person: unit, roles, contact (the phone masked unless revealed)."""

    model = User
    template_name = "org/person_detail.html"
    context_object_name = "person"

    def base_queryset(self) -> QuerySet:
        return super().base_queryset().select_related("unit").prefetch_related("roles")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["title"] = str(self.object)
        return context
