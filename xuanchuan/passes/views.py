"""Pages of the pass system: staff lists and decisions, the checkpoint, the resident's pages."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from xuanchuan.core.pii import masked
from xuanchuan.core.public import rate_limit
from xuanchuan.core.services import refusal_text, run_service
from xuanchuan.core.views import ScopedDetailView, ScopedListView, style_form, visible_or_404
from xuanchuan.passes import qr, services
from xuanchuan.passes.filters import MovementFilterSet, PassFilterSet, VerificationFilterSet
from xuanchuan.passes.forms import (
    ImportForm,
    ReasonForm,
    ResidentApplicationForm,
    StaffApplicationForm,
)
from xuanchuan.passes.models import ApplicationChannel, Household, Movement, Pass, PassStatus, SigningKey, Verification
from xuanchuan.passes.permissions import may_check, may_decide, may_manage_keys
from xuanchuan.passes.queries import communities, pass_page


def api_url(name: str) -> str:
    """The address of an endpoint of ``passes.api`` (mounted by the project at /api/passes/)."""
    return reverse(f"api:{name}")


def _pass_for(request: HttpRequest, pk: int) -> Pass:
    """A pass the user may see, with what its pages show, or 404."""
    passes = Pass.objects.select_related("household", "unit")  # scoping: allowed (visible_or_404 applies visible_to)
    return visible_or_404(passes, request.user, pk)


# --- Lists -----------------------------------------------------------------------------------------


class PassListView(ScopedListView):
    model = Pass
    title = gettext_lazy("电子通行证")
    template_name = "passes/pass_list.html"
    filterset_class = PassFilterSet
    search_fields = ("public_id", "household__number", "unit__name")
    columns = (
        ("public_id", gettext_lazy("通行证编号")),
        ("unit__name", gettext_lazy("社区（村）")),
        ("household__number", gettext_lazy("户号")),
        ("masked_holder", gettext_lazy("持证人")),
        ("get_channel_display", gettext_lazy("申请方式")),
        ("state_label", gettext_lazy("状态")),
        ("valid_from", gettext_lazy("生效日期")),
        ("valid_until", gettext_lazy("截止日期")),
    )
    export_name = "passes"

    def base_queryset(self) -> QuerySet:
        return super().base_queryset().select_related("household", "unit")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["may_decide"] = may_decide(self.request.user)
        context["may_check"] = may_check(self.request.user)
        context["may_manage_keys"] = may_manage_keys(self.request.user)
        if context["may_decide"]:
            context["apply_links"] = [
                (unit.name, self.request.build_absolute_uri(reverse("passes:resident_apply", args=[unit.code])))
                for unit in communities(self.request.user)[:50]
            ]
        return context


class HouseholdListView(ScopedListView):
    model = Household
    title = gettext_lazy("住户")
    search_fields = ("number", "unit__name")
    columns = (
        ("number", gettext_lazy("户号")),
        ("unit__name", gettext_lazy("社区（村）")),
        ("masked_address", gettext_lazy("住址")),
        ("pass_count", gettext_lazy("通行证数")),
        ("created_at", gettext_lazy("登记时间")),
    )
    export_name = "households"

    def base_queryset(self) -> QuerySet:
        return (
            super()
            .base_queryset()
            .select_related("unit")
            .annotate(pass_count=Count("passes"))
            .order_by("unit__path", "number")
        )


class VerificationListView(ScopedListView):
    model = Verification
    title = gettext_lazy("核验记录")
    filterset_class = VerificationFilterSet
    search_fields = ("pass_public_id", "checkpoint", "kid")
    columns = (
        ("checked_at", gettext_lazy("核验时间")),
        ("pass_public_id", gettext_lazy("通行证编号")),
        ("get_result_display", gettext_lazy("核验结果")),
        ("get_direction_display", gettext_lazy("方向")),
        ("checkpoint", gettext_lazy("卡口")),
        ("created_by", gettext_lazy("核验员")),
        ("offline", gettext_lazy("离线核验")),
        ("kid", gettext_lazy("密钥标识")),
    )
    export_name = "pass_verifications"

    def base_queryset(self) -> QuerySet:
        return super().base_queryset().select_related("created_by")


class MovementListView(ScopedListView):
    model = Movement
    title = gettext_lazy("出入记录")
    filterset_class = MovementFilterSet
    search_fields = ("pass_obj__public_id", "household__number", "checkpoint")
    columns = (
        ("occurred_at", gettext_lazy("时间")),
        ("get_direction_display", gettext_lazy("方向")),
        ("pass_obj__public_id", gettext_lazy("通行证编号")),
        ("unit__name", gettext_lazy("社区（村）")),
        ("household__number", gettext_lazy("户号")),
        ("checkpoint", gettext_lazy("卡口")),
        ("offline", gettext_lazy("离线记录")),
        ("rule_breached", gettext_lazy("超出外出限制")),
    )
    export_name = "pass_movements"

    def base_queryset(self) -> QuerySet:
        return super().base_queryset().select_related("pass_obj", "household", "unit")


class KeyListView(ScopedListView):
    model = SigningKey
    title = gettext_lazy("签发密钥")
    template_name = "passes/key_list.html"
    columns = (
        ("kid", gettext_lazy("密钥标识")),
        ("get_status_display", gettext_lazy("状态")),
        ("activated_at", gettext_lazy("启用时间")),
        ("superseded_at", gettext_lazy("停止签发时间")),
        ("retires_at", gettext_lazy("停止核验时间")),
    )
    export_name = "pass_keys"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated and not may_manage_keys(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["key_set_url"] = api_url("passes_key_set")
        context["revocation_url"] = api_url("passes_revocation_list")
        context["overlap_days"] = services.key_overlap_days()
        return context


@login_required
@require_POST
def key_rotate(request: HttpRequest) -> HttpResponse:
    """Start signing with a new key (the old one verifies for the overlap)."""
    if run_service(request, lambda: services.rotate_key(by=request.user), _("已启用新密钥，旧密钥进入过渡期。")):
        return redirect("passes:key_list")
    return redirect("passes:pass_list")


# --- One pass --------------------------------------------------------------------------------------


class PassDetailView(ScopedDetailView):
    model = Pass
    template_name = "passes/pass_detail.html"
    context_object_name = "pass_obj"

    def base_queryset(self) -> QuerySet:
        return super().base_queryset().select_related("household", "unit", "decided_by", "revoked_by", "replaces")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        pass_obj = self.object
        page = pass_page(self.request.user, pass_obj)
        context.update(
            {
                "title": _("通行证 %(number)s") % {"number": pass_obj.public_id},
                "qr": qr.data_uri(pass_obj.signed_text) if pass_obj.status == PassStatus.APPROVED else "",
                "may_decide": may_decide(self.request.user),
                "reason_form": style_form(ReasonForm()),
                "movements": page.movements,
                "verifications": page.verifications,
                "successor": page.successor,
            }
        )
        if context["may_decide"] and pass_obj.status == PassStatus.APPROVED:
            context["handover"] = _handover(self.request, pass_obj)
        return context


def _handover(request: HttpRequest, pass_obj: Pass) -> dict[str, Any]:
    """How staff hand a signed pass to its holder: printed, or its resident page opened on the
    holder's own phone by scanning the link shown here (a re-issued pass reaches no old link)."""
    link = _resident_link(request)(pass_obj.access_token)
    phone = masked(pass_obj, "holder_phone") if pass_obj.holder_phone else ""
    return {"link": link, "link_qr": qr.data_uri(link, scale=4), "phone": phone}


