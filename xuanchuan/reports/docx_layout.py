"""Write reports as .docx files laid out per GB/T 9704-2012 (党政机关公文格式).

The writer sits on python-docx (``python-docx>=1.2,<2``) and fixes what the standard prescribes:

* A4 paper (clause 5.1) with 天头 37 mm and 订口 28 mm; the 版心 (text block) is 156 mm × 225 mm, hence a
  right margin of 210 − 28 − 156 = 26 mm and a bottom margin of 297 − 37 − 225 = 35 mm (clause 5.2.1).
* Body text in 3号 (16 pt) 仿宋, 22 lines of 28 characters filling the text block (clauses 5.2.2, 5.2.3): the
  section carries ``<w:docGrid w:type="linesAndChars" w:linePitch="579" w:charSpace="-842"/>`` and the
  paragraphs use an exact line spacing of 579 twips (28.95 pt), see :data:`LINE_PITCH_TWIPS` and
  :data:`CHAR_SPACE`.
* Title in 2号 (22 pt) 小标宋, centred (7.3.1); first-level headings ("一、") in 3号 黑体, second-level
  ("（一）") in 3号 楷体, not bold (7.3.3); every paragraph indented by two characters (7.3.3).
* Page numbers "— 1 —" in 4号 (14 pt) 宋体 below the text block, odd pages right and even pages left, each one
  character from the edge of the text block (7.5), produced by a ``PAGE`` field.

Word and LibreOffice render Chinese text with the East-Asian font slot (``w:rFonts/@w:eastAsia``), which
python-docx's ``font.name`` does not set. :func:`set_east_asian_font` sets it on a run or a style, and
:func:`ensure_east_asian_fonts` (called by :meth:`OfficialDocument.save`) makes sure every run in the body,
headers and footers carries it, including runs added later by other code.

Typical use::

    doc = build_document("标题", [Block.heading1("一、总体情况"), Block.paragraph("正文。")])
    OfficialDocument.save_document(doc, "report.docx")

or, to keep adding content, ``OfficialDocument(...).add_blocks(...)`` and ``.save(path)``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import docx
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.text.font import CT_RPr
from docx.oxml.text.parfmt import CT_PPr
from docx.section import Section
from docx.shared import Pt, RGBColor, Twips
from docx.styles.style import BaseStyle
from docx.text.paragraph import Paragraph
from docx.text.run import Run

__all__ = [
    "BODY_SIZE_PT",
    "CHAR_SPACE",
    "CHARS_PER_LINE",
    "LINES_PER_PAGE",
    "LINE_PITCH_TWIPS",
    "Block",
    "BlockKind",
    "OfficialDocument",
    "OfficialFonts",
    "PageLayout",
    "TextRun",
    "build_document",
    "ensure_east_asian_fonts",
    "set_east_asian_font",
]

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
        """
        pitch_pt = self.text_width_twips / 20 / self.chars_per_line
        return math.floor((pitch_pt - self.body_size_pt) * 4096)

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
"""−842 (1/4096 pt): 28 characters of 3号 in 156 mm."""


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


_THEME_FONT_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


def _set_rfonts(rpr: CT_RPr, east_asian: str, latin: str | None) -> None:
    """Set explicit fonts on a ``w:rPr`` and drop theme fonts (which would override them)."""
    rfonts = rpr.get_or_add_rFonts()
    for attr in _THEME_FONT_ATTRS:
        rfonts.attrib.pop(qn(attr), None)
    western = latin or east_asian
    rfonts.set(qn("w:ascii"), western)
    rfonts.set(qn("w:hAnsi"), western)
    rfonts.set(qn("w:cs"), western)
    rfonts.set(qn("w:eastAsia"), east_asian)


