"""Staff pages of the people part: the volunteers list (search by number or, through the blind
index, an exact ID number or mobile), a volunteer's record in its five blocks, entering and
editing volunteers, adding and removing training, awards and evaluations, certificates of hours
(issue, download, revoke)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from xuanchuan.core.pii import masked
from xuanchuan.core.services import run_service
from xuanchuan.core.views import require_role as require
from xuanchuan.core.views import style_form, visible_or_404
from xuanchuan.volunteers.forms import people as forms
from xuanchuan.volunteers.models import Award, Evaluation, Training, Volunteer
from xuanchuan.volunteers.permissions import may_manage, may_view
from xuanchuan.volunteers.queries import people as queries
from xuanchuan.volunteers.services import people as services
from xuanchuan.volunteers.services.identity import CONSENT_TEXT
from xuanchuan.volunteers.views._common import StaffListView
from xuanchuan.volunteers.views.people_public import certificate_file


def _detail_url(volunteer: Volunteer) -> str:
    return reverse("volunteers:volunteer_detail", kwargs={"pk": volunteer.pk})


class VolunteerListView(StaffListView):
    """Volunteers the user sees: search, filters, pagination, masked Excel export."""

    model = Volunteer
    template_name = "volunteers/people/list.html"
    filterset_class = forms.VolunteerFilterSet
    title = gettext_lazy("志愿者")
    export_name = "volunteers"
    columns = (
        ("number", gettext_lazy("志愿者编号")),
        ("masked_name", gettext_lazy("姓名")),
        ("masked_phone", gettext_lazy("手机号码")),
        ("get_gender_display", gettext_lazy("性别")),
        ("birth_year", gettext_lazy("出生年份")),
        ("unit__name", gettext_lazy("所在社区（村）")),
        ("get_source_display", gettext_lazy("登记方式")),
        ("get_status_display", gettext_lazy("状态")),
    )

    def base_queryset(self) -> QuerySet:
        return Volunteer.objects.select_related("unit")  # scoping: allowed (visible_to in get_queryset)

    def get_queryset(self) -> QuerySet:
        queryset = super().get_queryset()
        query = self.request.GET.get("q", "").strip()
        if query:
            queryset = queryset.filter(forms.search_condition(query[:30]))
        return queryset

    def row_values(self, row: Any, columns: Any = None) -> list[Any]:
        row.masked_name = masked(row, "name")
        row.masked_phone = masked(row, "phone")
        return super().row_values(row, columns)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["search_enabled"] = True
        context["may_manage"] = may_manage(self.request.user)
        return context


def _volunteer(request: HttpRequest, pk: int) -> Volunteer:
    require(may_view(request.user))
    return visible_or_404(queries.volunteers(request.user), request.user, pk)


@login_required
def volunteer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A volunteer's record: basic information (masked, reveal logged), service, training,
    awards, evaluation; certificates."""
    volunteer = _volunteer(request, pk)
    context = {
        "volunteer": volunteer,
        "record": queries.record(volunteer),
        "title": volunteer.number,
        "may_manage": may_manage(request.user),
        "training_form": style_form(forms.TrainingForm()),
        "award_form": style_form(forms.AwardForm()),
        "evaluation_form": style_form(forms.EvaluationForm()),
    }
    return render(request, "volunteers/people/detail.html", context)


