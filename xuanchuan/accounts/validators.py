"""Password rules of the platform beyond Django's built-in validators."""

from __future__ import annotations

import string
from typing import Any

from django.contrib.auth import password_validation
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils.translation import gettext as _

CHARACTER_CLASSES = 4


def character_class(char: str) -> str:
    """The class of one character. Anything that is not an ASCII letter or digit (punctuation,
    spaces, Chinese characters) counts as a symbol: it widens the search space just the same."""
    if char in string.ascii_lowercase:
        return "lower"
    if char in string.ascii_uppercase:
        return "upper"
    if char in string.digits:
        return "digit"
    return "symbol"


def character_classes(password: str) -> int:
    """How many of lowercase letters, uppercase letters, digits and symbols ``password`` uses."""
    return len({character_class(char) for char in password})


class CharacterClassValidator:
    """Requires a password to mix at least ``min_classes`` of the four character classes
    (lowercase, uppercase, digits, symbols), as the usual government password policy asks."""

    def __init__(self, min_classes: int = 3) -> None:
        if not 1 <= min_classes <= CHARACTER_CLASSES:
            raise ImproperlyConfigured(f"CharacterClassValidator: min_classes must be 1 to 4, not {min_classes}")
        self.min_classes = min_classes

    def validate(self, password: str, user: Any = None) -> None:
        if character_classes(password) < self.min_classes:
            raise ValidationError(
                _("密码过于简单：须至少包含小写字母、大写字母、数字、符号四类字符中的 %(min_classes)d 类。"),
                code="password_too_few_character_classes",
                params={"min_classes": self.min_classes},
            )

    def get_help_text(self) -> str:
        return _("密码须至少包含小写字母、大写字母、数字、符号四类字符中的 %(min_classes)d 类。") % {
            "min_classes": self.min_classes
        }


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's minimum length rule with its error in Chinese.

    Django 5.2 rewrote this message's msgid (``%d`` instead of ``%(min_length)d``) and its
    zh_Hans catalogue still carries only the old one, so the stock validator answers in English.
    """

    def get_error_message(self) -> str:
        return _("密码太短，至少需要 %(min_length)d 个字符。") % {"min_length": self.min_length}
