"""The project's API fuzzing (``xuanchuan/tests/test_api_fuzz.py``) over ``/api/media/`` only."""

from __future__ import annotations

from typing import Any

from xuanchuan.tests.test_api_fuzz import api_schema, boundary_cases, fuzz  # noqa: F401 (the fixture)


def media_operations(schema: Any) -> list[Any]:
    operations = [result.ok() for result in schema.get_all_operations()]
    return [operation for operation in operations if operation.path.startswith("/api/media/")]


def test_media_endpoints_give_no_server_error(api_schema: Any) -> None:  # noqa: F811
    operations = media_operations(api_schema)
    assert len(operations) == 4
    failures = {}
    for operation in operations:
        try:
            fuzz(operation)
            for case in boundary_cases(operation):
                response = case.call()
                assert response.status_code < 500, (case.path_parameters, case.query)
        except Exception as exc:  # every operation is tried; all failures are reported together
            failures[operation.label] = str(exc)[:2000]
    assert not failures, failures
