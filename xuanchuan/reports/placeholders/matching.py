"""Which registry figure fits a numeric blank: the words of its sentence against each figure's
label and synonyms, weighed by how near they stand, and the unit written after the blank against
the figure's unit (the same unit, one of its kind, or another)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from xuanchuan.reports.registry import Choice, Figure

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


def _nearest_piece(term: str, before: str, after: str) -> tuple[float, tuple[int, int] | None]:
    """How much of ``term`` the words around the blank contain, nearer words weighing more, and
    where the piece that scored stands (character offsets into ``before + after``)."""
    best, where = 0.0, None
    length = len(term)
    for size in range(length, 0, -1):
        # One character of a longer term says nothing, nor do two of a term of four or more (媒体 of 主流媒体).
        if size < 2 and length > 1 or size == 2 < length and size / length < 0.75:
            break
        for offset in range(length - size + 1):
            piece = term[offset : offset + size]
            found = []
            if (at := before.rfind(piece)) != -1:
                found.append((len(before) - (at + size), at))
            if (at := after.find(piece)) != -1:
                found.append((at, len(before) + at))
            # A one-character term (``村``) counts only right next to the blank.
            if found and (size > 1 or min(found)[0] <= 1):
                distance, at = min(found)
                nearness = 1.0 - 0.5 * min(distance, _CONTEXT_BEFORE) / _CONTEXT_BEFORE
                if (score := size / length * nearness) > best:
                    best, where = score, (at, at + size)
        if best:
            break
    return best, where


def _term_score(term: str, before: str, after: str) -> float:
    """How much of ``term`` the words around the blank contain, nearer words weighing more."""
    return _nearest_piece(term, before, after)[0]


# Figures whose best words fit a blank equally (微信 and 抖音 both count 点击量; 稿件 of 新闻稿件 and of
# 各类稿件) are told apart by how much of the words around the blank all their terms together explain
# (微信公众号 … 点击量; 累计发表各类稿件). It only breaks such ties: the most it adds is less than one
# character of nearness (0.5 / 40), so it never outweighs a nearer word.
_COVERAGE_WEIGHT = 0.01
_COVERAGE_FULL = 20


def _covered(item: Figure, before: str, after: str) -> set[int]:
    """The characters around the blank that the figure's terms stand for: each term's nearest piece,
    and what the term adds to that piece where it stands whole (微信 of 微信点击量 found beside 点击量)."""
    text = before + after
    covered: set[int] = set()
    for term in (item.label, *item.synonyms):
        score, where = _nearest_piece(term, before, after)
        if not where:
            continue
        if score >= 0.5:
            covered.update(range(*where))
        piece = text[where[0] : where[1]]
        for rest in term.split(piece, 1):
            if len(rest) > 1 and (at := text.rfind(rest, 0, len(before))) != -1:
                covered.update(range(at, at + len(rest)))
    return covered


def _figure_score(item: Figure, before: str, after: str, unit: str) -> float:
    """The score of ``item`` for a numeric blank; 0 when none of its words is around."""
    found = [_nearest_piece(term, before, after) for term in (item.label, *item.synonyms) if term]
    text_score = max(score for score, _where in found)
    if text_score < 0.5:
        return 0.0
    covered = _covered(item, before, after)
    coverage = min(len(covered), _COVERAGE_FULL) / _COVERAGE_FULL
    return (text_score + _COVERAGE_WEIGHT * coverage) * _unit_fit(item.unit, unit)


def propose(figures: Iterable[Figure], before: str, after: str, unit: str) -> list[str]:
    """The keys of the figures that fit a numeric blank, best first (at most four)."""
    scored = [(score, item.key) for item in figures if (score := _figure_score(item, before, after, unit)) >= 0.3]
    scored.sort(key=lambda pair: (-pair[0], pair[1]))
    return [key for _score, key in scored[:4]]


# How far back in its paragraph a blank looks for the name of a parameter's argument: a series
# named at the start of a sentence, a holiday two clauses earlier (五一小长假，……；旅游综合收入达到×万元).
_ARGUMENT_WINDOW = 200


def _longest_common(word: str, text: str) -> tuple[int, int]:
    """The length of the longest piece of ``word`` found in ``text``, and where its last match ends."""
    for size in range(len(word), 1, -1):
        best_end = -1
        for offset in range(len(word) - size + 1):
            if (at := text.rfind(word[offset : offset + size])) != -1:
                best_end = max(best_end, at + size)
        if best_end != -1:
            return size, best_end
    return 0, -1


def choose_argument(choices: Iterable[Choice], paragraph_before: str) -> str | None:
    """The choice the paragraph names before a blank (the nearest of those it names best), or None.

    A choice is named when at least half of one of its words (value, label, how reports say it) —
    and at least two characters — stands in the paragraph: 激昂新×·欢乐中国年 names the series
    激昂新示范·欢乐中国年, 五一小长假 names 劳动节 through its word 五一."""
    text = paragraph_before[-_ARGUMENT_WINDOW:]
    best: tuple[float, str] | None = None
    for choice in choices:
        for word in {choice.value, choice.label, *choice.words} - {""}:
            size, end = _longest_common(word, text)
            if size < 2 or size / len(word) < 0.5:
                continue
            distance = len(text) - end
            score = size / len(word) - 0.5 * distance / _ARGUMENT_WINDOW
            if best is None or score > best[0]:
                best = (score, choice.value)
    return best[1] if best else None
