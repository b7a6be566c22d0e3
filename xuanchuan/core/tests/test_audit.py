"""The audit trail follows records with personal data without ever holding that data."""

from __future__ import annotations

import pytest
from auditlog.context import set_actor
from auditlog.models import LogEntry
from auditlog.registry import auditlog

from xuanchuan.core.audit import HIDDEN, hide_personal_data, register_for_audit
from xuanchuan.core.tests.piimodels import Resident

pytestmark = pytest.mark.django_db

SECRETS = ("张三丰", "11010519491231002X", "13812345678", "13900001111", "发热", "v1$")


def entries_for(resident: Resident) -> list[LogEntry]:
    return list(LogEntry.objects.get_for_object(resident).order_by("pk"))


def assert_no_personal_data(entry: LogEntry) -> None:
    text = " ".join([entry.changes_text or "", str(entry.changes), entry.object_repr, str(entry.serialized_data)])
    leaked = [secret for secret in SECRETS if secret in text]
    assert not leaked, f"{entry.get_action_display()} leaks {leaked}: {text}"


def test_create_change_and_delete_are_logged_with_who_and_what_but_no_personal_data(alice, district) -> None:
    with set_actor(alice):
        resident = Resident.objects.create(
            name="张三丰",
            id_number="11010519491231002X",
            phone="13812345678",
            health_note="无发热",
            unit=district.east,
        )
        resident.phone = "13900001111"
        resident.visit_date = None
        resident.save()
        resident.unit = district.east_community
        resident.save(update_fields=["unit"])
        pk = resident.pk
        resident.delete()
    entries = list(LogEntry.objects.filter(object_pk=str(pk), content_type__app_label="piitest").order_by("pk"))
    assert [entry.action for entry in entries] == [
        LogEntry.Action.CREATE,
        LogEntry.Action.UPDATE,
        LogEntry.Action.UPDATE,
        LogEntry.Action.DELETE,
    ]
    assert {entry.actor for entry in entries} == {alice}
    for entry in entries:
        assert_no_personal_data(entry)
        assert not {"phone_index", "id_number_index", "updated_at"} & set(entry.changes_dict)
    created, changed, moved, deleted = entries
    assert created.changes_dict["name"] == ["None", HIDDEN]
    assert created.changes_dict["id_number"] == ["None", HIDDEN]
    assert changed.changes_dict == {"phone": [HIDDEN, HIDDEN]}
    assert moved.changes_dict == {"unit": [str(district.east.pk), str(district.east_community.pk)]}
    assert deleted.changes_dict["health_note"] == [HIDDEN, "None"]
    assert created.object_repr == f"测试居民 #{pk}"


def test_emptying_a_field_shows_that_it_was_emptied(resident) -> None:
    resident.health_note = ""
    resident.save()
    assert entries_for(resident)[-1].changes_dict == {"health_note": [HIDDEN, ""]}


def test_unchanged_personal_data_is_not_logged_as_changed(resident) -> None:
    again = Resident.objects.get(pk=resident.pk)
    again.save()  # new ciphertexts, same plaintext: nothing changed
    assert [entry.action for entry in entries_for(resident)] == [LogEntry.Action.CREATE]


def test_registration_masks_encrypted_fields_and_excludes_indexes() -> None:
    options = auditlog.get_model_fields(Resident)
    assert set(options["mask_fields"]) == {"name", "id_number", "phone", "health_note"}
    assert {"id_number_index", "phone_index", "updated_at"} <= set(options["exclude_fields"])
    assert options["mask_callable"] == "xuanchuan.core.audit.hide_personal_data"
    register_for_audit(Resident, exclude=("visit_date",))
    try:
        assert "visit_date" in auditlog.get_model_fields(Resident)["exclude_fields"]
    finally:
        register_for_audit(Resident)


def test_mask_callable() -> None:
    assert hide_personal_data("13812345678") == HIDDEN
    assert hide_personal_data("") == "" and hide_personal_data("None") == "None"


def test_a_harmless_object_repr_is_kept(district) -> None:
    resident = Resident.objects.create(name="王五", unit=district.east)
    resident.name = ""
    resident.save()
    # The name no longer appears in str(resident), so the description stays as it is.
    assert entries_for(resident)[-1].object_repr == f"（{district.east.pk}）"
