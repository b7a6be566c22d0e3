"""Placeholders in an existing report: find every blanked figure, classify it, propose a registry figure.

An author blanks the figures of a report with whatever mark is at hand: ``×``, ``××``, ``X``, ``XX``,
``xx``, ``**``, the full-width forms ``ＸＸ``, ``ｘｘ``, ``＊＊``, a year written as ``202×``, or a
lone ``*``, ``_`` or ``__`` where the sentence says what it stands for.
:func:`find_placeholders` finds each of them in text order and tells what it stands for:

- ``number``: followed by a unit or measure word (``×场次``, ``×万余份``, ``×多条``, ``近×万人（次）``,
  ``×%``, a score ``测评得分×分``, a rank ``全市第×名``), or an ordinal or total without one (``第×``,
  ``共计×。``). For a number the registry figure whose label and synonyms best fit the words around
  it, and whose unit fits, is proposed (a rank fits no count of people).
- ``place``: a place or organisation (``×区``, ``×区委宣传部``, ``×政务网``, ``讲好×故事``,
  ``幸福美好×``, ``×特产``); also the class of a blank nothing else explains.
- ``name``: a person or title (``尊敬的×``, ``×同志``, ``×书记``), names listed in parentheses
  after a count of people (``先进个人1人（**）``, ``3名（***、**）``), or the name of a work, column
  or account (``《纵横×》``, ``“×宣传”``).
- ``year``: a year (``202×``, ``×年工作方案``); a blanked month or day of a date (``×月×日``) is a
  ``year`` too, with unit ``月`` or ``日``.

Latin letters count as a mark only where they stand alone among Chinese text: ``Xbox``, ``LED``,
``X光`` and ``扫H除E`` are words, not blanks. ``×`` or ``*`` between digits is a multiplication
sign; ``snake_case``, ``__init__`` and ``a*b`` are code; ``注*：`` is a footnote and ``**重点**``
Markdown emphasis.

The package: :mod:`.marks` finds and classifies the marks, :mod:`.matching` proposes figures,
:mod:`.documents` reads .docx and text files.

Offsets (``start``) refer to the text handed to :func:`find_placeholders`; for a ``.docx`` that is the
text :func:`extract_docx_text` returns, for a ``.txt`` the decoded text with newlines as ``\\n``
(:func:`read_document` does both).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from xuanchuan.reports.registry import all_figures

from .documents import decode_text, extract_docx_text, read_document
from .marks import CLASS_LABELS, NAME, NUMBER, PLACE, YEAR, classify, emphasis, is_rank, iter_marks
from .matching import RANK_UNIT, choose_argument, context, propose

__all__ = [
    "CLASS_LABELS",
    "NAME",
    "NUMBER",
    "PLACE",
    "YEAR",
    "Placeholder",
    "decode_text",
    "extract_docx_text",
    "find_placeholders",
    "propose",
    "read_document",
]


@dataclass
class Placeholder:
    """One blanked figure or name of a document.

    ``index`` counts from 0 in text order; ``start`` is the offset of ``mark`` (the blank as written,
    with the digits of a partly blanked year) in the text; ``cls`` is ``number``, ``place``, ``name``
    or ``year`` (``class`` in :meth:`as_dict`, the word being taken in Python); ``unit`` the measure
    word with its magnitude (``万人次``, ``万份``, ``%``; ``年``/``月``/``日`` for years and dates);
    ``context`` the words around it; ``figure`` the proposed registry key of a number and
    ``alternatives`` the runners-up, best first.
    """

    index: int
    start: int
    mark: str
    cls: str
    unit: str = ""
    context: str = ""
    figure: str | None = None
    alternatives: list[str] = field(default_factory=list)

    @property
    def end(self) -> int:
        """Offset just after the mark."""
        return self.start + len(self.mark)

    def as_dict(self) -> dict[str, Any]:
        """The JSON form: the class is under ``class``."""
        data = asdict(self)
        data["class"] = data.pop("cls")
        return {
            key: data[key] for key in ("index", "start", "mark", "class", "unit", "context", "figure", "alternatives")
        }


def find_placeholders(text: str, figures: Iterable[Any] | None = None, report_unit: Any = None) -> list[Placeholder]:
    """Every blank of ``text`` in order, classified, numbers with a proposed figure and the runners-up.

    ``figures`` defaults to the registry (:func:`~xuanchuan.reports.registry.all_figures`, with
    the figures that take an argument). A proposed figure that takes one is proposed bound to the
    choice (for a report of ``report_unit``) its paragraph names before the blank, ``key(argument)``, or
    unbound (``key``) when the paragraph names none: staff then choose it.
    """
    catalogue = list(all_figures(with_parameters=True) if figures is None else figures)
    by_key = {item.key: item for item in catalogue}
    arguments: dict[str, list[Any]] = {}
    marks = [
        (mark, classify(text, mark.start + len(mark.digits), mark.end, mark.digits if mark.is_year else ""))
        for mark in iter_marks(text)
    ]
    emphasised = emphasis(text, marks)
    found: list[Placeholder] = []
    for mark, (cls, unit, unit_end, sure) in marks:
        if mark.start in emphasised or (mark.weak and not sure and not mark.is_year):
            continue  # emphasis, or a lone * or _ that nothing around it explains
        if mark.digits and not mark.is_year and cls != NUMBER:
            cls = NUMBER  # digits and a blank (1××) make a number even without a unit
        before, after = context(text, mark.start, mark.end, unit_end)
        placeholder = Placeholder(
            index=len(found),
            start=mark.start,
            mark=text[mark.start : mark.end],
            cls=cls,
            unit=unit,
            context=f"{before}{text[mark.start : unit_end]}{after}",
        )
        if cls == NUMBER:
            matched_unit = RANK_UNIT if is_rank(text, mark.start, unit) else unit
            keys = propose(catalogue, before, after, matched_unit)
            paragraph = text[text.rfind("\n", 0, mark.start) + 1 : mark.start]
            keys = [_with_argument(by_key[key], paragraph, report_unit, arguments) for key in keys]
            if keys:
                placeholder.figure, placeholder.alternatives = keys[0], keys[1:]
        found.append(placeholder)
    return found


def _with_argument(item: Any, paragraph: str, unit: Any, arguments: dict[str, list[Any]]) -> str:
    """``item``'s key, bound to the argument its paragraph names where it takes one."""
    if getattr(item, "parameter", None) is None:
        return item.key
    if item.key not in arguments:
        arguments[item.key] = list(item.parameter.choices(unit))
    argument = choose_argument(arguments[item.key], paragraph)
    return f"{item.key}({argument})" if argument else item.key
