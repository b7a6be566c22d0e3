"""The kinds of personal data an encrypted field can hold, and how each is normalised.

The kind decides the normalisation behind the blind index (so ``110101…123x`` and
``110101…123X`` find the same record) and the masking rule used on pages.
"""

from __future__ import annotations

import re
import unicodedata

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    """What an encrypted field holds."""

    ID_NUMBER = "id_number", _("证件号码")
    PHONE = "phone", _("电话号码")
    NAME = "name", _("姓名")
    TEXT = "text", _("文本")
    HEALTH = "health", _("健康信息")
    TRAVEL = "travel", _("行程信息")


KINDS = frozenset(Kind.values)
_SPACES = re.compile(r"\s+")
_SEPARATORS = re.compile(r"[\s\-–—()（）]+")
_MIDDLE_DOTS = str.maketrans({"•": "·", "・": "·", "‧": "·", "∙": "·", "．": "·", "⋅": "·"})
_MOBILE_PREFIX = re.compile(r"^(?:\+86|0086)")


def basic(value: str) -> str:
    """NFKC (full-width digits and letters become ASCII), trimmed, inner whitespace collapsed."""
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", value)).strip()


def normalize_id_number(value: str) -> str:
    """Upper-case, without any whitespace: ``1101 0119 9003 0712 3x`` → ``11010119900307123X``."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", value)).upper()


def normalize_phone(value: str) -> str:
    """Digits of a phone number without separators and without the +86/0086 country prefix."""
    compact = _SEPARATORS.sub("", unicodedata.normalize("NFKC", value))
    return _MOBILE_PREFIX.sub("", compact)


def normalize_name(value: str) -> str:
    """One form of the middle dot in transliterated names, case-folded Latin letters."""
    return basic(value).translate(_MIDDLE_DOTS).casefold()


def normalize(value: str, kind: str) -> str:
    """The canonical form of ``value`` as a ``kind``, used for the blind index."""
    if kind == Kind.ID_NUMBER:
        return normalize_id_number(value)
    if kind == Kind.PHONE:
        return normalize_phone(value)
    if kind == Kind.NAME:
        return normalize_name(value)
    return basic(value)
