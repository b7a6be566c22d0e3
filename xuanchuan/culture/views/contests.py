"""Staff pages of the contests part, competitions: the list, a competition's page with its rounds,
contestants (phone masked, reveal logged), score grid and rankings, the results export, and the
actions (rounds, contestants, scores, recommendation). Thin: forms check the input,
``services.contests`` decides, ``run_service`` shows a refusal as a message. Every page checks the
role (403) and reads through ``visible_to`` (404)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.forms import Form
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
from xuanchuan.core.views import style_form, visible_or_404
from xuanchuan.culture.forms import contests as forms
from xuanchuan.culture.models import Competition, Contestant, Round
from xuanchuan.culture.permissions import may_manage_events, may_view
from xuanchuan.culture.queries import contests as queries
from xuanchuan.culture.services import contests as services
from xuanchuan.culture.views.common import PartListView, confirm_then_run

FORM_TEMPLATE = "culture/contests/_form.html"


class StaffListView(PartListView):
    """A staff list of the contests part (``may_view``), with the part's tabs and a "new" button."""

    template_name = "culture/contests/list.html"


def form_page(request: HttpRequest, form: Form, *, title: str, back: str, **extra: Any) -> HttpResponse:
    """A form page; a POST that comes back to it was refused (by the form or the service): 400."""
    style_form(form)
    context = {"form": form, "title": title, "back": back, **extra}
    return render(request, FORM_TEMPLATE, context, status=400 if request.method == "POST" else 200)


class CompetitionListView(StaffListView):
    """Competitions in scope (year, unit, recommended), with rounds, contestants and recommendations."""

    model = Competition
    filterset_class = forms.CompetitionFilterSet
    search_fields = ("title", "next_level", "description", "series__name")
    title = gettext_lazy("比赛")
    export_name = "competitions"
    detail_url_name = "culture:competition_detail"
    tab = "competitions"
    create_url_name = "culture:competition_create"
    create_label = gettext_lazy("新建比赛")
    columns = (
        ("title", gettext_lazy("比赛名称")),
        ("year", gettext_lazy("年度")),
        ("unit__name", gettext_lazy("主办单位")),
        ("series__name", gettext_lazy("所属系列活动")),
        ("round_count", gettext_lazy("轮次")),
        ("last_held", gettext_lazy("最后一轮日期")),
        ("contestant_count", gettext_lazy("参赛选手")),
        ("recommended_count", gettext_lazy("推荐人数")),
        ("next_level", gettext_lazy("推荐参加")),
    )

    def base_queryset(self) -> QuerySet:
        return queries.competitions(self.request.user).order_by("-year", "title", "pk")


def _competition(request: HttpRequest, pk: Any) -> Competition:
    require(may_view(request.user))
    return visible_or_404(
        Competition.objects.visible_to(request.user).select_related("unit", "series"), request.user, pk
    )


def _manageable(request: HttpRequest, pk: Any) -> Competition:
    competition = _competition(request, pk)
    require(may_manage_events(request.user))
    return competition


def _detail_url(competition: Competition) -> str:
    return reverse("culture:competition_detail", kwargs={"pk": competition.pk})


@login_required
def competition_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A competition: rounds in order, the score grid with the overall ranking, each round's
    ranking, contestants' phones masked; ``?export=xlsx`` gives the results (phones masked)."""
    competition = _competition(request, pk)
    results = queries.results(competition)
    if request.GET.get("export") == "xlsx":
        return _results_export(results)
    context = {
        "competition": competition,
        "title": competition.title,
        "results": results,
        "may_manage": may_manage_events(request.user),
        "tab": "competitions",
    }
    return render(request, "culture/contests/competition_detail.html", context)


def _results_export(results: queries.Results) -> HttpResponse:
    headers = [_("名次"), _("姓名"), _("单位或村（社区）"), _("联系电话")]
    headers += [f"{item.name}" for item in results.rounds]
    headers += [_("总成绩（%(round)s）") % {"round": results.overall_round.name if results.overall_round else "—"}]
    headers += [_("推荐参加%(level)s") % {"level": results.competition.next_level}]

    def rows() -> Any:
        for row in results.rows:
            person = row.contestant
            yield [
                row.overall_rank or "",
                person.name,
                person.organisation,
                masked(person, "phone"),
                *[score if score is not None else "" for score in row.scores],
                row.overall_score if row.overall_score is not None else "",
                _("是") if person.recommended_at else "",
            ]

    return xlsx_response(f"competition-{results.competition.pk}", results.competition.title, headers, rows())


