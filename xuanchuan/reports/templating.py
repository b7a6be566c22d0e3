"""The text of a report template: lines of prose with references to figures and settings.

A template is plain text, one paragraph per line (blank lines are ignored), so that staff can edit
it in a text box and an imported document maps onto it line by line:

- ``# 标题`` — the report's title (the first such line; a second one is a second title line);
- ``## 一、加强理论武装`` — a first-level heading (黑体), ``### （一）理论学习`` — a second-level one (楷体);
- ``> 尊敬的各位领导：`` — a paragraph set flush left (a salutation);
- any other line — a body paragraph, indented by two characters.

Inside a line, ``{{ … }}`` is a reference. Its first word names what is shown:

- a registry figure (``{{ arrivals.registrations }}``; a figure with a parameter names its argument
  in parentheses: ``{{ culture.series_events(欢乐中国年) }}``), optionally followed by options:
  ``about`` (rounded down to a round number, for ``×余篇``, ``×多场次``), ``wan`` (in units of
  10,000, for ``×万人次``), ``previous`` (the same figure for the same period a year earlier),
  ``change`` (year on year as words: 增长12.5% / 下降3.0% / 持平), ``growth`` (year on year as a signed
  number, for a text that already says 同比增长×%), ``digits=N`` (decimal places);
- a setting: ``district`` (the district's full name, 示范区), ``district_short`` (示范, for ``×区``
  written with its own 区), ``city``, ``city_short``, ``unit`` (the unit the report is for),
  ``year`` and ``previous_year`` (of the period), ``period`` (its label);
- a template variable ``var.NAME`` (a name or title the author sets per template, e.g. the addressee);
- ``?`` — a blank the author has not bound yet: the report shows it flagged, never silently empty.

:func:`parse` turns the text into :class:`Line` objects; it never raises: a malformed or unknown
reference becomes a :class:`Reference` with an ``error`` the editor and the report both show.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

TITLE = "title"
HEADING1 = "heading1"
HEADING2 = "heading2"
PARAGRAPH = "paragraph"
FLUSH = "flush"

SETTINGS = {
    "district": "区（县）全称",
    "district_short": "区（县）简称（不含“区”“县”）",
    "city": "市全称",
    "city_short": "市简称（不含“市”）",
    "unit": "报告单位名称",
    "year": "报告年度",
    "previous_year": "上一年度",
    "period": "报告期间",
}
OPTIONS = {
    "about": "约数（向下取整到整十、整百……，用于“×余”“×多”）",
    "wan": "以万为单位（用于“×万人次”）",
    "previous": "上年同期的数值",
    "change": "同比变化的文字（增长×% / 下降×% / 持平）",
    "growth": "同比增减百分数（带正负号）",
}
UNBOUND = "?"

_REFERENCE = re.compile(r"\{\{(.*?)\}\}")
_FIGURE_KEY = re.compile(r"[a-z_]+\.[a-z0-9_]+")
# A figure with its argument, then the options: ``culture.series_events(欢乐 中国年) change``.
_WITH_ARGUMENT = re.compile(r"\s*([a-z_]+\.[a-z0-9_]+)\(([^)]*)\)(.*)", re.DOTALL)
_VARIABLE = re.compile(r"var\.([A-Za-z_][A-Za-z0-9_]*)")
_DIGITS = re.compile(r"digits=([0-3])")
_LINE_KINDS = (("### ", HEADING2), ("## ", HEADING1), ("# ", TITLE), ("> ", FLUSH))


@dataclass(frozen=True)
class Reference:
    """One ``{{ … }}`` of a template: what it shows and how."""

    source: str
    kind: str  # "figure", "setting", "variable", "unbound" or "error"
    options: frozenset[str] = frozenset()
    digits: int | None = None
    error: str = ""
    raw: str = ""

    @property
    def figure_key(self) -> str | None:
        return self.source if self.kind == "figure" else None

    @property
    def needs_previous(self) -> bool:
        return bool(self.options & {"previous", "change", "growth"})


@dataclass(frozen=True)
class Line:
    """One line of a template: its kind and its pieces, text (``str``) and references in order."""

    kind: str
    pieces: tuple[str | Reference, ...] = field(default_factory=tuple)

    @property
    def references(self) -> Iterator[Reference]:
        return (piece for piece in self.pieces if isinstance(piece, Reference))


def with_argument(key: str) -> str:
    """How :func:`parse_reference`'s ``known_figures`` lists a figure that takes an argument."""
    return f"{key}()"


