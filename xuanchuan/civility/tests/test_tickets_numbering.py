# ruff: noqa: F811 (the fixtures imported from ticket_fixtures are arguments of the tests)
"""Ticket numbers stay unique when inspectors issue at the same moment (PostgreSQL: real concurrency)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from xuanchuan.civility.models.cases import Ticket
from xuanchuan.civility.services import tickets as services
from xuanchuan.civility.tests.ticket_fixtures import (  # noqa: F401 (fixtures)
    east_place,
    inspector,
    make_problem,
    standard,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL")
def test_concurrent_issuing_gives_unique_numbers(inspector, district, east_place):
    problems = [make_problem(east_place, district.publicity) for _ in range(6)]
    barrier = threading.Barrier(len(problems))
    failures: list[BaseException] = []

    def issue(problem):
        from django.db import connections

        try:
            barrier.wait()
            services.issue_ticket([problem], unit=district.east, by=inspector)
        except BaseException as error:  # noqa: BLE001 (reported below)
            failures.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=issue, args=(problem,)) for problem in problems]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures, failures
    assert sorted(Ticket.objects.values_list("sequence", flat=True)) == [1, 2, 3, 4, 5, 6]
