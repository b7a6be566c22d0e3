"""Plain-text tables for the reports' management commands, aligned for Chinese text (an East
Asian wide character takes two columns of a terminal)."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence


def width(text: str) -> int:
    """Display width: East Asian wide characters take two columns."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def pad(text: str, columns: int) -> str:
    """``text`` padded with spaces to ``columns`` display columns."""
    return text + " " * max(0, columns - width(text))


def clip(text: str, columns: int) -> str:
    """``text`` cut from the left to at most ``columns`` columns, marked with … when cut."""
    if width(text) <= columns:
        return text
    while width(text) > columns - 1:
        text = text[1:]
    return "…" + text


def table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    """The lines of a table: every column padded to its widest cell but the last, left as it is."""
    widths = [max(width(row[column]) for row in (headers, *rows)) for column in range(len(headers) - 1)]
    lines = []
    for row in (headers, *rows):
        cells = [pad(cell, widths[column]) for column, cell in enumerate(row[:-1])]
        lines.append("  ".join([*cells, row[-1]]).rstrip())
    return lines
