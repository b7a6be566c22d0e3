"""What waits on the home page: reminders to file today's report, and days to approve."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

from django.db.models import Count, Exists, OuterRef
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from xuanchuan.core.navigation import Todo
from xuanchuan.outbreak import services
from xuanchuan.outbreak.models import DailyReport, DayApproval, Reminder, ReportForm
from xuanchuan.outbreak.permissions import may_fill, may_supervise


def outbreak_todos(user: Any) -> Iterator[Todo]:
    if not may_fill(user):
        return
    today = services.report_today()
    board = reverse("outbreak:board")
    reported = DailyReport.objects.filter(form=OuterRef("form"), unit=OuterRef("unit"), day=today)
    reminders = Reminder.objects.visible_to(user).filter(day=today).exclude(Exists(reported))
    # One grouped query: without ``order_by()`` the model's ordering columns would join the
    # grouping, giving one row per reminder instead of one per form.
    per_form = reminders.order_by().values_list("form_id", "form__name").annotate(count=Count("pk"))
    for form_id, name, count in per_form.order_by("form__name", "form_id"):
        url = f"{board}?{urlencode({'form': form_id, 'end': today.isoformat()})}"
        yield Todo(_("“%(name)s”今日尚未上报（已提醒）") % {"name": name}, count, url, "danger")
    if may_supervise(user):
        yield from _days_to_approve(user, today)


def _days_to_approve(user: Any, today: Any) -> Iterator[Todo]:
    """Yesterday's figures wait for the district's approval once its deadline has passed."""
    yesterday = today - timedelta(days=1)
    forms = ReportForm.objects.visible_to(user).active().filter(starts_on__lte=yesterday)
    approved = DayApproval.objects.filter(day=yesterday).values("form_id")
    for form in forms.exclude(pk__in=approved):
        if form.runs_on(yesterday) and services.now() > form.deadline_at(yesterday):
            url = f"{reverse('outbreak:board')}?{urlencode({'form': form.pk, 'end': yesterday.isoformat()})}"
            yield Todo(_("“%(name)s”昨日数据待审核") % {"name": form.name}, 1, url, "warning")
