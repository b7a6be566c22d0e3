"""Write reports as .docx files laid out per GB/T 9704-2012 (党政机关公文格式).

The writer sits on python-docx (``python-docx>=1.2,<2``) and fixes what the standard prescribes:

* A4 paper (clause 5.1) with 天头 37 mm and 订口 28 mm; the 版心 (text block) is 156 mm × 225 mm, hence a
  right margin of 210 − 28 − 156 = 26 mm and a bottom margin of 297 − 37 − 225 = 35 mm (clause 5.2.1).
* Body text in 3号 (16 pt) 仿宋, 22 lines of 28 characters filling the text block (clauses 5.2.2, 5.2.3): the
  paragraphs use an exact line spacing of 579 twips (28.95 pt, :data:`LINE_PITCH_TWIPS`), the section a line
  grid ``<w:docGrid w:type="lines" w:linePitch="579" w:charSpace="-842"/>``, and the body-size styles a
  character spacing of −0.25 pt (:data:`CHAR_SPACING_TWIPS`): 28 × 15.75 pt = 441 pt of the 442.25 pt line.
  A character grid (``linesAndChars``) is not used: LibreOffice gives each 16 pt character two cells of the
  15.79 pt grid, 14 characters per line. Body text is left-aligned rather than justified: a full line already
  fills the text block to 1.25 pt, and LibreOffice 7.4 drops a 。 or ， hanging past the end of a justified
  line; the cost is that a line with Arabic numerals may end up to one character short in Word too.
  ``xuanchuan/reports/tests/test_docx_render.py`` renders a report with LibreOffice and measures all this.
* Title in 2号 (22 pt) 小标宋, centred (7.3.1); first-level headings ("一、") in 3号 黑体, second-level
  ("（一）") in 3号 楷体, not bold (7.3.3); every paragraph indented by two characters (7.3.3).
* Page numbers "— 1 —" in 4号 (14 pt) 宋体 below the text block, odd pages right and even pages left, each one
  character from the edge of the text block (7.5), produced by a ``PAGE`` field.

Word and LibreOffice render Chinese text with the East-Asian font slot (``w:rFonts/@w:eastAsia``), which
python-docx's ``font.name`` does not set. :func:`set_east_asian_font` sets it on a run or a style, and
:func:`ensure_east_asian_fonts` (called by :meth:`OfficialDocument.save`) makes sure every run in the body,
headers and footers carries it, including runs added later by other code.

The files name the official fonts (方正小标宋简体, 仿宋_GB2312, 黑体, 楷体_GB2312, 宋体), which government PCs have;
no fallback names are written into the document. Elsewhere the word processor substitutes (LibreOffice on Debian
with fonts-noto-cjk sets every element in Noto Sans CJK; a fontconfig ``<alias>`` per name picks better faces).
CJK characters are one em wide in all of these fonts, so the page geometry does not depend on the substitute.

Typical use::

    doc = build_document("标题", [Block.heading1("一、总体情况"), Block.paragraph("正文。")])
    OfficialDocument.save_document(doc, "report.docx")

or, to keep adding content, ``OfficialDocument(...).add_blocks(...)`` and ``.save(path)``.
"""

from xuanchuan.core.docx_layout.document import OfficialDocument, build_document
from xuanchuan.core.docx_layout.fonts import ensure_east_asian_fonts, set_east_asian_font
from xuanchuan.core.docx_layout.geometry import (
    BODY_SIZE_PT,
    CHAR_SPACE,
    CHAR_SPACING_TWIPS,
    CHARS_PER_LINE,
    LINE_PITCH_TWIPS,
    LINES_PER_PAGE,
    Block,
    BlockKind,
    OfficialFonts,
    PageLayout,
    TextRun,
)

__all__ = [
    "BODY_SIZE_PT",
    "CHAR_SPACE",
    "CHAR_SPACING_TWIPS",
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
