"""Public pages, without an account: register, see and correct one's own record, and the
division options the cascading selects load. Rate-limited per client; forms carry the
honeypot and time stamp of ``HumanCheckFormMixin``; a record opens only with its receipt code."""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from xuanchuan.arrivals import services
from xuanchuan.arrivals.divisions import divisions
from xuanchuan.arrivals.forms import COMMUNITIES, ArrivalForm
from xuanchuan.arrivals.memo import versions
from xuanchuan.arrivals.models import Registration
from xuanchuan.core.public import rate_limit
from xuanchuan.core.views import style_form

REGISTER_RATE = "20/m"
RECEIPT_RATE = "30/m"
DIVISIONS_RATE = "300/m"


def _retention_days() -> int:
    from xuanchuan.arrivals.apps import retention_days

    return retention_days()


def _form_page(
    request: HttpRequest, form: ArrivalForm, *, title: str, registration: Registration | None = None
) -> HttpResponse:
    style_form(form, "lg")
    form.fields["health_status"].widget.attrs["class"] = "form-check-input"
    for group in form.origin_groups():
        for field in group[1]:
            field.field.widget.attrs["class"] = "form-select px-2"
    context = {"form": form, "title": title, "registration": registration, "retention_days": _retention_days()}
    return render(request, "arrivals/public/form.html", context, status=200 if not form.errors else 400)


@rate_limit("arrivals-register", REGISTER_RATE)
def register(request: HttpRequest) -> HttpResponse:
    """The self-registration form; a resubmission of the same person and date finds the first record."""
    if request.method != "POST":
        return _form_page(request, ArrivalForm(), title=_("来返人员登记"))
    # The communities and risk areas this submission is checked and classified against: the
    # process's copies, after one look at both versions (one cache round trip).
    communities, areas = versions([COMMUNITIES, services.RISK_AREAS])
    form = ArrivalForm(request.POST, communities=COMMUNITIES.get(communities))
    if not form.is_valid():
        return _form_page(request, form, title=_("来返人员登记"))
    data = form.person_data()
    submission = services.register_arrival(data, community=data["community"], areas=services.risk_areas(areas))
    if not submission.created and not submission.same_phone(data["phone"]):
        form.add_error(
            "id_number",
            _("该证件号码在这一到达日期已经登记。请使用登记时的回执码查看或修改；如遗失回执码，请联系目的地社区。"),
        )
        return _form_page(request, form, title=_("来返人员登记"))
    if submission.created:
        messages.success(request, _("登记成功。请保存本页地址或回执码，用于查看和修改登记信息。"))
    else:
        messages.info(request, _("您已登记过本次到达，以下是原登记的回执，没有重复登记。"))
    return HttpResponseRedirect(receipt_url(submission.registration.receipt_code))


def receipt_url(code: str) -> str:
    """``reverse("arrivals:receipt", args=[code])``, without resolving the URL pattern each time
    (a receipt code is URL-safe base64: it needs no quoting)."""
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    return _receipt_url_pattern(urlconf, get_script_prefix()).replace(_CODE_MARK, code)


_CODE_MARK = "RECEIPT-CODE"


@lru_cache(maxsize=16)
def _receipt_url_pattern(urlconf: str, script_prefix: str) -> str:
    return reverse("arrivals:receipt", kwargs={"code": _CODE_MARK}, urlconf=urlconf)


def _registration_or_404(code: str) -> Registration:
    registration = services.by_receipt(code)
    if registration is None:
        raise Http404(_("回执码不存在"))
    return registration


@never_cache
@rate_limit("arrivals-receipt", RECEIPT_RATE, methods=("GET", "POST"))
def receipt(request: HttpRequest, code: str) -> HttpResponse:
    """The person's own record, masked, with its follow-up plan."""
    registration = _registration_or_404(code)
    context = {"title": _("登记回执"), "registration": registration}
    return render(request, "arrivals/public/receipt.html", context)


@never_cache
@rate_limit("arrivals-receipt", RECEIPT_RATE, methods=("GET", "POST"))
def receipt_edit(request: HttpRequest, code: str) -> HttpResponse:
    """Correct one's own record."""
    registration = _registration_or_404(code)
    if registration.merged_into_id:
        return redirect("arrivals:receipt", code=code)
    form = ArrivalForm(request.POST or None, initial=ArrivalForm.initial_from(registration))
    if request.method == "POST" and form.is_valid():
        data = form.person_data()
        try:
            services.correct_registration(registration, data, community=data["community"])
        except services.ArrivalError as error:
            form.add_error("id_number", str(error))
        else:
            messages.success(request, _("登记信息已更新。"))
            return redirect("arrivals:receipt", code=code)
    return _form_page(request, form, title=_("修改登记信息"), registration=registration)


@require_GET
@rate_limit("arrivals-divisions", DIVISIONS_RATE, methods=("GET",))
def division_options(request: HttpRequest) -> JsonResponse:
    """``[{"code", "name"}]`` of the provinces, or of the divisions below ``?parent=``."""
    parent = request.GET.get("parent", "")
    if parent and divisions().get(parent) is None:
        return JsonResponse({"detail": _("行政区划代码不存在")}, status=404)
    options = [{"code": item.code, "name": item.name} for item in divisions().children(parent)]
    response = JsonResponse({"options": options})
    response["Cache-Control"] = "public, max-age=86400"
    return response
