"""The project-wide outsider walk (``xuanchuan/tests/test_url_scoping.py``) over the venues part's
own URLs only, so the part's scope is proven whatever the state of the other parts: lists, Excel
exports and the API show charlie (西城街道) nothing of 东城街道's venues, associations and members,
and every object URL given one of them answers 404; bob, their owner, gets 200."""

from __future__ import annotations

import pytest
from django.urls import reverse

from xuanchuan.culture.tests import scoping_venues
from xuanchuan.tests.test_url_scoping import all_routes, sentinels, text_of

pytestmark = pytest.mark.django_db
OBJECT_ROUTES = {
    "culture:venue_detail", "culture:venue_edit", "culture:venue_close", "culture:venue_reopen",
    "culture:venue_delete", "culture:association_detail", "culture:association_edit",
    "culture:association_establish", "culture:association_dissolve", "culture:member_add",
    "culture:member_edit", "culture:member_leave",
}  # fmt: skip
LIST_ROUTES = {
    "culture:venue_list", "culture:venue_create", "culture:association_list", "culture:association_create",
    "api:culture_venue_list", "api:culture_association_list",
}  # fmt: skip


def test_every_route_of_the_part_is_walked():
    names = {route.name for route in all_routes()}
    assert names >= OBJECT_ROUTES | LIST_ROUTES


def test_outsider_sees_nothing_and_owner_sees_it(client, district, bob, charlie, dora):
    people = {"bob": bob, "dora": dora}
    secret = sentinels(district, bob, dora) + scoping_venues.create_records(district, people)
    client.force_login(charlie)
    walked = 0
    for route in all_routes():
        if route.name in LIST_ROUTES:
            for query in ({}, {"export": "xlsx"}, {"unit": district.east.pk}, {"q": "东城"}):
                response = client.get(reverse(route.name), query)
                walked += 1
                if response.status_code == 200:
                    leaked = [word for word in secret if word in text_of(response)]
                    assert not leaked, f"{route.name} {query} shows {leaked}"
                else:
                    assert response.status_code in (403, 404, 422), (route.name, query, response.status_code)
        elif route.name in OBJECT_ROUTES:
            for arguments in scoping_venues.arguments(route.name, route.kwargs, district, people):
                method = arguments.pop("_method", "get")
                response = getattr(client, method)(reverse(route.name, kwargs=arguments))
                walked += 1
                assert response.status_code == 404, (route.name, arguments, method, response.status_code)
    assert walked == 4 * len(LIST_ROUTES) + 2 * 5 * 2 + 2 * 5 + 2 * 2
    client.force_login(bob)
    for route in all_routes():
        if route.name in OBJECT_ROUTES:
            for arguments in scoping_venues.arguments(route.name, route.kwargs, district, people):
                if arguments.pop("_method", "get") == "get":
                    response = client.get(reverse(route.name, kwargs=arguments))
                    assert response.status_code == 200, (route.name, arguments, response.status_code)
