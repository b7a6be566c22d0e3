"""Pages of the tickets part: the list, the unit's queue, one ticket with its actions, issuing a
ticket from open problems, the printed 交办单 and the 督办 notices. Thin views over
``services.tickets`` and ``queries.tickets``."""

from __future__ import annotations

import mimetypes
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from xuanchuan.civility import printing
from xuanchuan.civility.forms.tickets import IssueForm, NoteForm, ReasonForm, ReplyForm, TicketFilterSet
from xuanchuan.civility.models.cases import Photo, PhotoStage, SupervisionNotice, Ticket, TicketStatus
from xuanchuan.civility.permissions import may_inspect, may_reply, may_view
from xuanchuan.civility.queries import tickets as queries
from xuanchuan.civility.services import tickets as services
from xuanchuan.core.services import run_service
from xuanchuan.core.views import ScopedListView, style_form, visible_or_404

MAX_PROBLEMS_PER_TICKET = 50


def _require_view(request: HttpRequest) -> None:
    if not may_view(request.user):
        raise PermissionDenied


def _ticket(request: HttpRequest, pk: Any) -> Ticket:
    return visible_or_404(queries.tickets_for(request.user), request.user, pk)


class TicketListView(ScopedListView):
    """交办单 list: search, filters (status, unit, category group, overdue, year), Excel export."""

    model = Ticket
    title = gettext_lazy("交办单")
    template_name = "civility/tickets/ticket_list.html"
    filterset_class = TicketFilterSet
    search_fields = ("number", "unit__name", "requirement", "problems__description")
    columns = (
        ("number", gettext_lazy("交办单编号")),
        ("unit__name", gettext_lazy("责任单位")),
        ("issuing_unit__name", gettext_lazy("交办单位")),
        ("issued_at", gettext_lazy("交办时间")),
        ("due_on", gettext_lazy("整改期限")),
        ("get_status_display", gettext_lazy("状态")),
        ("reopen_count", gettext_lazy("重新整改次数")),
        ("escalated_at", gettext_lazy("督办时间")),
        ("closed_at", gettext_lazy("销号时间")),
    )
    export_name = "civility_tickets"

    def base_queryset(self) -> QuerySet:
        return super().base_queryset().select_related("unit", "issuing_unit")

    def get_queryset(self) -> QuerySet:
        _require_view(self.request)
        return super().get_queryset().distinct()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["may_inspect"] = may_inspect(self.request.user)
        return context


@login_required
def ticket_queue(request: HttpRequest) -> HttpResponse:
    """The user's unit's tickets to rectify and reply to, overdue first."""
    _require_view(request)
    return render(
        request,
        "civility/tickets/ticket_queue.html",
        {"title": _("本单位待整改的交办单"), "tickets": queries.queue(request.user)[:200]},
    )


