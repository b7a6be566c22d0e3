"""Figures of problems found (梳理问题×条) and citizens' reports, their paragraph and to-do."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.utils import timezone

from xuanchuan.civility.models import ProblemStatus
from xuanchuan.civility.services import problems as services
from xuanchuan.civility.tests import test_problems_services as base
from xuanchuan.civility.todos_problems import todos
from xuanchuan.reports.registry import Period, compute

inspector, category, place, client_app = base.inspector, base.category, base.place, base.client_app


def at(year: int, month: int = 6) -> datetime:
    return timezone.make_aware(datetime(year, month, 1, 10))


def test_problems_found_counts_confirmed_problems_in_the_period(inspector, category, place, client_app, district):
    kept = services.record_problem(by=inspector, category=category, place=place, description="a", found_at=at(2025))
    dup = services.record_problem(by=inspector, category=category, place=place, description="b", found_at=at(2025))
    services.merge(dup, into=kept, by=inspector)
    services.record_problem(by=inspector, category=category, address="x", description="c", found_at=at(2024))
    unverified = services.report_from_client(client=client_app, category=category, description="d", address="y")
    unverified.found_at = at(2025)
    unverified.save()
    rejected = services.report_from_client(client=client_app, category=category, description="e", address="z")
    rejected.found_at = at(2025)
    rejected.save()
    services.reject_report(rejected, reason="不属实", by=inspector)

    year = Period.year(2025)
    assert compute("civility.problems_found", year).value == 1
    assert compute("civility.problems_found", Period.year(2024)).value == 1
    assert compute("civility.citizen_reports", year).value == 2
    # By unit: the street the place lies in counts it, a sibling street does not.
    assert compute("civility.problems_found", year, district.east).value == 1
    assert compute("civility.problems_found", year, district.west).value == 0


def test_the_reference_wording_binds_to_problems_found():
    from xuanchuan.reports.placeholders import find_placeholders

    text = "全区×个机关单位认真落实“包帮”“包街”工作责任制，共下发交办单×份，梳理问题×条，督促整改完成×条。"
    found = [item for item in find_placeholders(text) if "梳理问题" in text[max(0, item.start - 4) : item.start]]
    assert found and found[0].figure == "civility.problems_found"


def test_the_paragraph_references_each_figure():
    from xuanchuan.reports.defaults import default_body

    text = default_body()
    assert "{{ civility.problems_found" in text and "{{ civility.citizen_reports" in text


def test_inspectors_see_unverified_reports_as_a_to_do(inspector, client_app, category, bob):
    services.report_from_client(client=client_app, category=category, description="d", address="y")
    [todo] = todos(inspector)
    assert todo.count == 1 and f"status={ProblemStatus.UNVERIFIED}" in todo.url
    assert list(todos(bob)) == []


@pytest.mark.parametrize("year", [2024, 2025, 2026])
def test_periods_do_not_overlap(inspector, category, year):
    services.record_problem(by=inspector, category=category, address="x", description="c", found_at=at(year, 12))
    assert compute("civility.problems_found", Period.year(year)).value == 1
