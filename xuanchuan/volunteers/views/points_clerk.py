"""The points clerk's pages (积分兑换核销): the confirmation page the volunteer's QR code opens on
the clerk's phone (a signed-in staff page), and typing the code when the camera cannot read it.
A redemption at a merchant the user does not serve answers 404, like an unknown code."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xuanchuan.core.services import run_service
from xuanchuan.volunteers.forms.points import LookupForm
from xuanchuan.volunteers.models import Redemption
from xuanchuan.volunteers.models.points import normalise_redemption_code
from xuanchuan.volunteers.permissions import may_confirm_redemptions
from xuanchuan.volunteers.queries import points as queries
from xuanchuan.volunteers.services import shop as services


def _clerk(request: HttpRequest) -> None:
    if not may_confirm_redemptions(request.user):
        raise PermissionDenied


@login_required
def redemption_lookup(request: HttpRequest) -> HttpResponse:
    """核销: type the code the volunteer shows (when the camera cannot read the QR code)."""
    _clerk(request)
    form = LookupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = normalise_redemption_code(form.cleaned_data["code"])
        return HttpResponseRedirect(reverse("volunteers:redemption_confirm", args=[code]))
    return render(request, "volunteers/points/redemption_lookup.html", {"title": _("积分兑换核销"), "form": form})


def _redemption_for_clerk(request: HttpRequest, code: str) -> Redemption:
    """The redemption of ``code`` if the user may confirm it (a clerk of its merchant, or an
    administrator or community worker in scope); 404 otherwise, like an unknown code."""
    if len(code) > 16:
        raise Http404
    redemption = (
        Redemption.objects.filter(code=code)  # scoping: allowed — checked below: the user must serve the merchant.
        .select_related("goods__merchant", "account__volunteer", "account__household")
        .first()
    )
    if redemption is None or not services.may_confirm_at(request.user, redemption.goods.merchant):
        raise Http404
    return redemption


@login_required
def redemption_confirm(request: HttpRequest, code: str) -> HttpResponse:
    """Opened by scanning the volunteer's QR code: the goods, quantity and masked name; POST
    confirms the hand-over."""
    redemption = _redemption_for_clerk(request, code)
    if request.method == "POST":
        done = run_service(request, lambda: services.confirm_redemption(redemption, by=request.user), _("核销成功。"))
        if done is not None:
            redemption = done
    context = {
        "title": _("积分兑换核销"),
        "redemption": redemption,
        "label": queries.owner_label(redemption.account),
        "expired": redemption.expires_at <= timezone.now(),
    }
    return render(request, "volunteers/points/redemption_confirm.html", context)
