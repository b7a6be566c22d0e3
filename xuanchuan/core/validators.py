"""Validators shared by every app (re-exported from :mod:`xuanchuan.core.pii.validators`)."""

from xuanchuan.core.pii.forms import MobileField, ResidentIDField
from xuanchuan.core.pii.validators import (
    MobileValidator,
    ResidentID,
    ResidentIDValidator,
    id_check_character,
    normalize_mobile,
    parse_resident_id,
    validate_mobile,
    validate_resident_id,
)

__all__ = [
    "MobileField",
    "MobileValidator",
    "ResidentID",
    "ResidentIDField",
    "ResidentIDValidator",
    "id_check_character",
    "normalize_mobile",
    "parse_resident_id",
    "validate_mobile",
    "validate_resident_id",
]
