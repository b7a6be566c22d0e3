"""The public registration's prepared INSERT (``fastinsert``) writes what ``Model.save()`` writes,
and the public form's lazily copied fields and lean ``_clean_fields`` clean what Django's do.

Run on SQLite and on PostgreSQL (``DATABASE_URL``): the statement differs (``RETURNING`` or the
cursor's last row id), the row must not."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django import forms
from django.db import connection, transaction
from django.db.models.signals import post_save, pre_save
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from xuanchuan.arrivals import services
from xuanchuan.arrivals.forms import ArrivalForm
from xuanchuan.arrivals.models import Registration, Source
from xuanchuan.arrivals.tests.conftest import resident_id
from xuanchuan.core.perf import fastinsert
from xuanchuan.core.perf.forms import LazilyCopiedFields
from xuanchuan.core.pii import crypto
from xuanchuan.core.pii.fields import EncryptedFieldMixin

# Columns that legitimately differ between two rows written a moment apart from the same data.
DIFFERING = {"id", "receipt_code", "dedupe_key", "created_at", "updated_at", "classified_at", "consent_at"}


def person_data(**changes: Any) -> dict[str, Any]:
    return {
        "name": "钱七", "document_type": "resident_id", "id_number": resident_id("11010119850512345"),
        "phone": "13912345678", "origin_code": "420102", "via_codes": "110101,310101", "travel_notes": "途经北京",
        "transport": "train", "trip_number": "G1234", "arrival_date": timezone.localdate() - timedelta(days=2),
        "address": "幸福小区3栋2单元", "health_status": "symptoms", "symptoms": "咳嗽", **changes,
    }  # fmt: skip


def new_registration(community: Any, key: str, **changes: Any) -> Registration:
    """An unsaved registration, as ``register_arrival`` builds it."""
    data = person_data(**changes)
    registration = Registration(
        **{name: data[name] for name in services.PERSON_FIELDS},
        unit=community,
        source=Source.SELF,
        receipt_code=f"receipt-{key}",
        dedupe_key=key,
        consent_at=timezone.now(),
    )
    services.apply_classification(registration, [])
    return registration


def raw_row(pk: int) -> dict[str, Any]:
    table = connection.ops.quote_name(Registration._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table} WHERE id = %s", [pk])  # noqa: S608 -- the model's own table
        names = [column[0] for column in cursor.description]
        return dict(zip(names, cursor.fetchone(), strict=True))


class Signals:
    """The pre_save and post_save arguments sent for ``Registration``."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, dict[str, Any]]] = []

    def __enter__(self) -> Signals:
        pre_save.connect(self.pre, sender=Registration, dispatch_uid="test-fast-insert-pre")
        post_save.connect(self.post, sender=Registration, dispatch_uid="test-fast-insert-post")
        return self

    def __exit__(self, *exc: object) -> None:
        pre_save.disconnect(sender=Registration, dispatch_uid="test-fast-insert-pre")
        post_save.disconnect(sender=Registration, dispatch_uid="test-fast-insert-post")

    def pre(self, sender: Any, instance: Registration, **kwargs: Any) -> None:
        assert instance.pk is None and instance._state.adding
        self.sent.append(("pre_save", {key: value for key, value in kwargs.items() if key != "signal"}))

    def post(self, sender: Any, instance: Registration, **kwargs: Any) -> None:
        assert instance.pk is not None and not instance._state.adding
        assert Registration.objects.filter(pk=instance.pk).exists()
        self.sent.append(("post_save", {key: value for key, value in kwargs.items() if key != "signal"}))


@pytest.mark.django_db
def test_the_row_is_the_row_the_orm_writes(district) -> None:
    assert fastinsert.supports(Registration)
    community = district.east_community
    with Signals() as by_orm:
        orm = new_registration(community, "orm")
        orm.save(force_insert=True)
    with Signals() as fast, CaptureQueriesContext(connection) as queries:
        prepared = new_registration(community, "fast")
        fastinsert.insert(prepared)
    inserts = [query["sql"] for query in queries if query["sql"].startswith("INSERT INTO")]
    assert len(inserts) == 2  # the registration, and auditlog's entry (a test without disable_auditlog)
    assert sum('"arrivals_registration"' in sql for sql in inserts) == 1
    assert fast.sent == by_orm.sent  # the same signals with the same arguments
    assert [name for name, _ in fast.sent] == ["pre_save", "post_save"]
    assert prepared.pk and prepared.pk != orm.pk and prepared._state.db == "default" and not prepared._state.adding

    expected, written = raw_row(orm.pk), raw_row(prepared.pk)
    assert set(written) == {field.column for field in Registration._meta.concrete_fields}
    encrypted = {
        field.column: field for field in Registration._meta.concrete_fields if isinstance(field, EncryptedFieldMixin)
    }
    for column, value in expected.items():
        if column in DIFFERING:
            assert (value is None) == (written[column] is None), column
            assert type(value) is type(written[column]), column
        elif column in encrypted and value:
            # Every encryption is randomised: the same header (format, suite, key), the same plaintext.
            assert written[column].rsplit(crypto.SEPARATOR, 1)[0] == value.rsplit(crypto.SEPARATOR, 1)[0], column
            label = encrypted[column].crypto_label
            assert crypto.decrypt(written[column], label) == crypto.decrypt(value, label), column
        else:
            assert written[column] == value, column
    assert written["id_number_index"] and written["phone_index"] and written["symptoms"]  # filled, not left empty

    # Read back through the ORM: every field's value the same, and the instance as save() left it.
    fields = [field.attname for field in Registration._meta.concrete_fields if field.column not in DIFFERING]
    assert [getattr(Registration.objects.get(pk=prepared.pk), name) for name in fields] == [
        getattr(Registration.objects.get(pk=orm.pk), name) for name in fields
    ]
    assert [getattr(prepared, name) for name in fields] == [getattr(orm, name) for name in fields]
    assert prepared.updated_at and prepared.created_at


