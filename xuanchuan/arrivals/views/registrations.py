"""Staff pages of registrations: the list with its logged Excel export, a record, the entry
grid, probable duplicates and merging."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from xuanchuan.arrivals import services
from xuanchuan.arrivals.divisions import full_name
from xuanchuan.arrivals.filters import RegistrationFilterSet
from xuanchuan.arrivals.forms import community_queryset
from xuanchuan.arrivals.models import FollowUpStatus, Registration, Source
from xuanchuan.arrivals.staff_forms import CheckInForm, GridFormSet, MergeForm
from xuanchuan.core.exports import xlsx_response
from xuanchuan.core.pii import lookup_q, may_reveal
from xuanchuan.core.views import ScopedDetailView, ScopedListView, style_form
from xuanchuan.org.models import Unit

PERSONAL_COLUMNS = ("name", "id_number", "phone", "address")


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

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.GET.get("export") == "xlsx":
            return self.export(request)
        return super().get(request, *args, **kwargs)

    def export(self, request: HttpRequest) -> HttpResponse:
        """The filtered rows as Excel: in full only for those who may reveal; always logged."""
        unmasked = may_reveal(request.user)
        columns = list(self.columns)
        if unmasked:
            full = {"masked_name": "name", "masked_id_number": "id_number", "masked_phone": "phone"}
            columns = [(full.get(path, path), heading) for path, heading in columns]
        rows = [self._values(row, columns) for row in self.get_queryset().iterator(chunk_size=2000)]
        services.log_export(request.user, rows=len(rows), unmasked=unmasked, query=request.GET.urlencode())
        headers = [str(heading) for _path, heading in columns]
        return xlsx_response(self.export_name, str(self.title), headers, rows)

    def _values(self, row: Registration, columns: list[tuple[str, Any]]) -> list[Any]:
        saved, self.columns = self.columns, columns
        try:
            return self.row_values(row)
        finally:
            self.columns = saved


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
                "check_in_form": style_form(CheckInForm()),
                "merge_form": style_form(MergeForm()),
                "via_names": [full_name(code) for code in registration.via_code_list],
                "today_number": registration.day_number(),
            }
        )
        return context


def _visible(request: HttpRequest, pk: int) -> Registration:
    return get_object_or_404(Registration.objects.visible_to(request.user), pk=pk)


@login_required
@require_POST
def registration_merge(request: HttpRequest, pk: int) -> HttpResponse:
    """Fold this registration into the one named in the form (both must be visible)."""
    duplicate = _visible(request, pk)
    form = MergeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写要保留的登记编号"))
        return redirect(duplicate)
    keep = Registration.objects.visible_to(request.user).filter(pk=form.cleaned_data["keep"]).first()
    if keep is None:
        messages.error(request, _("编号为 %(pk)s 的登记不存在") % {"pk": form.cleaned_data["keep"]})
        return redirect(duplicate)
    try:
        services.merge_registrations(keep, duplicate, user=request.user)
    except services.ArrivalError as error:
        messages.error(request, str(error))
        return redirect(duplicate)
    messages.success(request, _("已合并到登记 %(pk)s。") % {"pk": keep.pk})
    return redirect(keep)


@login_required
def duplicate_list(request: HttpRequest) -> HttpResponse:
    """People registered more than once (same document number), not yet merged."""
    rows = Registration.objects.visible_to(request.user).exclude(follow_up_status=FollowUpStatus.MERGED)
    groups = rows.exclude(id_number_index="").values("id_number_index").annotate(n=Count("pk")).filter(n__gt=1)
    keys = [group["id_number_index"] for group in groups[:50]]
    records = rows.filter(id_number_index__in=keys).select_related("unit").order_by("id_number_index", "arrival_date")
    grouped: dict[str, list[Registration]] = {}
    for record in records:
        grouped.setdefault(record.id_number_index, []).append(record)
    context = {"title": _("疑似重复登记"), "groups": list(grouped.values())}
    return render(request, "arrivals/duplicate_list.html", context)


@login_required
def grid_entry(request: HttpRequest) -> HttpResponse:
    """Staff enter many arrivals at once; rows already registered are found, not doubled."""
    communities = community_queryset(Unit.objects.visible_to(request.user))
    formset = GridFormSet(request.POST or None, communities=communities, prefix="rows")
    for form in formset:
        style_form(form)
    if request.method == "POST" and formset.is_valid():
        created = existing = 0
        for form in formset:
            if not form.has_changed():
                continue
            data = form.cleaned_data
            submission = services.register_arrival(
                data, community=data["community"], source=Source.STAFF, created_by=request.user
            )
            created, existing = created + submission.created, existing + (not submission.created)
        messages.success(
            request,
            _("新增 %(created)s 条登记，%(existing)s 条此前已登记。") % {"created": created, "existing": existing},
        )
        return redirect("arrivals:registration_list")
    return render(
        request,
        "arrivals/grid_entry.html",
        {"title": _("批量录入"), "formset": formset},
        status=400 if formset.errors and request.method == "POST" else 200,
    )
