# ruff: noqa: F811 (the fixtures imported from ticket_fixtures are arguments of the tests)
"""The tickets part's pages: list, queue, detail and its actions, issuing, printing, statistics,
红黑榜, notices and the to-dos."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from xuanchuan.civility.models.cases import SupervisionNotice, Ticket, TicketStatus
from xuanchuan.civility.services import tickets as services
from xuanchuan.civility.tests.ticket_fixtures import (  # noqa: F401 (fixtures)
    east_place,
    inspector,
    make_problem,
    standard,
)
from xuanchuan.civility.todos_tickets import todos


@pytest.fixture
def ticket(inspector, district, east_place):
    problem = make_problem(east_place, district.publicity, description="花坛垃圾未清理")
    return services.issue_ticket([problem], unit=district.east, requirement="立即清理", by=inspector)


def test_issue_page_suggests_the_responsible_unit_and_issues(client, inspector, district, east_place):
    problem = make_problem(east_place, district.publicity)
    client.force_login(inspector)
    url = reverse("civility:ticket_issue")
    page = client.get(url, {"problems": str(problem.pk)})
    assert page.status_code == 200
    assert page.context["form"].initial["unit"] == district.east
    response = client.post(url, {"problems": problem.pk, "unit": district.east.pk, "requirement": "三天内"})
    ticket = Ticket.objects.get()
    assert response.status_code == 302 and response.url == reverse("civility:ticket_detail", args=[ticket.pk])
    again = client.post(url, {"problems": problem.pk, "unit": district.east.pk})
    assert again.status_code == 200 and Ticket.objects.count() == 1  # no longer open: no second ticket
    assert "没有可交办的问题" in again.content.decode()


def test_issue_page_is_for_inspectors_only(client, bob, ticket):
    client.force_login(bob)
    assert client.get(reverse("civility:ticket_issue")).status_code == 403


def test_unit_replies_and_inspector_verifies_through_the_pages(client, ticket, bob, inspector):
    client.force_login(bob)
    detail = reverse("civility:ticket_detail", args=[ticket.pk])
    page = client.get(detail)
    assert page.status_code == 200 and page.context["may_reply"] and not page.context["may_verify"]
    assert "花坛垃圾未清理" in page.content.decode()
    assert client.get(reverse("civility:ticket_queue")).context["tickets"][0] == ticket
    client.post(reverse("civility:ticket_reply", args=[ticket.pk]), {"text": ""})
    assert Ticket.objects.get(pk=ticket.pk).status == TicketStatus.ISSUED
    client.post(reverse("civility:ticket_reply", args=[ticket.pk]), {"text": "已清理完毕"})
    assert Ticket.objects.get(pk=ticket.pk).status == TicketStatus.REPLIED
    client.force_login(inspector)
    assert client.get(detail).context["may_verify"]
    client.post(reverse("civility:ticket_reopen", args=[ticket.pk]), {"reason": ""})
    assert Ticket.objects.get(pk=ticket.pk).status == TicketStatus.REPLIED  # a reason is required
    client.post(reverse("civility:ticket_reopen", args=[ticket.pk]), {"reason": "仍有垃圾"})
    assert Ticket.objects.get(pk=ticket.pk).status == TicketStatus.REOPENED
    page = client.get(detail)
    assert "仍有垃圾" in page.content.decode()


def test_close_needs_confirmation(client, ticket, inspector):
    client.force_login(inspector)
    url = reverse("civility:ticket_close", args=[ticket.pk])
    client.post(url, {"reason": "待拆迁"})
    assert Ticket.objects.get(pk=ticket.pk).status == TicketStatus.ISSUED
    client.post(url, {"reason": "待拆迁", "confirm": "1"})
    assert Ticket.objects.get(pk=ticket.pk).status == TicketStatus.UNFIXABLE


def test_outsider_gets_404_and_sees_nothing(client, ticket, charlie):
    client.force_login(charlie)
    for name in ("civility:ticket_detail", "civility:ticket_docx", "civility:ticket_reply"):
        method = client.post if name.endswith("reply") else client.get
        assert method(reverse(name, args=[ticket.pk])).status_code == 404
    listing = client.get(reverse("civility:ticket_list"))
    assert ticket.number not in listing.content.decode()


def test_list_filters_and_export(client, ticket, inspector, district):
    client.force_login(inspector)
    url = reverse("civility:ticket_list")
    assert ticket.number in client.get(url).content.decode()
    assert ticket.number in client.get(url, {"group": "市容环境", "status": "issued"}).content.decode()
    assert ticket.number not in client.get(url, {"overdue": "true"}).content.decode()
    assert client.get(url, {"year": "abc", "unit": "999999"}).status_code == 200  # bad input: no 500
    export = client.get(url, {"export": "xlsx"})
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_print_docx(client, ticket, bob):
    client.force_login(bob)
    response = client.get(reverse("civility:ticket_docx", args=[ticket.pk]))
    assert response.status_code == 200 and response.content[:2] == b"PK"


def test_statistics_and_boards(client, ticket, bob, inspector):
    services.reply(ticket, text="已清理", by=bob)
    services.accept(ticket, by=inspector)
    client.force_login(inspector)
    page = client.get(reverse("civility:ticket_statistics"), {"start": "2020-01-01", "end": "2029-12-31"})
    assert page.status_code == 200
    stats = page.context["stats"]
    assert stats.total.tickets == 1 and stats.total.rectified == 1 and stats.total.on_time_rate == 100.0
    assert stats.by_unit[0].label == "东城街道" and stats.by_group[0].label == "市容环境"
    assert client.get(reverse("civility:ticket_statistics"), {"start": "x", "end": "99999-1-1"}).status_code == 200
    export = client.get(reverse("civility:ticket_statistics"), {"export": "xlsx"})
    assert export.status_code == 200
    assert client.get(reverse("civility:ticket_boards")).status_code == 200


def test_boards_rank_units_with_enough_tickets():
    from xuanchuan.civility.queries.tickets import Statistics, StatRow, boards

    good = StatRow("甲", accepted=4, on_time=4, first_time=4)
    bad = StatRow("乙", accepted=4, on_time=1, first_time=2)
    few = StatRow("丙", accepted=1, on_time=0, first_time=0)
    stats = Statistics(None, None, by_unit=[bad, few, good])
    best, worst = boards(stats, 3)
    assert best[0] is good and worst[0] is bad and few not in best + worst


def test_notices_and_todos(client, ticket, bob, inspector):
    services.escalate_overdue(today=ticket.due_on + timedelta(days=1))
    labels = {todo.label: todo.count for todo in todos(bob)}
    assert labels["未读的督办通知"] == 1 and labels["本单位待整改反馈的交办单"] == 1
    client.force_login(bob)
    notice = SupervisionNotice.objects.get()
    assert ticket.number in client.get(reverse("civility:notice_list")).content.decode()
    client.post(reverse("civility:notice_read", args=[notice.pk]))
    assert SupervisionNotice.objects.get().read_at is not None
    services.reply(ticket, text="已清理", by=bob)
    assert {todo.label: todo.count for todo in todos(inspector)}["待复核的整改情况"] == 1


def test_api_list_and_detail(client, ticket, bob, charlie):
    client.force_login(bob)
    listing = client.get("/api/civility/tickets").json()
    assert [row["number"] for row in listing["items"]] == [ticket.number]
    assert client.get("/api/civility/tickets", {"year": "99999"}).status_code in (400, 422)
    assert client.get("/api/civility/tickets", {"overdue": "true"}).json()["items"] == []
    detail = client.get(f"/api/civility/tickets/{ticket.pk}").json()
    assert detail["unit"] == "东城街道" and [event["kind"] for event in detail["events"]] == ["issued"]
    client.force_login(charlie)
    assert client.get(f"/api/civility/tickets/{ticket.pk}").status_code == 404
    assert client.get("/api/civility/tickets").json()["items"] == []


def test_pages_query_counts_do_not_grow_with_rows(
    client, inspector, district, east_place, django_assert_max_num_queries
):
    for _ in range(8):
        problem = make_problem(east_place, district.publicity)
        services.issue_ticket([problem], unit=district.east, by=inspector)
    client.force_login(inspector)
    with django_assert_max_num_queries(15):
        assert client.get(reverse("civility:ticket_list")).status_code == 200
    with django_assert_max_num_queries(15):
        assert client.get(reverse("civility:ticket_detail", args=[Ticket.objects.first().pk])).status_code == 200
    with django_assert_max_num_queries(15):
        assert client.get(reverse("civility:ticket_statistics")).status_code == 200
