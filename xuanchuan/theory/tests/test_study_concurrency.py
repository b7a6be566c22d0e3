"""Two scans of the same member at the same instant leave one attendance row (PostgreSQL only: the
session row is locked, and the unique constraint answers the loser "已签到")."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.db import connections

from xuanchuan.conftest import make_person
from xuanchuan.core.services import ServiceError
from xuanchuan.org.models import UnitType
from xuanchuan.org.services import create_unit
from xuanchuan.theory.models import Attendance
from xuanchuan.theory.services import study as services
from xuanchuan.theory.services import study_codes
from xuanchuan.theory.tests.factories import add_member, make_group, make_session

pytestmark = [
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="concurrent scans are tested on PostgreSQL (DATABASE_URL=postgres://…)",
    ),
    pytest.mark.django_db(transaction=True),
]


def race(*calls: Callable[[], Any]) -> list[Any]:
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(index: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            results[index] = call()
        except Exception as exc:  # noqa: BLE001 (the outcome is what the test looks at)
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_two_scans_at_once_leave_one_row():
    unit = create_unit(parent=None, name="并发区", unit_type=UnitType.DISTRICT, code="RACE")
    person = make_person("racer", unit)
    group = make_group(unit, "并发组")
    add_member(group, person)
    session = make_session(group)
    code = study_codes.current_code(session)
    results = race(*[lambda: services.check_in(session, user=person, code=code) for _ in range(4)])
    assert Attendance.objects.filter(session=session).count() == 1
    assert sum(isinstance(r, Attendance) for r in results) == 1
    assert all(isinstance(r, services.AlreadyCheckedIn) for r in results if not isinstance(r, Attendance))
    assert all(isinstance(r, Attendance | ServiceError) for r in results)
