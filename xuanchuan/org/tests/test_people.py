"""People: role permissions, the staff mobile number as personal data, and its retention."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from xuanchuan.core.models import PersonalDataAccess
from xuanchuan.core.pii.fields import lookup
from xuanchuan.core.pii.retention import purge_expired
from xuanchuan.org.models import User


@pytest.mark.django_db
def test_department_admin_gets_configuration_permissions_from_the_role(alice, bob) -> None:
    alice = User.objects.get(pk=alice.pk)
    assert alice.has_perm("org.add_unit") and alice.has_perm("auditlog.view_logentry")
    assert not User.objects.get(pk=bob.pk).has_perm("org.add_unit")


@pytest.mark.django_db
def test_mobile_is_encrypted_at_rest_and_found_by_blind_index(bob) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT mobile FROM org_user WHERE id = %s", [bob.pk])
        stored = cursor.fetchone()[0]
    assert "13800138001" not in stored and stored.startswith("v1$")
    assert User.objects.filter(**lookup(User, "mobile", "+86 138-0013-8001")).get() == bob


@pytest.mark.django_db
def test_person_page_masks_the_mobile_and_reveal_is_logged(verified_client, client, district, alice, bob) -> None:
    client.force_login(bob)
    own_page = client.get(reverse("org:person_detail", args=[bob.pk])).content.decode()
    assert "138****8001" in own_page and "13800138001" not in own_page
    assert "hx-post" not in own_page  # a unit reporter may not reveal personal data

    admin_client = verified_client(alice)
    page = admin_client.get(reverse("org:person_detail", args=[bob.pk])).content.decode()
    assert "138****8001" in page and "hx-post" in page
    people = ContentType.objects.get_for_model(User).pk
    url = reverse("core:pii_reveal", args=[people, bob.pk, "mobile"])
    revealed = admin_client.post(url)
    assert revealed.status_code == 200 and "13800138001" in revealed.content.decode()
    entry = PersonalDataAccess.objects.get()
    assert entry.user == alice and entry.object_id == str(bob.pk) and entry.field == "mobile"


@pytest.mark.django_db
def test_unit_reporter_cannot_reveal(client, bob, dora) -> None:
    client.force_login(bob)
    people = ContentType.objects.get_for_model(User).pk
    assert client.post(reverse("core:pii_reveal", args=[people, dora.pk, "mobile"])).status_code == 403
    assert not PersonalDataAccess.objects.exists()


@pytest.mark.django_db
def test_mobile_of_a_former_member_is_erased_after_retention(settings, bob, dora) -> None:
    settings.XUANCHUAN_STAFF_PII_RETENTION_DAYS = 30
    bob.is_active = False
    bob.save(update_fields=["is_active"])
    User.objects.filter(pk=bob.pk).update(deactivated_at=timezone.now() - timedelta(days=31))
    dora.is_active = False
    dora.save(update_fields=["is_active"])  # deactivated today: kept

    result = purge_expired()
    assert result["停用人员的手机号码"] == 1
    bob.refresh_from_db()
    dora.refresh_from_db()
    assert bob.mobile == "" and bob.mobile_index == ""
    assert dora.mobile == "13900139002"
    assert User.objects.filter(pk=bob.pk).exists()  # the account row stays


@pytest.mark.django_db
def test_deactivation_time_is_kept_and_cleared(bob) -> None:
    bob.is_active = False
    bob.save()
    stamp = User.objects.get(pk=bob.pk).deactivated_at
    assert stamp is not None
    bob.save()
    assert User.objects.get(pk=bob.pk).deactivated_at == stamp
    bob.is_active = True
    bob.save(update_fields=["is_active"])
    assert User.objects.get(pk=bob.pk).deactivated_at is None
