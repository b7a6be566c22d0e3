"""Public pages, without an account: register, see and correct one's own record, recover a
receipt (sent again to the registered phone, or typed in), and the division options the
cascading selects load. Rate-limited per client; forms carry the
honeypot and time stamp of ``HumanCheckFormMixin``; a record opens only with its receipt code."""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django_ratelimit import ALL
from django_ratelimit.core import is_ratelimited

from xuanchuan.arrivals import services
from xuanchuan.arrivals.divisions import divisions
from xuanchuan.arrivals.forms import COMMUNITIES, ArrivalForm
from xuanchuan.arrivals.forms.public import ReceiptCodeForm, ResendForm, resend_token
from xuanchuan.arrivals.models import CorrectionStatus, Registration
from xuanchuan.core.http import client_ip
from xuanchuan.core.memo import versions
from xuanchuan.core.public import rate_limit, too_many_requests
from xuanchuan.core.services import refusal_text
from xuanchuan.core.views import style_form

REGISTER_RATE = "20/m"
RECEIPT_RATE = "30/m"
RESEND_RATE = "10/h"
DIVISIONS_RATE = "300/m"
PENDING_MESSAGE = gettext_lazy(
    "您更正的行程或到达日期会使正在进行的健康跟踪提前结束，需经社区工作人员核实后生效；核实前请继续配合健康跟踪。"
)


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
    """The self-registration form. A resubmission of the same person and date never shows the
    first record: it gets the same "already registered" answer whatever the phone, with the
    ways to recover the receipt that prove possession (a text to the registered phone, or the
    code itself), and a client gets few such answers an hour."""
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
    if not submission.created:
        return _already_registered(request, submission.registration)
    messages.success(request, _("登记成功。请保存本页地址或回执码，用于查看和修改登记信息。"))
    return HttpResponseRedirect(receipt_url(submission.registration.receipt_code))


def _already_registered(request: HttpRequest, registration: Registration) -> HttpResponse:
    rate = f"{settings.ARRIVALS_DUPLICATES_PER_HOUR}/h"
    if is_ratelimited(request, group="arrivals-duplicate", key=_client, rate=rate, method=ALL, increment=True):
        return too_many_requests(request, rate)
    context = {
        "title": _("已有登记"),
        "resend_form": ResendForm(initial={"token": resend_token(registration)}),
        "code_form": style_form(ReceiptCodeForm(), "lg"),
    }
    return render(request, "arrivals/public/already_registered.html", context)


def _client(group: str, request: HttpRequest) -> str:
    return client_ip(request) or "unknown"


@require_POST
@rate_limit("arrivals-resend", RESEND_RATE)
def receipt_resend(request: HttpRequest) -> HttpResponse:
    """Send the receipt again to the phone on the record; the answer is the same either way."""
    form = ResendForm(request.POST)
    if not form.is_valid():
        context = {"title": _("页面已过期"), "message": "；".join(form.errors["token"])}
        return render(request, "arrivals/public/receipt_sent.html", context, status=400)
    services.resend_receipt(form.cleaned_data["token"], link=lambda code: request.build_absolute_uri(receipt_url(code)))
    return render(request, "arrivals/public/receipt_sent.html", {"title": _("回执已发送")})


@never_cache
@rate_limit("arrivals-receipt", RECEIPT_RATE, methods=("GET", "POST"))
def receipt_lookup(request: HttpRequest) -> HttpResponse:
    """Open one's record by typing the receipt code."""
    form = ReceiptCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        registration = services.by_receipt(form.cleaned_data["code"].strip())
        if registration is not None:
            return HttpResponseRedirect(receipt_url(registration.receipt_code))
        form.add_error("code", _("回执码不正确，请核对后再输入。"))
    context = {"title": _("凭回执码查看登记"), "form": style_form(form, "lg")}
    return render(request, "arrivals/public/receipt_lookup.html", context, status=400 if form.errors else 200)


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
    """The person's own record, masked, with its follow-up plan (and a correction held for staff)."""
    registration = _registration_or_404(code)
    pending = registration.corrections.filter(status=CorrectionStatus.PENDING).exists()
    context = {"title": _("登记回执"), "registration": registration, "pending_correction": pending}
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
            correction = services.correct_registration(registration, data, community=data["community"])
        except services.ServiceError as error:
            form.add_error("id_number", refusal_text(error))
        else:
            messages.success(request, _("登记信息已更新。"))
            if correction.pending is not None:
                messages.info(request, PENDING_MESSAGE)
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
