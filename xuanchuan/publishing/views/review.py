"""Pages of the review: the reviewer's queue, claim ("我来审"), approve, return, and the notices.
Thin: a task is found through its publication's ``visible_to`` (another unit's: 404)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xuanchuan.core.services import run_service
from xuanchuan.publishing.forms.publications import ApproveForm, ReasonForm
from xuanchuan.publishing.models import ReviewTask
from xuanchuan.publishing.queries import review as queries
from xuanchuan.publishing.services import review as services


def _task(request: HttpRequest, pk: Any) -> ReviewTask:
    text = str(pk)
    if not text.isdigit() or len(text) > 18:
        raise Http404
    task = queries.visible_tasks(request.user).select_related("round__publication").filter(pk=int(text)).first()
    if task is None:
        raise Http404
    return task


@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    """The steps waiting for this reviewer: theirs first, then unclaimed, with due time, urgency
    and an overdue mark."""
    tasks = list(queries.queue(request.user)[:200])
    context = {
        "title": _("审核待办"),
        "tasks": tasks,
        "now": timezone.now(),
        "steps": queries.reviewable_steps(request.user),
    }
    return render(request, "publishing/publications/queue.html", context)


@login_required
@require_POST
def task_claim(request: HttpRequest, pk: int) -> HttpResponse:
    """ "我来审": take up the step; everyone sees who holds it and since when."""
    task = _task(request, pk)
    run_service(request, lambda: services.claim(task, by=request.user), success=_("已领取，请审核。"))
    return redirect(task.round.publication)


@login_required
@require_POST
def task_release(request: HttpRequest, pk: int) -> HttpResponse:
    """Give a claimed step back to the queue."""
    task = _task(request, pk)
    run_service(request, lambda: services.release(task, by=request.user), success=_("已放回待审队列。"))
    return redirect(task.round.publication)


@login_required
@require_POST
def task_approve(request: HttpRequest, pk: int) -> HttpResponse:
    """Pass the step (a high-severity finding needs a written reason)."""
    task = _task(request, pk)
    form = ApproveForm(request.POST)
    data = form.cleaned_data if form.is_valid() else {"comment": "", "override_reason": ""}
    run_service(
        request,
        lambda: services.approve(
            task, by=request.user, comment=data["comment"], override_reason=data["override_reason"]
        ),
        success=_("已审核通过。"),
    )
    return redirect(task.round.publication)


@login_required
@require_POST
def task_return(request: HttpRequest, pk: int) -> HttpResponse:
    """Return the item to its author with a reason."""
    task = _task(request, pk)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    run_service(
        request,
        lambda: services.return_to_author(task, by=request.user, reason=reason),
        success=_("已退回作者修改。"),
    )
    return redirect(task.round.publication)


@login_required
def notice_list(request: HttpRequest) -> HttpResponse:
    """The user's own review notices, unread first; POST marks them read."""
    if request.method == "POST":
        services.mark_notices_read(by=request.user)
        return redirect("publishing:notice_list")
    notices = list(queries.notices(request.user).order_by("read_at", "-created_at")[:200])
    context = {"title": _("审核消息"), "notices": notices, "unread": sum(1 for n in notices if n.read_at is None)}
    return render(request, "publishing/publications/notices.html", context)
