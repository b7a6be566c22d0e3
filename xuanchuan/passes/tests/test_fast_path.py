"""The checkpoint's fast path: checkpoint tokens, the key set kept per process, the batched log —
and that none of it weakens revocation: a revoked pass or a retired key is refused at once by
every process."""

from __future__ import annotations

import json

import pytest
from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from xuanchuan.core.memo import VersionedMemo
from xuanchuan.org.models import Role, RoleCode
from xuanchuan.passes import checkers, cose, services
from xuanchuan.passes.cose import Reason
from xuanchuan.passes.models import Verification
from xuanchuan.passes.services import keys as key_services
from xuanchuan.passes.services.log import BATCH_ROWS, verification_log
from xuanchuan.passes.tests.conftest import apply_for

pytestmark = pytest.mark.django_db


def token_of(client: Client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("api:passes_checkpoint_token"))
    assert response.status_code == 200
    return response.json()["token"]


def verify_with(token: str, text: str) -> tuple[int, dict]:
    """A verification as the checkpoint page sends it: the token, no cookies at all."""
    response = Client(enforce_csrf_checks=True).post(
        reverse("api:passes_verify"),
        {"text": text},
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    return response.status_code, response.json()


# --- checkpoint tokens ----------------------------------------------------------------------------


def test_a_guard_verifies_with_a_token_and_no_cookies(client, approved_pass, gina) -> None:
    token = token_of(client, gina)
    status, body = verify_with(token, approved_pass.signed_text)
    assert (status, body["result"], body["masked_name"]) == (200, "valid", "张**")
    logged = Verification.objects.get()
    assert (logged.created_by_id, logged.unit_id, logged.pass_obj_id) == (gina.pk, gina.unit_id, approved_pass.pk)


def test_only_those_who_may_check_get_a_token(client, bob) -> None:
    client.force_login(bob)
    assert client.get(reverse("api:passes_checkpoint_token")).status_code == 403
    assert Client().get(reverse("api:passes_checkpoint_token")).status_code == 401


def test_who_owes_a_second_factor_gets_a_token_only_after_it(client, verified_client, alice) -> None:
    client.force_login(alice)  # a department administrator may check, with the second factor
    assert client.get(reverse("api:passes_checkpoint_token")).status_code == 403
    assert verified_client(alice).get(reverse("api:passes_checkpoint_token")).status_code == 200


def test_a_token_is_refused_when_forged_or_used_elsewhere(client, approved_pass, gina) -> None:
    token = token_of(client, gina)
    assert verify_with(token[:-2] + "xx", approved_pass.signed_text)[0] == 401
    assert verify_with("", approved_pass.signed_text)[0] == 401
    # It opens only the checkpoint's calls: not the pass list, which needs the session.
    listing = Client().get(reverse("api:passes_pass_list"), headers={"Authorization": f"Bearer {token}"})
    assert listing.status_code == 401


def test_without_a_token_the_session_still_needs_its_csrf_token(approved_pass, gina) -> None:
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(gina)
    response = browser.post(
        reverse("api:passes_verify"), {"text": approved_pass.signed_text}, content_type="application/json"
    )
    assert response.status_code == 403


@pytest.mark.parametrize("change", ["logout", "role removed", "deactivated", "role edited", "cache lost"])
def test_a_token_ends_at_once(client, approved_pass, gina, change) -> None:
    token = token_of(client, gina)
    assert verify_with(token, approved_pass.signed_text)[0] == 200
    if change == "logout":
        client.post(reverse("accounts:logout"))
    elif change == "role removed":
        gina.roles.remove(Role.objects.get(code=RoleCode.CHECKPOINT_GUARD))
    elif change == "deactivated":
        gina.is_active = False
        gina.save(update_fields=["is_active"])
    elif change == "role edited":
        Role.objects.get(code=RoleCode.CHECKPOINT_GUARD).save()
    else:
        cache.clear()
    assert verify_with(token, approved_pass.signed_text)[0] == 401


def test_signing_in_again_keeps_the_token(client, approved_pass, gina) -> None:
    token = token_of(client, gina)
    get_user_model().objects.get(pk=gina.pk).save(update_fields=["last_login"])
    assert verify_with(token, approved_pass.signed_text)[0] == 200


# --- revocation and key retirement reach every process at once -----------------------------------


def test_a_revoked_pass_is_refused_at_once(client, approved_pass, bob, gina) -> None:
    token = token_of(client, gina)
    assert verify_with(token, approved_pass.signed_text)[1]["result"] == Reason.VALID
    services.revoke(approved_pass, by=bob, reason="手机遗失")
    assert verify_with(token, approved_pass.signed_text)[1]["result"] == Reason.REVOKED


@pytest.mark.django_db(transaction=True)
def test_a_retired_key_is_refused_at_once_by_another_process(district, bob, alice) -> None:
    """Two processes' copies of the key set share one cache (Redis in production): the other
    process has kept the key set, and the very next check after the retirement refuses."""
    pass_obj = services.approve(apply_for(district.east_community, bob), by=bob)
    other_process = VersionedMemo("passes.keys", key_services._verifying_keys)
    assert other_process.key == key_services.VERIFYING_KEYS.key
    assert cose.verify(pass_obj.signed_text, other_process.get(), now=_now()).valid
    kept = other_process._kept
    assert kept is not None and other_process.get() is kept[2]  # kept: no reload while nothing changes
    services.rotate_key(by=alice)
    pass_obj.signing_key.refresh_from_db()
    services.retire_key(pass_obj.signing_key, by=alice)
    assert cose.verify(pass_obj.signed_text, other_process.get(), now=_now()).reason == Reason.KEY_RETIRED


def _now() -> int:
    from django.utils import timezone

    return int(timezone.now().timestamp())


# --- the batched verification log -----------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_checks_are_logged_in_batches(district, bob, settings) -> None:
    from xuanchuan.conftest import make_person

    settings.PASSES_VERIFICATION_LOG_DELAY_MS = 60_000
    guard = make_person("batch_guard", district.east, RoleCode.CHECKPOINT_GUARD)
    pass_obj = services.approve(apply_for(district.east_community, bob), by=bob)
    checker = checkers.checker_of(guard)
    try:
        for _n in range(3):
            services.check(pass_obj.signed_text, by=checker)
        assert not Verification.objects.exists()  # waiting in this process
        assert verification_log.flush() == 3
        assert Verification.objects.count() == 3
        for _n in range(BATCH_ROWS):
            services.check(pass_obj.signed_text, by=checker)
        assert Verification.objects.count() == 3 + BATCH_ROWS  # a full batch goes at once
        assert not LogEntry.objects.filter(content_type__model="verification").exists()
    finally:
        verification_log.flush()


@pytest.mark.django_db(transaction=True)
def test_a_quiet_checkpoint_is_logged_within_the_delay(district, bob, settings) -> None:
    import time

    from xuanchuan.conftest import make_person

    settings.PASSES_VERIFICATION_LOG_DELAY_MS = 200
    guard = make_person("quiet_guard", district.east, RoleCode.CHECKPOINT_GUARD)
    pass_obj = services.approve(apply_for(district.east_community, bob), by=bob)
    services.check(pass_obj.signed_text, by=checkers.checker_of(guard))
    deadline = time.monotonic() + 5
    while not Verification.objects.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert Verification.objects.get().result == Reason.VALID


def test_the_response_is_the_documented_shape(client, approved_pass, gina) -> None:
    from xuanchuan.passes.api import VerifyOut

    status, body = verify_with(token_of(client, gina), approved_pass.signed_text)
    assert status == 200 and VerifyOut.model_validate(body).model_dump(mode="json") == json.loads(json.dumps(body))
