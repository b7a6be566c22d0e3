"""Residents' phone pages of the activities part: the open activities of published projects (a
public list anyone may read), one activity with the places left and the volunteer's own status,
signing up and cancelling (the signed-in volunteer only), and 我的报名."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xuanchuan.core.public import rate_limit
from xuanchuan.core.services import run_service
from xuanchuan.volunteers import session
from xuanchuan.volunteers.models import ActivityStatus, SignUpStatus
from xuanchuan.volunteers.queries import activities as queries
from xuanchuan.volunteers.services import activities as services

PER_PAGE = 20
MAX_QUERY = 50


def _choice(options: list[Any], raw: str) -> Any:
    """The option whose key is ``raw`` (only among those offered), or ``None``."""
    text = (raw or "").strip()
    if not text.isdigit() or len(text) > 18:
        return None
    return next((option for option in options if option.pk == int(text)), None)


def m_activity_list(request: HttpRequest) -> HttpResponse:
    """Open activities of published projects, the earliest first, by street or community, brand
    and words of the title; twenty a page."""
    units, brands = queries.public_filter_choices()
    unit = _choice(units, request.GET.get("unit", ""))
    brand = _choice(brands, request.GET.get("brand", ""))
    # NUL cannot be compared on PostgreSQL; nobody types it, so it is dropped.
    q = request.GET.get("q", "").strip()[:MAX_QUERY]
    rows = queries.open_activities(unit=unit, brand=brand, q=q)
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    for activity in page:
        activity.places_left = max(activity.capacity - activity.confirmed, 0)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "title": _("志愿服务活动"),
        "page_obj": page,
        "units": units,
        "brands": brands,
        "unit": unit,
        "brand": brand,
        "q": q,
        "query_string": query.urlencode(),
        "volunteer": session.current_volunteer(request),
    }
    return render(request, "volunteers/m/activities/list.html", context)


def m_activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An activity: time, place, requirements, places left and, for the volunteer signed in on
    this phone, their own status (with sign-up or cancel)."""
    activity = queries.public_activity(pk)
    volunteer = session.current_volunteer(request)
    mine = queries.own_signup(volunteer, activity)
    live = mine is not None and mine.status != SignUpStatus.CANCELLED
    before_start = activity.starts_at > timezone.now()
    context = {
        "title": activity.title,
        "activity": activity,
        "places_left": max(activity.capacity - activity.confirmed, 0),
        "volunteer": volunteer,
        "mine": mine,
        "live": live,
        "position": queries.waiting_position(mine) if live and mine.status == SignUpStatus.WAITING else None,
        "may_sign_up": activity.status == ActivityStatus.OPEN and before_start and not live,
        "may_cancel": activity.status == ActivityStatus.OPEN and before_start and live,
        "signin_url": session.signin_url(request.get_full_path()) if volunteer is None else "",
    }
    return render(request, "volunteers/m/activities/detail.html", context)


def _signed_in_or_redirect(request: HttpRequest, activity_pk: int) -> Any:
    volunteer = session.current_volunteer(request)
    if volunteer is None:
        from django.urls import reverse

        return HttpResponseRedirect(session.signin_url(reverse("volunteers:m_activity_detail", args=[activity_pk])))
    return volunteer


@require_POST
@rate_limit("volunteers-signup", settings.VOLUNTEERS_PUBLIC_RATE)
def m_signup(request: HttpRequest, pk: int) -> HttpResponse:
    """Sign the volunteer on this phone up (confirmed, or waiting when full); the activity is looked
    up first, so a draft answers 404 whoever asks."""
    activity = queries.public_activity(pk)
    volunteer = _signed_in_or_redirect(request, activity.pk)
    if isinstance(volunteer, HttpResponse):
        return volunteer
    signup = run_service(request, lambda: services.sign_up(activity, volunteer=volunteer))
    if signup is not None:
        if signup.status == SignUpStatus.CONFIRMED:
            messages.success(request, _("报名成功，请准时参加。"))
        else:
            messages.info(request, _("名额已满，您已进入候补；有人取消时按报名先后递补，并短信通知您。"))
    return redirect("volunteers:m_activity_detail", pk=activity.pk)


@require_POST
@rate_limit("volunteers-signup", settings.VOLUNTEERS_PUBLIC_RATE)
def m_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Cancel the volunteer's own live sign-up for the activity (confirmed on the page first)."""
    activity = queries.public_activity(pk)
    volunteer = _signed_in_or_redirect(request, activity.pk)
    if isinstance(volunteer, HttpResponse):
        return volunteer
    mine = queries.own_signup(volunteer, activity)
    if mine is None or mine.status == SignUpStatus.CANCELLED:
        messages.error(request, _("您没有报名该活动。"))
    else:
        run_service(request, lambda: services.cancel(mine, volunteer=volunteer), success=_("已取消报名。"))
    return redirect("volunteers:m_activity_detail", pk=activity.pk)


@session.volunteer_required
def m_my_signups(request: HttpRequest) -> HttpResponse:
    """我的报名: the volunteer's activities to come and those past or cancelled, with their status."""
    mine = queries.my_signups(request.volunteer)  # type: ignore[attr-defined]
    context = {"title": _("我的报名"), "upcoming": mine.upcoming, "past": mine.past}
    return render(request, "volunteers/m/activities/mine.html", context)
