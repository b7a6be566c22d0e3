"""The phone joins the dedupe key (security review M1).

Until now ``dedupe_key`` was a keyed hash of the document number and the arrival date, so a
second submission with another phone was refused, which told anyone who knew an ID number and a
date whether that person had arrived that day. From here ``dedupe_key`` also hashes the phone (a
resubmission of one record), and the old key lives on as ``day_key``: held by one registration
of a person and day, missing on a possible duplicate registered with another phone.

``rekey`` copies every key into ``day_key`` and recomputes ``dedupe_key`` from the blind indexes
already stored (``id_number_index``, ``phone_index``) — the same HMACs ``services.dedupe_key``
takes of the decrypted values, so nothing is decrypted. A merged row (no key) keeps none; an
erased row (no indexes left to hash) keeps its key, which is also its day key. ``unkey`` puts
the day key back as the key.
"""

from __future__ import annotations

from typing import Any

from django.db import connections, migrations
from django.db.models import F

from xuanchuan.core.pii.crypto import blind_index_digest

BATCH = 2000


def _model(apps: Any) -> Any:
    return apps.get_model("arrivals", "Registration")


def rekey(apps: Any, schema_editor: Any) -> None:
    """``day_key`` ← the old key; ``dedupe_key`` ← HMAC(document number | date | phone)."""
    model = _model(apps)
    manager = model._base_manager
    rows = (
        manager.filter(dedupe_key__isnull=False)
        .exclude(id_number_index="")
        .exclude(phone_index="")
        .order_by("pk")
        .values_list("pk", "dedupe_key", "id_number_index", "arrival_date", "phone_index")
    )
    connection = connections[rows.db]
    last = 0
    while True:
        batch = list(rows.filter(pk__gt=last)[:BATCH])
        if not batch:
            break
        values = [
            (pk, blind_index_digest(f"{id_index}|{arrival.isoformat()}|{phone_index}", "arrival"), old)
            for pk, old, id_index, arrival, phone_index in batch
        ]
        _write(connection, model._meta.db_table, values)
        last = batch[-1][0]
    # Erased rows (no indexes left to hash) keep their key, which is also their day key.
    manager.filter(dedupe_key__isnull=False, day_key__isnull=True).update(day_key=F("dedupe_key"))


def _write(connection: Any, table: str, values: list[tuple[int, str, str]]) -> None:
    """``dedupe_key, day_key`` of each ``(pk, dedupe_key, day_key)``: one statement a batch on
    PostgreSQL (a join with the VALUES list), one per row elsewhere."""
    table = connection.ops.quote_name(table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            rows = ", ".join(["(%s::bigint, %s, %s)"] * len(values))
            joined = f"FROM (VALUES {rows}) AS v(id, k, d) WHERE r.id = v.id"
            sql = f"UPDATE {table} AS r SET dedupe_key = v.k, day_key = v.d {joined}"  # noqa: S608 -- own table
            cursor.execute(sql, [item for row in values for item in row])
        else:
            sql = f"UPDATE {table} SET dedupe_key = %s, day_key = %s WHERE id = %s"  # noqa: S608 -- the model's own table
            cursor.executemany(sql, [(key, day, pk) for pk, key, day in values])


def unkey(apps: Any, schema_editor: Any) -> None:
    """The day key becomes the key again (a possible duplicate is left without one)."""
    manager = _model(apps)._base_manager
    manager.update(dedupe_key=None)
    manager.update(dedupe_key=F("day_key"), day_key=None)


class Migration(migrations.Migration):
    dependencies = [
        ("arrivals", "0004_registration_day_key"),
    ]

    operations = [
        migrations.RunPython(rekey, unkey, elidable=False),
    ]
