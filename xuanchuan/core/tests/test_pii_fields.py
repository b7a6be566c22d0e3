"""Encrypted model fields, blind indexes, look-ups, migrations and re-indexing."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import FieldError, ValidationError
from django.core.management import call_command
from django.db import connection, models
from django.db.migrations.writer import MigrationWriter
from django.test.utils import isolate_apps

from xuanchuan.core.pii import (
    BlindIndexField,
    EncryptedCharField,
    EncryptedTextField,
    crypto,
    lookup,
    lookup_q,
)
from xuanchuan.core.pii.fields import encrypted_model, encrypted_models, set_blind_indexes
from xuanchuan.core.tests.conftest import OTHER_KEY, valid_id
from xuanchuan.core.tests.piimodels import Resident

pytestmark = pytest.mark.django_db


def raw_row(resident: Resident) -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, id_number, id_number_index, phone, phone_index, health_note "
            "FROM piitest_resident WHERE id = %s",
            [resident.pk],
        )
        columns = [column[0] for column in cursor.description]
        return dict(zip(columns, cursor.fetchone(), strict=True))


def test_database_holds_only_ciphertext(resident: Resident) -> None:
    row = raw_row(resident)
    for column in ("name", "id_number", "phone", "health_note"):
        assert row[column].startswith("v1$aes-gcm$"), column
    stored = " ".join(row.values())
    for secret in ("张三丰", "11010519491231002X", "13812345678", "发热"):
        assert secret not in stored
    assert len(row["id_number_index"]) == 64 and len(row["phone_index"]) == 64


def test_values_read_back_as_plaintext(resident: Resident) -> None:
    again = Resident.objects.get(pk=resident.pk)
    assert (again.name, again.id_number, again.phone, again.health_note) == (
        "张三丰",
        "11010519491231002X",
        "13812345678",
        "无发热，无咳嗽",
    )
    assert list(Resident.objects.values_list("phone", flat=True)) == ["13812345678"]


def test_empty_values_stay_empty_and_need_no_key(district) -> None:
    resident = Resident.objects.create(name="李四", unit=district.east)
    row = raw_row(resident)
    assert row["phone"] == "" and row["phone_index"] == "" and row["id_number"] == ""
    assert Resident.objects.filter(phone="").count() == 1
    assert Resident.objects.filter(phone__isnull=True).count() == 0


def test_max_length_limits_the_plaintext(district) -> None:
    resident = Resident(name="王" * 50, unit=district.east, id_number=valid_id("11010519491231002"))
    resident.full_clean()
    resident.save()
    assert len(raw_row(resident)["name"]) > 50
    resident.name = "王" * 51
    with pytest.raises(ValidationError) as caught:
        resident.full_clean()
    assert "name" in caught.value.message_dict


def test_field_validators_run_on_plaintext(district) -> None:
    resident = Resident(name="王五", unit=district.east, id_number="110105194912310021")
    with pytest.raises(ValidationError) as caught:
        resident.full_clean()
    assert "校验位" in caught.value.message_dict["id_number"][0]


def test_id_number_is_normalised_on_clean(district) -> None:
    resident = Resident(name="王五", unit=district.east, id_number=" 11010519491231002x")
    resident.full_clean()
    assert resident.id_number == "11010519491231002X"


@pytest.mark.parametrize(
    "condition",
    [
        {"phone": "13812345678"},
        {"phone__icontains": "1381"},
        {"name__startswith": "张"},
        {"phone__in": ["13812345678"]},
        {"phone__gt": "1"},
        {"name__lower": "张三丰"},
    ],
)
def test_content_lookups_are_refused_with_a_pointer_to_the_blind_index(resident: Resident, condition) -> None:
    with pytest.raises(FieldError, match="BlindIndexField"):
        list(Resident.objects.filter(**condition))


def test_lookup_finds_by_normalised_value(resident: Resident, district) -> None:
    Resident.objects.create(name="李四", phone="13900001111", unit=district.east)
    found = Resident.objects.filter(**lookup(Resident, "phone", "+86 138 1234 5678"))
    assert list(found) == [resident]
    by_id = Resident.objects.filter(lookup_q(Resident, "id_number", "11010519491231002x"))
    assert list(by_id) == [resident]
    assert not Resident.objects.filter(**lookup(Resident, "phone", "13800000000")).exists()


def test_lookup_needs_an_index_and_a_value(resident: Resident) -> None:
    with pytest.raises(LookupError, match="BlindIndexField"):
        lookup(Resident, "name", "张三丰")
    with pytest.raises(ValueError, match="不能为空"):
        lookup(Resident, "phone", "  ")


def test_index_follows_changes_including_update_fields(resident: Resident) -> None:
    resident.phone = "13900001111"
    resident.save()
    assert Resident.objects.filter(**lookup(Resident, "phone", "13900001111")).exists()
    resident.phone = "13700002222"
    resident.save(update_fields=["phone"])
    assert Resident.objects.filter(**lookup(Resident, "phone", "13700002222")).get() == resident
    assert not Resident.objects.filter(**lookup(Resident, "phone", "13900001111")).exists()
    resident.phone = ""
    resident.save()
    assert raw_row(resident)["phone_index"] == ""


def test_bulk_create_and_bulk_update_keep_indexes(district) -> None:
    created = Resident.objects.bulk_create(
        [Resident(name=f"居民{number}", phone=f"1380000000{number}", unit=district.east) for number in range(3)]
    )
    assert Resident.objects.filter(**lookup(Resident, "phone", "13800000001")).count() == 1
    for resident in created:
        resident.phone = resident.phone.replace("138", "139")
    names = set_blind_indexes(created)
    Resident.objects.bulk_update(created, ["phone", *names])
    assert Resident.objects.filter(**lookup(Resident, "phone", "13900000002")).count() == 1
    assert crypto.decrypt(raw_row(created[2])["phone"], "piitest.resident.phone") == "13900000002"


def test_copied_ciphertext_does_not_decrypt_in_another_field(resident: Resident) -> None:
    with connection.cursor() as cursor:
        cursor.execute("UPDATE piitest_resident SET name = phone WHERE id = %s", [resident.pk])
    with pytest.raises(crypto.DecryptionError, match="piitest.resident.name"):
        Resident.objects.get(pk=resident.pk)


def test_deconstruct_and_migration_serialisation() -> None:
    field = Resident._meta.get_field("id_number")
    name, path, args, kwargs = field.deconstruct()
    assert path == "xuanchuan.core.pii.fields.EncryptedCharField"
    assert kwargs["kind"] == "id_number" and kwargs["max_length"] == 18
    rebuilt = EncryptedCharField(*args, **kwargs)
    assert rebuilt.kind == "id_number" and rebuilt.max_length == 18
    index = Resident._meta.get_field("id_number_index")
    _name, index_path, index_args, index_kwargs = index.deconstruct()
    assert index_path == "xuanchuan.core.pii.fields.BlindIndexField"
    assert index_kwargs["source"] == "id_number" and "editable" not in index_kwargs
    assert BlindIndexField(*index_args, **index_kwargs).db_index
    text, imports = MigrationWriter.serialize(field)
    assert "EncryptedCharField" in text and "kind='id_number'" in text
    labelled = EncryptedTextField(kind="travel", crypto_label="old.model.field")
    assert labelled.deconstruct()[3]["crypto_label"] == "old.model.field"
    assert Resident._meta.get_field("name").get_internal_type() == "TextField"
    assert Resident._meta.get_field("name").db_type(connection) == connection.data_types["TextField"]


@isolate_apps("xuanchuan.core")
def test_misconfigured_fields_fail_the_system_checks() -> None:
    class Broken(models.Model):
        """A model that makes every mistake the checks look for."""

        secret = EncryptedCharField(max_length=10, unique=True)
        plain = models.CharField(max_length=10)
        plain_index = BlindIndexField(source="plain")

        class Meta:
            app_label = "core"

        def __str__(self) -> str:
            return self.plain

    ids = {error.id for field in Broken._meta.local_fields for error in field.check()}
    assert {"core.E101", "core.E102"} <= ids
    assert Broken not in encrypted_models()  # models of other registries (migrations) stay out


def test_unknown_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="kind"):
        EncryptedCharField(max_length=10, kind="address")


def test_registry_knows_the_models_with_encrypted_fields() -> None:
    assert encrypted_model("piitest", "resident") is Resident
    assert Resident in encrypted_models()
    assert encrypted_model("org", "unit") is None


def test_reindex_reencrypts_with_the_new_first_key(resident: Resident, settings) -> None:
    old_row = raw_row(resident)
    settings.XUANCHUAN_DATA_KEY = f"{OTHER_KEY},{settings.XUANCHUAN_DATA_KEY}"
    # Before re-indexing, the blind index still has the old key's value: look-ups miss.
    assert not Resident.objects.filter(**lookup(Resident, "phone", "13812345678")).exists()
    out = io.StringIO()
    call_command("reindex_personal_data", "--batch-size", "1", stdout=out)
    assert "piitest.Resident" in out.getvalue()
    new_row = raw_row(resident)
    new_key_id = crypto.get_keyring().current.key_id
    assert all(crypto.key_id_of(new_row[column]) == new_key_id for column in ("name", "id_number", "phone"))
    assert new_row["phone_index"] != old_row["phone_index"]
    assert Resident.objects.filter(**lookup(Resident, "phone", "13812345678")).get() == resident
    settings.XUANCHUAN_DATA_KEY = OTHER_KEY  # the old key can now go
    assert Resident.objects.get(pk=resident.pk).name == "张三丰"