def _decision(request: HttpRequest, pk: int, action: Any, success: str, *, needs_reason: bool) -> HttpResponse:
    """A decision on a pass the user may see; the pass it results in is shown next."""
    pass_obj = _pass_for(request, pk)
    extra: dict[str, str] = {}
    if needs_reason:
        form = ReasonForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("请填写理由。"))
            return redirect(pass_obj)
        extra["reason"] = form.cleaned_data["reason"]
    result = run_service(request, lambda: action(pass_obj, by=request.user, **extra), success)
    return redirect(result or pass_obj)


@login_required
@require_POST
def pass_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _decision(request, pk, services.approve, _("已批准并签发通行证。"), needs_reason=False)


@login_required
@require_POST
def pass_refuse(request: HttpRequest, pk: int) -> HttpResponse:
    return _decision(request, pk, services.refuse, _("已不予通过。"), needs_reason=True)


@login_required
@require_POST
def pass_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    return _decision(request, pk, services.revoke, _("已撤销，各卡口更新撤销名单后即拒绝此证。"), needs_reason=True)


@login_required
@require_POST
def pass_reissue(request: HttpRequest, pk: int) -> HttpResponse:
    return _decision(request, pk, services.reissue, _("已撤销原证并重新签发。"), needs_reason=True)