@pytest.mark.django_db
def test_empty_and_null_values_are_written_as_the_orm_writes_them(district) -> None:
    changes = {"via_codes": "", "travel_notes": "", "trip_number": "", "symptoms": "", "health_status": "healthy"}
    orm = new_registration(district.east_community, "orm", **changes)
    orm.consent_at = None
    orm.save(force_insert=True)
    prepared = new_registration(district.east_community, "fast", **changes)
    prepared.consent_at = None
    fastinsert.insert(prepared)
    expected, written = raw_row(orm.pk), raw_row(prepared.pk)
    for column in (
        "via_codes",
        "travel_notes",
        "trip_number",
        "symptoms",
        "consent_at",
        "completed_on",
        "merged_into_id",
    ):
        assert written[column] == expected[column], column


@pytest.mark.django_db(transaction=True)
def test_a_duplicate_in_autocommit_returns_the_existing_record(district) -> None:
    assert not connection.in_atomic_block
    data = person_data()
    first = services.register_arrival(data, community=district.east_community)
    again = services.register_arrival(data, community=district.east_community)
    assert first.created and not again.created
    assert again.registration.pk == first.registration.pk and Registration.objects.count() == 1
    assert again.registration.receipt_code == first.registration.receipt_code


@pytest.mark.django_db
def test_a_duplicate_inside_a_transaction_keeps_it_usable(district) -> None:
    data = person_data()
    with transaction.atomic():
        first = services.register_arrival(data, community=district.east_community)
        again = services.register_arrival(data, community=district.east_community)
        assert Registration.objects.count() == 1  # usable after the refused insert
    assert first.created and not again.created and again.registration.pk == first.registration.pk


@pytest.mark.django_db
def test_another_integrity_error_is_raised(district) -> None:
    from django.db import IntegrityError

    first = new_registration(district.east_community, "one")
    fastinsert.insert(first)
    clash = new_registration(district.east_community, "two")
    clash.receipt_code = first.receipt_code
    with pytest.raises(IntegrityError), transaction.atomic():
        fastinsert.insert(clash)
    assert clash.pk is None and clash._state.adding


# --- the public form ----------------------------------------------------------------------------


class DjangosOwnCleaning(ArrivalForm):
    """The public form, cleaned field by field as Django's ``BaseForm`` does (bound fields)."""

    _clean_fields = forms.BaseForm._clean_fields


@pytest.mark.django_db
@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"id_number": "110101199003071230", "phone": "1234", "arrival_date": "2020-13-01"},
        {"name": "", "transport": "boat", "community": "999999", "origin_county": "", "health_status": "symptoms"},
        {"origin_city": "310100", "via1_province": "110000", "consent": ""},
    ],
)
def test_the_form_cleans_as_djangos_own_cleaning(form_data, changes) -> None:
    data = {**form_data, **changes}
    ours, django = ArrivalForm(data), DjangosOwnCleaning(data)
    assert ours.is_valid() == django.is_valid() == (not changes)
    assert ours.errors == django.errors
    assert ours.cleaned_data == django.cleaned_data


def test_a_forms_fields_are_its_own() -> None:
    one, other = ArrivalForm(), ArrivalForm()
    assert isinstance(one.fields, LazilyCopiedFields) and list(one.fields) == list(ArrivalForm.base_fields)
    one.fields["name"].widget.attrs["class"] = "changed"
    one.fields["name"].required = False
    for form_fields in (other.fields, ArrivalForm.base_fields):
        assert "class" not in form_fields["name"].widget.attrs and form_fields["name"].required
    assert one.fields["name"] is one.fields["name"]  # copied once, then kept
    assert all(field is not ArrivalForm.base_fields[name] for name, field in other.fields.items())
    del one.fields["symptoms"]
    one.fields["extra"] = forms.CharField()
    assert "symptoms" not in one.fields and "extra" in one.fields and "symptoms" in other.fields
    assert len(one.fields) == len(ArrivalForm.base_fields)
