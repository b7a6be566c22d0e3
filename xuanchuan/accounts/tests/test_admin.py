"""The admin cannot be used to raise one's own rights (security review L6), and administrators
unlock accounts locked by failed sign-ins (M7)."""

from __future__ import annotations

import json
import re

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import Permission
from django.urls import reverse

from xuanchuan.conftest import make_person
from xuanchuan.org.models import Role, RoleCode, User

SUPERUSER_INPUTS = ('name="is_superuser"', 'name="user_permissions"', 'name="groups"')


@pytest.fixture
def admin_client(verified_client, alice):
    """alice, 部管理员, signed in to the admin with her second factor."""
    alice.is_staff = True
    alice.save(update_fields=["is_staff"])
    return verified_client(User.objects.get(pk=alice.pk))


def person_form(user: User, **changes) -> dict:
    """The fields of the admin's change form of ``user`` as a browser would post them."""
    data = {
        "username": user.username,
        "full_name": user.full_name,
        "unit": user.unit_id or "",
        "job_title": user.job_title,
        "email": user.email,
        "roles": [role.pk for role in user.roles.all()],
        "is_active": "on",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


@pytest.mark.django_db
def test_a_department_admin_cannot_grant_superuser_or_single_permissions(admin_client, bob) -> None:
    url = reverse("admin:org_user_change", args=[bob.pk])
    page = admin_client.get(url).content.decode()
    assert 'name="full_name"' in page
    assert not any(field in page for field in SUPERUSER_INPUTS)
    everything = list(Permission.objects.values_list("pk", flat=True))
    response = admin_client.post(
        url, person_form(bob, full_name="包博博", is_superuser="on", is_staff="on", user_permissions=everything)
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    bob.refresh_from_db()
    assert bob.full_name == "包博博" and bob.is_staff
    assert not bob.is_superuser and not bob.user_permissions.exists()


@pytest.mark.django_db
def test_a_department_admin_cannot_widen_a_role(admin_client, alice) -> None:
    """Not the role they hold (部管理员), nor any other: what a role grants is for superusers."""
    for code in (RoleCode.DEPARTMENT_ADMIN, RoleCode.UNIT_REPORTER):
        role = Role.objects.get_or_create(code=code, defaults={"name": code})[0]
        before = set(role.permissions.values_list("pk", flat=True))
        flags = (role.sees_all_units, role.can_view_personal_data)
        url = reverse("admin:org_role_change", args=[role.pk])
        assert 'name="permissions"' not in admin_client.get(url).content.decode()
        data = {
            "name": role.name,
            "code": "renamed",
            "description": "改过的说明",
            "sees_all_units": "on",
            "can_view_personal_data": "on",
            "permissions": list(Permission.objects.values_list("pk", flat=True)),
        }
        response = admin_client.post(url, data)
        assert response.status_code == 302, response.content.decode()[:3000]
        role.refresh_from_db()
        assert role.description == "改过的说明" and role.code == code
        assert set(role.permissions.values_list("pk", flat=True)) == before
        assert (role.sees_all_units, role.can_view_personal_data) == flags
    assert not User.objects.get(pk=alice.pk).has_perm("auth.change_permission")


@pytest.mark.django_db
def test_a_superuser_still_manages_rights(verified_client, district, bob) -> None:
    client = verified_client(User.objects.create_superuser("root", password="x-Root-2026!"))
    page = client.get(reverse("admin:org_user_change", args=[bob.pk])).content.decode()
    assert all(field in page for field in SUPERUSER_INPUTS)
    role = bob.roles.get()
    assert 'name="permissions"' in client.get(reverse("admin:org_role_change", args=[role.pk])).content.decode()


@pytest.mark.django_db
def test_superusers_are_out_of_reach_of_other_administrators(admin_client) -> None:
    root = User.objects.create_superuser("root", password="x-Root-2026!")
    assert admin_client.get(reverse("admin:org_user_change", args=[root.pk])).status_code in (302, 404)
    assert admin_client.get(reverse("admin:auth_user_password_change", args=[root.pk])).status_code == 404
    assert "root" not in admin_client.get(reverse("admin:org_user_changelist")).content.decode()


@pytest.mark.django_db
def test_the_unit_of_a_person_is_chosen_among_visible_units(client, district, charlie) -> None:
    """A staff member of 西城街道 may not move anyone (themselves included) into 东城街道."""
    charlie.is_staff = True
    charlie.save(update_fields=["is_staff"])
    charlie.user_permissions.set(Permission.objects.filter(codename__in=["view_unit", "view_user", "change_user"]))
    client.force_login(User.objects.get(pk=charlie.pk))
    url = reverse("admin:org_user_change", args=[charlie.pk])
    refused = client.post(url, person_form(charlie, unit=district.east.pk))
    assert refused.status_code == 200 and "选择一个有效的选项" in refused.content.decode()
    charlie.refresh_from_db()
    assert charlie.unit == district.west
    moved = client.post(url, person_form(charlie, unit=district.west_community.pk))
    assert moved.status_code == 302
    charlie.refresh_from_db()
    assert charlie.unit == district.west_community


@pytest.mark.django_db
def test_an_administrator_unlocks_an_account(admin_client, district, bob) -> None:
    for address in ("192.0.2.1", "192.0.2.2"):
        AccessAttempt.objects.create(username="bob", ip_address=address, user_agent="x", failures_since_start=5)
    response = admin_client.post(
        reverse("admin:org_user_changelist"), {"action": "unlock_logins", "_selected_action": [bob.pk]}
    )
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username="bob").exists()
    reporter = make_person("dan", district.east, RoleCode.UNIT_REPORTER)
    reporter.is_staff = True
    reporter.save(update_fields=["is_staff"])
    reporter.user_permissions.set(Permission.objects.filter(codename__in=["view_user", "change_user"]))
    admin_client.force_login(User.objects.get(pk=reporter.pk))
    listing = admin_client.get(reverse("admin:org_user_changelist")).content.decode()
    assert "unlock_logins" not in listing  # the action needs axes' delete permission


def admin_menu_urls(client) -> list[str]:
    """The URLs of the admin's side menu (simpleui writes it into the page as a JSON variable)."""
    page = client.get(reverse("admin:index")).content.decode()
    menus = json.loads(re.search(r"var menus=(.*?)</script>", page).group(1))
    return [entry["url"] for menu in menus for entry in [menu, *menu.get("models", [])] if entry.get("url")]


@pytest.mark.django_db
def test_the_admin_menu_is_derived_from_the_registered_admin_and_every_entry_works(verified_client, district) -> None:
    client = verified_client(User.objects.create_superuser("root", password="x-Root-2026!"))
    urls = admin_menu_urls(client)
    assert len(urls) == 13 and "/admin/org/unit/" in urls and "/admin/axes/accessattempt/" in urls
    for url in urls:
        assert client.get(url).status_code == 200, url


@pytest.mark.django_db
def test_the_admin_menu_shows_what_the_administrator_may_view(admin_client) -> None:
    urls = admin_menu_urls(admin_client)
    assert "/admin/org/user/" in urls and "/admin/auditlog/logentry/" in urls
    assert "/admin/outbreak/smsmessage/" not in urls  # not in the 部管理员 role's permissions
    for url in urls:
        assert admin_client.get(url).status_code == 200, url