@login_required
def ticket_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One ticket: its problems with their photos before and after, its history and the actions the
    user may take."""
    _require_view(request)
    ticket = _ticket(request, pk)
    user = request.user
    problems = list(ticket.problems.select_related("category", "place").prefetch_related("photos").order_by("pk"))
    evidence = list(ticket.photos.filter(stage=PhotoStage.EVIDENCE))
    may_verify = may_inspect(user) and not services.in_unit_line(user, ticket.unit)
    context = {
        "title": ticket.number,
        "ticket": ticket,
        "problems": problems,
        "evidence": evidence,
        "events": ticket.events.select_related("by"),
        "may_reply": may_reply(user)
        and services.in_unit_line(user, ticket.unit)
        and ticket.status in (TicketStatus.ISSUED, TicketStatus.REOPENED),
        "may_verify": may_verify and ticket.status == TicketStatus.REPLIED,
        "own_unit": may_inspect(user) and services.in_unit_line(user, ticket.unit),
        "may_close": may_inspect(user) and ticket.status not in (TicketStatus.ACCEPTED, TicketStatus.UNFIXABLE),
        "reply_form": style_form(ReplyForm()),
        "reason_form": style_form(ReasonForm()),
        "note_form": style_form(NoteForm()),
        "pdf_available": printing.soffice() is not None,
    }
    return render(request, "civility/tickets/ticket_detail.html", context)


def _problem_keys(raw: list[str]) -> list[int]:
    keys = []
    for value in raw[:MAX_PROBLEMS_PER_TICKET]:
        for part in str(value).split(","):
            if part.strip().isdigit() and len(part.strip()) < 12:
                keys.append(int(part.strip()))
    return keys


@login_required
def ticket_issue(request: HttpRequest) -> HttpResponse:
    """Issue a 交办单 for the open problems chosen (``?problems=1,2``), to the suggested unit."""
    if not may_inspect(request.user):
        raise PermissionDenied
    source = request.POST if request.method == "POST" else request.GET
    problems = queries.open_problems(request.user, _problem_keys(source.getlist("problems")))
    units = queries.issue_units(request.user, problems)
    suggested = services.suggested_unit(problems[0]) if problems else None
    if request.method == "POST":
        form = IssueForm(request.POST, units=units)
        if not problems:
            form.add_error(None, _("请至少选择一个待交办的问题。"))
        elif form.is_valid():
            ticket = run_service(
                request,
                lambda: services.issue_ticket(
                    problems,
                    unit=form.cleaned_data["unit"],
                    requirement=form.cleaned_data["requirement"],
                    by=request.user,
                ),
                success=_("交办单已下发。"),
            )
            if ticket is not None:
                return redirect("civility:ticket_detail", pk=ticket.pk)
    else:
        form = IssueForm(units=units, initial={"unit": suggested})
    style_form(form)
    return render(
        request,
        "civility/tickets/ticket_issue.html",
        {"title": _("下发交办单"), "form": form, "problems": problems, "suggested": suggested},
    )


@login_required
@require_POST
def ticket_reply(request: HttpRequest, pk: int) -> HttpResponse:
    """The responsible unit reports what it did, with evidence photos."""
    ticket = _ticket(request, pk)
    form = ReplyForm(request.POST)
    if form.is_valid():
        run_service(
            request,
            lambda: services.reply(
                ticket, text=form.cleaned_data["text"], photos=request.FILES.getlist("photos"), by=request.user
            ),
            success=_("整改情况已反馈，等待复核。"),
        )
    else:
        run_service(request, lambda: services.reply(ticket, text="", by=request.user))
    return redirect("civility:ticket_detail", pk=ticket.pk)


@login_required
@require_POST
def ticket_accept(request: HttpRequest, pk: int) -> HttpResponse:
    """Verification passed: the ticket is closed."""
    ticket = _ticket(request, pk)
    form = NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    run_service(request, lambda: services.accept(ticket, note=note, by=request.user), success=_("复核通过，已销号。"))
    return redirect("civility:ticket_detail", pk=ticket.pk)


@login_required
@require_POST
def ticket_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    """Verification failed: back to the unit with the reasons."""
    ticket = _ticket(request, pk)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    run_service(request, lambda: services.reopen(ticket, reason=reason, by=request.user), success=_("已退回重新整改。"))
    return redirect("civility:ticket_detail", pk=ticket.pk)


@login_required
@require_POST
def ticket_close(request: HttpRequest, pk: int) -> HttpResponse:
    """Close as not fixable, with the reason (the page asks to confirm)."""
    ticket = _ticket(request, pk)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    if request.POST.get("confirm") != "1":
        from django.contrib import messages

        messages.error(request, _("请勾选确认后再关闭交办单。"))
    else:
        run_service(
            request,
            lambda: services.close_unfixable(ticket, reason=reason, by=request.user),
            success=_("交办单已按无法整改关闭。"),
        )
    return redirect("civility:ticket_detail", pk=ticket.pk)


@login_required
def ticket_docx(request: HttpRequest, pk: int) -> HttpResponse:
    """The printable 交办单 (.docx, GB/T 9704 layout)."""
    ticket = _ticket(request, pk)
    response = HttpResponse(
        printing.ticket_docx(ticket),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = f'attachment; filename="ticket-{ticket.year}-{ticket.sequence}.docx"'
    return response


@login_required
def ticket_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The 交办单 as PDF (LibreOffice); 404 where LibreOffice is not installed (the page says so)."""
    ticket = _ticket(request, pk)
    pdf = printing.ticket_pdf(ticket)
    if pdf is None:
        raise Http404(_("本服务器未安装 LibreOffice，无法生成 PDF，请下载 Word 版打印。"))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="ticket-{ticket.year}-{ticket.sequence}.pdf"'
    return response


@login_required
def ticket_photo(request: HttpRequest, pk: int, photo_pk: int) -> HttpResponse:
    """A photo of the ticket's problems or of its rectification, to whoever sees the ticket."""
    ticket = _ticket(request, pk)
    photos = Photo.objects.visible_to(request.user).filter(ticket_id=ticket.pk) | Photo.objects.visible_to(
        request.user
    ).filter(problem__ticket_id=ticket.pk)
    photo = visible_or_404(photos, request.user, photo_pk)
    content_type = mimetypes.guess_type(photo.image.name)[0] or "image/jpeg"
    try:
        handle = photo.image.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    return FileResponse(handle, content_type=content_type)


@login_required
def notice_list(request: HttpRequest) -> HttpResponse:
    """The 督办 notices addressed to the user."""
    _require_view(request)
    return render(
        request,
        "civility/tickets/notice_list.html",
        {"title": _("督办通知"), "notices": queries.notices_for(request.user)[:200]},
    )


@login_required
@require_POST
def notice_read(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one of the user's notices read."""
    notice = visible_or_404(queries.notices_for(request.user), request.user, pk)
    run_service(request, lambda: services.mark_notice_read(notice, by=request.user))
    return redirect("civility:notice_list")


__all__ = [
    "SupervisionNotice",
    "TicketListView",
    "notice_list",
    "notice_read",
    "ticket_accept",
    "ticket_close",
    "ticket_detail",
    "ticket_docx",
    "ticket_issue",
    "ticket_pdf",
    "ticket_photo",
    "ticket_queue",
    "ticket_reopen",
    "ticket_reply",
]
