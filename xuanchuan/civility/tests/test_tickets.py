# ruff: noqa: F811 (the fixtures imported from ticket_fixtures are arguments of the tests)
"""The tickets part's rules: issuing and numbering, replying, verifying, reopening, closing and 督办."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from xuanchuan.civility.models.cases import (
    EventKind,
    ProblemStatus,
    SupervisionNotice,
    Ticket,
    TicketEvent,
    TicketStatus,
)
from xuanchuan.civility.models.standards import Severity
from xuanchuan.civility.services import tickets as services
from xuanchuan.civility.tests.ticket_fixtures import (  # noqa: F401 (fixtures)
    east_inspector,
    east_place,
    inspector,
    make_problem,
    standard,
)
from xuanchuan.core.services import ServiceError


def _issue(inspector, district, place, *problems):
    problems = problems or (make_problem(place, inspector.unit),)
    return services.issue_ticket(list(problems), unit=district.east, requirement="三日内清理", by=inspector)


def test_issue_numbers_and_deadline(inspector, district, east_place):
    first = make_problem(east_place, district.publicity, code="GG")
    severe = make_problem(east_place, district.publicity, code="SR", severity=Severity.SEVERE)
    ticket = _issue(inspector, district, east_place, first, severe)
    year = timezone.localdate().year
    assert ticket.number == f"文明办交〔{year}〕1号"
    assert ticket.unit == district.east and ticket.issuing_unit == district.publicity
    assert ticket.due_on == timezone.localdate() + timedelta(days=1)  # severe 3-day category: 1 day
    assert set(ticket.problems.values_list("status", flat=True)) == {ProblemStatus.TICKETED}
    assert list(ticket.events.values_list("kind", flat=True)) == [EventKind.ISSUED]
    second = _issue(inspector, district, east_place)
    assert second.number == f"文明办交〔{year}〕2号" and second.sequence == 2


def test_issue_refuses_problems_not_open_and_people_not_inspecting(inspector, district, east_place, bob):
    problem = make_problem(east_place, district.publicity)
    with pytest.raises(PermissionDenied):
        services.issue_ticket([problem], unit=district.east, by=bob)
    _issue(inspector, district, east_place, problem)
    with pytest.raises(ServiceError):
        services.issue_ticket([problem], unit=district.east, by=inspector)
    with pytest.raises(ServiceError):
        services.issue_ticket([], unit=district.east, by=inspector)


def test_suggested_unit_is_the_responsible_one(inspector, district, east_place):
    problem = make_problem(east_place, district.publicity)
    assert services.suggested_unit(problem) == district.east


def test_full_loop_reply_reopen_accept_keeps_history(inspector, district, east_place, bob, charlie):
    ticket = _issue(inspector, district, east_place)
    due = ticket.due_on
    with pytest.raises(PermissionDenied):  # 西城街道 is not the ticket's unit
        services.reply(ticket, text="已清理", by=charlie)
    with pytest.raises(ServiceError):
        services.reply(ticket, text="  ", by=bob)
    services.reply(ticket, text="已清理", by=bob)
    with pytest.raises(ServiceError):
        services.reopen(ticket, reason="", by=inspector)
    ticket = services.reopen(ticket, reason="仍有垃圾", by=inspector)
    assert ticket.status == TicketStatus.REOPENED and ticket.reopen_count == 1 and ticket.due_on == due
    services.reply(ticket, text="彻底清理", by=bob)
    ticket = services.accept(ticket, by=inspector)
    assert ticket.status == TicketStatus.ACCEPTED and ticket.on_time is True and ticket.closed_by == inspector
    assert set(ticket.problems.values_list("status", flat=True)) == {ProblemStatus.RECTIFIED}
    kinds = list(TicketEvent.objects.filter(ticket=ticket).values_list("kind", flat=True))
    assert kinds == [EventKind.ISSUED, EventKind.REPLIED, EventKind.REOPENED, EventKind.REPLIED, EventKind.ACCEPTED]
    with pytest.raises(ServiceError):
        services.accept(ticket, by=inspector)


def test_late_reply_is_not_on_time(inspector, district, east_place, bob):
    ticket = _issue(inspector, district, east_place)
    services.reply(ticket, text="已清理", by=bob, at=timezone.now() + timedelta(days=10))
    assert services.accept(ticket, by=inspector).on_time is False


def test_inspector_cannot_verify_own_units_rectification(inspector, east_inspector, district, east_place, bob):
    ticket = _issue(inspector, district, east_place)
    services.reply(ticket, text="已清理", by=bob)
    with pytest.raises(ServiceError, match="本单位"):
        services.accept(ticket, by=east_inspector)
    with pytest.raises(ServiceError, match="本单位"):
        services.reopen(ticket, reason="不行", by=east_inspector)
    assert Ticket.objects.get(pk=ticket.pk).status == TicketStatus.REPLIED


def test_close_unfixable(inspector, district, east_place, bob):
    ticket = _issue(inspector, district, east_place)
    with pytest.raises(PermissionDenied):
        services.close_unfixable(ticket, reason="待拆迁", by=bob)
    with pytest.raises(ServiceError):
        services.close_unfixable(ticket, reason="", by=inspector)
    ticket = services.close_unfixable(ticket, reason="待拆迁", by=inspector)
    assert ticket.status == TicketStatus.UNFIXABLE
    assert set(ticket.problems.values_list("status", flat=True)) == {ProblemStatus.UNFIXABLE}


def test_escalation_once_to_the_leader(inspector, district, east_place, bob):
    ticket = _issue(inspector, district, east_place)
    later = ticket.due_on + timedelta(days=2)
    assert services.escalate_overdue(today=ticket.due_on) == 0  # due today: not overdue
    assert services.escalate_overdue(today=later) == 1
    assert services.escalate_overdue(today=later) == 0  # once
    ticket.refresh_from_db()
    assert ticket.escalated_at is not None
    assert TicketEvent.objects.filter(ticket=ticket, kind=EventKind.ESCALATED).count() == 1
    notice = SupervisionNotice.objects.get(ticket=ticket)
    assert notice.recipient == bob and notice.unit == district.east and ticket.number in notice.text


def test_escalation_without_leader_goes_to_unit_reporters(inspector, district, east_place, bob):
    east_place.assignments.update(leader=None)
    ticket = _issue(inspector, district, east_place)
    services.reply(ticket, text="已清理", by=bob)  # replied tickets are not escalated
    other = _issue(inspector, district, east_place)
    assert services.escalate_overdue(today=other.due_on + timedelta(days=1)) == 1
    assert list(SupervisionNotice.objects.values_list("ticket", "recipient")) == [(other.pk, bob.pk)]


def test_a_unit_sees_only_its_tickets(inspector, district, east_place, bob, charlie, dora):
    ticket = _issue(inspector, district, east_place)
    assert list(Ticket.objects.visible_to(bob)) == [ticket]
    assert list(Ticket.objects.visible_to(inspector)) == [ticket]
    assert not Ticket.objects.visible_to(charlie).exists()
    assert not Ticket.objects.visible_to(dora).exists()  # a community below sees not its street's tickets


def _jpeg(name="evidence.jpg"):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (30, 160, 60)).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def test_reply_with_evidence_photos_and_a_non_image_refused(inspector, district, east_place, bob, tmp_path, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from xuanchuan.civility.models.cases import PhotoStage

    settings.MEDIA_ROOT = tmp_path
    ticket = _issue(inspector, district, east_place)
    with pytest.raises(ServiceError):
        services.reply(ticket, text="已清理", by=bob, photos=[SimpleUploadedFile("x.jpg", b"not an image")])
    assert Ticket.objects.get(pk=ticket.pk).status == TicketStatus.ISSUED
    services.reply(ticket, text="已清理", by=bob, photos=[_jpeg()])
    photo = ticket.photos.get()
    assert photo.stage == PhotoStage.EVIDENCE and photo.uploaded_by == bob


def test_escalation_of_a_community_without_reporters_goes_to_its_staff(inspector, district, standard, dora):
    from xuanchuan.civility.tests.ticket_fixtures import make_problem as problem_at

    problem = problem_at(None, district.publicity)
    ticket = services.issue_ticket([problem], unit=district.east_community, by=inspector)
    assert services.escalate_overdue(today=ticket.due_on + timedelta(days=1)) == 1
    assert SupervisionNotice.objects.get().recipient == dora


def test_the_reference_sentence_binds_each_blank():
    from xuanchuan.reports.placeholders import find_placeholders

    text = "共下发交办单×份，梳理问题×条，督促整改完成×条，按期整改率×%。"
    figures = [item.figure for item in find_placeholders(text)]
    assert figures == [
        "civility.tickets_issued",
        "civility.problems_found",
        "civility.problems_rectified",
        "civility.on_time_rate",
    ]


def test_figures_count_the_loop(inspector, district, east_place, bob):
    from xuanchuan.reports.registry import Period, compute

    ticket = _issue(inspector, district, east_place)
    services.reply(ticket, text="已清理", by=bob)
    services.reopen(ticket, reason="不行", by=inspector)
    services.reply(ticket, text="已清理", by=bob)
    services.accept(ticket, by=inspector)
    year = Period.year(timezone.localdate().year)
    assert compute("civility.tickets_issued", year).value == 1
    assert compute("civility.problems_rectified", year).value == 1
    assert compute("civility.on_time_rate", year).value == 100
    assert compute("civility.tickets_reopened", year).value == 1
    assert compute("civility.tickets_issued", year, district.east).value == 1
    assert compute("civility.tickets_issued", year, district.west).value == 0
    assert compute("civility.tickets_issued", Period.year(timezone.localdate().year - 1)).value == 0
