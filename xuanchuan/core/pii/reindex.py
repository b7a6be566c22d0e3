"""Re-encryption with the current key and recomputation of blind indexes (key rotation).

After putting a new key first in ``XUANCHUAN_DATA_KEY`` (keeping the old ones after it) or
switching ``XUANCHUAN_CRYPTO``, run ``manage.py reindex_personal_data``: every row of every model
with encrypted fields is read (decrypted with whichever key matches), written back (encrypted
with the current key) and given fresh blind indexes. Until then look-ups through the blind
index miss rows indexed under the old key. Once it has finished, the old keys can be removed.

Besides the ``BlindIndexField``s it declares, a model may keep keyed values of its own (arrivals'
``Registration.dedupe_key``, a keyed hash of the document number and the arrival date). The app
registers each with ``register_keyed_index(model, field, compute, sources=...)``; the same walk
then recomputes it from the decrypted row, so nothing keyed with the old key is left behind.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction

from xuanchuan.core.pii.fields import blind_index_fields, encrypted_fields, set_blind_indexes

DEFAULT_BATCH_SIZE = 500


@dataclass(frozen=True)
class KeyedIndex:
    """A keyed value an app computes itself: ``compute(row)`` gives the new value of ``field``
    from the row's decrypted ``sources`` (and may return the current value to leave it)."""

    field: str
    compute: Callable[[Any], Any]
    sources: tuple[str, ...]


_KEYED_INDEXES: dict[type[models.Model], dict[str, KeyedIndex]] = {}


def register_keyed_index(
    model: type[models.Model], field: str, compute: Callable[[Any], Any], *, sources: tuple[str, ...] = ()
) -> None:
    """Have key rotation recompute ``model.field`` with ``compute(row)`` (``sources``: the fields it reads)."""
    _KEYED_INDEXES.setdefault(model, {})[field] = KeyedIndex(field, compute, tuple(sources))


def keyed_indexes(model: type[models.Model]) -> list[KeyedIndex]:
    """The keyed values registered for ``model``."""
    return list(_KEYED_INDEXES.get(model, {}).values())


def reencrypt_model(model: type[models.Model], batch_size: int = DEFAULT_BATCH_SIZE) -> int:
    """Re-encrypt and re-index every row of ``model`` in batches, each locked and committed alone.

    Blind indexes and the registered keyed indexes are recomputed. Uses ``bulk_update``, so no
    signals are sent and the audit trail is not flooded. Returns the number of rows written.
    """
    keyed = keyed_indexes(model)
    names = [field.name for field in encrypted_fields(model)] + [field.name for field in blind_index_fields(model)]
    if not names and not keyed:
        return 0
    written = [*names, *(index.field for index in keyed)]
    loaded = list(dict.fromkeys([*written, *(source for index in keyed for source in index.sources)]))
    manager = model._base_manager
    total = 0
    last_pk = None
    while True:
        with transaction.atomic():
            queryset = manager.order_by("pk").only(*loaded)
            if last_pk is not None:
                queryset = queryset.filter(pk__gt=last_pk)
            batch = list(queryset.select_for_update()[:batch_size])
            if not batch:
                return total
            set_blind_indexes(batch)
            for row in batch:
                for index in keyed:
                    setattr(row, index.field, index.compute(row))
            manager.bulk_update(batch, written)
        total += len(batch)
        last_pk = batch[-1].pk


# Secrets kept encrypted with the data key outside the personal-data fields (for example the
# e-pass signing keys), re-encrypted by ``reindex_personal_data`` after the personal data.
_EXTRA_REENCRYPTIONS: dict[str, Callable[[], int]] = {}


def register_reencryption(label: str, reencrypt: Callable[[], int]) -> None:
    """Have ``reindex_personal_data`` call ``reencrypt()`` (returning a row count) under ``label``."""
    _EXTRA_REENCRYPTIONS[label] = reencrypt


def extra_reencryptions() -> dict[str, Callable[[], int]]:
    return dict(_EXTRA_REENCRYPTIONS)
