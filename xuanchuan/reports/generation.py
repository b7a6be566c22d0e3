"""Rendering a template for a period and a unit: every figure computed, formatted and traced.

:func:`render` reads the figures through the registry (each once per period, however often the
template uses it), formats them in the style the template asks for, and returns a
:class:`RenderedReport`: blocks of segments, each number carrying its figure key so the HTML
preview can link it to the records it counts and the .docx can bookmark it, plus the list of
flags — every place where the report could not say what the template asks (no data, no previous
year to compare with, a blank not bound, a broken reference). A report is never silently blank:
a flagged number is shown as 【…】 and listed.

The result is plain data (:meth:`RenderedReport.as_dict` / :meth:`RenderedReport.from_dict`), so a
background job can store it and the preview, the .docx and the Excel appendix are all made from
the same snapshot.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.utils import timezone

from xuanchuan.core import growth
from xuanchuan.reports import templating
from xuanchuan.reports.registry import FigureError, Measure, Period, UnknownFigure, get_figure

# Progress callback: (done, total, message).
Progress = Callable[[int, int, str], None]


# --- numbers -----------------------------------------------------------------------------------------


def _decimal(value: int | float | Decimal) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def about(value: Decimal) -> Decimal:
    """Rounded down to a round number, for a text that says 余 or 多 after it.

    Below 10 the number itself; below 100 whole tens (57 → 50); from 100 two significant digits
    (1,234 → 1,200; 567 → 560). Never rounds up: "1200余篇" must not claim more than there were.
    """
    value = value.to_integral_value(rounding=ROUND_FLOOR)
    if value < 10:
        return value
    if value < 100:
        return (value // 10) * 10
    step = Decimal(10) ** (len(str(int(value))) - 2)
    return (value // step) * step


def format_number(
    value: int | float | Decimal, options: frozenset[str] = frozenset(), digits: int | None = None
) -> str:
    """The number as the report writes it: plain digits, no thousands separators (公文 style)."""
    number = _decimal(value)
    if "wan" in options:
        number = number / Decimal(10000)
        if digits is None and "about" not in options:
            digits = 2 if number < 10 else 1 if number < 100 else 0
    if "about" in options:
        number = about(number)
        digits = 0
    if digits is None:
        digits = 0 if number == number.to_integral_value() else 1
    quantum = Decimal(1).scaleb(-digits)
    text = f"{number.quantize(quantum, rounding=ROUND_HALF_UP):f}"
    if "." in text and "wan" in options:
        text = text.rstrip("0").rstrip(".")
    return text


# --- the rendered report -------------------------------------------------------------------------------


@dataclass
class Segment:
    """A piece of a block: plain text, or a value with where it came from."""

    text: str
    figure: str | None = None  # the registry key of a number
    previous: bool = False  # the number is of the previous year
    flag: str = ""  # why the author must look at it; empty when fine


@dataclass
class RenderedBlock:
    kind: str
    segments: list[Segment]

    @property
    def text(self) -> str:
        return "".join(segment.text for segment in self.segments)


@dataclass
class FigureValue:
    """A figure as the report used it: the value for the period and, where asked, the year before."""

    key: str
    label: str
    unit: str
    description: str
    value: Any
    count: int | None  # records behind it, when the figure is a count or names its records
    previous_value: Any = None
    previous_count: int | None = None
    previous_computed: bool = False


@dataclass
class RenderedReport:
    title: str
    period: str  # Period.key
    period_label: str
    unit_id: int | None
    unit_name: str
    blocks: list[RenderedBlock]
    figures: dict[str, FigureValue]
    flags: list[dict[str, Any]] = field(default_factory=list)
    generated_at: str = ""

    @property
    def text(self) -> str:
        return "\n".join(block.text for block in self.blocks)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RenderedReport:
        blocks = [
            RenderedBlock(block["kind"], [Segment(**segment) for segment in block["segments"]])
            for block in data["blocks"]
        ]
        figures = {key: FigureValue(**value) for key, value in data["figures"].items()}
        fields = {name: data[name] for name in ("title", "period", "period_label", "unit_id", "unit_name")}
        return cls(**fields, blocks=blocks, figures=figures, flags=data.get("flags", []),
                   generated_at=data.get("generated_at", ""))  # fmt: skip


# --- rendering ------------------------------------------------------------------------------------------


def _strip_suffix(name: str, suffixes: str) -> str:
    return name[:-1] if len(name) > 2 and name[-1] in suffixes else name


def setting_values(period: Period, unit: Any) -> dict[str, str]:
    district = settings.XUANCHUAN_DISTRICT_NAME
    city = settings.XUANCHUAN_CITY_NAME
    return {
        "district": district,
        "district_short": _strip_suffix(district, "区县旗"),
        "city": city,
        "city_short": _strip_suffix(city, "市州盟"),
        "unit": unit.name if unit is not None else district,
        "year": str(period.start.year),
        "previous_year": str(period.start.year - 1),
        "period": period.label,
    }


def _count(measure: Measure) -> int | None:
    if measure.records is None:
        return None
    if isinstance(measure.value, int) and not isinstance(measure.value, bool):
        return measure.value  # the value is the count of its records
    return measure.records.count()


class _Figures:
    """Each figure computed at most once per period while a report renders."""

    def __init__(self, period: Period, unit: Any, progress: Progress | None, total: int) -> None:
        self.period, self.unit = period, unit
        self.previous_period = period.previous_year()
        self.values: dict[str, FigureValue] = {}
        self.progress, self.total, self.done = progress, total, 0

    def _tick(self, label: str) -> None:
        self.done += 1
        if self.progress is not None:
            self.progress(self.done, self.total, label)

    def get(self, key: str, previous: bool) -> FigureValue:
        definition = get_figure(key)
        item = self.values.get(key)
        if item is None:
            measure = definition.compute(self.period, self.unit)
            item = FigureValue(
                key=key,
                label=definition.label,
                unit=definition.unit,
                description=definition.description,
                value=measure.value,
                count=_count(measure),
            )
            self.values[key] = item
            self._tick(definition.label)
        if previous and not item.previous_computed:
            measure = definition.compute(self.previous_period, self.unit)
            item.previous_value, item.previous_count, item.previous_computed = measure.value, _count(measure), True
            self._tick(f"{item.label}（上年同期）")
        return item


def _json_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value) if value != value.to_integral_value() else int(value)
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _figure_segment(reference: templating.Reference, figures: _Figures) -> Segment:
    key = reference.source
    try:
        item = figures.get(key, reference.needs_previous)
    except UnknownFigure:
        return Segment(f"【没有指标 {key}】", flag=f"模板引用的指标“{key}”不存在")
    except FigureError as exc:  # an argument that is not one of its parameter's choices
        return Segment(f"【{exc}】", flag=str(exc))
    options = reference.options
    if "previous" in options:
        if item.previous_value is None:
            return Segment("【上年无数据】", key, True, f"“{item.label}”上年同期没有数据")
        return Segment(format_number(item.previous_value, options, reference.digits), key, True)
    if item.value is None:
        return Segment(f"【无数据：{item.label}】", key, flag=f"“{item.label}”在本期没有数据，请补录或改写这句话")
    if options & {"change", "growth"}:
        result = growth.change(item.value, item.previous_value)
        if result.percent is None:
            reason = growth.REASONS[result.reason]
            return Segment(f"【{reason}，无法计算同比】", key, flag=f"“{item.label}”{reason}，无法计算同比")
        digits = 1 if reference.digits is None else reference.digits
        return Segment(result.signed(digits) if "growth" in options else result.words(digits), key)
    text = format_number(item.value, options, reference.digits)
    flag = ""
    if item.count == 0:
        flag = f"“{item.label}”本期没有记录（为 0），请核实是否漏录"
    return Segment(text, key, flag=flag)


def count_figure_computations(body: str) -> int:
    """How many figure computations rendering ``body`` takes (for the progress bar)."""
    needed: set[tuple[str, bool]] = set()
    for line in templating.parse(body):
        for reference in line.references:
            if reference.kind == "figure":
                needed.add((reference.source, False))
                if reference.needs_previous:
                    needed.add((reference.source, True))
    return len(needed)


def render(
    body: str,
    period: Period,
    unit: Any = None,
    variables: dict[str, str] | None = None,
    *,
    title: str = "",
    progress: Progress | None = None,
) -> RenderedReport:
    """Render the template ``body`` for ``period`` and ``unit`` (``None``: the whole district)."""
    variables = variables or {}
    values = setting_values(period, unit)
    figures = _Figures(period, unit, progress, count_figure_computations(body))
    blocks: list[RenderedBlock] = []
    title_lines: list[str] = []
    flags: list[dict[str, Any]] = []
    for number, line in enumerate(templating.parse(body), start=1):
        segments: list[Segment] = []
        for piece in line.pieces:
            if isinstance(piece, str):
                segments.append(Segment(piece))
                continue
            if piece.kind == "figure":
                segment = _figure_segment(piece, figures)
            elif piece.kind == "setting":
                segment = Segment(values[piece.source])
            elif piece.kind == "variable":
                value = str(variables.get(piece.source, "")).strip()
                segment = Segment(value) if value else Segment(
                    f"【请填写：{piece.source}】", flag=f"模板变量“{piece.source}”还没有填写"
                )  # fmt: skip
            elif piece.kind == "unbound":
                segment = Segment("【待补】", flag="导入时未绑定的空白，请绑定指标或改写")
            else:
                segment = Segment(f"【{piece.error}】", flag=piece.error)
            if segment.flag:
                flags.append({"line": number, "figure": segment.figure, "message": segment.flag, "shown": segment.text})
            segments.append(segment)
        if line.kind == templating.TITLE:
            title_lines.append("".join(segment.text for segment in segments))
            continue
        blocks.append(RenderedBlock(line.kind, segments))
    figure_values = {}
    for key, item in figures.values.items():
        item.value, item.previous_value = _json_value(item.value), _json_value(item.previous_value)
        figure_values[key] = item
    return RenderedReport(
        title="\n".join(title_lines) or title or f"{values['unit']}{period.label}宣传思想工作报告",
        period=period.key,
        period_label=period.label,
        unit_id=getattr(unit, "pk", None),
        unit_name=values["unit"],
        blocks=blocks,
        figures=figure_values,
        flags=flags,
        generated_at=timezone.localtime().isoformat(timespec="seconds"),
    )
