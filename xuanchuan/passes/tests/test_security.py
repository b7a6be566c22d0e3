"""Security review items of the pass system: M6 (a re-issued pass never reaches the old link),
L4 (inputs that caused server errors) and L10 (back-dated checkpoint events)."""

from __future__ import annotations

import threading
import uuid
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone

from xuanchuan.core.sms import SmsGateway
from xuanchuan.passes import qr, services
from xuanchuan.passes.cose import Reason
from xuanchuan.passes.models import ApplicationChannel, Household, Movement, Pass, PassStatus, Verification

pytestmark = pytest.mark.django_db


# --- M6: re-issue --------------------------------------------------------------------------------


def test_the_old_public_page_never_leads_to_the_reissued_pass(client, approved_pass, bob) -> None:
    new = services.reissue(approved_pass, by=bob, reason="手机遗失")
    page = client.get(reverse("passes:resident_pass", args=[approved_pass.access_token]))
    body = page.content.decode()
    assert page.status_code == 200
    assert new.access_token not in body and new.public_id not in body
    assert new.signed_text not in body and qr.data_uri(new.signed_text) not in body
    assert "data:image/png" not in body  # no QR at all on a revoked pass's page
    assert "本通行证已撤销，请与所在社区联系。" in body
    assert "手机遗失" not in body  # nor the staff's reason (it would tell what happened)


def test_the_staff_page_of_the_new_pass_hands_it_over(client, approved_pass, bob) -> None:
    client.force_login(bob)
    response = client.post(reverse("passes:pass_reissue", args=[approved_pass.pk]), {"reason": "手机遗失"})
    new = Pass.objects.get(replaces=approved_pass)
    assert response["Location"] == new.get_absolute_url()
    body = client.get(new.get_absolute_url()).content.decode()
    assert reverse("passes:pass_print", args=[new.pk]) in body and new.signed_text in body
    assert "请将新证交给持证人" in body


class RecordingGateway(SmsGateway):
    """An SMS gateway that keeps what it was given."""

    sent: list[tuple[str, str]] = []

    def deliver(self, number: str, text: str) -> None:
        RecordingGateway.sent.append((number, text))


def test_staff_send_the_new_pass_to_the_phone_on_record_once_confirmed(client, approved_pass, bob, settings) -> None:
    settings.PASSES_SMS_BACKEND = f"{__name__}.RecordingGateway"
    RecordingGateway.sent.clear()
    new = services.reissue(approved_pass, by=bob, reason="手机遗失")
    client.force_login(bob)
    url = reverse("passes:pass_send_link", args=[new.pk])
    assert reverse("passes:pass_send_link", args=[new.pk]) in client.get(new.get_absolute_url()).content.decode()
    client.post(url)  # the number not confirmed with the holder: nothing sent
    assert RecordingGateway.sent == []
    response = client.post(url, {"confirmed": "on"})
    assert response["Location"] == new.get_absolute_url()
    [(number, text)] = RecordingGateway.sent
    assert number == "13800138000" and reverse("passes:resident_pass", args=[new.access_token]) in text
    assert approved_pass.access_token not in text
    client.post(url, {"confirmed": "on"})  # again within the minute: not sent twice
    assert len(RecordingGateway.sent) == 1
    client.post(reverse("passes:pass_send_link", args=[approved_pass.pk]), {"confirmed": "on"})
    assert len(RecordingGateway.sent) == 1  # nor for the revoked pass


def test_only_its_community_staff_send_a_pass(client, approved_pass, charlie, gina, settings) -> None:
    settings.PASSES_SMS_BACKEND = f"{__name__}.RecordingGateway"
    RecordingGateway.sent.clear()
    url = reverse("passes:pass_send_link", args=[approved_pass.pk])
    client.force_login(charlie)
    assert client.post(url, {"confirmed": "on"}).status_code == 404
    client.force_login(gina)
    client.post(url, {"confirmed": "on"})
    assert RecordingGateway.sent == []


# --- L4: inputs that answered 500 --------------------------------------------------------------------