def _competition_input(data: dict[str, Any]) -> services.CompetitionInput:
    return services.CompetitionInput(
        title=data["title"],
        year=data["year"],
        series=data["series"],
        next_level=data["next_level"],
        description=data["description"],
    )


@login_required
@require_http_methods(["GET", "POST"])
def competition_create(request: HttpRequest) -> HttpResponse:
    """A new competition; rounds and contestants are added on its page."""
    require(may_manage_events(request.user))
    form = forms.CompetitionForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        competition = run_service(
            request,
            lambda: services.create_competition(_competition_input(data), unit=data["unit"], by=request.user),
            success=_("已新建比赛，请添加轮次和选手。"),
        )
        if competition is not None:
            return redirect(_detail_url(competition))
    return form_page(request, form, title=_("新建比赛"), back=reverse("culture:competition_list"))


@login_required
@require_http_methods(["GET", "POST"])
def competition_edit(request: HttpRequest, pk: int) -> HttpResponse:
    competition = _manageable(request, pk)
    initial = {
        "title": competition.title,
        "year": competition.year,
        "series": competition.series_id,
        "next_level": competition.next_level,
        "description": competition.description,
    }
    form = forms.CompetitionForm(request.POST or None, user=request.user, editing=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            request,
            lambda: services.update_competition(competition, _competition_input(form.cleaned_data), by=request.user),
            success=_("已保存。"),
        )
        if done is not None:
            return redirect(_detail_url(competition))
    return form_page(request, form, title=_("修改比赛"), back=_detail_url(competition))


# --- Rounds ---------------------------------------------------------------------------------------


def _round_form(request: HttpRequest, competition: Competition, item: Round | None) -> HttpResponse:
    initial = {"name": item.name, "order": item.order, "held_on": item.held_on} if item else {}
    form = forms.RoundForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = run_service(
            request,
            lambda: services.save_round(
                competition, item, name=data["name"], order=data["order"], held_on=data["held_on"], by=request.user
            ),
            success=_("已保存轮次。"),
        )
        if saved is not None:
            return redirect(_detail_url(competition))
    title = _("修改轮次") if item else _("添加轮次")
    return form_page(request, form, title=title, back=_detail_url(competition), subject=competition.title)


@login_required
@require_http_methods(["GET", "POST"])
def round_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a round (初赛, 复赛, 决赛) with its date."""
    return _round_form(request, _manageable(request, pk), None)


@login_required
@require_http_methods(["GET", "POST"])
def round_edit(request: HttpRequest, pk: int, round_pk: int) -> HttpResponse:
    competition = _manageable(request, pk)
    item = visible_or_404(queries.rounds(request.user).filter(competition=competition), request.user, round_pk)
    return _round_form(request, competition, item)


# --- Contestants ----------------------------------------------------------------------------------


def _contestant(request: HttpRequest, competition: Competition, contestant_pk: Any) -> Contestant:
    return visible_or_404(
        queries.contestants(request.user).filter(competition=competition), request.user, contestant_pk
    )


@login_required
@require_http_methods(["GET", "POST"])
def contestant_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a contestant (name, organisation, phone stored encrypted); "save and add another" stays here."""
    competition = _manageable(request, pk)
    form = forms.ContestantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = run_service(
            request,
            lambda: services.save_contestant(
                competition,
                None,
                name=data["name"],
                organisation=data["organisation"],
                phone=data["phone"],
                by=request.user,
            ),
            success=_("已添加选手“%(name)s”。") % {"name": data["name"]},
        )
        if saved is not None:
            if request.POST.get("another"):
                return redirect(reverse("culture:contestant_add", kwargs={"pk": competition.pk}))
            return redirect(_detail_url(competition))
    return form_page(
        request, form, title=_("添加选手"), back=_detail_url(competition), subject=competition.title, another=True
    )


