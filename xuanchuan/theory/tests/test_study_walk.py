"""The project-wide outsider walk (``xuanchuan/tests/test_url_scoping.py``) over the study part's
routes alone, so a route of this part missing from ``scoping_study`` (or leaking) fails here, next to
the part, whatever the state of the other parts' routes."""

from __future__ import annotations

import pytest
from django.urls import reverse

from xuanchuan.tests.test_url_scoping import all_routes, sentinels, text_of
from xuanchuan.theory import urls_study
from xuanchuan.theory.tests import scoping_study

pytestmark = pytest.mark.django_db

STUDY_ROUTES = {f"theory:{p.name}" for p in urls_study.urlpatterns} | {
    "api:theory_study_session_list",
    "api:theory_study_session_detail",
    "api:theory_study_checkin",
}


def test_outsider_walk_of_the_study_routes(client, district, alice, bob, charlie, dora):
    secret = sentinels(district, bob, dora) + scoping_study.create_records(district, {"bob": bob, "dora": dora})
    routes = [route for route in all_routes() if route.name in STUDY_ROUTES]
    assert {route.name for route in routes} == STUDY_ROUTES
    client.force_login(charlie)
    for route in routes:
        if not route.kwargs:
            for query in ({}, {"export": "xlsx"}, {"unit": district.east.pk}, {"q": "东城"}):
                response = client.get(reverse(route.name), query)
                if response.status_code == 200:
                    leaked = [word for word in secret if word in text_of(response)]
                    assert not leaked, f"{route.name} {query} shows {leaked}"
                else:
                    assert response.status_code in (302, 403, 404, 405), (route.name, query, response.status_code)
            continue
        found = scoping_study.arguments(route.name, route.kwargs, district, {"bob": bob, "dora": dora})
        assert found, route.name
        for arguments in found:
            query = arguments.pop("_query", {})
            method = arguments.pop("_method", "get")
            url = reverse(route.name, kwargs=arguments)
            response = getattr(client, method)(url, query)
            assert response.status_code in (404, 405), f"{method} {url} {query} answered {response.status_code}"
            if response.status_code == 405:
                assert client.post(url, query).status_code == 404, f"POST {url}"


def test_the_owner_reaches_the_same_records(client, district, bob, dora):
    scoping_study.create_records(district, {"bob": bob, "dora": dora})
    client.force_login(bob)
    for name in ("theory:group_detail", "theory:plan_detail", "theory:session_detail"):
        route = next(r for r in all_routes() if r.name == name)
        arguments = scoping_study.arguments(name, route.kwargs, district, {"bob": bob, "dora": dora})[0]
        arguments.pop("_query", None)
        arguments.pop("_method", None)
        assert client.get(reverse(name, kwargs=arguments)).status_code == 200, name
