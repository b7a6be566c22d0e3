"""Personal-data protection: encrypted fields with blind indexes, masking, the logged reveal,
validators for ID and mobile numbers, and retention.

The names other apps use are re-exported here::

    from xuanchuan.core.pii import BlindIndexField, EncryptedCharField, lookup, register_retention

Module map: ``crypto`` (keys, ciphertexts, blind-index HMAC), ``kinds`` (normalisation),
``fields``, ``masking``, ``validators`` and ``forms``, ``access`` (who may reveal, access log),
``views`` (the HTMX reveal), ``retention`` (periods and purge), ``reindex`` (key rotation).
"""

from xuanchuan.core.pii.access import may_reveal, reveal
from xuanchuan.core.pii.crypto import DecryptionError, KeyConfigurationError, PersonalDataError
from xuanchuan.core.pii.fields import (
    BlindIndexField,
    EncryptedCharField,
    EncryptedTextField,
    blind_index,
    encrypted_fields,
    encrypted_models,
    lookup,
    lookup_q,
    masked,
    set_blind_indexes,
)
from xuanchuan.core.pii.forms import MobileField, ResidentIDField
from xuanchuan.core.pii.kinds import Kind
from xuanchuan.core.pii.masking import mask
from xuanchuan.core.pii.retention import RetentionAction, purge_expired, register_retention
from xuanchuan.core.pii.validators import (
    MobileValidator,
    ResidentIDValidator,
    normalize_mobile,
    parse_resident_id,
    validate_mobile,
    validate_resident_id,
)

__all__ = [
    "BlindIndexField",
    "DecryptionError",
    "EncryptedCharField",
    "EncryptedTextField",
    "KeyConfigurationError",
    "Kind",
    "MobileField",
    "MobileValidator",
    "PersonalDataError",
    "ResidentIDField",
    "ResidentIDValidator",
    "RetentionAction",
    "blind_index",
    "encrypted_fields",
    "encrypted_models",
    "lookup",
    "lookup_q",
    "mask",
    "masked",
    "may_reveal",
    "normalize_mobile",
    "parse_resident_id",
    "purge_expired",
    "register_retention",
    "reveal",
    "set_blind_indexes",
    "validate_mobile",
    "validate_resident_id",
]