@login_required
@require_http_methods(["GET", "POST"])
def contestant_edit(request: HttpRequest, pk: int, contestant_pk: int) -> HttpResponse:
    """Change a contestant; a blank phone keeps the one stored (shown masked)."""
    competition = _manageable(request, pk)
    person = _contestant(request, competition, contestant_pk)
    form = forms.ContestantForm(
        request.POST or None, initial={"name": person.name, "organisation": person.organisation}
    )
    form.fields["phone"].help_text = _("留空则不修改（当前 %(phone)s）") % {"phone": masked(person, "phone") or "—"}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = run_service(
            request,
            lambda: services.save_contestant(
                competition,
                person,
                name=data["name"],
                organisation=data["organisation"],
                phone=data["phone"] or person.phone,
                by=request.user,
            ),
            success=_("已保存选手。"),
        )
        if saved is not None:
            return redirect(_detail_url(competition))
    return form_page(request, form, title=_("修改选手"), back=_detail_url(competition), subject=competition.title)


@login_required
@require_http_methods(["GET", "POST"])
def contestant_delete(request: HttpRequest, pk: int, contestant_pk: int) -> HttpResponse:
    """Withdraw a contestant who has no score yet (asks first)."""
    competition = _manageable(request, pk)
    person = _contestant(request, competition, contestant_pk)
    return confirm_then_run(
        request,
        lambda: services.delete_contestant(person, by=request.user),
        success=_("已删除选手“%(name)s”。") % {"name": person.name},
        done_url=_detail_url(competition),
        title=_("删除选手"),
        question=_("删除选手“%(name)s”？") % {"name": person.name},
        explain=_("只能删除还没有成绩的选手（如报名后退赛）；已有成绩的选手是比赛结果的一部分，不能删除。"),
        button=_("删除"),
        danger=True,
    )


@login_required
@require_http_methods(["GET", "POST"])
def contestant_recommend(request: HttpRequest, pk: int, contestant_pk: int) -> HttpResponse:
    """Recommend a contestant to the next level (asks first)."""
    competition = _manageable(request, pk)
    person = _contestant(request, competition, contestant_pk)
    level = competition.next_level or _("上级比赛")
    return confirm_then_run(
        request,
        lambda: services.recommend(person, by=request.user),
        success=_("已推荐“%(name)s”参加%(level)s。") % {"name": person.name, "level": level},
        done_url=_detail_url(competition),
        title=_("推荐选手"),
        question=_("推荐“%(name)s”参加%(level)s？") % {"name": person.name, "level": level},
        explain=_("推荐的人数计入工作报告的“推荐参加上级比赛的选手”。"),
        button=_("推荐"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def contestant_unrecommend(request: HttpRequest, pk: int, contestant_pk: int) -> HttpResponse:
    """Take a recommendation back (asks first)."""
    competition = _manageable(request, pk)
    person = _contestant(request, competition, contestant_pk)
    return confirm_then_run(
        request,
        lambda: services.unrecommend(person, by=request.user),
        success=_("已撤销对“%(name)s”的推荐。") % {"name": person.name},
        done_url=_detail_url(competition),
        title=_("撤销推荐"),
        question=_("撤销对“%(name)s”的推荐？") % {"name": person.name},
        explain=_("撤销后该选手不再计入推荐人数。"),
        button=_("撤销推荐"),
        danger=True,
    )


# --- Scores ---------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def scores_edit(request: HttpRequest, pk: int, round_pk: int) -> HttpResponse:
    """Enter or change a round's scores in one form (0–100, two decimals; blank: no score)."""
    competition = _manageable(request, pk)
    item = visible_or_404(queries.rounds(request.user).filter(competition=competition), request.user, round_pk)
    people = list(Contestant.objects.visible_to(request.user).filter(competition=competition).order_by("name", "pk"))
    entered = dict(item.scores.values_list("contestant_id", "score"))
    form = forms.ScoresForm(request.POST or None, contestants=people, initial_scores=entered)
    if request.method == "POST" and form.is_valid():
        saved = run_service(
            request,
            lambda: services.save_scores(item, form.scores(), by=request.user),
            success=_("已保存“%(round)s”的成绩。") % {"round": item.name},
        )
        if saved is not None:
            return redirect(f"{_detail_url(competition)}#round-{item.pk}")
    style_form(form)
    context = {
        "competition": competition,
        "round": item,
        "form": form,
        "title": _("录入成绩：%(round)s") % {"round": item.name},
        "back": _detail_url(competition),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "culture/contests/scores.html", context, status=status)
