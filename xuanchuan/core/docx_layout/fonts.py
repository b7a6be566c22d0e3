"""East-Asian fonts on every run and style (python-docx does not set them by itself)."""

from __future__ import annotations

from collections.abc import Iterator

from docx.document import Document as DocxDocument
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.text.font import CT_RPr
from docx.oxml.text.parfmt import CT_PPr
from docx.styles.style import BaseStyle
from docx.text.run import Run

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


_RPR_AFTER_SPACING = (
    "w:w",
    "w:kern",
    "w:position",
    "w:sz",
    "w:szCs",
    "w:highlight",
    "w:u",
    "w:effect",
    "w:bdr",
    "w:shd",
    "w:fitText",
    "w:vertAlign",
    "w:rtl",
    "w:cs",
    "w:em",
    "w:lang",
    "w:eastAsianLayout",
    "w:specVanish",
    "w:oMath",
)
"""Elements that follow ``w:spacing`` in ``w:rPr`` (ECMA-376 schema order)."""


def _set_char_spacing(style: BaseStyle, twips: int) -> None:
    """Set the character spacing (``w:rPr/w:spacing``, twentieths of a point) of a style; 0 writes an explicit 0."""
    rpr = style.element.get_or_add_rPr()
    element = rpr.find(qn("w:spacing"))
    if element is None:
        element = OxmlElement("w:spacing")
        rpr.insert_element_before(element, *_RPR_AFTER_SPACING)
    element.set(qn("w:val"), str(twips))
