"""Staff pages of the lectures part's teams: lecture teams on four levels and their lecturers.
Thin: forms check the input, ``services.lectures`` decides, ``run_service`` shows a refusal as a
message. Every page checks the role (403) and reads through ``visible_to`` (404)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from xuanchuan.core.exports import xlsx_response
from xuanchuan.core.pii import masked, may_reveal, reveal
from xuanchuan.core.services import run_service
from xuanchuan.core.views import require_role as require
from xuanchuan.core.views import visible_or_404
from xuanchuan.theory.forms import lectures as forms
from xuanchuan.theory.models import Lecturer, LectureTeam
from xuanchuan.theory.permissions import may_manage_lectures, may_view
from xuanchuan.theory.queries import lectures as queries
from xuanchuan.theory.services import lectures as services
from xuanchuan.theory.views.lectures_common import StaffListView, confirm_then_run, form_page


class TeamListView(StaffListView):
    """Lecture teams in scope, by level, with active lecturers and this year's lectures."""

    model = LectureTeam
    template_name = "theory/lectures/team_list.html"
    filterset_class = forms.TeamFilterSet
    search_fields = ("name", "description")
    title = gettext_lazy("宣讲队伍")
    export_name = "lecture-teams"
    detail_url_name = "theory:team_detail"
    tab = "teams"
    create_url_name = "theory:team_create"
    create_label = gettext_lazy("新建队伍")
    columns = (
        ("name", gettext_lazy("队伍名称")),
        ("get_level_display", gettext_lazy("层级")),
        ("unit__name", gettext_lazy("所属单位")),
        ("lecturer_count", gettext_lazy("在队宣讲员")),
        ("lecture_count", gettext_lazy("今年宣讲场次")),
        ("active_label", gettext_lazy("状态")),
    )

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().order_by("level", "unit__path", "name")

    def base_queryset(self) -> QuerySet:
        # Already scoped with its counts (queries.teams); ScopedQuerysetMixin applies visible_to again.
        return queries.teams(self.request.user)

    def row_values(self, row: Any, columns: Any = None) -> list[Any]:
        row.active_label = _("启用") if row.active else _("已停用")
        return super().row_values(row, columns)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["levels"] = queries.level_counts(self.request.user)
        return context


def _team(request: HttpRequest, pk: Any) -> LectureTeam:
    require(may_view(request.user))
    return visible_or_404(queries.teams(request.user), request.user, pk)


