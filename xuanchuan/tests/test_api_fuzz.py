"""The API answers every input its OpenAPI document allows without a server error (issue 8, item 8).

A bounded schemathesis run against ``/api/openapi.json`` of the Django app, in process through
WSGI: signed in as a department administrator who passed the second factor, with the CSRF
cookie and header a browser sends (ninja's session auth checks CSRF on unsafe methods). Every
operation gets ``MAX_EXAMPLES`` generated requests (hypothesis, derandomised so a failure
repeats), and every integer parameter its documented bounds and what lies just outside them —
for an unbounded one, values beyond 64 bits, which the document then allows (the two server
errors the first fuzzing found: ``limit``/``offset`` on ``/api/units`` and ``/api/passes/``).
The one check is "no 5xx": a 4xx is a fine answer to nonsense.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.middleware.csrf import get_token
from django.test import Client, RequestFactory
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error

from xuanchuan.conftest import District, verified_login
from xuanchuan.org.models import User

MAX_EXAMPLES = 50
# Tried for every integer parameter on top of its documented minimum and maximum (and one past each).
BIG_INTEGERS = (2**63, 2**64, -(2**64), 10**30)


def signed_in_browser(user: User) -> dict[str, str]:
    """The cookies (session, CSRF secret) and the X-CSRFToken header of a browser signed in as
    ``user`` with the second factor passed, as WSGI environ entries."""
    browser = verified_login(Client(), user, "fuzz")
    page = RequestFactory().get("/")
    masked = get_token(page)  # what a page puts in its form; the cookie holds the secret
    cookies = {
        settings.SESSION_COOKIE_NAME: browser.cookies[settings.SESSION_COOKIE_NAME].value,
        settings.CSRF_COOKIE_NAME: page.META["CSRF_COOKIE"],
    }
    return {"HTTP_COOKIE": "; ".join(f"{name}={value}" for name, value in cookies.items()), "HTTP_X_CSRFTOKEN": masked}


class Browser:
    """The app behind a signed-in browser: every request carries its cookies and CSRF header
    (werkzeug's test client, which schemathesis drives, replaces a ``Cookie`` header it is given)."""

    def __init__(self, app: WSGIHandler, environ: dict[str, str]) -> None:
        self.app, self.environ = app, environ

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        own = environ.get("HTTP_COOKIE")
        environ.update(self.environ)
        if own:
            environ["HTTP_COOKIE"] = f"{own}; {self.environ['HTTP_COOKIE']}"
        return self.app(environ, start_response)


@pytest.fixture
def api_schema(district: District, alice: User) -> Iterator[Any]:
    """The document as the signed-in department administrator gets it, served by the app itself.

    A WSGI request starts and ends with ``close_old_connections``, which would close the test's
    connection inside its transaction; Django's own test client leaves it out too.
    """
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/openapi.json", Browser(WSGIHandler(), signed_in_browser(alice)))
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)


def fuzz(operation: Any) -> None:
    """Up to ``MAX_EXAMPLES`` generated requests to one operation; raises on the first 5xx."""

    @given(case=operation.as_strategy())
    @hypothesis_settings(
        max_examples=MAX_EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def check(case: Any) -> None:
        case.call_and_validate(checks=[not_a_server_error])

    check()


def integer_bounds(schema: dict[str, Any]) -> list[int]:
    """The values an integer parameter is tried with: its bounds, one past each, and huge ones."""
    values = list(BIG_INTEGERS)
    for key, step in (("minimum", -1), ("maximum", 1)):
        if key in schema:
            values += [schema[key], schema[key] + step]
    return values


def boundary_cases(operation: Any) -> Iterator[Any]:
    """A case per integer parameter and value of ``integer_bounds``, the other parameters plain."""
    parameters = operation.definition.raw.get("parameters", [])
    plain = {"path": {}, "query": {}}
    for parameter in parameters:
        if parameter.get("required") and parameter["in"] in plain:
            kind = parameter.get("schema", {}).get("type")
            plain[parameter["in"]][parameter["name"]] = 1 if kind == "integer" else "x"
    for parameter in parameters:
        schema = parameter.get("schema", {})
        if schema.get("type") != "integer" or parameter["in"] not in plain:
            continue
        for value in integer_bounds(schema):
            values = {place: dict(given) for place, given in plain.items()}
            values[parameter["in"]][parameter["name"]] = value
            yield operation.Case(path_parameters=values["path"], query=values["query"])


@pytest.mark.django_db
def test_integer_parameters_at_and_beyond_their_bounds_give_no_server_error(api_schema: Any) -> None:
    failures = []
    tried = 0
    for result in api_schema.get_all_operations():
        for case in boundary_cases(result.ok()):
            tried += 1
            response = case.call()
            if response.status_code >= 500:
                failures.append(f"{case.operation.label} path={case.path_parameters} query={case.query}")
    assert tried >= 20
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
def test_no_input_the_document_allows_gives_a_server_error(api_schema: Any) -> None:
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 10, "the document lists the API's operations"
    failures = {}
    for operation in operations:
        try:
            fuzz(operation)
        except Exception as exc:  # every operation is tried; all failures are reported together
            failures[operation.label] = str(exc)[:2000]
    assert not failures, "\n\n".join(f"{label}:\n{text}" for label, text in failures.items())


@pytest.mark.django_db
def test_a_nul_character_is_refused_with_400(api_schema: Any) -> None:
    """PostgreSQL cannot store NUL in text: the fuzzing's third server error, a checkpoint name
    holding one in ``POST /api/passes/verify``, now a 400 for every JSON body and query string."""
    cases = [
        api_schema["/api/units"]["GET"].Case(query={"q": "东\x00城"}),
        api_schema["/api/passes/verify"]["POST"].Case(
            body={"text": "13800138001", "checkpoint": "卡口\x00"}, media_type="application/json"
        ),
    ]
    for case in cases:
        response = case.call()
        assert response.status_code == 400, (case.operation.label, response.text[:300])
