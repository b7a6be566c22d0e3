"""``instance.save(force_insert=True)`` for a new row of a simple model, without the ORM's
generic insert compiler.

``SQLInsertCompiler.as_sql`` rebuilds the same ``INSERT`` for every public registration (33
columns, each through the compiler's generic value and placeholder handling) — about a tenth of a
submission. :func:`insert` does what ``Model.save(force_insert=True)`` does for a model without
parents, with the statement built once per model and database connection:

- every value is the field's own ``get_db_prep_save(field.pre_save(instance, True), connection)``
  — the same calls the compiler makes, so encryption, blind indexes, defaults and ``auto_now``
  stay the field's job, and the instance's attributes end up as ``save()`` leaves them;
- the same signals: ``pre_save`` before, ``post_save`` (``created=True``) after, with the same
  arguments; ``_state.db`` and ``_state.adding`` set as ``save_base`` sets them;
- the same transaction handling: the statement runs under ``mark_for_rollback_on_error`` (an
  error inside an atomic block marks it for rollback, as the ORM's save does), the caller opens
  a savepoint when it needs one;
- the new primary key from ``RETURNING`` where the database supports it (PostgreSQL) or
  ``cursor.lastrowid`` (SQLite, through ``connection.ops.last_insert_id``).

Only models whose one database-returned field is an auto primary key, whose values are plain
(no field with its own ``get_placeholder``) and that have no parent models qualify; anything else
goes through ``save()`` (:func:`supports`). ``arrivals/tests/test_fast_insert.py`` compares a
row written this way with one written by ``Model.objects.create``, column by column, on each
database.

Django internals relied on (checked by ``core/perf/tests/test_django_internals.py``, pinned to
the Django minor version): ``Model._prepare_related_fields_for_save(operation_name=)``,
``Options.local_concrete_fields``/``db_returning_fields``/``auto_field``/``parents``,
``Field.pre_save(instance, add)`` and ``get_db_prep_save``, ``Field.generated``,
``Manager._insert(objs, fields=, returning_fields=, using=)``,
``connection.ops.return_insert_columns`` and ``last_insert_id``,
``connection.features.can_return_columns_from_insert``, ``ModelState.db``/``adding``, and that
``SQLInsertCompiler`` still builds the same statement (``as_sql`` with the compiler's
``returning_fields``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from django.db import connections, router, transaction
from django.db.models import Field, Model
from django.db.models.fields import AutoFieldMixin
from django.db.models.signals import post_save, pre_save


@dataclass(frozen=True)
class Statement:
    """The prepared ``INSERT`` of one model on one connection."""

    sql: str
    fields: tuple[Field, ...]
    returning: bool  # RETURNING the primary key (else the cursor's last row id)


# (model, connection alias, vendor) → Statement; built on first use in each process.
_STATEMENTS: dict[tuple[type[Model], str, str], Statement] = {}


@cache
def supports(model: type[Model]) -> bool:
    """Whether :func:`insert` writes ``model`` exactly as ``save(force_insert=True)`` does."""
    meta = model._meta
    return (
        not meta.parents
        and not meta.proxy
        and not meta.auto_created
        and not meta.order_with_respect_to
        and not any(field.generated for field in meta.local_concrete_fields)
        and isinstance(meta.pk, AutoFieldMixin)
        and list(meta.db_returning_fields) == [meta.pk]
        and not any(hasattr(field, "get_placeholder") for field in meta.local_concrete_fields)
    )


def statement(model: type[Model], using: str) -> Statement:
    """The ``INSERT`` of every concrete field but the auto primary key (as ``_save_table``)."""
    connection = connections[using]
    key = (model, using, connection.vendor)
    prepared = _STATEMENTS.get(key)
    if prepared is not None:
        return prepared
    meta = model._meta
    fields = tuple(field for field in meta.local_concrete_fields if field is not meta.auto_field)
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608 -- the model's own names
    returning = connection.vendor != "sqlite" and connection.features.can_return_columns_from_insert
    if returning:
        returning_sql, _params = connection.ops.return_insert_columns([meta.pk])
        sql = f"{sql} {returning_sql}"
    prepared = _STATEMENTS[key] = Statement(sql, fields, returning)
    return prepared


def insert(instance: Model, *, using: str | None = None) -> None:
    """Write ``instance`` as a new row, as ``instance.save(force_insert=True)`` would."""
    model = type(instance)
    meta = model._meta
    if instance.pk is not None or not supports(model):
        instance.save(force_insert=True, using=using)
        return
    instance._prepare_related_fields_for_save(operation_name="save")
    using = using or router.db_for_write(model, instance=instance)
    connection = connections[using]
    origin = model
    pre_save.send(sender=origin, instance=instance, raw=False, using=using, update_fields=None)
    prepared = statement(model, using)
    values: list[Any] = [field.pre_save(instance, True) for field in prepared.fields]
    with transaction.mark_for_rollback_on_error(using):
        if any(hasattr(value, "resolve_expression") for value in values):
            # An expression as a value (``F()``, a function): the ORM's own insert compiles it.
            fields, returning = list(prepared.fields), meta.db_returning_fields
            (row,) = model._base_manager._insert([instance], fields=fields, returning_fields=returning, using=using)
            pk = row[0]
        else:
            pairs = zip(prepared.fields, values, strict=True)
            values = [field.get_db_prep_save(value, connection) for field, value in pairs]
            with connection.cursor() as cursor:
                cursor.execute(prepared.sql, values)
                if prepared.returning:
                    pk = cursor.fetchone()[0]
                else:
                    pk = connection.ops.last_insert_id(cursor, meta.db_table, meta.pk.column)
    setattr(instance, meta.pk.attname, pk)
    instance._state.db = using
    instance._state.adding = False
    post_save.send(sender=origin, instance=instance, created=True, update_fields=None, raw=False, using=using)
