"""Staff pages of the Open311 clients (department administrators): the list with last use, issuing
a key (shown once, on the answer page only) and revoking one after a confirmation. Another unit's
client answers 404 like a missing one."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xuanchuan.civility.forms.open311 import ApiClientForm
from xuanchuan.civility.models import ApiClient
from xuanchuan.civility.permissions import may_manage_clients
from xuanchuan.civility.services import open311 as services
from xuanchuan.core.services import run_service
from xuanchuan.core.views import ScopedListView, style_form, visible_or_404


def _require_manager(request: HttpRequest) -> None:
    if not may_manage_clients(request.user):
        raise PermissionDenied


class ApiClientListView(ScopedListView):
    """Open311 客户端: who may submit citizens' reports, whether the key is active, its last use."""

    model = ApiClient
    title = gettext_lazy("Open311 客户端")
    template_name = "civility/open311/client_list.html"
    search_fields = ("name", "contact", "key_prefix")
    columns = (
        ("name", gettext_lazy("名称")),
        ("key_prefix", gettext_lazy("密钥前缀")),
        ("state_label", gettext_lazy("状态")),
        ("contact", gettext_lazy("联系人")),
        ("unit__name", gettext_lazy("接收单位")),
        ("created_at", gettext_lazy("发放时间")),
        ("last_used_at", gettext_lazy("最近使用")),
    )
    export_name = "civility-open311-clients"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            _require_manager(request)
        return super().dispatch(request, *args, **kwargs)

    def base_queryset(self) -> QuerySet:
        return super().base_queryset().select_related("unit").order_by("-is_active", "name")

    def row_values(self, row: Any, columns: Any = None) -> list[Any]:
        row.state_label = _("启用") if row.is_active else _("已停用")
        return super().row_values(row, columns)


@login_required
def client_create(request: HttpRequest) -> HttpResponse:
    """发放密钥: the key is shown once on the answer page (never stored, never sent again)."""
    _require_manager(request)
    form = ApiClientForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        made = run_service(
            request,
            lambda: services.create_client(
                name=form.cleaned_data["name"], contact=form.cleaned_data["contact"], by=request.user
            ),
        )
        if made is not None:
            client, key = made
            response = render(
                request, "civility/open311/client_key.html", {"title": _("密钥已发放"), "client": client, "key": key}
            )
            add_never_cache_headers(response)
            return response
    status = 400 if request.method == "POST" else 200
    context = {"title": _("发放 Open311 客户端密钥"), "form": style_form(form)}
    return render(request, "civility/open311/client_form.html", context, status=status)


@login_required
def client_revoke(request: HttpRequest, pk: Any) -> HttpResponse:
    """停用密钥, after a confirmation page: the client's next submission is refused."""
    clients = ApiClient.objects.select_related("unit")  # scoping: allowed (visible_or_404 applies visible_to)
    client = visible_or_404(clients, request.user, pk)
    _require_manager(request)
    if request.method == "POST":
        done = run_service(
            request,
            lambda: services.revoke_client(client, by=request.user),
            _("“%(name)s”的密钥已停用。") % {"name": client.name},
        )
        if done is not None:
            return HttpResponseRedirect(reverse("civility:open311_client_list"))
    return render(request, "civility/open311/client_revoke.html", {"title": _("停用客户端密钥"), "client": client})
