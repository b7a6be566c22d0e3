"""Reads of the tickets part for its pages: every function takes the user and reads through
``visible_to``."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from xuanchuan.civility.models.cases import (
    OPEN_TICKET_STATUSES,
    Problem,
    ProblemStatus,
    SupervisionNotice,
    Ticket,
    TicketStatus,
)
from xuanchuan.civility.models.responsibility import Assignment
from xuanchuan.org.models import Unit


def tickets_for(user: Any) -> QuerySet[Ticket]:
    return Ticket.objects.visible_to(user).select_related("unit", "issuing_unit")


def queue(user: Any) -> QuerySet[Ticket]:
    """The user's unit's tickets to reply to: overdue first, then by due date."""
    if not getattr(user, "unit_path", None):
        return Ticket.objects.none()
    return (
        tickets_for(user)
        .filter(unit__path__startswith=user.unit_path, status__in=OPEN_TICKET_STATUSES)
        .order_by("due_on", "issued_at")
    )


def open_problems(user: Any, keys: list[int]) -> list[Problem]:
    """The open problems among ``keys`` the user sees (to put in a new ticket)."""
    return list(
        Problem.objects.visible_to(user)
        .filter(pk__in=keys, status=ProblemStatus.OPEN)
        .select_related("category", "place", "area")
        .order_by("pk")
    )


def issue_units(user: Any, problems: list[Problem]) -> QuerySet[Unit]:
    """Units a ticket may go to: the units the user sees, those answering for a place the user sees
    (包街包帮), and the streets or towns the problems lie in."""
    answering = Assignment.objects.visible_to(user).values("unit")
    areas = [problem.area_id for problem in problems if problem.area_id]
    visible = Unit.objects.visible_to(user).values("pk")
    return Unit.objects.filter(Q(pk__in=visible) | Q(pk__in=answering) | Q(pk__in=areas)).order_by("path")


def notices_for(user: Any) -> QuerySet[SupervisionNotice]:
    """The 督办 notices addressed to the user."""
    return SupervisionNotice.objects.filter(recipient=user).select_related("ticket", "unit")  # scoping: own only


@dataclass
class StatRow:
    """One line of the statistics: a unit or a category group."""

    label: str
    problems: int = 0
    tickets: int = 0
    rectified: int = 0
    on_time: int = 0
    accepted: int = 0
    first_time: int = 0
    reopened: int = 0
    overdue: int = 0
    days_total: float = 0.0

    @property
    def on_time_rate(self) -> float | None:
        return round(self.on_time * 100 / self.accepted, 1) if self.accepted else None

    @property
    def first_time_rate(self) -> float | None:
        return round(self.first_time * 100 / self.accepted, 1) if self.accepted else None

    @property
    def average_days(self) -> float | None:
        return round(self.days_total / self.accepted, 1) if self.accepted else None


@dataclass
class Statistics:
    """Tickets of a period by unit and by category group, with the district's total."""

    start: date
    end: date
    by_unit: list[StatRow] = field(default_factory=list)
    by_group: list[StatRow] = field(default_factory=list)
    total: StatRow = field(default_factory=lambda: StatRow("合计"))


def statistics(user: Any, start: date, end: date) -> Statistics:
    """Problems found, tickets, rectified, on time, reopened and average days to rectify, by the
    responsible unit and by category group, for tickets issued from ``start`` to ``end``."""
    result = Statistics(start, end)
    tickets = (
        tickets_for(user)
        .filter(issued_at__date__gte=start, issued_at__date__lte=end)
        .annotate(problem_count=Count("problems"))
        .prefetch_related("problems__category")
    )
    units: dict[str, StatRow] = {}
    groups: dict[str, StatRow] = {}
    today = timezone.localdate()
    for ticket in tickets:
        groups_of_ticket = {problem.category.group for problem in ticket.problems.all()} or {"—"}
        rows = [
            units.setdefault(ticket.unit.name, StatRow(ticket.unit.name)),
            result.total,
            *(groups.setdefault(group, StatRow(group)) for group in groups_of_ticket),
        ]
        accepted = ticket.status == TicketStatus.ACCEPTED
        for row in rows:
            row.tickets += 1
            row.problems += ticket.problem_count
            row.reopened += ticket.reopen_count
            if ticket.status in OPEN_TICKET_STATUSES and ticket.due_on < today:
                row.overdue += 1
            if accepted:
                row.accepted += 1
                row.rectified += ticket.problem_count
                row.on_time += bool(ticket.on_time)
                row.first_time += ticket.reopen_count == 0
                row.days_total += max(0, (ticket.closed_at - ticket.issued_at).total_seconds() / 86400)
    result.by_unit = sorted(units.values(), key=lambda row: (-row.tickets, row.label))
    result.by_group = sorted(groups.values(), key=lambda row: (-row.tickets, row.label))
    return result


def boards(stats: Statistics, minimum: int) -> tuple[list[StatRow], list[StatRow]]:
    """红榜 and 黑榜: units with at least ``minimum`` closed tickets, best and worst by on-time and
    first-time-accepted rates (up to five each; with few units the better half and the worse half,
    a unit never on both)."""
    ranked = sorted(
        (row for row in stats.by_unit if row.accepted >= minimum),
        key=lambda row: (row.on_time_rate or 0, row.first_time_rate or 0, -row.overdue),
        reverse=True,
    )
    best = ranked[: min(5, (len(ranked) + 1) // 2)]
    worst = list(reversed(ranked))[: min(5, len(ranked) - len(best))]
    return best, worst
