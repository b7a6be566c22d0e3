"""Staff pages of registrations: the list with its logged Excel export, a record, the entry
grid, probable duplicates and merging, and the registrants' corrections waiting for staff."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from xuanchuan.arrivals import queries, services
from xuanchuan.arrivals.divisions import full_name
from xuanchuan.arrivals.filters import RegistrationFilterSet
from xuanchuan.arrivals.forms import community_queryset
from xuanchuan.arrivals.forms.staff import CheckInForm, GridFormSet, MergeForm
from xuanchuan.arrivals.models import PendingCorrection, Registration
from xuanchuan.arrivals.permissions import may_follow_up
from xuanchuan.core.exports import ExportTooLarge, refused_response, write_xlsx
from xuanchuan.core.pii import lookup_q, may_reveal
from xuanchuan.core.services import require, run_service
from xuanchuan.core.views import ScopedDetailView, ScopedListView, style_form, visible_or_404
from xuanchuan.org.models import Unit

# The masked columns of the table and what the export shows in their place to whoever may reveal.
UNMASKED = {"masked_name": "name", "masked_id_number": "id_number", "masked_phone": "phone"}


class RegistrationListView(ScopedListView):
    """Every registration the user sees; search by receipt code, document number or phone."""

    model = Registration
    title = gettext_lazy("来返人员登记")
    filterset_class = RegistrationFilterSet
    template_name = "arrivals/registration_list.html"
    columns = (
        ("masked_name", gettext_lazy("姓名")),
        ("masked_id_number", gettext_lazy("证件号码")),
        ("masked_phone", gettext_lazy("手机号码")),
        ("origin_name", gettext_lazy("出发地")),
        ("arrival_date", gettext_lazy("到达日期")),
        ("unit__name", gettext_lazy("目的地社区")),
        ("get_risk_level_display", gettext_lazy("风险等级")),
        ("get_plan_display", gettext_lazy("跟踪措施")),
        ("get_follow_up_status_display", gettext_lazy("跟踪状态")),
        ("get_source_display", gettext_lazy("登记方式")),
    )
    export_name = "arrivals"

    def base_queryset(self) -> QuerySet:
        return super().base_queryset().select_related("unit")

    def get_queryset(self) -> QuerySet:
        queryset = super().get_queryset()
        query = self.request.GET.get("q", "").strip()
        if query:
            condition = Q(receipt_code=query)
            for field in ("id_number", "phone"):
                try:
                    condition |= lookup_q(Registration, field, query)
                except ValueError:  # nothing left of the text once normalised as this kind
                    continue
            queryset = queryset.filter(condition)
        return queryset

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["search_enabled"] = True
        return context

    def export_columns(self) -> Sequence[tuple[str, str]]:
        """In full for those who may reveal (a personal-data role past the second factor)."""
        if not may_reveal(self.request.user):
            return self.columns
        return [(UNMASKED.get(path, path), heading) for path, heading in self.columns]

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.GET.get("export") == "xlsx":
            return self.export(request)
        return super().get(request, *args, **kwargs)

    def export(self, request: HttpRequest) -> HttpResponse:
        """The filtered rows as Excel, always logged (the filters with the searched text masked)."""
        columns = self.export_columns()
        rows = (self.row_values(row, columns) for row in self.get_queryset().iterator(chunk_size=2000))
        headers = [str(heading) for _path, heading in columns]
        try:
            export = write_xlsx(str(self.title), headers, rows)
        except ExportTooLarge as error:
            return refused_response(error)
        query = services.export_query(request.GET.items())
        services.log_export(by=request.user, rows=export.rows, unmasked=may_reveal(request.user), query=query)
        return export.response(self.export_name)


class RegistrationDetailView(ScopedDetailView):
    """One registration: personal data masked (revealed through the logged button), the
    follow-up with its day numbers, the check-ins and missed days, completion and merging."""

    model = Registration
    template_name = "arrivals/registration_detail.html"
    context_object_name = "registration"

    def base_queryset(self) -> QuerySet:
        return super().base_queryset().select_related("unit", "merged_into", "completed_by")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        registration = self.object
        context.update(
            {
                "title": str(registration),
                "check_ins": registration.check_ins.all(),
                "missed": services.missed_days(registration),
                "may_follow_up": may_follow_up(self.request.user),
                "check_in_form": style_form(CheckInForm()),
                "merge_form": style_form(MergeForm()),
                "via_names": [full_name(code) for code in registration.via_code_list],
                "today_number": registration.day_number(),
                "same_day": list(queries.same_day_records(self.request.user, registration).only("pk")),
            }
        )
        return context


@login_required
@require_POST
def registration_merge(request: HttpRequest, pk: int) -> HttpResponse:
    """Fold this registration into the one named in the form (both visible, the same person)."""
    duplicate = visible_or_404(Registration, request.user, pk)
    require(may_follow_up(request.user))
    form = MergeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写要保留的登记编号"))
        return redirect(duplicate)
    keep = Registration.objects.visible_to(request.user).filter(pk=form.cleaned_data["keep"]).first()
    if keep is None:
        messages.error(request, _("编号为 %(pk)s 的登记不存在") % {"pk": form.cleaned_data["keep"]})
        return redirect(duplicate)
    merged = run_service(
        request,
        lambda: services.merge_registrations(keep, duplicate, by=request.user),
        _("已合并到登记 %(pk)s。") % {"pk": keep.pk},
    )
    return redirect(duplicate if merged is None else merged)


@login_required
def duplicate_list(request: HttpRequest) -> HttpResponse:
    """People registered more than once (same document number, whatever the phone), not yet
    merged; possible duplicates of the same day first."""
    context = {"title": _("疑似重复登记"), "groups": queries.duplicate_groups(request.user)}
    return render(request, "arrivals/duplicate_list.html", context)


@login_required
def grid_entry(request: HttpRequest) -> HttpResponse:
    """Staff enter many arrivals at once, in one transaction; rows already registered are found."""
    require(may_follow_up(request.user))
    communities = community_queryset(Unit.objects.visible_to(request.user))
    formset = GridFormSet(request.POST or None, communities=communities, prefix="rows")
    for form in formset:
        style_form(form)
    if request.method == "POST" and formset.is_valid():
        rows = [(form.cleaned_data, form.cleaned_data["community"]) for form in formset if form.has_changed()]
        submissions = run_service(request, lambda: services.register_many(rows, by=request.user))
        if submissions is not None:
            created = sum(submission.created for submission in submissions)
            counts = {"created": created, "existing": len(submissions) - created}
            messages.success(request, _("新增 %(created)s 条登记，%(existing)s 条此前已登记。") % counts)
            return redirect("arrivals:registration_list")
    return render(
        request,
        "arrivals/grid_entry.html",
        {"title": _("批量录入"), "formset": formset},
        status=400 if formset.errors and request.method == "POST" else 200,
    )


@login_required
def correction_list(request: HttpRequest) -> HttpResponse:
    """Registrants' corrections that would end a follow-up, waiting for community staff."""
    require(may_follow_up(request.user))
    context = {"title": _("待审核的登记更正"), "corrections": queries.pending_corrections(request.user)}
    return render(request, "arrivals/correction_list.html", context)


@login_required
@require_POST
def correction_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """Approve (apply and classify again) or refuse one held correction."""
    correction = visible_or_404(PendingCorrection, request.user, pk)
    approve = request.POST.get("decision") == "approve"
    done = _("已同意该更正，登记已重新判定。") if approve else _("已拒绝该更正。")
    run_service(request, lambda: services.decide_correction(correction, approve=approve, by=request.user), done)
    return redirect("arrivals:correction_list")
