"""Re-encryption with the current key and recomputation of blind indexes (key rotation).

After putting a new key first in ``XUANCHUAN_DATA_KEY`` (keeping the old ones after it) or
switching ``XUANCHUAN_CRYPTO``, run ``manage.py reindex_personal_data``: every row of every model
with encrypted fields is read (decrypted with whichever key matches), written back (encrypted
with the current key) and given fresh blind indexes. Until then look-ups through the blind
index miss rows indexed under the old key. Once it has finished, the old keys can be removed.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import models, transaction

from xuanchuan.core.pii.fields import blind_index_fields, encrypted_fields, set_blind_indexes

DEFAULT_BATCH_SIZE = 500


def reencrypt_model(model: type[models.Model], batch_size: int = DEFAULT_BATCH_SIZE) -> int:
    """Re-encrypt and re-index every row of ``model`` in batches, each locked and committed alone.

    Uses ``bulk_update``, so no signals are sent and the audit trail is not flooded.
    Returns the number of rows written.
    """
    names = [field.name for field in encrypted_fields(model)] + [field.name for field in blind_index_fields(model)]
    if not names:
        return 0
    manager = model._base_manager
    total = 0
    last_pk = None
    while True:
        with transaction.atomic():
            queryset = manager.order_by("pk").only(*names)
            if last_pk is not None:
                queryset = queryset.filter(pk__gt=last_pk)
            batch = list(queryset.select_for_update()[:batch_size])
            if not batch:
                return total
            set_blind_indexes(batch)
            manager.bulk_update(batch, names)
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