def test_a_naive_event_time_is_a_400_with_a_message(client, approved_pass, gina) -> None:
    client.force_login(gina)
    event = {
        "event_id": str(uuid.uuid4()),
        "text": approved_pass.signed_text,
        "direction": "exit",
        "occurred_at": timezone.localtime().replace(tzinfo=None).isoformat(),
    }
    response = client.post(reverse("api:passes_events"), {"events": [event]}, content_type="application/json")
    assert response.status_code == 400
    assert "时区" in response.json()["detail"]
    assert not Movement.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_applications_for_a_new_household_at_once(district, bob, monkeypatch) -> None:
    """Both wait until each has found no household, then both create it: one household, two
    applications, no IntegrityError. (PostgreSQL only: SQLite serialises write transactions.)"""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises every write transaction: the two applications cannot race there")
    barrier = threading.Barrier(2, timeout=10)
    create = Household.objects.create

    def create_together(**fields):
        barrier.wait()
        return create(**fields)

    monkeypatch.setattr(Household.objects, "create", create_together)
    errors: list[BaseException] = []

    def submit(name: str) -> None:
        try:
            application = services.Application(district.east_community, "12栋1201", "幸福路12号", name, "")
            services.apply(application, channel=ApplicationChannel.RESIDENT)
        except BaseException as error:  # reported below, in the test's thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit, args=(name,)) for name in ("甲一", "乙二")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, errors
    assert Household.objects.filter(number="12栋1201").count() == 1
    assert Pass.objects.filter(household__number="12栋1201").count() == 2


# --- L10: the time of a checkpoint event -------------------------------------------------------------


def event_at(pass_obj: Pass, at, direction: str = "exit") -> services.CheckpointEvent:
    return services.CheckpointEvent(uuid.uuid4(), pass_obj.signed_text, direction, at, "东城一号卡口", True)


def test_an_event_older_than_the_allowance_is_refused(approved_pass, gina, settings) -> None:
    settings.PASSES_EVENT_BACKDATE_MINUTES = 60
    result = services.record_event(event_at(approved_pass, timezone.now() - timedelta(minutes=61)), by=gina)
    assert result.outcome == services.EventOutcome.REFUSED and "60 分钟" in result.message
    assert not Movement.objects.exists()
    within = services.record_event(event_at(approved_pass, timezone.now() - timedelta(minutes=59)), by=gina)
    assert within.outcome == services.EventOutcome.RECORDED


def test_an_event_dated_in_the_future_is_refused(approved_pass, gina) -> None:
    result = services.record_event(event_at(approved_pass, timezone.now() + timedelta(hours=1)), by=gina)
    assert result.outcome == services.EventOutcome.REFUSED
    assert not Movement.objects.exists()
    skewed = services.record_event(event_at(approved_pass, timezone.now() + timedelta(minutes=2)), by=gina)
    assert skewed.outcome == services.EventOutcome.RECORDED  # a device clock a little ahead


def test_back_dating_does_not_make_an_expired_pass_valid(district, bob, gina, settings) -> None:
    """A pass that ended at midnight, an offline exit dated a second before: verified at the
    server's time it is expired, and refused; the device's time is kept beside the verdict."""
    settings.PASSES_EVENT_BACKDATE_MINUTES = 48 * 60
    start = timezone.localdate() - timedelta(days=settings.PASSES_VALID_DAYS)
    application = services.Application(district.east_community, "7栋701", "幸福路7号", "周七", "", start)
    expired = services.approve(services.apply(application, channel=ApplicationChannel.STAFF, by=bob), by=bob)
    assert expired.status == PassStatus.APPROVED and expired.valid_until == timezone.localdate() - timedelta(days=1)
    midnight = timezone.make_aware(timezone.datetime.combine(timezone.localdate(), timezone.datetime.min.time()))
    before = midnight - timedelta(seconds=1)
    result = services.record_event(event_at(expired, before), by=gina)
    assert (result.outcome, result.reason) == (services.EventOutcome.REFUSED, Reason.EXPIRED)
    assert not Movement.objects.exists()
    logged = Verification.objects.get()
    assert logged.result == Reason.EXPIRED and logged.device_time == before
    assert logged.checked_at > before + timedelta(seconds=1)