@login_required
@require_POST
def pass_send_link(request: HttpRequest, pk: int) -> HttpResponse:
    """Text the holder's page of a signed pass to the phone on record, once staff confirm the number."""
    pass_obj = _pass_for(request, pk)
    if not request.POST.get("confirmed"):
        messages.error(request, _("请先与持证人确认该手机号码仍由其本人使用。"))
        return redirect(pass_obj)
    masked_number = run_service(
        request, lambda: services.send_pass_link(pass_obj, by=request.user, link=_resident_link(request))
    )
    if masked_number:
        messages.success(request, _("已将通行证页面链接以短信发送至 %(number)s。") % {"number": masked_number})
    return redirect(pass_obj)


def _resident_link(request: HttpRequest) -> Any:
    return lambda token: request.build_absolute_uri(reverse("passes:resident_pass", args=[token]))


@login_required
def pass_qr(request: HttpRequest, pk: int) -> HttpResponse:
    """The pass's QR code as a PNG file."""
    pass_obj = _pass_for(request, pk)
    if pass_obj.status != PassStatus.APPROVED:
        raise Http404
    response = HttpResponse(qr.png(pass_obj.signed_text, scale=8), content_type="image/png")
    response["Content-Disposition"] = f'attachment; filename="pass-{pass_obj.public_id}.png"'
    return response


@login_required
def pass_print(request: HttpRequest, pk: int) -> HttpResponse:
    """The pass as a printable card."""
    pass_obj = _pass_for(request, pk)
    if pass_obj.status != PassStatus.APPROVED:
        raise Http404
    return render(request, "passes/pass_print.html", _card_context(pass_obj, _("打印通行证")))


def _card_context(pass_obj: Pass, title: str) -> dict[str, Any]:
    """A pass card: the QR code only while the pass is signed and not revoked."""
    showable = pass_obj.signed_text and pass_obj.status == PassStatus.APPROVED
    return {
        "title": title,
        "pass_obj": pass_obj,
        "masked_name": masked(pass_obj, "holder_name"),
        "qr": qr.data_uri(pass_obj.signed_text, scale=8) if showable else "",
    }


# --- Applications ----------------------------------------------------------------------------------


@login_required
def pass_create(request: HttpRequest) -> HttpResponse:
    """Staff apply on a resident's behalf."""
    if not may_decide(request.user):
        raise PermissionDenied
    form = StaffApplicationForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        created = run_service(
            request,
            lambda: services.apply(form.application(), channel=ApplicationChannel.STAFF, by=request.user),
            _("已登记申请，等待审批。"),
        )
        if created is not None:
            return redirect(created)
    return render(request, "passes/pass_form.html", {"title": _("代为申请通行证"), "form": style_form(form, "md")})


@login_required
def pass_import(request: HttpRequest) -> HttpResponse:
    """A household list imported as pending applications: all rows or none."""
    if not may_decide(request.user):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            result = services.import_households(
                form.cleaned_data["file"], community=form.cleaned_data["community"], by=request.user
            )
        except (PermissionDenied, ValidationError) as exc:
            errors = [refusal_text(exc)]
        else:
            errors = result.errors
            if not errors:
                messages.success(request, _("已导入 %(count)d 条申请，等待审批。") % {"count": result.created})
                return redirect(f"{reverse('passes:pass_list')}?status={PassStatus.PENDING}")
    context = {"title": _("批量导入住户名单"), "form": style_form(form, "md"), "errors": errors}
    return render(request, "passes/pass_import.html", context)


