"""How long a responsible unit has to rectify a problem (整改期限).

The rule, in calendar days from the day the ticket (交办单) is issued:

* the problem's category gives the number of days (``Category.deadline_days``, at least 1);
* a 较重 (major) problem gets three quarters of it, rounded up;
* a 严重 (severe) problem gets half of it, rounded down, but at least 1 day;
* a problem marked 立行立改 (``immediate``) gets 1 day whatever its category and severity.

A ticket with several problems is due on the earliest of its problems' deadlines. A reopened
ticket keeps its due date (the reference: 复核未通过的 "按原期限"); an overdue one is escalated.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from xuanchuan.civility.models.standards import Severity


def deadline_days(category_days: int, severity: str, immediate: bool = False) -> int:
    """The days to rectify a problem of a category with ``category_days`` days, by the rule above."""
    if immediate:
        return 1
    days = max(1, int(category_days or 1))
    if severity == Severity.SEVERE:
        return max(1, days // 2)
    if severity == Severity.MAJOR:
        return max(1, -(-days * 3 // 4))
    return days


def problem_deadline(problem: Any, issued_on: date) -> date:
    """The day by which ``problem`` must be rectified when its ticket is issued on ``issued_on``."""
    days = deadline_days(problem.category.deadline_days, problem.severity, problem.immediate)
    return issued_on + timedelta(days=days)


def ticket_deadline(problems: Iterable[Any], issued_on: date) -> date:
    """The due date of a ticket: the earliest of its problems' deadlines."""
    return min(problem_deadline(problem, issued_on) for problem in problems)
