"""Units and people pages, the API and the admin, each read through the scoping rule."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from xuanchuan.org.models import User
from xuanchuan.org.services import create_unit


@pytest.mark.django_db
def test_unit_list_search_filter_and_export(client, district, bob) -> None:
    client.force_login(bob)
    url = reverse("org:unit_list")
    body = client.get(url).content.decode()
    assert "东城街道" in body and "幸福社区" in body
    assert "西城街道" not in body and "区委宣传部" not in body
    assert "幸福社区" not in client.get(url, {"unit_type": "street"}).content.decode()
    assert [unit.name for unit in client.get(url, {"q": "幸福"}).context["object_list"]] == ["幸福社区"]
    export = client.get(url, {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "名称"
    assert {row[0] for row in rows[1:]} == {"东城街道", "幸福社区"}


@pytest.mark.django_db
def test_unit_list_paginates_with_a_fixed_number_of_queries(
    verified_client, district, alice, django_assert_max_num_queries
) -> None:
    from xuanchuan.org.models import UnitType

    for number in range(40):
        create_unit(parent=district.west, name=f"网格{number:02d}社区", unit_type=UnitType.COMMUNITY, code=f"G{number}")
    client = verified_client(alice)
    with django_assert_max_num_queries(12):
        first = client.get(reverse("org:unit_list"))
    assert first.context["page_obj"].paginator.num_pages == 2
    assert "网格" in client.get(reverse("org:unit_list"), {"page": 2}).content.decode()


@pytest.mark.django_db
def test_person_list_filters_and_department_admin_sees_all(
    verified_client, district, alice, bob, charlie, dora
) -> None:
    client = verified_client(alice)
    url = reverse("org:person_list")
    body = client.get(url).content.decode()
    for person in (alice, bob, charlie, dora):
        assert person.full_name in body
    east_only = client.get(url, {"unit": district.east.pk}).content.decode()
    assert bob.full_name in east_only and dora.full_name in east_only and charlie.full_name not in east_only
    missing = client.get(url, {"second_factor": "missing"}).content.decode()
    assert dora.full_name in missing and alice.full_name in missing and bob.full_name not in missing


@pytest.mark.django_db
def test_person_filter_refuses_a_unit_outside_scope(client, district, bob, charlie) -> None:
    client.force_login(bob)
    body = client.get(reverse("org:person_list"), {"unit": district.west.pk}).content.decode()
    assert charlie.full_name not in body


@pytest.mark.django_db
def test_unit_detail_shows_children_members_and_visible_ancestors(client, district, bob, dora) -> None:
    client.force_login(bob)
    body = client.get(reverse("org:unit_detail", args=[district.east.pk])).content.decode()
    assert "幸福社区" in body and bob.full_name in body


@pytest.mark.django_db
def test_home_page_shows_unit_and_todos(verified_client, district, alice, dora) -> None:
    client = verified_client(alice)
    body = client.get("/").content.decode()
    assert "区委宣传部" in body
    assert "未绑定动态口令" in body  # alice and dora may read personal data without a device


@pytest.mark.django_db
def test_api_lists_only_visible_units_and_me(client, district, bob) -> None:
    client.force_login(bob)
    units = client.get("/api/units").json()
    assert {item["name"] for item in units["items"]} == {"东城街道", "幸福社区"}
    me = client.get("/api/me").json()
    assert me["unit"]["name"] == "东城街道" and me["roles"] == ["unit_reporter"]
    assert client.get(f"/api/units/{district.west.pk}").status_code == 404
    value = client.get("/api/figures/org.grassroots_units", {"period": "2026"}).json()
    assert value["value"] == 1 and value["unit_id"] == district.east.pk
    assert client.get("/api/figures/org.grassroots_units", {"unit": district.west.pk}).status_code == 404
    assert client.get("/api/figures/org.nothing").status_code == 404
    assert client.get("/api/figures/org.grassroots_units", {"period": "20x5"}).status_code == 422


@pytest.mark.django_db
def test_api_needs_a_session(client, district) -> None:
    assert client.get("/api/units").status_code == 401


@pytest.mark.django_db
def test_admin_changelists_are_scoped(client, district, charlie) -> None:
    charlie.is_staff = True
    charlie.save(update_fields=["is_staff"])
    from django.contrib.auth.models import Permission

    charlie.user_permissions.set(Permission.objects.filter(codename__in=["view_unit", "view_user"]))
    client.force_login(User.objects.get(pk=charlie.pk))
    units = client.get(reverse("admin:org_unit_changelist")).content.decode()
    assert "西城街道" in units and "东城街道" not in units
    people = client.get(reverse("admin:org_user_changelist")).content.decode()
    assert "charlie" in people and "bob" not in people
    assert client.get(reverse("admin:org_unit_change", args=[district.east.pk])).status_code in (302, 404)


@pytest.mark.django_db
def test_admin_adds_and_moves_units_within_scope(verified_client, district, alice) -> None:
    from xuanchuan.org.models import Unit

    alice.is_staff = True
    alice.save(update_fields=["is_staff"])
    client = verified_client(alice)
    response = client.post(
        reverse("admin:org_unit_add"),
        {"parent": district.east.pk, "name": "新建社区", "unit_type": "community", "code": "T-NEW-C"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    created = Unit.objects.get(code="T-NEW-C")
    assert created.get_parent() == district.east
    moved = client.post(
        reverse("admin:org_unit_change", args=[created.pk]),
        {"parent": district.west.pk, "name": "新建社区", "unit_type": "community", "code": "T-NEW-C"},
    )
    assert moved.status_code == 302
    assert Unit.objects.get(pk=created.pk).get_parent() == district.west
    root_again = client.post(reverse("admin:org_unit_add"), {"name": "另一个区", "unit_type": "district", "code": "X"})
    assert "本区已有根单位" in root_again.content.decode()
