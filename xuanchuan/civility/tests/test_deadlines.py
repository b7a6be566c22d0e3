"""The rectification deadline by category, severity and 立行立改."""

from datetime import date
from types import SimpleNamespace

import pytest

from xuanchuan.civility.deadlines import deadline_days, problem_deadline, ticket_deadline
from xuanchuan.civility.models.standards import Severity


@pytest.mark.parametrize(
    ("category_days", "severity", "immediate", "expected"),
    [
        (3, Severity.MINOR, False, 3),  # 市容环境: the category's days
        (7, Severity.MINOR, False, 7),  # 公共设施
        (15, Severity.MINOR, False, 15),  # 公益广告
        (7, Severity.MAJOR, False, 6),  # three quarters, rounded up
        (4, Severity.MAJOR, False, 3),
        (7, Severity.SEVERE, False, 3),  # half, rounded down
        (3, Severity.SEVERE, False, 1),
        (1, Severity.SEVERE, False, 1),  # at least one day
        (0, Severity.MINOR, False, 1),
        (15, Severity.MINOR, True, 1),  # 立行立改
        (15, Severity.SEVERE, True, 1),
    ],
)
def test_deadline_days(category_days, severity, immediate, expected):
    assert deadline_days(category_days, severity, immediate) == expected


def _problem(days, severity=Severity.MINOR, immediate=False):
    return SimpleNamespace(category=SimpleNamespace(deadline_days=days), severity=severity, immediate=immediate)


def test_ticket_is_due_on_the_earliest_deadline_of_its_problems():
    issued = date(2026, 3, 30)
    assert problem_deadline(_problem(3), issued) == date(2026, 4, 2)
    problems = [_problem(15), _problem(7, Severity.SEVERE), _problem(5)]
    assert ticket_deadline(problems, issued) == date(2026, 4, 2)
    assert ticket_deadline([_problem(15), _problem(15, immediate=True)], issued) == date(2026, 3, 31)
