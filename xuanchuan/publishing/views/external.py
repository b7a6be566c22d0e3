"""Pages of putting published items out on external accounts: the publishing log (one row per
publication and outlet), a post's page with its attempts, recording a post made by hand, retrying
a failed one, confirming a removal after a take-down, the WeChat accounts' credentials
(department administrators), and the public endpoint WeChat pushes publish results to."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from datetime import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from xuanchuan.core.public import rate_limit
from xuanchuan.core.services import run_service
from xuanchuan.core.views import ScopedListView, style_form, visible_or_404
from xuanchuan.publishing.adapters.base import adapter_for
from xuanchuan.publishing.adapters.wechat import check_signature, credential_of
from xuanchuan.publishing.forms.external import CredentialForm, ManualRecordForm, OutletPostFilterSet
from xuanchuan.publishing.models import Outlet, OutletKind, PublicationStatus
from xuanchuan.publishing.models.external import OutletCredential, OutletPost, PostStatus
from xuanchuan.publishing.permissions import may_configure_wechat, may_handle_posts
from xuanchuan.publishing.services import external as services

CALLBACK_MAX_BYTES = 64 * 1024
CALLBACK_MAX_AGE = 600  # seconds a pushed message's timestamp may differ from the clock


class OutletPostListView(ScopedListView):
    """The publishing log: where each published item went, in what state, with its link."""

    model = OutletPost
    title = gettext_lazy("发布记录")
    filterset_class = OutletPostFilterSet
    search_fields = ("publication__title", "outlet__name", "url", "error")
    columns = (
        ("publication__title", gettext_lazy("稿件")),
        ("outlet", gettext_lazy("发布平台")),
        ("state_label", gettext_lazy("状态")),
        ("url", gettext_lazy("链接")),
        ("published_on", gettext_lazy("发布日期")),
        ("attempts", gettext_lazy("尝试次数")),
        ("error", gettext_lazy("失败原因")),
    )
    export_name = "publishing_log"

    def base_queryset(self) -> QuerySet:
        return super().base_queryset().select_related("publication", "outlet")


def _local(moment: str) -> str:
    try:
        return timezone.localtime(datetime.fromisoformat(moment)).strftime("%Y-%m-%d %H:%M")
    except (TypeError, ValueError):
        return moment


def _post_for(request: HttpRequest, pk: Any) -> OutletPost:
    return visible_or_404(
        OutletPost.objects.visible_to(request.user).select_related("publication", "outlet"), request.user, pk
    )


@login_required
def post_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One post: its state, link, platform identifiers, every attempt, and what staff may do."""
    post = _post_for(request, pk)
    user = request.user
    may_handle = may_handle_posts(user)
    automatic = adapter_for(post.outlet).automatic
    published = post.publication.status == PublicationStatus.PUBLISHED
    context = {
        "title": str(post),
        "post": post,
        "history": [{**entry, "at": _local(entry.get("at", ""))} for entry in reversed(post.history or [])],
        "automatic": automatic,
        "may_record": may_handle and published and services.may_record_by_hand(post),
        "may_retry": may_handle and published and automatic and post.status == PostStatus.FAILED,
        "may_confirm_removed": may_handle and post.removal_needed,
        "form": style_form(ManualRecordForm(initial={"url": post.url})),
    }
    return render(request, "publishing/external/post_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def post_record(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the link and the date of a post made by hand on its platform."""
    post = _post_for(request, pk)
    form = style_form(ManualRecordForm(request.POST or None, initial={"url": post.url}))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = run_service(
            request,
            lambda: services.record_manual(post, url=data["url"], day=data["published_on"], by=request.user),
            success=_("已登记发布链接。"),
        )
        if done is not None:
            return redirect(post)
    elif request.method == "GET" and not may_handle_posts(request.user):
        raise PermissionDenied
    return render(request, "publishing/external/post_record.html", {"title": _("登记发布"), "post": post, "form": form})


@login_required
@require_POST
def post_retry(request: HttpRequest, pk: int) -> HttpResponse:
    """Try a failed automatic post once more."""
    post = _post_for(request, pk)
    done = run_service(request, lambda: services.retry(post, by=request.user))
    if done is not None:
        if done.status == PostStatus.PUBLISHED:
            messages.success(request, _("已重新发布。"))
        elif done.status == PostStatus.FAILED:
            messages.error(request, _("重试仍未成功：%(error)s") % {"error": done.error})
        else:
            messages.success(request, _("已重新提交发布，结果稍后更新。"))
    return redirect(post)


@login_required
@require_POST
def post_removed(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm the copy of a taken-down item was removed from its platform by hand."""
    post = _post_for(request, pk)
    if not request.POST.get("confirmed"):
        messages.error(request, _("请先勾选确认已在该平台删除。"))
        return redirect(post)
    run_service(request, lambda: services.confirm_removed(post, by=request.user), success=_("已确认删除。"))
    return redirect(post)


@login_required
def wechat_account_list(request: HttpRequest) -> HttpResponse:
    """The WeChat official accounts the user sees, whether they publish by themselves, and the
    callback URL each one's server configuration needs."""
    if not may_configure_wechat(request.user):
        raise PermissionDenied
    outlets = Outlet.objects.visible_to(request.user).filter(kind=OutletKind.WECHAT).select_related("unit")
    configured = dict(OutletCredential.objects.visible_to(request.user).values_list("outlet_id", "enabled"))
    rows = [
        {
            "outlet": outlet,
            "configured": outlet.pk in configured,
            "enabled": configured.get(outlet.pk, False),
            "callback_url": request.build_absolute_uri(reverse("publishing:wechat_callback", args=[outlet.pk])),
        }
        for outlet in outlets
    ]
    return render(request, "publishing/external/account_list.html", {"title": _("公众号自动发布设置"), "rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def wechat_account_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Enter or change a WeChat account's AppID, AppSecret, token and cover (secrets never shown)."""
    outlet = visible_or_404(Outlet.objects.visible_to(request.user).filter(kind=OutletKind.WECHAT), request.user, pk)
    if not may_configure_wechat(request.user):
        raise PermissionDenied
    credential = OutletCredential.objects.visible_to(request.user).filter(outlet=outlet).first()
    initial = {"enabled": True}
    if credential:
        initial = {
            "app_id": credential.app_id,
            "thumb_media_id": credential.thumb_media_id,
            "enabled": credential.enabled,
        }
    form = style_form(CredentialForm(request.POST or None, initial=initial))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = run_service(
            request,
            lambda: services.save_credential(outlet, **data, by=request.user),
            success=_("已保存公众号接口凭据。"),
        )
        if done is not None:
            return redirect("publishing:wechat_account_list")
    context = {
        "title": _("设置公众号自动发布"),
        "outlet": outlet,
        "form": form,
        "configured": credential is not None,
        "callback_url": request.build_absolute_uri(reverse("publishing:wechat_callback", args=[outlet.pk])),
    }
    return render(request, "publishing/external/account_form.html", context)


# --- The public endpoint WeChat pushes to ------------------------------------------------------


def _event_info(body: bytes) -> dict[str, Any] | None:
    """The ``PublishEventInfo`` of a pushed ``PUBLISHJOBFINISH`` event, or ``None``."""
    if b"<!DOCTYPE" in body.upper() or b"<!ENTITY" in body.upper():
        return None
    try:
        root = ElementTree.fromstring(body)  # noqa: S314 (no DTD or entity: refused above)
    except ElementTree.ParseError:
        return None
    if (root.findtext("MsgType") or "").strip() != "event":
        return None
    if (root.findtext("Event") or "").strip() not in ("PUBLISHJOBFINISH", "FREEPUBLISHJOBFINISH"):
        return None
    event = root.find("PublishEventInfo")
    if event is None:
        return None
    items = [
        {"idx": (item.findtext("idx") or "").strip(), "article_url": (item.findtext("article_url") or "").strip()}
        for item in event.iterfind("article_detail/item")
    ]
    return {
        "publish_id": (event.findtext("publish_id") or "").strip(),
        "publish_status": (event.findtext("publish_status") or "").strip(),
        "article_id": (event.findtext("article_id") or "").strip(),
        "article_detail": {"item": items},
        "fail_idx": [(node.text or "").strip() for node in event.iterfind("fail_idx")],
    }


@csrf_exempt
@rate_limit("publishing-wechat-callback", "300/m", methods=("GET", "POST"))
@require_http_methods(["GET", "POST"])
def wechat_callback(request: HttpRequest, outlet_id: int) -> HttpResponse:
    """WeChat's server configuration URL of one account (明文模式): a GET with ``echostr`` to
    verify the URL, a POST with the pushed event. Both must carry WeChat's signature (sha1 of the
    sorted token, timestamp and nonce) made with the account's token; otherwise 403."""
    outlet = Outlet.objects.filter(pk=outlet_id).first()  # scoping: allowed (public, signed by WeChat)
    credential = credential_of(outlet) if outlet and outlet.kind == OutletKind.WECHAT else None
    if credential is None or not credential.callback_token:
        raise Http404
    query = request.GET
    timestamp = query.get("timestamp", "")
    if not check_signature(credential.callback_token, query.get("signature", ""), timestamp, query.get("nonce", "")):
        return HttpResponseForbidden("signature")
    if not timestamp.isdigit() or abs(int(timestamp) - int(timezone.now().timestamp())) > CALLBACK_MAX_AGE:
        return HttpResponseForbidden("timestamp")
    if request.method == "GET":
        echostr = query.get("echostr", "")
        if not echostr.isalnum() or len(echostr) > 128:
            return HttpResponse("", content_type="text/plain", status=400)
        return HttpResponse(echostr, content_type="text/plain")
    if len(request.body) > CALLBACK_MAX_BYTES:
        return HttpResponse("", content_type="text/plain", status=413)
    info = _event_info(request.body)
    if info is not None:
        services.apply_callback(outlet, info)
    return HttpResponse("success", content_type="text/plain")
