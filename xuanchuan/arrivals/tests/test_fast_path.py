"""The public registration's fast path keeps every rule: the per-process copies of the risk areas
and the communities follow every change, division codes are checked against the table, the
form works without the browser's script, duplicates are still found, and the audit trail
follows staff changes (not a person's own registration)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from xuanchuan.arrivals import services
from xuanchuan.arrivals.forms import COMMUNITIES
from xuanchuan.arrivals.models import Registration, RiskArea, RiskLevel, Source
from xuanchuan.arrivals.tests.conftest import resident_id
from xuanchuan.arrivals.tests.test_public import errors_of
from xuanchuan.core.memo import VersionedMemo
from xuanchuan.org.models import UnitType
from xuanchuan.org.services import create_unit

REGISTER = "arrivals:register"


def person(data: dict, number: int) -> dict:
    return {**data, "id_number": resident_id(f"110101199003071{number:02d}"), "phone": f"139000011{number:02d}"}


@pytest.fixture
def fresh_copies():
    """No copy left over from another test (the test database is re-created, the process is not)."""
    COMMUNITIES.forget()
    services.RISK_AREAS.forget()
    yield
    COMMUNITIES.forget()
    services.RISK_AREAS.forget()


# --- the per-process copies ------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_risk_area_saved_classifies_the_very_next_registration(client, form_data, alice, fresh_copies) -> None:
    assert client.post(reverse(REGISTER), person(form_data, 1)).status_code == 302
    assert Registration.objects.get().risk_level == RiskLevel.NONE
    with CaptureQueriesContext(connection) as warm:  # the copies are kept now: no query to read them
        assert client.post(reverse(REGISTER), person(form_data, 2)).status_code == 302
    assert not [query for query in warm.captured_queries if "arrivals_riskarea" in query["sql"]]

    area = RiskArea(division_code="420100", level=RiskLevel.HIGH, starts_on=timezone.localdate() - timedelta(days=20))
    services.save_risk_area(area, by=alice)
    client.post(reverse(REGISTER), person(form_data, 3))
    assert Registration.objects.order_by("-pk").first().risk_level == RiskLevel.HIGH

    area.level = RiskLevel.LOW
    services.save_risk_area(area, by=alice)
    client.post(reverse(REGISTER), person(form_data, 4))
    assert Registration.objects.order_by("-pk").first().risk_level == RiskLevel.LOW

    services.delete_risk_area(area, by=alice)
    client.post(reverse(REGISTER), person(form_data, 5))
    assert Registration.objects.order_by("-pk").first().risk_level == RiskLevel.NONE
    # Saving re-classified the ones already registered, as before.
    assert Registration.objects.filter(risk_level=RiskLevel.NONE).count() == 5


@pytest.mark.django_db(transaction=True)
def test_a_warm_submission_is_one_insert(client, form_data, fresh_copies) -> None:
    client.post(reverse(REGISTER), person(form_data, 1))
    with CaptureQueriesContext(connection) as captured:
        assert client.post(reverse(REGISTER), person(form_data, 2)).status_code == 302
    assert [query["sql"].split()[0] for query in captured.captured_queries] == ["INSERT"]


@pytest.mark.django_db(transaction=True)
def test_a_new_or_dissolved_community_is_seen_at_once(client, form_data, district, fresh_copies) -> None:
    client.post(reverse(REGISTER), person(form_data, 1))  # the copy is kept
    new = create_unit(parent=district.west, name="新建社区", unit_type=UnitType.COMMUNITY, code="T-S02-C09")
    assert "和平社区" in client.get(reverse(REGISTER)).content.decode()
    assert "新建社区" in client.get(reverse(REGISTER)).content.decode()
    assert client.post(reverse(REGISTER), {**person(form_data, 2), "community": str(new.pk)}).status_code == 302

    new.dissolved_on = timezone.localdate()
    new.save()
    response = client.post(reverse(REGISTER), {**person(form_data, 3), "community": str(new.pk)})
    assert errors_of(response)["community"] == ["请从列表中选择社区（村）"]
    assert "新建社区" not in client.get(reverse(REGISTER)).content.decode()


@pytest.mark.django_db
def test_a_street_is_not_a_community(client, form_data, district) -> None:
    response = client.post(reverse(REGISTER), {**form_data, "community": str(district.east.pk)})
    assert errors_of(response)["community"] == ["请从列表中选择社区（村）"]
    response = client.post(reverse(REGISTER), {**form_data, "community": "abc"})
    assert errors_of(response)["community"] == ["请从列表中选择社区（村）"]


@pytest.mark.django_db(transaction=True)
def test_a_copy_read_inside_a_transaction_is_not_kept() -> None:
    loads = []
    memo: VersionedMemo[int] = VersionedMemo("test.inside", lambda: loads.append(1) or len(loads))
    with transaction.atomic():
        assert memo.get() == 1
        assert memo.get() == 2  # the transaction might roll back: read again
    assert memo.get() == 3
    assert memo.get() == 3  # outside, kept


@pytest.mark.django_db(transaction=True)
def test_a_bump_or_a_lost_version_or_age_reloads(monkeypatch) -> None:
    from django.core.cache import cache

    loads = []
    memo: VersionedMemo[int] = VersionedMemo("test.versions", lambda: loads.append(1) or len(loads), max_age=60)
    assert memo.get() == memo.get() == 1
    memo.bump()
    assert memo.get() == 2
    cache.delete(memo.key)  # the cache was emptied (a Redis restart): a new version, a fresh copy
    assert memo.get() == memo.get() == 3
    monkeypatch.setattr(memo, "max_age", 0)
    assert memo.get() == 4


# --- division codes --------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"origin_county": "429999"}, "origin_county", "行政区划代码“429999”不存在，请从列表中选择"),
        ({"origin_province": "990000"}, "origin_province", "行政区划代码“990000”不存在，请从列表中选择"),
        ({"origin_city": "420102"}, "origin_city", "请从列表中选择"),  # a county in the city select
        ({"origin_city": "110100", "origin_county": "110105"}, "origin_city", "所选市不在上一级之内"),
        ({"origin_province": "", "origin_city": "", "origin_county": ""}, "origin_province", "请选择出发地所在省份"),
        ({"via1_city": "420100"}, "via1_province", "请选择途经地所在省份"),
        ({"via1_province": "420000"}, "via1_city", "请选择途经地所在市"),
    ],
)
def test_division_codes_are_checked_against_the_table(client, form_data, changes, field, message) -> None:
    response = client.post(reverse(REGISTER), {**form_data, **changes})
    assert response.status_code == 400
    assert any(message in error for error in errors_of(response)[field]), errors_of(response)
    assert not Registration.objects.exists()


@pytest.mark.django_db
def test_places_passed_through_are_recorded(client, form_data) -> None:
    data = {**form_data, "via1_province": "110000", "via1_city": "110100", "via1_county": "110105"}
    data.update({"via2_province": "440000", "via2_city": "441900"})
    assert client.post(reverse(REGISTER), data).status_code == 302
    assert Registration.objects.get().via_codes == "110105,441900"


@pytest.mark.django_db
def test_without_the_script_the_page_lists_the_next_level(client, form_data) -> None:
    """A browser without JavaScript: choose the province, send, get the cities listed, and so on."""
    blank = client.get(reverse(REGISTER)).content.decode()
    assert '<option value="420000">湖北省</option>' in blank
    assert "武汉市" not in blank  # only the provinces are sent with the page
    step = {**form_data, "origin_city": "", "origin_county": ""}
    page = client.post(reverse(REGISTER), step).content.decode()
    assert '<option value="420000" selected>湖北省</option>' in page
    assert '<option value="420100">武汉市</option>' in page
    assert "请选择出发地所在市" in page
    page = client.post(reverse(REGISTER), {**step, "origin_city": "420100"}).content.decode()
    assert '<option value="420102">江岸区</option>' in page
    assert "请选择出发地所在区县" in page
    assert client.post(reverse(REGISTER), form_data).status_code == 302


# --- duplicates and the audit trail -------------------------------------------------------------


@pytest.mark.django_db
def test_a_resubmission_inside_a_transaction_leaves_it_usable(form_data, district) -> None:
    data = {
        "name": "赵六", "document_type": "resident_id", "id_number": resident_id(), "phone": "13812345678",
        "origin_code": "420102", "via_codes": "", "travel_notes": "", "transport": "car", "trip_number": "",
        "arrival_date": timezone.localdate() - timedelta(days=1), "address": "幸福小区", "health_status": "healthy",
        "symptoms": "",
    }  # fmt: skip
    with transaction.atomic():
        first = services.register_arrival(data, community=district.east_community)
        again = services.register_arrival(data, community=district.east_community)
        assert Registration.objects.count() == 1  # the failed insert was rolled back to its savepoint
    assert first.created and not again.created
    assert again.registration.pk == first.registration.pk


@pytest.mark.django_db
def test_a_persons_own_registration_is_not_audited_but_staff_changes_are(client, form_data, district, alice) -> None:
    client.post(reverse(REGISTER), form_data)
    registration = Registration.objects.get()
    assert registration.source == Source.SELF and registration.created_at and registration.consent_at
    assert not LogEntry.objects.get_for_object(registration).exists()

    # The person's correction, through the receipt, is.
    edit = reverse("arrivals:receipt_edit", args=[registration.receipt_code])
    assert client.post(edit, {**form_data, "address": "幸福小区5栋"}).status_code == 302
    assert list(LogEntry.objects.get_for_object(registration).values_list("action", flat=True)) == [
        LogEntry.Action.UPDATE
    ]

    # A staff member's entry is audited from its creation, with who made it.
    data = {**form_data, "id_number": resident_id("11010119900307145"), "origin_code": "420102", "via_codes": ""}
    data["arrival_date"] = timezone.localdate()
    staff = services.register_arrival(data, community=district.east_community, source=Source.STAFF, by=alice)
    assert list(LogEntry.objects.get_for_object(staff.registration).values_list("action", flat=True)) == [
        LogEntry.Action.CREATE
    ]
