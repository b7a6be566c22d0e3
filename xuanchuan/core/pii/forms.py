"""Form fields that normalise and validate ID numbers and mobile numbers as they are typed."""

from __future__ import annotations

from typing import Any

from django import forms

from xuanchuan.core.pii.kinds import normalize_id_number
from xuanchuan.core.pii.validators import ResidentIDValidator, normalize_mobile, validate_mobile


class ResidentIDField(forms.CharField):
    """A resident ID number; cleans to 18 upper-case characters (``x`` becomes ``X``)."""

    def __init__(self, *, allow_foreigners: bool = True, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}))
        super().__init__(**kwargs)
        self.validators.append(ResidentIDValidator(allow_foreigners=allow_foreigners))

    def to_python(self, value: Any) -> str:
        text = super().to_python(value)
        return normalize_id_number(text) if text else text


class MobileField(forms.CharField):
    """A mainland mobile number; cleans to 11 digits without +86/0086, spaces or hyphens."""

    default_validators = [validate_mobile]

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> str:
        text = super().to_python(value)
        return normalize_mobile(text) if text else text
