"""The security review's arrivals items (M1, M5, L1, L2, L12), each as the proof the review gave.

M1: a repeated public submission never hands out the existing receipt: with the same phone it
answers "already registered" (recovery by a text to that phone or the receipt code); with another
phone it is a new registration of its own, answered as a first one, that staff see as a possible
duplicate — so the answer never tells whether that ID arrived that day. L12: a registrant's
correction that would end an active follow-up waits for staff. M5: ending, merging, checking in
and the grid need the roles that own follow-up; a merge needs the same person. L1: key rotation
recomputes ``dedupe_key`` and ``day_key``. L2: no ID number or phone in clear in the export log
or the audit trail.
"""

from __future__ import annotations

import io
import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from auditlog.models import LogEntry
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from xuanchuan.arrivals import services
from xuanchuan.arrivals.models import ExportLog, FollowUpStatus, Registration, RiskArea, RiskLevel
from xuanchuan.arrivals.tests.conftest import resident_id
from xuanchuan.arrivals.tests.scoping import make_registration
from xuanchuan.conftest import make_person
from xuanchuan.core.tests.conftest import OTHER_KEY
from xuanchuan.org.models import RoleCode

pytestmark = pytest.mark.django_db
REGISTER = "arrivals:register"


def today():
    return timezone.localdate()


def declare_high_risk(by, code: str = "420100") -> RiskArea:
    area = RiskArea(division_code=code, level=RiskLevel.HIGH, starts_on=today() - timedelta(days=30))
    return services.save_risk_area(area, by=by)[0]


# --- M1: receipt codes --------------------------------------------------------------------------


