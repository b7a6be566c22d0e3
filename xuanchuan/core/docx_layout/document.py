"""The document builder: page, grid, styles, footers and blocks."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import docx
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Pt, RGBColor, Twips
from docx.styles.style import BaseStyle
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from xuanchuan.core.docx_layout.fonts import (
    _set_char_spacing,
    _set_first_line_chars,
    _set_rfonts,
    _set_snap_to_grid,
    ensure_east_asian_fonts,
    set_east_asian_font,
)
from xuanchuan.core.docx_layout.geometry import (
    EM_DASH,
    PAGE_NUMBER_SIZE_PT,
    STANDARD_LAYOUT,
    TITLE_SIZE_PT,
    Block,
    BlockKind,
    OfficialFonts,
    PageLayout,
    _mm_to_twips,
)


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
        # A line grid only: LibreOffice sets a 16 pt character on two cells of a 15.79 pt character grid (14 per
        # line); the 28 characters come from the styles' character spacing (PageLayout.char_spacing_twips).
        grid.set(qn("w:type"), "lines")
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
        # python-docx's template declares Japanese as the East-Asian theme language; this is a Chinese document.
        theme_lang = self.document.settings.element.find(qn("w:themeFontLang"))
        if theme_lang is not None:
            theme_lang.set(qn("w:eastAsia"), "zh-CN")
        ppr = defaults.find(f"{qn('w:pPrDefault')}/{qn('w:pPr')}")
        spacing = ppr.find(qn("w:spacing")) if ppr is not None else None
        if spacing is not None:
            ppr.remove(spacing)

    def _style_base(self, style: BaseStyle, font: str, size_pt: float, char_spacing: int = 0) -> None:
        """Common run and paragraph settings: font in all slots, size, black, not bold/italic, exact spacing.

        ``char_spacing`` (twentieths of a point) is written explicitly, 0 included, so that styles based on Normal
        do not inherit the body's −0.25 pt.
        """
        set_east_asian_font(style, font, self.fonts.latin)
        _set_char_spacing(style, char_spacing)
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
        self._style_base(normal, self.fonts.body, body, self.layout.char_spacing_twips)
        pf = normal.paragraph_format
        # Widow/orphan control would move lines to the next page and break "22 lines per page".
        pf.widow_control = False
        # Left, not justified: 28 characters already fill 441 of the 442.25 pt line, and LibreOffice (7.4) drops a
        # 。 or ， that hangs past the right edge of a justified line (measured: 8 marks lost in 5 pages).
        pf.alignment = WD_ALIGN_PARAGRAPH.LEFT

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
            self._style_base(heading, font, body, self.layout.char_spacing_twips)
            heading.paragraph_format.keep_with_next = True
            heading.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
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