def set_east_asian_font(target: Run | BaseStyle, east_asian: str, latin: str | None = None) -> None:
    """Set the East-Asian font (``w:rFonts/@w:eastAsia``) and the Western slots on a run or a style.

    python-docx's ``font.name`` only writes ``w:ascii``/``w:hAnsi``; Chinese text is drawn with the
    ``w:eastAsia`` font, so without this call Word falls back to its default (usually 宋体/等线).
    ``latin`` defaults to ``east_asian``.
    """
    rpr = target._r.get_or_add_rPr() if isinstance(target, Run) else target.element.get_or_add_rPr()
    _set_rfonts(rpr, east_asian, latin)


def _runs_in(element: OxmlElement) -> Iterator[OxmlElement]:
    yield from element.iter(qn("w:r"))


def _style_east_asian(document: DocxDocument, style_id: str | None) -> str | None:
    """The East-Asian font a paragraph style (or one it is based on) declares, if any."""
    styles_root = document.styles.element
    seen: set[str] = set()
    while style_id and style_id not in seen:
        seen.add(style_id)
        style = styles_root.find(f"{qn('w:style')}[@{qn('w:styleId')}='{style_id}']")
        if style is None:
            return None
        rfonts = style.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
        if rfonts is not None and rfonts.get(qn("w:eastAsia")):
            return rfonts.get(qn("w:eastAsia"))
        based_on = style.find(qn("w:basedOn"))
        style_id = based_on.get(qn("w:val")) if based_on is not None else None
    return None


def _story_roots(document: DocxDocument) -> Iterator[OxmlElement]:
    """The body and every header/footer part of the document."""
    yield document.element.body
    for section in document.sections:
        for part in (
            section.header,
            section.footer,
            section.even_page_header,
            section.even_page_footer,
            section.first_page_header,
            section.first_page_footer,
        ):
            if not part.is_linked_to_previous:
                yield part._element


def ensure_east_asian_fonts(document: DocxDocument, default: str, latin: str | None = None) -> int:
    """Give every run without an East-Asian font the one of its paragraph style (else ``default``).

    Covers the body (tables included), headers and footers. Returns the number of runs changed.
    """
    changed = 0
    for root in _story_roots(document):
        for r in _runs_in(root):
            rpr = r.find(qn("w:rPr"))
            rfonts = rpr.find(qn("w:rFonts")) if rpr is not None else None
            if rfonts is not None and rfonts.get(qn("w:eastAsia")):
                continue
            paragraph = next((a for a in r.iterancestors(qn("w:p"))), None)
            style_id = None
            if paragraph is not None:
                pstyle = paragraph.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
                style_id = pstyle.get(qn("w:val")) if pstyle is not None else None
            font = _style_east_asian(document, style_id or "Normal") or default
            _set_rfonts(r.get_or_add_rPr(), font, latin)
            changed += 1
    return changed


def _set_first_line_chars(paragraph_pr: CT_PPr, chars: int, size_pt: float) -> None:
    """Indent the first line by ``chars`` characters (``w:firstLineChars``, with a twip value for other readers)."""
    ind = paragraph_pr.get_or_add_ind()
    ind.set(qn("w:firstLine"), str(round(chars * size_pt * 20)))
    ind.set(qn("w:firstLineChars"), str(chars * 100))


_PPR_AFTER_SNAP_TO_GRID = (
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)
"""Elements that follow ``w:snapToGrid`` in ``w:pPr`` (ECMA-376 schema order)."""


def _set_snap_to_grid(style: BaseStyle, snap: bool) -> None:
    ppr = style.element.get_or_add_pPr()
    element = ppr.find(qn("w:snapToGrid"))
    if element is None:
        element = OxmlElement("w:snapToGrid")
        ppr.insert_element_before(element, *_PPR_AFTER_SNAP_TO_GRID)
    element.set(qn("w:val"), "1" if snap else "0")


