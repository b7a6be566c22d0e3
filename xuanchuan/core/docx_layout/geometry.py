"""Page geometry, fonts and the blocks of an official document (GB/T 9704-2012)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

TWIPS_PER_MM = 1440 / 25.4
"""A twip is 1/20 pt = 1/1440 inch."""

BODY_SIZE_PT = 16
"""3号 = 16 pt: body text, headings (clause 5.2.2, 7.3.3)."""
TITLE_SIZE_PT = 22
"""2号 = 22 pt: the title (clause 7.3.1)."""
PAGE_NUMBER_SIZE_PT = 14
"""4号 = 14 pt: page numbers (clause 7.5)."""
LINES_PER_PAGE = 22
"""Clause 5.2.3: 一般每面排22行."""
CHARS_PER_LINE = 28
"""Clause 5.2.3: 每行排28个字."""

PAGE_NUMBER_GAP_MM = 7.0
"""Clause 7.5: the 一字线 of the page number sits 7 mm below the bottom edge of the text block."""
EM_DASH = "\u2014"
"""一字线 placed on both sides of the page number."""


def _mm_to_twips(mm: float) -> int:
    return round(mm * TWIPS_PER_MM)


@dataclass(frozen=True)
class PageLayout:
    """Page geometry in millimetres (defaults: GB/T 9704-2012 clause 5) and the twip values derived from it.

    Margins are rounded to whole twips once, and the text block is computed from the rounded values, so that
    the grid numbers below match what Word computes from the saved section.
    """

    page_width_mm: float = 210.0
    page_height_mm: float = 297.0
    top_mm: float = 37.0
    left_mm: float = 28.0
    text_width_mm: float = 156.0
    text_height_mm: float = 225.0
    lines_per_page: int = LINES_PER_PAGE
    chars_per_line: int = CHARS_PER_LINE
    body_size_pt: float = BODY_SIZE_PT

    @property
    def right_mm(self) -> float:
        """Right margin: page width − left margin − text width (26 mm for A4)."""
        return self.page_width_mm - self.left_mm - self.text_width_mm

    @property
    def bottom_mm(self) -> float:
        """Bottom margin: page height − top margin − text height (35 mm for A4)."""
        return self.page_height_mm - self.top_mm - self.text_height_mm

    @property
    def page_width_twips(self) -> int:
        """Page width in twips (11906 for A4)."""
        return _mm_to_twips(self.page_width_mm)

    @property
    def page_height_twips(self) -> int:
        """Page height in twips (16838 for A4)."""
        return _mm_to_twips(self.page_height_mm)

    @property
    def margins_twips(self) -> tuple[int, int, int, int]:
        """Top, right, bottom, left margins in twips (2098, 1474, 1984, 1587 for the standard)."""
        return (
            _mm_to_twips(self.top_mm),
            _mm_to_twips(self.right_mm),
            _mm_to_twips(self.bottom_mm),
            _mm_to_twips(self.left_mm),
        )

    @property
    def text_width_twips(self) -> int:
        """Width of the text block as Word sees it (page width minus the rounded margins)."""
        _top, right, _bottom, left = self.margins_twips
        return self.page_width_twips - left - right

    @property
    def text_height_twips(self) -> int:
        """Height of the text block as Word sees it (page height minus the rounded margins)."""
        top, _right, bottom, _left = self.margins_twips
        return self.page_height_twips - top - bottom

    @property
    def line_pitch_twips(self) -> int:
        """Line pitch: the largest whole twip value at which ``lines_per_page`` lines fit the text block.

        225 mm = 12756 twips; 12756 / 22 = 579.8 → 579 twips = 28.95 pt (580 would leave room for 21 lines only).
        """
        return self.text_height_twips // self.lines_per_page

    @property
    def char_space(self) -> int:
        """``w:charSpace`` of the document grid, in 1/4096 pt added to (here: taken from) the body font size.

        The character pitch must not exceed text width / ``chars_per_line``: 8845 twips / 28 = 15.795 pt,
        i.e. 16 pt − 0.205 pt; −0.2054 × 4096 = −841.1, rounded down to −842 so 28 characters fit exactly.

        The value stays in ``w:docGrid`` (Word shows it in 页面设置 → 文档网格), but the grid type is ``lines``, so it
        does not drive the layout: LibreOffice gives a 16 pt character two cells of a 15.79 pt character grid
        (14 characters per line, measured), so the 28 characters come from :attr:`char_spacing_twips` instead.
        """
        pitch_pt = self.text_width_twips / 20 / self.chars_per_line
        return math.floor((pitch_pt - self.body_size_pt) * 4096)

    @property
    def char_spacing_twips(self) -> int:
        """Character spacing (``w:rPr/w:spacing/@w:val``, twentieths of a point) of the body-size styles.

        The pitch of a 3号 character becomes ``body size + spacing``; the largest whole value at which
        ``chars_per_line`` characters fit the text block is 8845 / 28 − 320 = −4.1 → −5 twips (−0.25 pt), i.e. a
        pitch of 15.75 pt: 28 characters take 441 pt of the 442.25 pt line (−4 would need 442.4 pt, one too many).
        Character spacing is a plain run property, applied character by character without any grid logic.
        """
        return math.floor(self.text_width_twips / self.chars_per_line - self.body_size_pt * 20)

    @property
    def footer_distance_twips(self) -> int:
        """Distance from the page's bottom edge to the footer line so the dashes sit 7 mm below the text block.

        The footer paragraph has an exact line height of 14 pt and the dash is at about its middle, so the
        line's bottom is ``bottom margin − 7 mm − 7 pt`` above the page edge (35 − 7 − 2.47 ≈ 25.5 mm).
        """
        return _mm_to_twips(self.bottom_mm - PAGE_NUMBER_GAP_MM) - PAGE_NUMBER_SIZE_PT * 20 // 2


STANDARD_LAYOUT = PageLayout()
"""The GB/T 9704-2012 layout."""
LINE_PITCH_TWIPS = STANDARD_LAYOUT.line_pitch_twips
"""579 twips = 28.95 pt: 22 lines in 225 mm."""
CHAR_SPACE = STANDARD_LAYOUT.char_space
"""−842 (1/4096 pt): 28 characters of 3号 in 156 mm, as Word's character grid would express it."""
CHAR_SPACING_TWIPS = STANDARD_LAYOUT.char_spacing_twips
"""−5 twips (−0.25 pt) of character spacing: 28 characters of 3号 in 156 mm, in every word processor."""


