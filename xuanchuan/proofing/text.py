"""Character classes and the normalised view of a text with its map back to the original offsets.

The normalised text folds full-width to half-width forms and compatibility characters to their
standard form (NFKC, only where one character stays one character), lower-cases Latin letters,
drops zero-width characters everywhere and whitespace between two CJK characters (or between a
CJK character and a Latin letter), so that 扫 黑 除 恶, 扫（零宽空格）黑除恶 and ＳＢ match the lexicon.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

CJK_RANGES = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK = f"[{CJK_RANGES}]"
CJK_RE = re.compile(CJK)
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad"


def is_cjk(char: str) -> bool:
    return bool(char) and ("\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf" or "\uf900" <= char <= "\ufaff")


@cache
def fold_table() -> dict[int, str]:
    """Length-preserving NFKC + lower-case for letters and digits of the Basic Multilingual Plane.

    Only characters that fold to one letter, digit or CJK character are in it (Ａ → a, ５ → 5,
    compatibility ideographs → unified ones); punctuation is left as it is.
    """
    table: dict[int, str] = {cp: chr(cp + 32) for cp in range(0x41, 0x5B)}
    for cp in range(0x80, 0x10000):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        char = chr(cp)
        folded = unicodedata.normalize("NFKC", char)
        if len(folded) == 1 and folded != char and folded.isalnum():
            table[cp] = folded.lower() if folded.isascii() else folded
    return table


@cache
def _fold_re() -> re.Pattern:
    """A character class of every character ``fold_table`` changes (so a text without any is not copied)."""
    points = sorted(fold_table())
    ranges = []
    for cp in points:
        if ranges and cp == ranges[-1][1] + 1:
            ranges[-1][1] = cp
        else:
            ranges.append([cp, cp])
    body = "".join(re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges)
    return re.compile(f"[{body}]+")


def fold(text: str) -> str:
    table = fold_table()
    return _fold_re().sub(lambda m: m.group().translate(table), text)


# Runs the normalised view may drop: zero-width characters always; spaces when they stand between
# two CJK characters or between a CJK character and a Latin letter (the text is folded already, so
# letters are lower-case). One character class, so Python's re scans for it fast.
_GAP_RE = re.compile(f"[ \t\u3000\u00a0{ZERO_WIDTH}]+")


def _latin(char: str) -> bool:
    return "a" <= char <= "z"


class Normalised:
    """``text`` folded; ``span()`` maps a slice of it back to the original text."""

    __slots__ = ("source", "text", "_pos")

    def __init__(self, source: str) -> None:
        self.source = source
        folded = fold(source)
        pieces: list[str] = []
        pos: list[int] | None = None
        last = 0
        for match in _GAP_RE.finditer(folded):
            start, end = match.span()
            before, after = folded[start - 1 : start], folded[end : end + 1]
            if (is_cjk(before) and (is_cjk(after) or _latin(after))) or (_latin(before) and is_cjk(after)):
                keep: list[int] = []
            elif any(c in ZERO_WIDTH for c in match.group()):
                keep = [i for i in range(start, end) if folded[i] not in ZERO_WIDTH]
            else:
                continue
            if pos is None:
                pos = []
            pieces.append(folded[last:start])
            pos.extend(range(last, start))
            pieces += [folded[i] for i in keep]
            pos += keep
            last = end
        if pos is None:
            self.text = folded
        else:
            pieces.append(folded[last:])
            pos.extend(range(last, len(folded)))
            self.text = "".join(pieces)
        self._pos = pos

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original ``(start, end)`` of the normalised slice ``[start, end)`` (``end > start``)."""
        if self._pos is None:
            return start, end
        return self._pos[start], self._pos[end - 1] + 1


def normalise(term: str) -> str:
    """The normalised form of a lexicon term (as it is looked for in a normalised text)."""
    return Normalised(term.strip()).text
