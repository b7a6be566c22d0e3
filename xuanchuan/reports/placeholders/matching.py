"""Which registry figure fits a numeric blank: the words of its sentence against each figure's
label and synonyms, weighed by how near they stand, and the unit written after the blank against
the figure's unit (the same unit, one of its kind, or another)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from xuanchuan.reports.registry import Figure

_MAGNITUDES = "十百千万亿"
RANK_UNIT = "名次"  # the unit a rank (第×名) is matched with: no count of people fits it

_CLAUSE_STOP = re.compile(r"[。！？；;\n]")
_PHRASE_STOP = re.compile(r"[，,。！？；;：:\n、]")
_CONTEXT_BEFORE = 40
_CONTEXT_AFTER = 15

# Units of the same kind: a figure counted in 人 fits a blank counted in 名 or 人次 better than one in 篇.
_UNIT_FAMILIES: tuple[frozenset[str], ...] = (
    frozenset({"场次", "场", "次", "期", "轮", "批", "届"}),
    frozenset({"人", "名", "位", "人次", "户", "户次"}),
    frozenset({"篇", "条", "份", "件", "张", "幅", "首", "部", "本", "册", "页", "版", "条次"}),
    frozenset({"个", "家", "所", "处", "座"}),
    frozenset({"%", "‰", "个百分点"}),
    frozenset({"元"}),
)


def context(text: str, start: int, end: int, unit_end: int) -> tuple[str, str]:
    """The words of the clause before the blank and of the phrase after its unit."""
    window_start = max(0, start - _CONTEXT_BEFORE)
    before = text[window_start:start]
    stops = list(_CLAUSE_STOP.finditer(before))
    if stops:
        before = before[stops[-1].end() :]
        if not before.strip() and stops[-1].group() == "\n":
            # A blank opening its line (a table cell of figures): the line before names it.
            line_end = window_start + stops[-1].start()
            line_start = text.rfind("\n", 0, line_end) + 1
            before = text[max(line_start, line_end - _CONTEXT_BEFORE) : line_end]
    after = text[unit_end : unit_end + _CONTEXT_AFTER]
    if stop := _PHRASE_STOP.search(after):
        after = after[: stop.start()]
    return before, after


def _unit_core(unit: str) -> str:
    """The measure word of a unit without its magnitude: ``万人次`` → ``人次``, ``万元`` → ``元``."""
    core = unit.lstrip(_MAGNITUDES)
    return core or unit


def _unit_fit(figure_unit: str, unit: str) -> float:
    """How well a figure's unit fits the unit written after a blank, from 0 to 1."""
    if not unit or not figure_unit:
        return 0.6
    wanted, offered = _unit_core(figure_unit), _unit_core(unit)
    if wanted == offered:
        return 1.0
    for family in _UNIT_FAMILIES:
        if wanted in family and offered in family:
            return 0.7
    return 0.15


def _term_score(term: str, before: str, after: str) -> float:
    """How much of ``term`` the words around the blank contain, nearer words weighing more."""
    best = 0.0
    length = len(term)
    for size in range(length, 0, -1):
        if size < 2 and length > 1:
            break
        for offset in range(length - size + 1):
            piece = term[offset : offset + size]
            positions = []
            if (at := before.rfind(piece)) != -1:
                positions.append(len(before) - (at + size))
            if (at := after.find(piece)) != -1:
                positions.append(at)
            # A one-character term (``村``) counts only right next to the blank.
            if positions and (size > 1 or min(positions) <= 1):
                distance = min(positions)
                nearness = 1.0 - 0.5 * min(distance, _CONTEXT_BEFORE) / _CONTEXT_BEFORE
                best = max(best, size / length * nearness)
        if best:
            break
    return best


# Two figures sharing the word beside a blank (微信 and 抖音 both count 点击量) are told apart by a
# second word that names what they count (微信公众号, 抖音) further off. It only breaks such ties: the
# most it adds is less than one character of nearness (0.5 / 40), so it never outweighs a nearer word.
_SECOND_WORD_WEIGHT = 0.01


def _figure_score(item: Figure, before: str, after: str, unit: str) -> float:
    """The score of ``item`` for a numeric blank; 0 when none of its words is around."""
    terms = [term for term in (item.label, *item.synonyms) if term]
    scores = sorted(((_term_score(term, before, after), term) for term in terms), reverse=True)
    text_score, best_term = scores[0]
    if text_score < 0.5:
        return 0.0
    # The best other word that is neither part of the best one nor contains it (点击 beside 点击量
    # says nothing new).
    second = next(
        (score for score, term in scores[1:] if score >= 0.5 and term not in best_term and best_term not in term),
        0.0,
    )
    return (text_score + _SECOND_WORD_WEIGHT * second) * _unit_fit(item.unit, unit)


def propose(figures: Iterable[Figure], before: str, after: str, unit: str) -> list[str]:
    """The keys of the figures that fit a numeric blank, best first (at most four)."""
    scored = [(score, item.key) for item in figures if (score := _figure_score(item, before, after, unit)) >= 0.3]
    scored.sort(key=lambda pair: (-pair[0], pair[1]))
    return [key for _score, key in scored[:4]]
