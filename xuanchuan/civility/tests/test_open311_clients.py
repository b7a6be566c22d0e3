"""The staff pages of Open311 clients: issuing a key shown once and stored only as a hash,
revoking after a confirmation, the list with last use; who may do it; another unit's client is 404."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from xuanchuan.civility.models import ApiClient
from xuanchuan.civility.open311.keys import authenticate
from xuanchuan.civility.services.open311 import create_client, revoke_client
from xuanchuan.conftest import make_person, verified_login
from xuanchuan.core.services import ServiceError
from xuanchuan.org.models import RoleCode

LIST = "civility:open311_client_list"
CREATE = "civility:open311_client_create"


def test_a_key_is_shown_once_and_only_its_hash_kept(verified_client, alice) -> None:
    client = verified_client(alice)
    assert client.get(reverse(CREATE)).status_code == 200
    response = client.post(reverse(CREATE), {"name": "12345 热线系统", "contact": "张工"})
    assert response.status_code == 200
    key = response.context["key"]
    assert key.startswith("xc311_") and key in response.content.decode()
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    stored = ApiClient.objects.get()
    assert stored.unit == alice.unit and key not in stored.key_hash and key[6:14] == stored.key_prefix
    assert authenticate(key) == stored and authenticate(key + "x") is None and authenticate("xc311_bad") is None
    listing = client.get(reverse(LIST)).content.decode()
    assert "12345 热线系统" in listing and key not in listing and stored.key_prefix in listing
    assert client.get(reverse(LIST), {"export": "xlsx"}).status_code == 200


def test_a_blank_name_is_a_clear_error(verified_client, alice) -> None:
    response = verified_client(alice).post(reverse(CREATE), {"name": "  "})
    assert response.status_code == 400 and "客户端名称" in response.content.decode()
    assert not ApiClient.objects.exists()


def test_revoke_after_confirmation(verified_client, alice, client) -> None:
    made, key = create_client(name="随手拍", by=alice)
    web = verified_client(alice)
    url = reverse("civility:open311_client_revoke", args=[made.pk])
    page = web.get(url)
    assert page.status_code == 200 and "确认停用" in page.content.decode()
    assert ApiClient.objects.get().is_active  # the page alone changes nothing
    assert web.post(url).status_code == 302
    assert not ApiClient.objects.get().is_active and authenticate(key) is None
    again = web.post(url, follow=True)
    assert "已经停用" in again.content.decode()
    body = urlencode({"api_key": key, "service_code": "ENV_GARBAGE", "address_string": "x"})
    answer = client.post(
        reverse("open311:requests", kwargs={"fmt": "json"}),
        data=body,
        content_type="application/x-www-form-urlencoded",
    )
    assert answer.status_code == 403


def test_only_department_administrators_manage_clients(client, district, alice, bob) -> None:
    inspector = make_person("ducha", district.publicity, RoleCode.CIVILITY_INSPECTOR)
    made, _key = create_client(name="随手拍", by=alice)
    for person in (bob, inspector):
        with pytest.raises(PermissionDenied):
            create_client(name="x", by=person)
        with pytest.raises(PermissionDenied):
            revoke_client(made, by=person)
        client.force_login(person)
        assert client.get(reverse(LIST)).status_code == 403
        assert client.post(reverse(CREATE), {"name": "x"}).status_code == 403
    assert ApiClient.objects.count() == 1 and ApiClient.objects.get().is_active


def test_another_units_client_is_not_there(client, district, alice, charlie) -> None:
    """A district-level administrator of another line (not seeing all units) gets 404."""
    west_admin = make_person("west_admin", district.west, RoleCode.DEPARTMENT_ADMIN)
    west_admin.roles.update(sees_all_units=False)
    made, _key = create_client(name="区级热线客户端甲", by=alice)
    verified_login(client, west_admin)
    url = reverse("civility:open311_client_revoke", args=[made.pk])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert "区级热线客户端甲" not in client.get(reverse(LIST)).content.decode()
    with pytest.raises(PermissionDenied):
        revoke_client(made, by=west_admin)
    client.force_login(charlie)
    assert client.get(url).status_code == 404
    assert ApiClient.objects.get().is_active


def test_duplicate_active_name_is_refused(alice) -> None:
    create_client(name="随手拍", by=alice)
    with pytest.raises(ServiceError):
        create_client(name="随手拍", by=alice)


def test_the_url_walk_of_this_part(client, district, alice, bob, charlie, dora) -> None:
    """The project-wide walk (``xuanchuan/tests/test_url_scoping.py``) limited to this part's routes:
    the outsider sees nothing of the sibling's client or its reports on the staff pages, and the
    public GeoReport v2 answers carry none of the sibling's staff data either."""
    from xuanchuan.civility.tests import scoping_open311
    from xuanchuan.tests.test_url_scoping import all_routes, objects_for, sentinels, text_of

    secret = sentinels(district, bob, dora) + scoping_open311.create_records(district, {"bob": bob, "dora": dora})
    client.force_login(charlie)
    mine = [r for r in all_routes() if r.name.startswith(("open311:", "civility:open311_"))]
    assert len(mine) == 8
    for route in mine:
        if route.name.startswith("civility:") and not route.kwargs:
            for query in ({}, {"export": "xlsx"}, {"unit": district.east.pk}, {"q": "东城"}):
                assert client.get(reverse(route.name), query).status_code == 403  # charlie is no administrator
            continue
        for arguments in objects_for(route, district, bob, dora):
            assert client.get(reverse(route.name, kwargs=arguments)).status_code == 404
            assert client.post(reverse(route.name, kwargs=arguments)).status_code == 404
    assert ApiClient.objects.get(unit=district.east).is_active
    published = client.get(reverse("open311:requests", kwargs={"fmt": "json"})).json()
    assert [item["description"] for item in published] == ["东城群众反映的问题描述"]  # the report itself is public
    staff_words = [word for word in secret if word not in (district.east.name, district.east_community.name)]
    for fmt in ("json", "xml"):
        for name, kwargs in (("discovery", {}), ("services", {}), ("requests", {})):
            body = text_of(client.get(reverse(f"open311:{name}", kwargs={"fmt": fmt, **kwargs})))
            assert not [word for word in staff_words if word in body], (name, fmt)