class Structure(HTMLParser):
    """The tags of a page with the names of their attributes: what stays when the text and the
    values (a person's data, a receipt code, a token) are taken out."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, tuple[str, ...]]] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, tuple(sorted(name for name, _value in attrs))))

    def handle_endtag(self, tag: str) -> None:
        self.tags.append((f"/{tag}", ()))


def test_m1_another_phone_gets_a_receipt_of_its_own_and_nothing_of_the_first(client, form_data) -> None:
    """The review's proof, after the fix: the same document number and date with another phone is
    a new registration of its own (a possible duplicate for staff), answered exactly as a first
    registration is, and nothing of the first record reaches the submitter."""
    first_time = client.post(reverse(REGISTER), form_data)
    first = Registration.objects.get()
    first_receipt = client.get(first_time["Location"]).content.decode()
    stranger = Client()
    typed = {**form_data, "name": "冒名者", "phone": "13900001111", "address": "别处小区1栋"}
    answer = stranger.post(reverse(REGISTER), typed)
    assert answer.status_code == first_time.status_code == 302
    second = Registration.objects.exclude(pk=first.pk).get()
    assert answer["Location"] == reverse("arrivals:receipt", args=[second.receipt_code])
    page = stranger.get(answer["Location"]).content.decode()
    secrets = (first.receipt_code, "张三", first.masked_name, "幸福小区3栋2单元", "13812345678", first.masked_phone)
    for secret in secrets:
        assert secret not in page, secret
    assert second.receipt_code in page and "139****1111" in page and second.masked_name in page
    assert "已有登记" not in page
    assert Structure(page).tags == Structure(first_receipt).tags
    assert second.possible_duplicate and not first.possible_duplicate


def test_m1_the_same_phone_answers_already_registered_and_never_the_receipt(client, form_data) -> None:
    client.post(reverse(REGISTER), form_data)
    first = Registration.objects.get()
    stranger = Client()
    answer = stranger.post(reverse(REGISTER), {**form_data, "name": "冒名者"})
    assert answer.status_code == 200
    page = answer.content.decode()
    assert "已有登记" in page and 'id="resend-form"' in page and 'id="code-form"' in page
    assert first.receipt_code not in page
    assert Registration.objects.count() == 1
    edit = stranger.get(reverse("arrivals:receipt_edit", args=["x" + first.receipt_code[1:]]))
    assert edit.status_code == 404


def neutral_text(response) -> str:
    """The page without what differs from one rendering to the next (tokens, time stamps)."""
    text = response.content.decode()
    return re.sub(r'value="[^"]*"', 'value=""', text)


def test_m1_resend_sends_the_receipt_to_the_registered_phone_only(client, form_data, settings) -> None:
    from xuanchuan.arrivals.tests.sms import RecordingGateway

    settings.ARRIVALS_SMS_BACKEND = "xuanchuan.arrivals.tests.sms.RecordingGateway"
    RecordingGateway.sent.clear()
    client.post(reverse(REGISTER), form_data)
    first = Registration.objects.get()
    stranger = Client()
    page = stranger.post(reverse(REGISTER), {**form_data, "name": "冒名者"})
    token = re.search(r'name="token" value="([^"]+)"', page.content.decode()).group(1)
    answer = stranger.post(reverse("arrivals:receipt_resend"), {"token": token})
    assert answer.status_code == 200
    assert first.receipt_code not in answer.content.decode()
    assert [number for number, _text in RecordingGateway.sent] == [form_data["phone"]]
    assert first.receipt_code in RecordingGateway.sent[0][1]
    # Asked again at once: the same answer, no second message to the person's phone.
    again = stranger.post(reverse("arrivals:receipt_resend"), {"token": token})
    assert neutral_text(again) == neutral_text(answer)
    assert len(RecordingGateway.sent) == 1
    assert stranger.post(reverse("arrivals:receipt_resend"), {"token": "forged"}).status_code == 400


def test_m1_the_original_receipt_code_opens_the_record(client, form_data) -> None:
    client.post(reverse(REGISTER), form_data)
    code = Registration.objects.get().receipt_code
    found = Client().post(reverse("arrivals:receipt_lookup"), {"code": code})
    assert found.status_code == 302 and found["Location"] == reverse("arrivals:receipt", args=[code])
    wrong = Client().post(reverse("arrivals:receipt_lookup"), {"code": code[:-2] + "xx"})
    assert wrong.status_code == 400


def test_m1_duplicates_are_rate_limited(client, form_data, one_rate_window) -> None:
    client.post(reverse(REGISTER), form_data)
    stranger = Client()
    answers = [stranger.post(reverse(REGISTER), {**form_data, "name": f"冒名者{n}"}) for n in range(8)]
    assert answers[0].status_code == 200 and answers[-1].status_code == 429
    assert Registration.objects.count() == 1


# --- L12: corrections that would end a follow-up wait for staff --------------------------------


def test_l12_a_correction_ending_an_active_follow_up_waits_for_staff(client, form_data, alice, dora) -> None:
    declare_high_risk(alice)
    client.post(reverse(REGISTER), form_data)
    registration = Registration.objects.get()
    assert registration.follow_up_status == FollowUpStatus.ACTIVE
    edit = reverse("arrivals:receipt_edit", args=[registration.receipt_code])
    moved = {**form_data, "origin_province": "110000", "origin_city": "110100", "origin_county": "110105"}
    moved["address"] = "幸福小区8栋"
    assert client.post(edit, moved).status_code == 302
    registration.refresh_from_db()
    assert registration.follow_up_status == FollowUpStatus.ACTIVE
    assert registration.origin_code == "420102"
    assert registration.address == "幸福小区8栋"  # the other corrections apply at once
    correction = registration.corrections.get()
    assert correction.origin_code == "110105"
    services.decide_correction(correction, approve=True, by=dora)
    registration.refresh_from_db()
    assert registration.follow_up_status == FollowUpStatus.NOT_REQUIRED
    assert registration.origin_code == "110105"


# --- M5: who may end, merge, check in and enter ---------------------------------------------


@pytest.fixture
def active(district, alice):
    declare_high_risk(alice)
    return make_registration(district.east_community, id_number="E12345678")


@pytest.mark.parametrize("role_code", [RoleCode.CHECKPOINT_GUARD, RoleCode.NETWORK_ADMIN])
def test_m5_guards_and_network_admins_cannot_end_a_follow_up(client, district, active, role_code) -> None:
    other = make_registration(district.east_community, id_number="E87654321", phone="13911112222")
    user = make_person("kk_s01", district.east_community, role_code)
    client.force_login(user)
    merge = client.post(reverse("arrivals:registration_merge", args=[active.pk]), {"keep": other.pk})
    assert merge.status_code == 403
    data = {"day": today().isoformat(), "temperature": "36.5"}
    assert client.post(reverse("arrivals:registration_check_in", args=[active.pk]), data).status_code == 403
    assert client.post(reverse("arrivals:registration_complete", args=[active.pk])).status_code == 403
    assert client.get(reverse("arrivals:registration_grid")).status_code == 403
    active.refresh_from_db()
    assert active.follow_up_status == FollowUpStatus.ACTIVE
    assert not active.check_ins.exists()


def test_m5_the_follow_up_roles_need_the_second_factor() -> None:
    from xuanchuan.arrivals.permissions import FOLLOW_UP_ROLES
    from xuanchuan.org.models import Role

    assert FOLLOW_UP_ROLES
    assert all(Role.objects.get(code=code).can_view_personal_data for code in FOLLOW_UP_ROLES)


def test_m5_a_merge_needs_the_same_person(district, active, dora) -> None:
    unrelated = make_registration(district.east_community, id_number="E87654321")
    with pytest.raises(services.ServiceError, match="同一人"):
        services.merge_registrations(unrelated, active, by=dora)
    active.refresh_from_db()
    assert active.follow_up_status == FollowUpStatus.ACTIVE


# --- L1: key rotation and dedupe_key -----------------------------------------------------------


def test_l1_after_a_key_rotation_a_resubmission_still_finds_the_record(district, settings) -> None:
    data = {
        "name": "赵六", "document_type": "resident_id", "id_number": resident_id(), "phone": "13812345678",
        "origin_code": "420102", "via_codes": "", "travel_notes": "", "transport": "car", "trip_number": "",
        "arrival_date": today() - timedelta(days=1), "address": "幸福小区", "health_status": "healthy",
        "symptoms": "",
    }  # fmt: skip
    first = services.register_arrival(data, community=district.east_community).registration
    other_phone = services.register_arrival({**data, "phone": "13900001111"}, community=district.east_community)
    old_keys = (first.dedupe_key, first.day_key)
    settings.XUANCHUAN_DATA_KEY = f"{OTHER_KEY},{settings.XUANCHUAN_DATA_KEY}"
    call_command("reindex_personal_data", "--batch-size", "1", stdout=None)
    first.refresh_from_db()
    assert first.dedupe_key not in old_keys and first.day_key not in old_keys
    # The same phone again: still the one record; the second phone's record stays the possible duplicate.
    again = services.register_arrival(data, community=district.east_community)
    assert not again.created and again.registration == first
    assert Registration.objects.count() == 2
    assert Registration.objects.get(pk=other_phone.registration.pk).possible_duplicate
    third = services.register_arrival({**data, "phone": "13700002222"}, community=district.east_community)
    assert third.created and third.registration.possible_duplicate
    assert not services.register_arrival({**data, "phone": "13700002222"}, community=district.east_community).created


# --- L2: no personal data in clear in the export log or the audit trail ----------------------


def test_l2_the_export_log_and_audit_trail_hold_no_id_number_or_phone(verified_client, dora, active) -> None:
    client = verified_client(dora)
    number, phone = "E12345678", "13912345678"
    for query in (number, phone, "+86 139 1234 5678"):
        assert client.get(reverse("arrivals:registration_list"), {"export": "xlsx", "q": query}).status_code == 200
    logs = list(ExportLog.objects.values_list("query", flat=True))
    assert len(logs) == 3
    for text in logs:
        assert number not in text and "12345678" not in text and "1234 5678" not in text
        assert "q=" in text
    entries = " ".join(str(entry.changes) + entry.object_repr for entry in LogEntry.objects.all())
    assert number not in entries and phone not in entries and "12345678" not in entries


def test_m2_a_name_starting_with_equals_is_no_formula_in_the_masked_export(client, form_data, bob) -> None:
    """Security review M2: what the public typed stays text in the staff's export."""
    assert client.post(reverse(REGISTER), {**form_data, "name": "=cmd"}).status_code == 302
    client.force_login(bob)
    export = client.get(reverse("arrivals:registration_list"), {"export": "xlsx"})
    assert export.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(export.streaming_content) if export.streaming else export.content))
    names = [
        cell
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str) and cell.value.startswith("=")
    ]
    assert names and all(cell.data_type == "s" for cell in names)
