"""The activities part's endpoints under the project's API fuzzing (``xuanchuan/tests/test_api_fuzz.py``),
alone: generated requests and integer bounds give no server error, with records to find."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from xuanchuan.tests.test_api_fuzz import api_schema, boundary_cases, fuzz  # noqa: F401 (the fixture)
from xuanchuan.volunteers.services import activities as services
from xuanchuan.volunteers.tests.factories import make_activity, make_project, make_team, make_volunteer

PREFIX = "/api/volunteers/activities/"


@pytest.fixture
def records(district):
    project = make_project(make_team(district.east_community))
    activity = make_activity(project, starts_at=timezone.now() + timedelta(days=1), capacity=1)
    for n in (1, 2):
        services.sign_up(activity, volunteer=make_volunteer(district.east_community, n))
    return activity


def operations(schema: Any) -> list[Any]:
    found = [result.ok() for result in schema.get_all_operations()]
    return [operation for operation in found if operation.path.startswith(PREFIX)]


@pytest.mark.django_db
def test_the_activities_endpoints_give_no_server_error(api_schema: Any, records: Any) -> None:  # noqa: F811
    mine = operations(api_schema)
    assert len(mine) == 4
    failures = []
    for operation in mine:
        for case in boundary_cases(operation):
            if case.call().status_code >= 500:
                failures.append(f"{operation.label} {case.path_parameters} {case.query}")
        try:
            fuzz(operation)
        except Exception as exc:  # noqa: BLE001 (every operation is tried; all failures reported)
            failures.append(f"{operation.label}: {str(exc)[:1000]}")
    assert not failures, "\n".join(failures)