@login_required
def volunteer_record_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    """The record as .xlsx, personal data masked."""
    volunteer = _volunteer(request, pk)
    response = HttpResponse(
        queries.record_xlsx(queries.record(volunteer, with_certificates=False), full=False),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="record-{volunteer.number}.xlsx"'
    return response


def _form_page(
    request: HttpRequest, form: Any, title: str, back: str, submit: str, *, danger: bool = False, note: str = ""
) -> HttpResponse:
    style_form(form)
    for field in form:
        if field.widget_type == "checkbox":
            field.field.widget.attrs["class"] = "form-check-input"
    context = {"form": form, "title": title, "back": back, "submit": submit, "danger": danger, "note": note}
    return render(request, "volunteers/people/form.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def volunteer_create(request: HttpRequest) -> HttpResponse:
    """Enter a person who consented on paper."""
    require(may_manage(request.user))
    form = forms.VolunteerCreateForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        volunteer = run_service(
            request,
            lambda: services.create_volunteer(
                form.person(),
                unit=form.cleaned_data["unit"],
                consented_on_paper=form.cleaned_data["consented_on_paper"],
                by=request.user,
            ),
            success=_("已登记志愿者。"),
        )
        if volunteer is not None:
            return redirect(_detail_url(volunteer))
    return _form_page(
        request, form, _("登记志愿者"), reverse("volunteers:volunteer_list"), _("登记"), note=str(CONSENT_TEXT)
    )


@login_required
@require_http_methods(["GET", "POST"])
def volunteer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct basic information (the ID number stays)."""
    volunteer = _volunteer(request, pk)
    require(may_manage(request.user))
    initial = {
        "unit": volunteer.unit_id,
        "name": volunteer.name,
        "phone": volunteer.phone,
        "address": volunteer.address,
        "skills": volunteer.skills,
        "availability": volunteer.availability,
    }
    form = forms.VolunteerEditForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            request,
            lambda: services.edit_volunteer(volunteer, by=request.user, **form.cleaned_data),
            success=_("已保存。"),
        )
        if done is not None:
            return redirect(_detail_url(volunteer))
    return _form_page(request, form, _("修改志愿者信息"), _detail_url(volunteer), _("保存"))


ENTRY_FORMS = {
    "training": (forms.TrainingForm, services.add_training, gettext_lazy("添加培训记录")),
    "award": (forms.AwardForm, services.add_award, gettext_lazy("添加表彰奖励")),
    "evaluation": (forms.EvaluationForm, services.add_evaluation, gettext_lazy("添加服务评价")),
}
ENTRY_MODELS = {"training": Training, "award": Award, "evaluation": Evaluation}


@login_required
@require_http_methods(["GET", "POST"])
def entry_add(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """Add a training, an award or an evaluation (recorded by the user's unit)."""
    volunteer = _volunteer(request, pk)
    require(may_manage(request.user))
    form_class, service, title = ENTRY_FORMS[kind]
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            request, lambda: service(volunteer, by=request.user, **form.cleaned_data), success=_("已添加。")
        )
        if done is not None:
            return redirect(_detail_url(volunteer))
    return _form_page(request, form, str(title), _detail_url(volunteer), _("添加"))


def training_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a training record."""
    return entry_add(request, pk, "training")


def award_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Add an award."""
    return entry_add(request, pk, "award")


def evaluation_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Add an evaluation."""
    return entry_add(request, pk, "evaluation")


@login_required
@require_http_methods(["GET", "POST"])
def entry_delete(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """Remove a training, award or evaluation recorded in the user's scope (confirmation first)."""
    require(may_manage(request.user))
    model = ENTRY_MODELS[kind]
    entry = visible_or_404(model.objects.visible_to(request.user).select_related("volunteer"), request.user, pk)
    back = _detail_url(entry.volunteer)
    if request.method == "POST":
        run_service(request, lambda: services.delete_entry(entry, by=request.user), success=_("已删除。"))
        return redirect(back)
    context = {"title": _("确认删除"), "entry": entry, "kind": model._meta.verbose_name, "back": back}
    return render(request, "volunteers/people/delete.html", context)


def training_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete a training record (after confirmation)."""
    return entry_delete(request, pk, "training")


def award_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete an award (after confirmation)."""
    return entry_delete(request, pk, "award")


def evaluation_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete an evaluation (after confirmation)."""
    return entry_delete(request, pk, "evaluation")


@login_required
@require_http_methods(["GET", "POST"])
def certificate_issue(request: HttpRequest, pk: int) -> HttpResponse:
    """Issue a certificate of the hours the user's unit recorded and confirmed in a period."""
    volunteer = _volunteer(request, pk)
    require(may_manage(request.user))
    form = forms.CertificateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        certificate = run_service(
            request,
            lambda: services.issue_certificate(volunteer, by=request.user, **form.cleaned_data),
            success=_("已出具志愿服务记录证明。"),
        )
        if certificate is not None:
            return redirect(_detail_url(volunteer))
    note = _("只统计本单位（%(unit)s）及下级记录并确认的服务时长（谁记录谁证明）。") % {"unit": request.user.unit.name}
    return _form_page(request, form, _("出具志愿服务记录证明"), _detail_url(volunteer), _("出具证明"), note=note)


def _certificate(request: HttpRequest, pk: int) -> Any:
    require(may_view(request.user))
    return visible_or_404(queries.certificates(request.user), request.user, pk)


@login_required
def certificate_docx(request: HttpRequest, pk: int) -> HttpResponse:
    """The certificate as .docx."""
    return certificate_file(request, _certificate(request, pk), "docx")


@login_required
def certificate_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The certificate as PDF (LibreOffice), or a clear message where it is not installed."""
    return certificate_file(request, _certificate(request, pk), "pdf")


@login_required
@require_http_methods(["GET", "POST"])
def certificate_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """Revoke a certificate, with the reason (a confirmation page)."""
    certificate = _certificate(request, pk)
    require(may_manage(request.user))
    form = forms.RevokeForm(request.POST or None)
    back = _detail_url(certificate.volunteer)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            request,
            lambda: services.revoke_certificate(certificate, reason=form.cleaned_data["reason"], by=request.user),
            success=_("证明已作废。"),
        )
        if done is not None:
            return redirect(back)
    note = _("作废后，公众核验该证明时将显示“已作废”。证明编号 %(number)s。") % {"number": certificate.number}
    return _form_page(request, form, _("作废证明"), back, _("确认作废"), danger=True, note=note)
