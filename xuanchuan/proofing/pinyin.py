"""Pinyin tables for the obfuscation search, built once from pypinyin's character dictionary.

``initial(c)`` is the first letter of the character's most common reading (扫 → s), ``syllable_code(c)``
a private-use character standing for that reading without tone (so a homophone has the same code),
and ``readings(c)`` every toneless reading (for heteronyms).
"""

from __future__ import annotations

import unicodedata
from functools import cache


def _toneless(reading: str) -> str:
    reading = reading.replace("ü", "v").replace("Ü", "v")
    return "".join(c for c in unicodedata.normalize("NFD", reading) if not unicodedata.combining(c)).lower()


@cache
def tables() -> tuple[dict[int, str], dict[int, str], dict[str, frozenset[str]]]:
    """(initials table, syllable-code table, readings by character) for ``str.translate`` and checks."""
    from pypinyin.pinyin_dict import pinyin_dict

    strip: dict[str, str] = {}
    initials: dict[int, str] = {}
    codes: dict[int, str] = {}
    syllables: dict[str, str] = {}
    readings: dict[str, frozenset[str]] = {}
    for cp, value in pinyin_dict.items():
        char = chr(cp)
        if not ("\u3400" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff"):
            continue
        plain = []
        for reading in value.split(","):
            toneless = strip.get(reading)
            if toneless is None:
                toneless = strip[reading] = _toneless(reading)
            if toneless and toneless.isascii() and toneless.isalpha():
                plain.append(toneless)
        if not plain:
            continue
        first = plain[0]
        initials[cp] = first[0]
        code = syllables.get(first)
        if code is None:
            code = syllables[first] = chr(0xE000 + len(syllables))
        codes[cp] = code
        readings[char] = frozenset(plain)
    return initials, codes, readings


def readings(char: str) -> frozenset[str]:
    return tables()[2].get(char, frozenset())


def initial(char: str) -> str:
    return tables()[0].get(ord(char), "")


def syllable_code(char: str) -> str:
    return tables()[1].get(ord(char), "")


@cache
def translation_tables() -> tuple[list[str], list[str]]:
    """(initials, syllable codes) as lists indexed by code point, for a fast ``str.translate``.

    ``str.translate`` with a dictionary pays for a raised ``KeyError`` on every character not in
    it; with a list covering the whole Basic Multilingual Plane (identity where there is no
    reading) it only indexes. Characters beyond it raise ``IndexError`` and stay as they are.
    """
    initials, codes, _ = tables()
    identity = [chr(cp) for cp in range(0x10000)]
    by_initial, by_code = list(identity), list(identity)
    for cp, value in initials.items():
        if cp < 0x10000:
            by_initial[cp] = value
    for cp, value in codes.items():
        if cp < 0x10000:
            by_code[cp] = value
    return by_initial, by_code
