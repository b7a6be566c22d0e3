"""The project-wide URL walk (``xuanchuan/tests/test_url_scoping.py``) over the viewers part's own
routes only: charlie (西城街道) gets 404 for every object URL filled by ``scoping_viewers`` and sees
none of its secret words on the pages without arguments — so this part can be checked while
other parts of the app are still being written."""

from __future__ import annotations

import pytest
from django.urls import reverse

from xuanchuan.tests.test_url_scoping import all_routes, sentinels, text_of
from xuanchuan.theory.tests import scoping_viewers
from xuanchuan.theory.urls_viewers import urlpatterns

NAMES = {f"theory:{pattern.name}" for pattern in urlpatterns} | {
    "api:theory_viewers_item_detail",
    "api:theory_viewers_item_list",
    "api:theory_viewers_question_list",
}


@pytest.mark.django_db
def test_outsider_walk_of_the_viewers_routes(client, district, bob, charlie, dora):
    secret = sentinels(district, bob, dora) + scoping_viewers.create_records(district, {"bob": bob, "dora": dora})
    client.force_login(charlie)
    routes = [route for route in all_routes() if route.name in NAMES]
    assert {route.name for route in routes} == NAMES
    for route in routes:
        if not route.kwargs:
            for query in ({}, {"export": "xlsx"}, {"unit": district.east.pk}, {"q": "东城"}):
                response = client.get(reverse(route.name), query)
                assert response.status_code in (200, 302, 403, 404), (route.name, query)
                if response.status_code == 200:
                    body = text_of(response)
                    assert not [word for word in secret if word in body], (route.name, query)
            continue
        found = scoping_viewers.arguments(route.name, route.kwargs, district, {"bob": bob, "dora": dora})
        assert found, route.name
        for arguments in found:
            url = reverse(route.name, kwargs=arguments)
            response = client.get(url)
            assert response.status_code in (404, 405), (url, response.status_code)
            if not url.startswith("/api/"):
                assert client.post(url, {"action": "approve", "answer": "x", "position": "1"}).status_code == 404, url


@pytest.mark.django_db
def test_the_owner_reaches_the_same_urls(client, district, bob, dora):
    scoping_viewers.create_records(district, {"bob": bob, "dora": dora})
    client.force_login(bob)
    for name in ("theory:question_decide", "theory:question_answer", "theory:item_stats"):
        for arguments in scoping_viewers.arguments(name, ("pk",), district, {"bob": bob, "dora": dora}):
            assert client.get(reverse(name, kwargs=arguments)).status_code == 200, name
    body = client.get(reverse("theory:question_queue")).content.decode()
    assert scoping_viewers.PENDING_TEXT in body
