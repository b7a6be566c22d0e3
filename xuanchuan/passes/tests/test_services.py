"""Rules of the pass system, through its services."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from xuanchuan.passes import cose, services
from xuanchuan.passes.cose import Reason
from xuanchuan.passes.models import Movement, Pass, PassStatus, SigningKey, Verification
from xuanchuan.passes.tests.conftest import apply_for
from xuanchuan.reports.registry import Period, compute

pytestmark = pytest.mark.django_db


def event(pass_obj: Pass, direction: str = "exit", *, at=None, offline: bool = False, event_id=None):
    return services.CheckpointEvent(
        event_id or uuid.uuid4(), pass_obj.signed_text, direction, at or timezone.now(), "东城一号卡口", offline
    )


def test_apply_then_approve_signs_a_verifiable_pass(pending_pass, bob) -> None:
    assert pending_pass.status == PassStatus.PENDING and not pending_pass.signed_text
    pass_obj = services.approve(pending_pass, by=bob)
    assert pass_obj.status == PassStatus.APPROVED and pass_obj.decided_by == bob
    verdict = services.verify_signature(pass_obj.signed_text)
    assert verdict.valid
    assert verdict.claims.masked_name == "张**" and verdict.claims.community_name == "幸福社区"
    assert verdict.claims.household == "1栋101" and verdict.claims.issuer == "示范区"


def test_refusal_needs_a_reason_and_only_pending_passes_are_decided(pending_pass, bob) -> None:
    with pytest.raises(ValidationError):
        services.refuse(pending_pass, by=bob, reason="  ")
    refused = services.refuse(pending_pass, by=bob, reason="非本社区住户")
    assert refused.status == PassStatus.REFUSED and refused.refusal_reason == "非本社区住户"
    with pytest.raises(ValidationError):
        services.approve(refused, by=bob)


def test_an_outsider_cannot_decide(pending_pass, charlie) -> None:
    with pytest.raises(PermissionDenied):
        services.approve(pending_pass, by=charlie)
    with pytest.raises(PermissionDenied):
        apply_for(pending_pass.unit, charlie, number="9号")


def test_a_guard_cannot_approve(pending_pass, gina) -> None:
    with pytest.raises(PermissionDenied):
        services.approve(pending_pass, by=gina)


def test_the_private_key_is_stored_encrypted_and_kept_out_of_the_audit_trail(approved_pass) -> None:
    key = SigningKey.objects.get()
    with connection.cursor() as cursor:
        cursor.execute("SELECT private_key_pem FROM passes_signingkey WHERE id = %s", [key.pk])
        stored = cursor.fetchone()[0]
    assert stored.startswith("v1$") and "PRIVATE KEY" not in stored
    assert "PRIVATE KEY" in key.private_key_pem
    for entry in LogEntry.objects.all():
        assert "PRIVATE KEY" not in str(entry.changes) and stored not in str(entry.changes)


def test_revoked_pass_is_refused_online_and_listed(approved_pass, bob, gina) -> None:
    services.revoke(approved_pass, by=bob, reason="手机遗失")
    verdict, _pass = services.check(approved_pass.signed_text, by=gina)
    assert verdict.reason == Reason.REVOKED
    assert approved_pass.public_id in services.revocation_list()["revoked"]
    # Offline, a device that has the list refuses it too.
    keys = {key.kid: services.published_key(key) for key in SigningKey.objects.all()}
    offline = cose.verify(
        approved_pass.signed_text, keys, now=int(timezone.now().timestamp()), revoked=set(services.revoked_ids())
    )
    assert offline.reason == Reason.REVOKED


def test_reissue_revokes_the_old_pass_and_signs_a_new_one(approved_pass, bob, gina) -> None:
    new = services.reissue(approved_pass, by=bob, reason="手机遗失")
    approved_pass.refresh_from_db()
    assert approved_pass.status == PassStatus.REVOKED and new.replaces == approved_pass
    assert new.status == PassStatus.APPROVED and new.public_id != approved_pass.public_id
    assert services.check(new.signed_text, by=gina)[0].valid
    assert services.check(approved_pass.signed_text, by=gina)[0].reason == Reason.REVOKED


def test_key_rotation_overlap_then_retirement(approved_pass, district, bob, alice, gina) -> None:
    old_key = approved_pass.signing_key
    new_key = services.rotate_key(by=alice)
    assert new_key.kid != old_key.kid
    # During the overlap the old key still verifies, and both are published.
    assert services.check(approved_pass.signed_text, by=gina)[0].valid
    assert {k["kid"] for k in services.key_set()["keys"]} == {old_key.kid, new_key.kid}
    later = services.approve(apply_for(district.east_community, bob, number="2栋202"), by=bob)
    assert later.signing_key == new_key
    # After the overlap the old key is retired: its passes are refused and it is unpublished.
    old_key.refresh_from_db()
    after = old_key.retires_at + timedelta(seconds=1)
    assert services.verify_signature(approved_pass.signed_text, after).reason == Reason.KEY_RETIRED
    assert [k["kid"] for k in services.key_set(after)["keys"]] == [new_key.kid]
    assert services.verify_signature(later.signed_text, after - timedelta(days=2)).valid


def test_the_overlap_covers_a_pass_validity(settings) -> None:
    settings.PASSES_VALID_DAYS = 30
    settings.PASSES_KEY_OVERLAP_DAYS = 5
    assert services.key_overlap_days() == 31


def test_only_key_administrators_rotate(approved_pass, bob) -> None:
    with pytest.raises(PermissionDenied):
        services.rotate_key(by=bob)


def test_retire_key_at_once(approved_pass, alice, gina) -> None:
    old = approved_pass.signing_key
    services.rotate_key(by=alice)
    old.refresh_from_db()
    services.retire_key(old, by=alice)
    assert services.check(approved_pass.signed_text, by=gina)[0].reason == Reason.KEY_RETIRED


def test_one_outing_per_household_every_n_days(approved_pass, district, bob, gina) -> None:
    first = services.record_event(event(approved_pass), by=gina)
    assert first.outcome == services.EventOutcome.RECORDED
    # A second member of the same household, same day: over the limit.
    sibling = services.approve(apply_for(district.east_community, bob, name="张四丰"), by=bob)
    verdict, _pass = services.check(sibling.signed_text, by=gina, direction="exit")
    assert verdict.reason == Reason.OVER_USED and verdict.extra["last_outing"]
    refused = services.record_event(event(sibling), by=gina)
    assert refused.outcome == services.EventOutcome.REFUSED and refused.reason == Reason.OVER_USED
    # Coming back is always recorded; and after N days the household may go out again.
    assert services.record_event(event(approved_pass, "entry"), by=gina).outcome == services.EventOutcome.RECORDED
    later = timezone.now() + timedelta(days=approved_pass.outing_interval_days, minutes=1)
    assert services.verify_online(sibling.signed_text, later, direction="exit")[0].valid
    assert Movement.objects.filter(direction="exit").count() == 1


def test_offline_queue_replay_is_idempotent(approved_pass, gina) -> None:
    queue = [event(approved_pass, "exit", offline=True), event(approved_pass, "entry", offline=True)]
    first = services.record_events(queue, by=gina)
    again = services.record_events(queue, by=gina)
    assert [r.outcome for r in first] == ["recorded", "recorded"]
    assert [r.outcome for r in again] == ["duplicate", "duplicate"]
    assert Movement.objects.count() == 2
    assert all(m.offline for m in Movement.objects.all())


def test_an_offline_exit_over_the_limit_is_recorded_and_flagged(approved_pass, gina) -> None:
    earlier = timezone.now() - timedelta(hours=3)
    services.record_event(event(approved_pass, at=earlier), by=gina)
    late = services.record_event(event(approved_pass, offline=True), by=gina)
    assert late.outcome == services.EventOutcome.RECORDED and late.movement.rule_breached


def test_an_offline_event_with_a_forged_pass_is_refused(approved_pass, gina) -> None:
    parts = cose.decode(approved_pass.signed_text)
    forged = cose.encode_cose(parts.protected, parts.payload.replace(b"1\xe6", b"2\xe6"), parts.signature)
    result = services.record_event(
        services.CheckpointEvent(uuid.uuid4(), forged, "exit", timezone.now(), "", True), by=gina
    )
    assert result.outcome == services.EventOutcome.REFUSED and result.reason == Reason.BAD_SIGNATURE
    assert not Movement.objects.exists()


def test_every_check_is_logged(approved_pass, gina) -> None:
    services.check(approved_pass.signed_text, by=gina)
    services.check("XC1:garbage", by=gina)
    results = list(Verification.objects.order_by("pk").values_list("result", "unit", "pass_public_id"))
    assert results == [("valid", gina.unit_id, approved_pass.public_id), ("malformed", gina.unit_id, "")]


def test_only_guards_check(approved_pass, bob) -> None:
    with pytest.raises(PermissionDenied):
        services.check(approved_pass.signed_text, by=bob)


def test_a_pending_pass_text_cannot_exist_but_an_unknown_number_is_refused(approved_pass, gina) -> None:
    Pass.objects.filter(pk=approved_pass.pk).update(public_id="ZZZZZZZZZZZZ")
    assert services.check(approved_pass.signed_text, by=gina)[0].reason == Reason.UNKNOWN_PASS


def test_import_of_a_household_list(district, bob) -> None:
    rows = [
        {"户号": "3栋301", "住址": "幸福路3号", "姓名": "王五", "手机号码": "13900000001"},
        {"户号": "3栋301", "住址": "幸福路3号", "姓名": "王六", "手机号码": ""},
    ]
    result = services.import_households(rows, community=district.east_community, by=bob)
    assert result.created == 2 and not result.errors
    assert Pass.objects.filter(household__number="3栋301", status=PassStatus.PENDING).count() == 2
    bad = services.import_households([{"户号": "", "姓名": "x"}], community=district.east_community, by=bob)
    assert bad.created == 0 and "第2行" in bad.errors[0]


def test_figures(approved_pass, district, gina) -> None:
    services.check(approved_pass.signed_text, by=gina)
    services.record_event(event(approved_pass), by=gina)
    period = Period.year(timezone.localdate().year)
    assert compute("passes.issued", period).value == 1
    assert compute("passes.issued", period, district.west).value == 0
    assert compute("passes.outings", period, district.east).value == 1
    assert compute("passes.verifications", period).value == 2
    assert compute("passes.revoked", period).value == 0


def test_reencrypt_keys(approved_pass) -> None:
    assert services.reencrypt_keys() == 1
    assert services.verify_signature(approved_pass.signed_text).valid


def test_the_import_form_reads_csv(district, bob) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from xuanchuan.passes.forms import ImportForm

    content = "户号,住址,姓名,手机号码\n5栋501,幸福路5号,赵七,\n".encode("utf-8-sig")
    form = ImportForm(
        {"community": district.east_community.pk},
        {"file": SimpleUploadedFile("list.csv", content)},
        user=bob,
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["file"] == [{"户号": "5栋501", "住址": "幸福路5号", "姓名": "赵七", "手机号码": ""}]


def test_offline_checks_reach_the_log_once(approved_pass, gina) -> None:
    check = event(approved_pass, services.CHECK_ONLY, offline=True)
    first = services.record_event(check, by=gina)
    again = services.record_event(check, by=gina)
    assert (first.outcome, first.reason) == (services.EventOutcome.LOGGED, Reason.VALID)
    assert again.outcome == services.EventOutcome.DUPLICATE
    logged = Verification.objects.get()
    assert logged.offline and logged.event_id == check.event_id and not Movement.objects.exists()


def test_a_refused_event_replayed_is_logged_once(approved_pass, bob, gina) -> None:
    services.revoke(approved_pass, by=bob, reason="手机遗失")
    refused = event(approved_pass, offline=True)
    assert services.record_event(refused, by=gina).outcome == services.EventOutcome.REFUSED
    assert services.record_event(refused, by=gina).outcome == services.EventOutcome.DUPLICATE
    assert Verification.objects.count() == 1


def test_unknown_event_kinds_are_refused(approved_pass, gina) -> None:
    with pytest.raises(ValidationError):
        services.record_event(event(approved_pass, "sideways"), by=gina)