def parse_reference(inner: str, known_figures: frozenset[str] | None = None) -> Reference:
    """The reference written as ``{{ inner }}``; ``known_figures`` (when given) are the valid keys,
    a figure that takes an argument listed as :func:`with_argument` of its key."""
    raw = "{{" + inner + "}}"
    if match := _WITH_ARGUMENT.fullmatch(inner):
        return _figure_with_argument(match[1], match[2], match[3].replace("|", " ").split(), known_figures, raw)
    words = inner.replace("|", " ").split()
    if not words:
        return Reference("", "error", error="空引用“{{ }}”", raw=raw)
    source, rest = words[0], words[1:]
    if source == UNBOUND:
        return Reference(UNBOUND, "unbound", raw=raw)
    if source in SETTINGS:
        if rest:
            return Reference(source, "error", error=f"设置项“{source}”不带选项", raw=raw)
        return Reference(source, "setting", raw=raw)
    if match := _VARIABLE.fullmatch(source):
        return Reference(match[1], "variable", raw=raw)
    if not _FIGURE_KEY.fullmatch(source):
        return Reference(source, "error", error=f"无法识别的引用“{source}”", raw=raw)
    if known_figures is not None and source not in known_figures:
        if with_argument(source) in known_figures:
            return Reference(source, "error", error=f"指标“{source}”须在括号里写明参数：{source}(…)", raw=raw)
        return Reference(source, "error", error=f"没有这个指标：{source}", raw=raw)
    return _figure(source, rest, raw)


def _figure_with_argument(
    key: str, argument: str, rest: list[str], known_figures: frozenset[str] | None, raw: str
) -> Reference:
    from xuanchuan.reports.registry import ArgumentError, clean_argument

    if known_figures is not None and with_argument(key) not in known_figures:
        if key in known_figures:
            return Reference(key, "error", error=f"指标“{key}”不带参数", raw=raw)
        return Reference(key, "error", error=f"没有这个指标：{key}", raw=raw)
    try:
        argument = clean_argument(argument)
    except ArgumentError as exc:
        return Reference(key, "error", error=f"指标“{key}”：{exc}", raw=raw)
    return _figure(f"{key}({argument})", rest, raw)


def _figure(source: str, rest: list[str], raw: str) -> Reference:
    options: set[str] = set()
    digits = None
    for word in rest:
        if match := _DIGITS.fullmatch(word):
            digits = int(match[1])
        elif word in OPTIONS:
            options.add(word)
        else:
            return Reference(source, "error", error=f"指标“{source}”的选项“{word}”无法识别", raw=raw)
    if len(options & {"previous", "change", "growth"}) > 1:
        return Reference(source, "error", error="previous、change、growth 只能选一个", raw=raw)
    return Reference(source, "figure", frozenset(options), digits, raw=raw)


def parse_line(text: str, known_figures: frozenset[str] | None = None) -> Line:
    kind = PARAGRAPH
    for prefix, line_kind in _LINE_KINDS:
        if text.startswith(prefix):
            kind, text = line_kind, text[len(prefix) :]
            break
    pieces: list[str | Reference] = []
    position = 0
    for match in _REFERENCE.finditer(text):
        if match.start() > position:
            pieces.append(text[position : match.start()])
        pieces.append(parse_reference(match[1], known_figures))
        position = match.end()
    if position < len(text):
        pieces.append(text[position:])
    return Line(kind, tuple(pieces))


def parse(body: str, known_figures: frozenset[str] | None = None) -> list[Line]:
    """The template's lines in order (blank lines dropped)."""
    return [parse_line(line.strip(), known_figures) for line in body.splitlines() if line.strip()]


def figure_keys(body: str) -> list[str]:
    """The figure keys the template refers to, each once, in order of first use."""
    seen: dict[str, None] = {}
    for line in parse(body):
        for reference in line.references:
            if reference.kind == "figure":
                seen.setdefault(reference.source)
    return list(seen)


def problems(body: str, known_figures: frozenset[str]) -> list[tuple[int, str]]:
    """``(line number, message)`` for every reference that cannot be rendered as written."""
    found = []
    lines = list(body.splitlines())
    for number, text in enumerate(lines, start=1):
        if not text.strip():
            continue
        if text.count("{{") != text.count("}}"):
            found.append((number, "“{{”与“}}”不成对"))
        for reference in parse_line(text.strip(), known_figures).references:
            if reference.kind == "error":
                found.append((number, reference.error))
    return found


def reference_text(source: str, *options: str) -> str:
    """The ``{{ … }}`` text of a reference, as the editor and the importer write it."""
    return "{{ " + " ".join((source, *options)) + " }}"