@login_required
def team_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A team: its lecturers (phone masked, reveal logged) and its latest lectures."""
    team = _team(request, pk)
    context = {
        "team": team,
        "title": team.name,
        "lecturers": queries.lecturers(request.user).filter(team=team).order_by("-active", "name"),
        "lectures": queries.lectures(request.user).filter(team=team).order_by("-starts_at")[:20],
        "may_manage": may_manage_lectures(request.user),
    }
    return render(request, "theory/lectures/team_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def team_create(request: HttpRequest) -> HttpResponse:
    """A new lecture team on one of the four levels."""
    require(may_manage_lectures(request.user))
    form = forms.TeamForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        team = run_service(
            request,
            lambda: services.create_team(
                unit=data["unit"],
                name=data["name"],
                level=data["level"],
                description=data["description"],
                by=request.user,
            ),
            success=_("已新建宣讲队伍。"),
        )
        if team is not None:
            return redirect("theory:team_detail", pk=team.pk)
    return form_page(request, form, title=_("新建宣讲队伍"), back=reverse("theory:team_list"))


@login_required
@require_http_methods(["GET", "POST"])
def team_edit(request: HttpRequest, pk: int) -> HttpResponse:
    team = _team(request, pk)
    require(may_manage_lectures(request.user))
    initial = {"name": team.name, "level": team.level, "description": team.description}
    form = forms.TeamForm(request.POST or None, user=request.user, editing=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = run_service(
            request,
            lambda: services.update_team(
                team, name=data["name"], level=data["level"], description=data["description"], by=request.user
            ),
            success=_("已保存。"),
        )
        if done is not None:
            return redirect("theory:team_detail", pk=team.pk)
    back = reverse("theory:team_detail", kwargs={"pk": team.pk})
    return form_page(request, form, title=_("修改宣讲队伍"), back=back)


@login_required
@require_http_methods(["GET", "POST"])
def team_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    """Stop a team (asks first); its lectures stay."""
    team = _team(request, pk)
    require(may_manage_lectures(request.user))
    return confirm_then_run(
        request,
        lambda: services.deactivate_team(team, by=request.user),
        success=_("已停用该宣讲队伍。"),
        done_url=reverse("theory:team_detail", kwargs={"pk": team.pk}),
        title=_("停用队伍"),
        question=_("停用“%(name)s”？") % {"name": team.name},
        explain=_("停用后不能再为该队伍安排宣讲或点单，已有的宣讲记录保留。"),
        button=_("停用"),
        danger=True,
    )


# --- Lecturers -------------------------------------------------------------------------------------


class LecturerListView(StaffListView):
    """Lecturers in scope; the phone masked on the page and in the export (in full, logged, only
    for those who may reveal personal data)."""

    model = Lecturer
    filterset_class = forms.LecturerFilterSet
    search_fields = ("name", "title", "topics", "team__name")
    title = gettext_lazy("宣讲员")
    export_name = "lecturers"
    detail_url_name = "theory:lecturer_detail"
    tab = "lecturers"
    create_url_name = "theory:lecturer_create"
    create_label = gettext_lazy("添加宣讲员")
    columns = (
        ("name", gettext_lazy("姓名")),
        ("title", gettext_lazy("职务或职称")),
        ("team__name", gettext_lazy("宣讲队伍")),
        ("team__get_level_display", gettext_lazy("层级")),
        ("masked_phone", gettext_lazy("联系电话")),
        ("topics", gettext_lazy("擅长宣讲内容")),
        ("active_label", gettext_lazy("状态")),
    )

    def base_queryset(self) -> QuerySet:
        return queries.lecturers(self.request.user).order_by("team__level", "team__name", "name")

    def row_values(self, row: Any, columns: Any = None) -> list[Any]:
        row.masked_phone = masked(row, "phone")
        row.active_label = _("在队") if row.active else _("已离队")
        return super().row_values(row, columns)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.GET.get("export") == "xlsx" and may_reveal(request.user):
            return self.export_unmasked(request)
        return super().get(request, *args, **kwargs)

    def export_unmasked(self, request: HttpRequest) -> HttpResponse:
        """Phones in full for a user who may reveal personal data: each one logged as a reveal."""
        columns: Sequence[tuple[str, str]] = self.columns

        def rows() -> Any:
            for row in self.get_queryset().iterator(chunk_size=500):
                values = self.row_values(row, columns)
                if row.phone:
                    values[4] = reveal(request.user, row, "phone", reason=_("导出宣讲员名单"), request=request)
                yield values

        return xlsx_response(self.export_name, str(self.title), [str(h) for _p, h in columns], rows())


def _lecturer(request: HttpRequest, pk: Any) -> Lecturer:
    require(may_view(request.user))
    return visible_or_404(queries.lecturers(request.user), request.user, pk)


@login_required
def lecturer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    lecturer = _lecturer(request, pk)
    context = {
        "lecturer": lecturer,
        "title": lecturer.name,
        "lectures": queries.lectures(request.user).filter(lecturers=lecturer).order_by("-starts_at")[:20],
        "may_manage": may_manage_lectures(request.user),
    }
    return render(request, "theory/lectures/lecturer_detail.html", context)


def _save_lecturer(request: HttpRequest, lecturer: Lecturer | None, form: forms.LecturerForm) -> Lecturer | None:
    data = form.cleaned_data
    return run_service(
        request,
        lambda: services.save_lecturer(
            lecturer,
            team=data["team"],
            name=data["name"],
            title=data["title"],
            phone=data["phone"],
            topics=data["topics"],
            active=data["active"],
            by=request.user,
        ),
        success=_("已保存宣讲员。"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def lecturer_create(request: HttpRequest) -> HttpResponse:
    require(may_manage_lectures(request.user))
    initial = {"team": request.GET.get("team")} if str(request.GET.get("team", "")).isdigit() else {}
    form = forms.LecturerForm(request.POST or None, user=request.user, initial={"active": True, **initial})
    if request.method == "POST" and form.is_valid():
        lecturer = _save_lecturer(request, None, form)
        if lecturer is not None:
            return redirect("theory:team_detail", pk=lecturer.team_id)
    return form_page(request, form, title=_("添加宣讲员"), back=reverse("theory:lecturer_list"))


@login_required
@require_http_methods(["GET", "POST"])
def lecturer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    lecturer = _lecturer(request, pk)
    require(may_manage_lectures(request.user))
    initial = {
        "team": lecturer.team_id,
        "name": lecturer.name,
        "title": lecturer.title,
        "topics": lecturer.topics,
        "active": lecturer.active,
    }
    form = forms.LecturerForm(request.POST or None, user=request.user, initial=initial)
    form.fields["phone"].help_text = _("留空则不修改（当前 %(phone)s）") % {"phone": masked(lecturer, "phone") or "—"}
    if request.method == "POST" and form.is_valid():
        if not form.cleaned_data["phone"]:
            form.cleaned_data["phone"] = lecturer.phone
        if _save_lecturer(request, lecturer, form) is not None:
            return redirect("theory:lecturer_detail", pk=lecturer.pk)
    back = reverse("theory:lecturer_detail", kwargs={"pk": lecturer.pk})
    return form_page(request, form, title=_("修改宣讲员"), back=back)