@dataclass(frozen=True)
class OfficialFonts:
    """Font names for each element; ``latin`` (if set) is used for the ASCII/hAnsi slots of every run.

    The defaults are the names Chinese government templates use (Windows fonts). Where those are not installed,
    use :meth:`generic` (仿宋/楷体/黑体/宋体, present on most Windows systems and mapped by fontconfig on Linux)
    or pass any name, e.g. ``OfficialFonts(body="FandolFang")``.
    """

    body: str = "仿宋_GB2312"
    title: str = "方正小标宋简体"
    heading1: str = "黑体"
    heading2: str = "楷体_GB2312"
    page_number: str = "宋体"
    latin: str | None = None

    @classmethod
    def generic(cls, latin: str | None = None) -> OfficialFonts:
        """Fallback set with generic names: 仿宋 body, 宋体 title (no free 小标宋 exists), 黑体, 楷体, 宋体."""
        return cls(body="仿宋", title="宋体", heading1="黑体", heading2="楷体", page_number="宋体", latin=latin)


BlockKind = Literal["heading1", "heading2", "paragraph"]


@dataclass(frozen=True)
class TextRun:
    """A piece of text with one formatting; ``figure`` optionally names the registry figure the text shows.

    Runs with a ``figure`` are wrapped in a bookmark (see :meth:`OfficialDocument.figure_bookmarks`) so later
    code can find, colour or cross-reference them.
    """

    text: str
    figure: str | None = None
    bold: bool = False


@dataclass(frozen=True)
class Block:
    """One paragraph of the document: a first- or second-level heading or a body paragraph."""

    kind: BlockKind
    runs: tuple[TextRun, ...]
    indent: bool = True
    """Indent the first line by two characters (clause 7.3.3); ``False`` for flush-left lines such as 主送机关."""

    @classmethod
    def _make(cls, kind: BlockKind, parts: Sequence[str | TextRun], indent: bool = True) -> Block:
        runs = tuple(TextRun(part) if isinstance(part, str) else part for part in parts)
        return cls(kind=kind, runs=runs, indent=indent)

    @classmethod
    def heading1(cls, *parts: str | TextRun) -> Block:
        """A first-level heading such as "一、加强理论武装" (黑体)."""
        return cls._make("heading1", parts)

    @classmethod
    def heading2(cls, *parts: str | TextRun) -> Block:
        """A second-level heading such as "（一）理论学习" (楷体)."""
        return cls._make("heading2", parts)

    @classmethod
    def paragraph(cls, *parts: str | TextRun, indent: bool = True) -> Block:
        """A body paragraph (仿宋) made of plain strings and/or :class:`TextRun` pieces."""
        return cls._make("paragraph", parts, indent=indent)

    @property
    def text(self) -> str:
        """The block's plain text."""
        return "".join(run.text for run in self.runs)
