"""Personal data and keys: masked, never revealable, erased when the retention ends."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from xuanchuan.core.pii import purge_expired
from xuanchuan.passes import services
from xuanchuan.passes.models import Movement, Pass, SigningKey

pytestmark = pytest.mark.django_db


def test_the_signing_key_cannot_be_revealed_through_the_personal_data_reveal(
    verified_client, approved_pass, alice
) -> None:
    client = verified_client(alice)
    key = SigningKey.objects.get()
    content_type = ContentType.objects.get_for_model(SigningKey).pk
    url = reverse("core:pii_reveal", args=[content_type, key.pk, "private_key_pem"])
    response = client.post(url)
    assert response.status_code == 404 and b"PRIVATE KEY" not in response.content


def test_the_holder_name_is_revealable_and_logged_for_a_community_worker(verified_client, approved_pass, dora) -> None:
    client = verified_client(dora)
    content_type = ContentType.objects.get_for_model(Pass).pk
    url = reverse("core:pii_reveal", args=[content_type, approved_pass.pk, "holder_name"])
    assert "张三丰" in client.post(url).content.decode()


def test_retention_erases_the_holder_and_deletes_old_movements(approved_pass, gina, settings) -> None:
    settings.PASSES_RETENTION_DAYS = 30
    services.record_event(
        services.CheckpointEvent(uuid.uuid4(), approved_pass.signed_text, "exit", timezone.now()), by=gina
    )
    purge_expired(now=timezone.now() + timedelta(days=60))
    approved_pass.refresh_from_db()
    assert approved_pass.holder_name == "" and approved_pass.holder_phone == ""
    assert not Movement.objects.exists()
    assert Pass.objects.filter(pk=approved_pass.pk).exists()  # the row stays for the figures


def test_list_pages_keep_their_query_count(client, approved_pass, gina, bob, django_assert_max_num_queries) -> None:
    for _ in range(10):
        services.check(approved_pass.signed_text, by=gina)
        services.record_event(
            services.CheckpointEvent(uuid.uuid4(), approved_pass.signed_text, "entry", timezone.now()), by=gina
        )
    client.force_login(bob)
    for name in ("movement_list", "household_list"):
        with django_assert_max_num_queries(12):
            assert client.get(reverse(f"passes:{name}")).status_code == 200
    client.force_login(gina)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("passes:verification_list")).status_code == 200


def test_a_setting_under_its_old_name_is_reported(monkeypatch) -> None:
    from xuanchuan.passes.checks import renamed_settings

    assert renamed_settings() == []
    monkeypatch.setenv("PASS_VALID_DAYS", "7")
    [warning] = renamed_settings()
    assert warning.id == "passes.W002" and "PASSES_VALID_DAYS" in warning.msg
