"""The community's daily follow-up work: who is under follow-up on a day, which day of their
follow-up it is, today's check-in and the days missed; recording check-ins and completing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xuanchuan.arrivals import services
from xuanchuan.arrivals.models import FollowUpStatus, Registration
from xuanchuan.arrivals.staff_forms import CheckInForm

MAX_ROWS = 500


@dataclass(frozen=True)
class DailyRow:
    """One person on the daily list."""

    registration: Registration
    day_number: int
    checked_today: bool
    missed: int

    @property
    def due_for_completion(self) -> bool:
        return self.day_number >= self.registration.follow_up_days


def daily_rows(user: object, day: date) -> list[DailyRow]:
    """Active follow-ups on ``day`` the user sees, in one query."""
    rows = (
        Registration.objects.visible_to(user)
        .filter(follow_up_status=FollowUpStatus.ACTIVE, follow_up_start__lte=day)
        .select_related("unit")
        .annotate(
            today_count=Count("check_ins", filter=Q(check_ins__day=day)),
            before_count=Count("check_ins", filter=Q(check_ins__day__lt=day)),
        )
        .order_by("unit__path", "follow_up_start", "pk")[:MAX_ROWS]
    )
    result = []
    for registration in rows:
        number = registration.day_number(day) or 1
        due_before = min(number - 1, registration.follow_up_days)
        missed = max(due_before - registration.before_count, 0)
        result.append(DailyRow(registration, number, bool(registration.today_count), missed))
    return result


@login_required
def daily_list(request: HttpRequest) -> HttpResponse:
    """今日跟踪: check-ins due, done and missed, and who may be released."""
    day = parse_date(request.GET.get("day") or "") or timezone.localdate()
    rows = daily_rows(request.user, day)
    context = {
        "title": _("每日跟踪"),
        "day": day,
        "previous_day": day - timedelta(days=1),
        "next_day": day + timedelta(days=1),
        "rows": rows,
        "done": sum(row.checked_today for row in rows),
        "with_missed": sum(1 for row in rows if row.missed),
        "due": sum(1 for row in rows if row.due_for_completion),
        "truncated": len(rows) >= MAX_ROWS,
    }
    return render(request, "arrivals/daily_list.html", context)


def _visible(request: HttpRequest, pk: int) -> Registration:
    return get_object_or_404(Registration.objects.visible_to(request.user), pk=pk)


@login_required
@require_POST
def check_in(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a day's temperature and symptoms for one person."""
    registration = _visible(request, pk)
    form = CheckInForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, "；".join(errors))
    else:
        try:
            services.record_check_in(
                registration,
                user=request.user,
                day=form.cleaned_data["day"],
                temperature=float(form.cleaned_data["temperature"]),
                symptoms=form.cleaned_data["symptoms"],
            )
        except services.ArrivalError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("已记录 %(day)s 的健康打卡。") % {"day": form.cleaned_data["day"]})
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = registration.get_absolute_url()
    return redirect(target)


@login_required
@require_POST
def complete(request: HttpRequest, pk: int) -> HttpResponse:
    """Release a person whose follow-up has run its days."""
    registration = _visible(request, pk)
    try:
        services.complete_follow_up(registration, user=request.user)
    except services.ArrivalError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("已解除跟踪。"))
    return redirect(registration)
