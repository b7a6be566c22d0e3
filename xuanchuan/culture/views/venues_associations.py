"""Staff pages of the venues part's arts associations: the list (counts by status, filters,
Excel), an association with its members (current and left; phones masked, reveal logged; Excel
with masked phones) and its activities, create and edit, mark established, dissolve; members
added, changed and leaving. Thin, like ``views.venues``."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from xuanchuan.core.exports import xlsx_response
from xuanchuan.core.pii import masked
from xuanchuan.core.services import run_service
from xuanchuan.core.views import require_role as require
from xuanchuan.core.views import visible_or_404
from xuanchuan.culture.forms import venues as forms
from xuanchuan.culture.models import Association, AssociationMember, AssociationStatus
from xuanchuan.culture.permissions import may_manage_events, may_view
from xuanchuan.culture.queries import venues as queries
from xuanchuan.culture.services import venues as services
from xuanchuan.culture.views.venues import StaffListView, confirm_then_run, form_page

EVENTS_PER_PAGE = 20
MEMBER_COLUMNS = (
    gettext_lazy("姓名"),
    gettext_lazy("职务"),
    gettext_lazy("联系电话"),
    gettext_lazy("入会日期"),
    gettext_lazy("退会日期"),
    gettext_lazy("状态"),
)


class AssociationListView(StaffListView):
    """Associations in scope: counts by status, filters status, art form, unit; search; Excel."""

    model = Association
    template_name = "culture/venues/association_list.html"
    filterset_class = forms.AssociationFilterSet
    search_fields = ("name", "art_form", "leader", "description")
    title = gettext_lazy("文艺协会")
    export_name = "culture-associations"
    detail_url_name = "culture:association_detail"
    tab = "associations"
    create_url_name = "culture:association_create"
    create_label = gettext_lazy("新增协会")
    columns = (
        ("name", gettext_lazy("协会名称")),
        ("art_form", gettext_lazy("门类")),
        ("unit__name", gettext_lazy("所属单位")),
        ("get_status_display", gettext_lazy("状态")),
        ("established_on", gettext_lazy("成立日期")),
        ("dissolved_on", gettext_lazy("撤销日期")),
        ("leader", gettext_lazy("负责人")),
        ("member_count", gettext_lazy("现有会员")),
        ("event_count", gettext_lazy("已开展活动")),
    )

    def base_queryset(self) -> QuerySet:
        return queries.associations(self.request.user).order_by("status", "unit__path", "name", "pk")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["statuses"] = queries.status_counts(self.request.user)
        context["status"] = self.request.GET.get("status", "")
        return context


def _association(request: HttpRequest, pk: Any) -> Association:
    require(may_view(request.user))
    return visible_or_404(queries.associations(request.user), request.user, pk)


def _member_row(member: AssociationMember) -> list[Any]:
    return [
        member.name,
        member.role,
        masked(member, "phone"),
        member.joined_on,
        member.left_on or "",
        _("在会") if member.left_on is None else _("已退会"),
    ]


def _export_members(association: Association, members: QuerySet) -> HttpResponse:
    """The member list as .xlsx, phones masked (the full number only through the logged reveal)."""
    title = _("%(name)s会员名单") % {"name": association.name}
    rows = (_member_row(member) for member in members.iterator(chunk_size=500))
    return xlsx_response(f"association-{association.pk}-members", title, [str(h) for h in MEMBER_COLUMNS], rows)


@login_required
def association_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An association: its members (current, then those who left; ``?export=xlsx`` for the list
    with masked phones) and its activities (events with it, newest first, paginated)."""
    association = _association(request, pk)
    members = queries.members(association, request.user)
    if request.GET.get("export") == "xlsx":
        return _export_members(association, members)
    everyone = list(members)
    events = Paginator(queries.association_events(association, request.user), EVENTS_PER_PAGE)
    page = events.get_page(request.GET.get("page"))
    context = {
        "association": association,
        "title": association.name,
        "current": [member for member in everyone if member.left_on is None],
        "former": [member for member in everyone if member.left_on is not None],
        "page_obj": page,
        "events": page.object_list,
        "query_string": "",
        "may_manage": may_manage_events(request.user),
        "preparing": association.status == AssociationStatus.PREPARING,
        "dissolved": association.status == AssociationStatus.DISSOLVED,
    }
    return render(request, "culture/venues/association_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def association_create(request: HttpRequest) -> HttpResponse:
    """A new association, in preparation or already established (with its founding date)."""
    require(may_manage_events(request.user))
    form = forms.AssociationForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        association = run_service(
            request,
            lambda: services.create_association(
                form.association_input(),
                unit=form.cleaned_data["unit"],
                established_on=form.founding_date(),
                by=request.user,
            ),
            success=_("已新增文艺协会。"),
        )
        if association is not None:
            return redirect("culture:association_detail", pk=association.pk)
    return form_page(request, form, title=_("新增文艺协会"), back=reverse("culture:association_list"))


@login_required
@require_http_methods(["GET", "POST"])
def association_edit(request: HttpRequest, pk: int) -> HttpResponse:
    association = _association(request, pk)
    require(may_manage_events(request.user))
    form = forms.AssociationForm(
        request.POST or None,
        user=request.user,
        association=association,
        initial=forms.AssociationForm.initial_for(association),
    )
    back = reverse("culture:association_detail", kwargs={"pk": association.pk})
    if request.method == "POST" and form.is_valid():
        done = run_service(
            request,
            lambda: services.update_association(
                association, form.association_input(), established_on=form.founding_date(), by=request.user
            ),
            success=_("已保存。"),
        )
        if done is not None:
            return redirect(back)
    return form_page(request, form, title=_("修改文艺协会：%(name)s") % {"name": association.name}, back=back)


@login_required
@require_http_methods(["GET", "POST"])
def association_establish(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark an association in preparation as established, on a date not in the future."""
    association = _association(request, pk)
    require(may_manage_events(request.user))
    return confirm_then_run(
        request,
        lambda data: services.establish_association(association, on=data["on"], by=request.user),
        success=_("已标记为已成立。"),
        done_url=reverse("culture:association_detail", kwargs={"pk": association.pk}),
        form=forms.DateForm(request.POST or None, label=_("成立日期")),
        title=_("标记协会已成立"),
        question=_("“%(name)s”已经成立？") % {"name": association.name},
        explain=_("成立日期不能晚于今天。标记后协会计入“已成立的文艺协会”，其会员计入协会会员数。"),
        button=_("标记已成立"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def association_dissolve(request: HttpRequest, pk: int) -> HttpResponse:
    """Dissolve an association (asks first, with the date); members and activities stay."""
    association = _association(request, pk)
    require(may_manage_events(request.user))
    return confirm_then_run(
        request,
        lambda data: services.dissolve_association(association, on=data["on"], by=request.user),
        success=_("已撤销该协会。"),
        done_url=reverse("culture:association_detail", kwargs={"pk": association.pk}),
        form=forms.DateForm(request.POST or None, label=_("撤销日期")),
        title=_("撤销协会"),
        question=_("撤销“%(name)s”？") % {"name": association.name},
        explain=_("撤销后不能恢复，也不能再添加会员；现有会员记为当日退会，会员和活动记录保留。"),
        button=_("撤销协会"),
        danger=True,
    )


# --- Members -------------------------------------------------------------------------------------


def _member(request: HttpRequest, association: Association, member_pk: Any) -> AssociationMember:
    return visible_or_404(queries.members(association, request.user), request.user, member_pk)


@login_required
@require_http_methods(["GET", "POST"])
def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    """A member joins the association."""
    association = _association(request, pk)
    require(may_manage_events(request.user))
    back = reverse("culture:association_detail", kwargs={"pk": association.pk})
    form = forms.MemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        member = run_service(
            request,
            lambda: services.add_member(association, form.member_input(), by=request.user),
            success=_("已添加会员。"),
        )
        if member is not None:
            return redirect(back)
    return form_page(request, form, title=_("添加会员：%(name)s") % {"name": association.name}, back=back)


@login_required
@require_http_methods(["GET", "POST"])
def member_edit(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    """Change a member; the phone is shown masked and kept when left empty."""
    association = _association(request, pk)
    member = _member(request, association, member_pk)
    require(may_manage_events(request.user))
    back = reverse("culture:association_detail", kwargs={"pk": association.pk})
    initial = {"name": member.name, "role": member.role, "joined_on": member.joined_on}
    form = forms.MemberForm(request.POST or None, initial=initial)
    form.fields["phone"].help_text = _("留空则不修改（当前 %(phone)s）") % {"phone": masked(member, "phone") or "—"}
    if request.method == "POST" and form.is_valid():
        done = run_service(
            request,
            lambda: services.update_member(member, form.member_input(), by=request.user),
            success=_("已保存。"),
        )
        if done is not None:
            return redirect(back)
    return form_page(request, form, title=_("修改会员：%(name)s") % {"name": member.name}, back=back)


@login_required
@require_http_methods(["GET", "POST"])
def member_leave(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    """A member leaves (asks first, with the date); the member stays in the history."""
    association = _association(request, pk)
    member = _member(request, association, member_pk)
    require(may_manage_events(request.user))
    days = services.member_retention_days()
    return confirm_then_run(
        request,
        lambda data: services.member_leave(member, on=data["on"], by=request.user),
        success=_("已登记退会。"),
        done_url=reverse("culture:association_detail", kwargs={"pk": association.pk}),
        form=forms.DateForm(request.POST or None, label=_("退会日期")),
        title=_("登记退会"),
        question=_("%(name)s退出“%(association)s”？") % {"name": member.name, "association": association.name},
        explain=_("退会后仍保留在协会的会员记录中；联系电话在退会 %(days)d 天后自动删除。") % {"days": days},
        button=_("登记退会"),
        danger=True,
    )