class OfficialDocument:
    """A python-docx document set up per GB/T 9704-2012; add blocks, then :meth:`save`.

    The constructor configures page, margins, document grid, styles (Normal, Title, Heading 1, Heading 2,
    Footer) and the odd/even page-number footers. ``document`` is the underlying ``docx.Document`` for anything
    not covered here.
    """

    def __init__(self, fonts: OfficialFonts | None = None, layout: PageLayout = STANDARD_LAYOUT) -> None:
        """Create an empty document with the given fonts (default :class:`OfficialFonts`) and layout."""
        self.fonts = fonts or OfficialFonts()
        self.layout = layout
        self.document: DocxDocument = docx.Document()
        self._bookmark_id = 0
        self._setup_section(self.document.sections[0])
        self._setup_styles()
        self._setup_page_numbers(self.document.sections[0])

    # -- setup -----------------------------------------------------------------------------------------------

    def _setup_section(self, section: Section) -> None:
        layout = self.layout
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width = Twips(layout.page_width_twips)
        section.page_height = Twips(layout.page_height_twips)
        top, right, bottom, left = layout.margins_twips
        section.top_margin = Twips(top)
        section.right_margin = Twips(right)
        section.bottom_margin = Twips(bottom)
        section.left_margin = Twips(left)
        section.gutter = Twips(0)
        section.header_distance = Twips(_mm_to_twips(15))
        section.footer_distance = Twips(layout.footer_distance_twips)
        sect_pr = section._sectPr
        grid = sect_pr.find(qn("w:docGrid"))
        if grid is None:
            grid = OxmlElement("w:docGrid")
            sect_pr.append(grid)
        grid.set(qn("w:type"), "linesAndChars")
        grid.set(qn("w:linePitch"), str(layout.line_pitch_twips))
        grid.set(qn("w:charSpace"), str(layout.char_space))

    def _setup_doc_defaults(self) -> None:
        """Point the document defaults at the body font and Chinese language (they use theme fonts otherwise)."""
        defaults = self.document.styles.element.find(qn("w:docDefaults"))
        rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}") if defaults is not None else None
        if rpr is None:
            return
        _set_rfonts(rpr, self.fonts.body, self.fonts.latin)
        for size in (*rpr.findall(qn("w:sz")), *rpr.findall(qn("w:szCs"))):
            size.set(qn("w:val"), str(round(self.layout.body_size_pt * 2)))
        lang = rpr.find(qn("w:lang"))
        if lang is not None:
            lang.set(qn("w:eastAsia"), "zh-CN")
        ppr = defaults.find(f"{qn('w:pPrDefault')}/{qn('w:pPr')}")
        spacing = ppr.find(qn("w:spacing")) if ppr is not None else None
        if spacing is not None:
            ppr.remove(spacing)

    def _style_base(self, style: BaseStyle, font: str, size_pt: float) -> None:
        """Common run and paragraph settings: font in all slots, size, black, not bold/italic, exact spacing."""
        set_east_asian_font(style, font, self.fonts.latin)
        style.font.size = Pt(size_pt)
        rpr = style.element.get_or_add_rPr()
        for bold_cs in rpr.findall(qn("w:bCs")):
            rpr.remove(bold_cs)
        for size_cs in rpr.findall(qn("w:szCs")):
            size_cs.set(qn("w:val"), str(round(size_pt * 2)))
        style.font.bold = False
        style.font.italic = False
        style.font.color.rgb = RGBColor(0, 0, 0)
        pf = style.paragraph_format
        pf.space_before = Pt(0)
        pf.space_after = Pt(0)
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = Twips(self.layout.line_pitch_twips)

    def _setup_styles(self) -> None:
        self._setup_doc_defaults()
        styles = self.document.styles
        body = self.layout.body_size_pt

        normal = styles["Normal"]
        self._style_base(normal, self.fonts.body, body)
        pf = normal.paragraph_format
        # Widow/orphan control would move lines to the next page and break "22 lines per page".
        pf.widow_control = False
        pf.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY

        title = styles["Title"]
        ppr = title.element.get_or_add_pPr()
        for unwanted in ("w:pBdr", "w:contextualSpacing"):
            element = ppr.find(qn(unwanted))
            if element is not None:
                ppr.remove(element)
        rpr = title.element.get_or_add_rPr()
        for unwanted in ("w:spacing", "w:kern"):
            element = rpr.find(qn(unwanted))
            if element is not None:
                rpr.remove(element)
        self._style_base(title, self.fonts.title, TITLE_SIZE_PT)
        title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
        # A 22 pt character on the 3号 character grid would take two cells; keep the title off the grid.
        _set_snap_to_grid(title, snap=False)

        for name, font in (("Heading 1", self.fonts.heading1), ("Heading 2", self.fonts.heading2)):
            heading = styles[name]
            self._style_base(heading, font, body)
            heading.paragraph_format.keep_with_next = True
            heading.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            _set_first_line_chars(heading.element.get_or_add_pPr(), 2, body)

        footer = styles["Footer"]
        self._style_base(footer, self.fonts.page_number, PAGE_NUMBER_SIZE_PT)
        footer.paragraph_format.line_spacing = Pt(PAGE_NUMBER_SIZE_PT)
        _set_snap_to_grid(footer, snap=False)

    def _setup_page_numbers(self, section: Section) -> None:
        """Odd pages: "— n —" right-aligned, one character in; even pages: left-aligned, one character in."""
        self.document.settings.odd_and_even_pages_header_footer = True
        one_char = Pt(PAGE_NUMBER_SIZE_PT)
        for footer, alignment in (
            (section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
            (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
        ):
            footer.is_linked_to_previous = False
            paragraph = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
            paragraph.style = self.document.styles["Footer"]
            paragraph.alignment = alignment
            if alignment == WD_ALIGN_PARAGRAPH.RIGHT:
                paragraph.paragraph_format.right_indent = one_char
            else:
                paragraph.paragraph_format.left_indent = one_char
            self._add_page_field(paragraph)

    def _footer_run(self, paragraph: Paragraph, text: str = "") -> Run:
        run = paragraph.add_run(text)
        set_east_asian_font(run, self.fonts.page_number, self.fonts.latin)
        run.font.size = Pt(PAGE_NUMBER_SIZE_PT)
        return run

    def _add_page_field(self, paragraph: Paragraph) -> None:
        """Append "— {PAGE} —" where PAGE is a complex field (begin / instrText / separate / result / end)."""
        self._footer_run(paragraph, f"{EM_DASH} ")
        begin = self._footer_run(paragraph)
        begin._r.append(_fld_char("begin"))
        instr = self._footer_run(paragraph)
        instr_text = OxmlElement("w:instrText")
        instr_text.set(qn("xml:space"), "preserve")
        instr_text.text = " PAGE "
        instr._r.append(instr_text)
        separate = self._footer_run(paragraph)
        separate._r.append(_fld_char("separate"))
        self._footer_run(paragraph, "1")
        end = self._footer_run(paragraph)
        end._r.append(_fld_char("end"))
        self._footer_run(paragraph, f" {EM_DASH}")

    # -- content ---------------------------------------------------------------------------------------------

    def _font_for(self, kind: BlockKind) -> str:
        return {"heading1": self.fonts.heading1, "heading2": self.fonts.heading2}.get(kind, self.fonts.body)

    def add_title(self, title: str) -> Paragraph:
        """Add the centred 2号 小标宋 title; a line break in ``title`` starts a new title line."""
        paragraph = self.document.add_paragraph(style="Title")
        for index, line in enumerate(title.split("\n")):
            run = paragraph.add_run(line)
            set_east_asian_font(run, self.fonts.title, self.fonts.latin)
            if index:
                run._r.insert(run._r.index(run._r.find(qn("w:t"))), OxmlElement("w:br"))
        return paragraph

    def add_blank_line(self) -> Paragraph:
        """Add an empty body line (e.g. the line left blank below the title, clause 7.3.2)."""
        return self.document.add_paragraph(style="Normal")

    def add_block(self, block: Block) -> Paragraph:
        """Add one heading or paragraph; every run gets its East-Asian font, figure runs a bookmark."""
        style = {"heading1": "Heading 1", "heading2": "Heading 2"}.get(block.kind, "Normal")
        paragraph = self.document.add_paragraph(style=style)
        if block.kind == "paragraph" and block.indent:
            _set_first_line_chars(paragraph._p.get_or_add_pPr(), 2, self.layout.body_size_pt)
        elif not block.indent:
            # Both attributes: a style's firstLineChars would otherwise win over a direct firstLine="0".
            _set_first_line_chars(paragraph._p.get_or_add_pPr(), 0, self.layout.body_size_pt)
        font = self._font_for(block.kind)
        for piece in block.runs:
            run = paragraph.add_run(piece.text)
            set_east_asian_font(run, font, self.fonts.latin)
            if piece.bold:
                run.bold = True
            if piece.figure:
                self._bookmark(run, piece.figure)
        return paragraph

    def add_blocks(self, blocks: Iterable[Block]) -> None:
        """Add several blocks in order."""
        for block in blocks:
            self.add_block(block)

    def _bookmark(self, run: Run, figure: str) -> None:
        """Wrap ``run`` in a bookmark ``fig_<n>_<figure>`` (Word limits names to 40 characters)."""
        self._bookmark_id += 1
        safe = re.sub(r"\W", "_", figure, flags=re.ASCII)
        name = f"fig_{self._bookmark_id}_{safe}"[:40]
        start = OxmlElement("w:bookmarkStart")
        start.set(qn("w:id"), str(self._bookmark_id))
        start.set(qn("w:name"), name)
        end = OxmlElement("w:bookmarkEnd")
        end.set(qn("w:id"), str(self._bookmark_id))
        run._r.addprevious(start)
        run._r.addnext(end)

    def figure_bookmarks(self) -> dict[str, str]:
        """Bookmark name → text of the run it wraps, for every figure run added so far."""
        found: dict[str, str] = {}
        for start in self.document.element.body.iter(qn("w:bookmarkStart")):
            name = start.get(qn("w:name"), "")
            following = start.getnext()
            if name.startswith("fig_") and following is not None and following.tag == qn("w:r"):
                found[name] = "".join(t.text or "" for t in following.iter(qn("w:t")))
        return found

    # -- output ----------------------------------------------------------------------------------------------

    def save(self, path: str | Path) -> Path:
        """Make sure every run has an East-Asian font, then write the .docx to ``path``."""
        return self.save_document(self.document, path, self.fonts)

    @staticmethod
    def save_document(document: DocxDocument, path: str | Path, fonts: OfficialFonts | None = None) -> Path:
        """Save any python-docx document after :func:`ensure_east_asian_fonts` (body font as the default)."""
        fonts = fonts or OfficialFonts()
        ensure_east_asian_fonts(document, fonts.body, fonts.latin)
        target = Path(path)
        document.save(str(target))
        return target


def _fld_char(kind: str) -> OxmlElement:
    element = OxmlElement("w:fldChar")
    element.set(qn("w:fldCharType"), kind)
    return element


def build_document(
    title: str,
    blocks: Iterable[Block],
    fonts: OfficialFonts | None = None,
    layout: PageLayout = STANDARD_LAYOUT,
) -> DocxDocument:
    """Return a ``docx.Document``: the title, one blank line, then ``blocks``, laid out per GB/T 9704-2012.

    Save it with ``document.save(path)`` or :meth:`OfficialDocument.save_document`; every run already has its
    East-Asian font.
    """
    fonts = fonts or OfficialFonts()
    writer = OfficialDocument(fonts, layout)
    writer.add_title(title)
    writer.add_blank_line()
    writer.add_blocks(blocks)
    ensure_east_asian_fonts(writer.document, fonts.body, fonts.latin)
    return writer.document
