"""Pages of problems found: the list, the phone-first recording page (which also answers the
page's offline queue in JSON), a problem's page with photos and merge candidates, verifying or
rejecting a citizen's report, merging, and the photos themselves (only for who sees the problem)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from xuanchuan.civility.forms.problems import ProblemFilterSet, ProblemForm, RejectForm, VerifyForm
from xuanchuan.civility.models import Photo, Problem
from xuanchuan.civility.permissions import may_inspect, may_view
from xuanchuan.civility.queries import problems as queries
from xuanchuan.civility.services import problems as services
from xuanchuan.core.services import refusal_text, run_service
from xuanchuan.core.views import ScopedListView, visible_or_404

QUEUE_HEADER = "X-Civility-Queue"


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


class ProblemListView(ScopedListView):
    """Problems the user sees: search, filters, pagination, Excel export."""

    model = Problem
    template_name = "civility/problems/list.html"
    filterset_class = ProblemFilterSet
    search_fields = ("public_id", "description", "address", "place__name")
    title = gettext_lazy("发现的问题")
    export_name = "problems"
    columns = (
        ("public_id", gettext_lazy("编号")),
        ("found_at", gettext_lazy("发现时间")),
        ("category__name", gettext_lazy("问题类别")),
        ("place__name", gettext_lazy("点位")),
        ("address", gettext_lazy("地址")),
        ("area__name", gettext_lazy("所在街道（乡镇）")),
        ("get_severity_display", gettext_lazy("严重程度")),
        ("get_source_display", gettext_lazy("来源")),
        ("get_status_display", gettext_lazy("状态")),
    )

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            _require(may_view(request.user))
        return super().dispatch(request, *args, **kwargs)

    def base_queryset(self) -> Any:
        return Problem.objects.select_related("category", "place", "area")  # scoping: allowed (visible_to below)

    def export_columns(self) -> Any:
        return (*self.columns, ("description", gettext_lazy("问题描述")))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["may_inspect"] = may_inspect(self.request.user)
        return context


def _form_errors(form: ProblemForm) -> dict[str, list[str]]:
    return {name: [str(e) for e in errors] for name, errors in form.errors.items()}


@login_required
@require_http_methods(["GET", "POST"])
def problem_new(request: HttpRequest) -> HttpResponse:
    """Record a problem found (phone first). The page's script sends the same form from its queue
    with the header ``X-Civility-Queue`` and gets JSON back; without script it is a plain form."""
    _require(may_inspect(request.user))
    queued = request.headers.get(QUEUE_HEADER) == "1"
    form = ProblemForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST":
        problem = None
        if form.is_valid():
            data = form.cleaned_data
            try:
                problem = services.record_problem(
                    by=request.user,
                    category=data["category"],
                    description=data["description"],
                    place=data["place"],
                    area=data["area"],
                    address=data["address"],
                    latitude=data["latitude"],
                    longitude=data["longitude"],
                    severity=data["severity"] or None,
                    immediate=data["immediate"],
                    photos=data["photos"],
                    client_key=data["client_key"] or None,
                )
            except (PermissionDenied, ValidationError) as exc:
                form.add_error(None, refusal_text(exc))
        if problem is not None:
            if queued:
                return JsonResponse(
                    {"ok": True, "public_id": problem.public_id, "url": problem.get_absolute_url()}, status=201
                )
            from django.contrib import messages

            messages.success(request, _("已记录问题 %(id)s。") % {"id": problem.public_id})
            return redirect(problem)
        if queued:
            return JsonResponse({"ok": False, "errors": _form_errors(form)}, status=400)
    return render(request, "civility/problems/new.html", {"form": form, "title": _("记录发现的问题")})


@login_required
def problem_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A problem: what, where, photos, history (verification, merging), merge candidates."""
    problem = visible_or_404(queries.problems(request.user), request.user, pk)
    page = queries.problem_page(request.user, problem)
    return render(
        request, "civility/problems/detail.html", {"page": page, "problem": problem, "title": problem.public_id}
    )


@login_required
@require_http_methods(["GET", "POST"])
def problem_verify(request: HttpRequest, pk: int) -> HttpResponse:
    """Verify a citizen's report (待核实 → 待交办), choosing its category and where it lies."""
    problem = visible_or_404(queries.problems(request.user), request.user, pk)
    _require(may_inspect(request.user))
    form = VerifyForm(request.POST or None, user=request.user, problem=problem)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = run_service(
            request,
            lambda: services.verify_report(
                problem,
                by=request.user,
                category=data["category"],
                place=data["place"],
                area=data["area"],
                severity=data["severity"],
            ),
            success=_("已核实，可以交办。"),
        )
        if done is not None:
            return redirect(problem)
    context = {"form": form, "problem": problem, "title": _("核实群众反映"), "submit": _("核实属实")}
    return render(request, "civility/problems/action.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def problem_reject(request: HttpRequest, pk: int) -> HttpResponse:
    """Find a citizen's report unfounded (不属实), with the reason (a confirmation page)."""
    problem = visible_or_404(queries.problems(request.user), request.user, pk)
    _require(may_inspect(request.user))
    form = RejectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            request,
            lambda: services.reject_report(problem, reason=form.cleaned_data["reason"], by=request.user),
            success=_("已标记为不属实。"),
        )
        if done is not None:
            return redirect(problem)
    context = {
        "form": form,
        "problem": problem,
        "title": _("群众反映不属实"),
        "submit": _("确认不属实"),
        "danger": True,
    }
    return render(request, "civility/problems/action.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def problem_merge(request: HttpRequest, pk: int, target: int) -> HttpResponse:
    """Merge the problem ``pk`` (a duplicate) into ``target``: a confirmation page, then the merge."""
    problem = visible_or_404(queries.problems(request.user), request.user, pk)
    _require(may_inspect(request.user))
    into = visible_or_404(queries.problems(request.user), request.user, target)
    if request.method == "POST":
        done = run_service(
            request,
            lambda: services.merge(problem, into=into, by=request.user),
            success=_("已合并到 %(id)s。") % {"id": into.public_id},
        )
        return redirect(into if done is not None else problem)
    context = {"problem": problem, "into": into, "title": _("合并问题"), "submit": _("确认合并"), "danger": True}
    return render(request, "civility/problems/action.html", context)


@login_required
def problem_photo(request: HttpRequest, pk: int) -> FileResponse:
    """A photo, served only to those who see its problem (or its ticket)."""
    photo = visible_or_404(Photo, request.user, pk)
    try:
        handle = photo.image.open("rb")
    except (FileNotFoundError, OSError, ValueError):
        raise Http404 from None
    response = FileResponse(handle, content_type="image/jpeg")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response