# --- Checkpoint ------------------------------------------------------------------------------------


@login_required
def checkpoint(request: HttpRequest) -> HttpResponse:
    """The checkpoint page (phone first): scan, verify on the device and online, record movements."""
    if not may_check(request.user):
        raise PermissionDenied
    context = {
        "title": _("通行证核验"),
        "checkpoint_name": str(request.user.unit or ""),
        "service_worker": reverse("passes:service_worker"),
        "urls": {
            "keys": api_url("passes_key_set"),
            "revocations": api_url("passes_revocation_list"),
            "verify": api_url("passes_verify"),
            "events": api_url("passes_events"),
            "token": api_url("passes_checkpoint_token"),
        },
    }
    return render(request, "passes/checkpoint.html", context)


# Files the checkpoint page needs with no network (module imports are requested by plain name).
CHECKPOINT_ASSETS = (
    "passes/checkpoint.js",
    "passes/verify.js",
    "passes/scanner.js",
    "passes/passes.css",
    "passes/vendor/jsqr-1.4.0/jsQR.js",
    "core/css/site.css",
    "core/img/logo.svg",
    "vendor/bootstrap-5.3.9/bootstrap.min.css",
    "vendor/bootstrap-5.3.9/bootstrap.bundle.min.js",
    "vendor/bootstrap-icons-1.13.2/bootstrap-icons.min.css",
    "vendor/bootstrap-icons-1.13.2/fonts/bootstrap-icons.woff2",
    "vendor/htmx-2.0.11/htmx.min.js",
)
MODULE_IMPORTS = ("passes/verify.js", "passes/scanner.js")


def service_worker(request: HttpRequest) -> HttpResponse:
    """The checkpoint page's service worker, at /passes/sw.js so that its scope is /passes/."""
    assets = sorted({static(name) for name in CHECKPOINT_ASSETS} | {settings.STATIC_URL + n for n in MODULE_IMPORTS})
    page = reverse("passes:checkpoint")
    version = hashlib.sha256(json.dumps([page, assets]).encode()).hexdigest()[:12]
    context = {
        "scope": reverse("passes:pass_list"),
        "version": version,
        "page_json": json.dumps(page),
        "assets_json": json.dumps(assets),
    }
    response = HttpResponse(
        render_to_string("passes/sw.js", context), content_type="application/javascript; charset=utf-8"
    )
    response["Cache-Control"] = "no-cache"
    return response


# --- Residents (no account) -----------------------------------------------------------------------


@rate_limit("passes-apply", "10/m")
def resident_apply(request: HttpRequest, code: str) -> HttpResponse:
    """The public application form of one community, reached from the QR code it posts up."""
    community = get_object_or_404(communities(), code=code)
    form = ResidentApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            pass_obj = services.apply(form.application(community), channel=ApplicationChannel.RESIDENT)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("passes:resident_pass", token=pass_obj.access_token)
    context = {"title": _("申领电子通行证"), "community": community, "form": style_form(form, "lg")}
    return render(request, "passes/resident_apply.html", context)


@rate_limit("passes-resident-pass", "60/m", methods=("GET",))
def resident_pass(request: HttpRequest, token: str) -> HttpResponse:
    """The resident's own page: the link given after applying is the only key to it.

    A revoked pass's page says only that: whoever holds an old link (a lost phone) learns nothing
    of a pass re-issued in its place, which reaches the holder through the community.
    """
    pass_obj = get_object_or_404(
        Pass.objects.select_related("household", "unit"),  # scoping: allowed (capability link, no account)
        access_token=token,
    )
    return render(request, "passes/resident_pass.html", _card_context(pass_obj, _("我的电子通行证")))
