"""Residents' phone pages of the points part: 我的积分 (own and household ledger), reporting a good
deed, the points shop, redeeming and showing the redemption's QR code, cancelling, and the public
ranking of a community (only where its practice site chose to show it, names masked)."""

from __future__ import annotations

from typing import Any

import segno
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xuanchuan.core.public import rate_limit
from xuanchuan.core.services import run_service
from xuanchuan.org.models import GRASSROOTS_TYPES, Unit
from xuanchuan.volunteers.forms.points import PhoneClaimForm
from xuanchuan.volunteers.models import Goods, PracticeSite, Redemption
from xuanchuan.volunteers.queries import points as queries
from xuanchuan.volunteers.services import points as services
from xuanchuan.volunteers.services import shop
from xuanchuan.volunteers.session import current_volunteer, signin_url, volunteer_required


def _key(raw: Any) -> int:
    text = str(raw)
    if not text.isdigit() or len(text) > 18:
        raise Http404
    return int(text)


@volunteer_required
def m_points(request: HttpRequest) -> HttpResponse:
    """我的积分: balance, what expires within 30 days, the entries; the household's too."""
    summary = queries.phone_points(request.volunteer)
    context = {"title": _("我的积分"), "summary": summary, "notice_days": queries.EXPIRY_NOTICE_DAYS}
    return render(request, "volunteers/m/points/points.html", context)


@volunteer_required
@rate_limit("volunteers-points", settings.VOLUNTEERS_PUBLIC_RATE)
def m_claim_new(request: HttpRequest) -> HttpResponse:
    """申报好人好事 under a rule of the volunteer's community (staff approve it)."""
    form = PhoneClaimForm(request.POST or None, volunteer=request.volunteer)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        made = run_service(
            request,
            lambda: services.submit_claim(
                volunteer=request.volunteer,
                rule=data["rule"],
                description=data["description"],
                happened_on=data["happened_on"],
            ),
            _("已提交，工作人员审核通过后计入积分。"),
        )
        if made is not None:
            return HttpResponseRedirect(reverse("volunteers:m_points"))
    status = 400 if request.method == "POST" else 200
    return render(request, "volunteers/m/points/claim.html", {"title": _("申报好人好事"), "form": form}, status=status)


@volunteer_required
def m_shop(request: HttpRequest) -> HttpResponse:
    """积分超市: goods of the merchants of the volunteer's street, the affordable ones marked."""
    balance, items = queries.shop(request.volunteer)
    return render(
        request, "volunteers/m/points/shop.html", {"title": _("积分兑换"), "balance": balance, "items": items}
    )


@require_POST
@rate_limit("volunteers-points", settings.VOLUNTEERS_PUBLIC_RATE)
def m_redeem(request: HttpRequest, goods_pk: Any) -> HttpResponse:
    """兑换: takes the points and holds the stock at once, then shows the code for the merchant.
    The item is looked up first, so one no longer offered answers 404 whoever asks."""
    goods = (
        Goods.objects.filter(pk=_key(goods_pk), active=True, merchant__active=True)  # scoping: allowed — on offer
        .select_related("merchant")
        .first()
    )
    if goods is None:
        raise Http404
    volunteer = current_volunteer(request)
    if volunteer is None:
        return HttpResponseRedirect(signin_url(reverse("volunteers:m_shop")))
    raw = request.POST.get("quantity", "1")
    quantity = int(raw) if raw.isdigit() and len(raw) < 4 else 0
    made = run_service(
        request,
        lambda: shop.reserve_redemption(goods, volunteer=volunteer, quantity=quantity),
        _("兑换成功，请在兑换点出示二维码。"),
    )
    if made is None:
        return HttpResponseRedirect(reverse("volunteers:m_shop"))
    return HttpResponseRedirect(reverse("volunteers:m_redemption", args=[made.code]))


def _own_redemption(request: HttpRequest, code: str) -> Redemption:
    """The signed-in volunteer's own redemption of ``code``; 404 for anyone else (and for nobody
    signed in: the page is reached from the volunteer's own pages, and a code is not a pass)."""
    volunteer = current_volunteer(request)
    if volunteer is None or len(code) > 16:
        raise Http404
    request.volunteer = volunteer  # type: ignore[attr-defined]
    redemption = (
        Redemption.objects.filter(code=code, account__volunteer=volunteer)  # scoping: allowed — own.
        .select_related("goods__merchant")
        .first()
    )
    if redemption is None:
        raise Http404
    return redemption


def m_redemption(request: HttpRequest, code: str) -> HttpResponse:
    """The redemption's QR code (the clerk's confirmation address) and the code in writing."""
    redemption = _own_redemption(request, code)
    confirm_url = request.build_absolute_uri(reverse("volunteers:redemption_confirm", args=[redemption.code]))
    qr = segno.make(confirm_url, error="m").svg_inline(scale=6, border=2, title=str(_("兑换二维码")))
    context = {
        "title": _("兑换凭证"),
        "redemption": redemption,
        "confirm_url": confirm_url,
        "qr": qr,
        "expired": redemption.expires_at <= timezone.now(),
    }
    return render(request, "volunteers/m/points/redemption.html", context)


@require_POST
@rate_limit("volunteers-points", settings.VOLUNTEERS_PUBLIC_RATE)
def m_redemption_cancel(request: HttpRequest, code: str) -> HttpResponse:
    """取消兑换: the points and the stock come back."""
    redemption = _own_redemption(request, code)
    run_service(
        request,
        lambda: shop.cancel_redemption(redemption, volunteer=request.volunteer),
        _("已取消，积分已退回。"),
    )
    return HttpResponseRedirect(reverse("volunteers:m_points"))


def m_ranking(request: HttpRequest, unit_pk: Any) -> HttpResponse:
    """积分排行 of a community this year, public only where its practice site shows it; names
    masked, no volunteer numbers."""
    unit = Unit.objects.filter(pk=_key(unit_pk), unit_type__in=GRASSROOTS_TYPES).first()  # scoping: allowed — public
    # The staff's choice to publish the ranking is what makes it public.
    shown = PracticeSite.objects.filter(unit=unit, show_ranking=True)  # scoping: allowed — published
    if unit is None or not shown.exists():
        raise Http404
    today = timezone.localdate()
    rows = queries.ranking(unit, today.replace(month=1, day=1), today, public=True)
    context = {"title": _("%(unit)s积分排行") % {"unit": unit.name}, "rows": rows, "year": today.year}
    return render(request, "volunteers/m/points/ranking.html", context)
