"""The community's daily follow-up work: who is under follow-up on a day, which day of their
follow-up it is, today's check-in and the days missed; recording check-ins and completing."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xuanchuan.arrivals import queries, services
from xuanchuan.arrivals.forms.staff import CheckInForm
from xuanchuan.arrivals.models import Registration
from xuanchuan.arrivals.permissions import may_follow_up
from xuanchuan.core.services import require, run_service
from xuanchuan.core.views import visible_or_404


@login_required
def daily_list(request: HttpRequest) -> HttpResponse:
    """今日跟踪: check-ins due, done and missed, and who may be released (a page at a time;
    the counts are over everyone)."""
    day = parse_date(request.GET.get("day") or "") or timezone.localdate()
    daily = queries.daily_list(request.user, day, request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "title": _("每日跟踪"),
        "day": day,
        "previous_day": day - timedelta(days=1),
        "next_day": day + timedelta(days=1),
        "daily": daily,
        "page_obj": daily.page,
        "query_string": query.urlencode(),
        "may_follow_up": may_follow_up(request.user),
        "day_value": day.isoformat(),
        "next_path": request.get_full_path(),
    }
    return render(request, "arrivals/daily_list.html", context)


@login_required
@require_POST
def check_in(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a day's temperature and symptoms for one person."""
    registration = visible_or_404(Registration, request.user, pk)
    require(may_follow_up(request.user))
    form = CheckInForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, "；".join(errors))
    else:
        data = form.cleaned_data
        run_service(
            request,
            lambda: services.record_check_in(
                registration,
                by=request.user,
                day=data["day"],
                temperature=float(data["temperature"]),
                symptoms=data["symptoms"],
            ),  # fmt: skip
            _("已记录 %(day)s 的健康打卡。") % {"day": data["day"]},
        )
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = registration.get_absolute_url()
    return redirect(target)


@login_required
@require_POST
def complete(request: HttpRequest, pk: int) -> HttpResponse:
    """Release a person whose follow-up has run its days."""
    registration = visible_or_404(Registration, request.user, pk)
    require(may_follow_up(request.user))
    run_service(request, lambda: services.complete_follow_up(registration, by=request.user), _("已解除跟踪。"))
    return redirect(registration)
