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

from xuanchuan.reports.docx_layout.document import OfficialDocument, build_document
from xuanchuan.reports.docx_layout.fonts import ensure_east_asian_fonts, set_east_asian_font
from xuanchuan.reports.docx_layout.geometry import (
    BODY_SIZE_PT,
    CHAR_SPACE,
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
