"""The figure registry: every number the platform reports, declared once.

An app declares its figures in its ``metrics.py`` with the ``@figure`` decorator. A figure's
function takes a ``Period`` and a unit (``None`` for the whole district) and returns the records
behind the number: a queryset (the number is its count), or a ``Measure`` holding a value and the
queryset it was computed from. The report engine, the dashboards and the drill-down pages all read
numbers through :func:`compute`, so a number and its records always agree.

A figure may take a parameter (:class:`Parameter`): the events of *a named series*, the visitors
of *a holiday*. It is declared once; its function takes the argument as a third parameter, and a
template names the argument in parentheses after the key — ``culture.series_events(欢乐中国年)``
— chosen when a blank is bound. :func:`get_figure` of such a key gives the figure bound to its
argument (key, label and function), which the engine, the drill-down page and the API use like
any other; :func:`all_figures` lists the figures that need no argument unless asked for all.
"""

from __future__ import annotations

import calendar
import contextvars
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

# Years a period may be asked for: wide enough for any report of the platform, narrow enough that
# a year before, a month after and every date arithmetic of the figures stay within Python's dates.
MIN_YEAR = 2000
MAX_YEAR = 2100


class FigureError(ValueError):
    """A figure key or period that does not exist."""


class UnknownFigure(FigureError):
    """No figure is registered under the key asked for (404 in the API, unlike a bad period)."""


class ArgumentError(FigureError):
    """A parameter's argument missing, written wrongly or not one of its choices (400/422)."""


class PeriodError(FigureError):
    """A period written wrongly or outside the years the platform reports on (400/422, never 500)."""


@dataclass(frozen=True)
class Period:
    """A span of days, ``start`` and ``end`` both included."""

    start: date
    end: date
    label: str

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(date(year, 1, 1), date(year, 12, 31), f"{year}年")

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        last = calendar.monthrange(year, month)[1]
        return cls(date(year, month, 1), date(year, month, last), f"{year}年{month}月")

    @classmethod
    def days(cls, start: date, end: date) -> Period:
        if end < start:
            raise PeriodError("期间的结束日期早于开始日期")
        return cls(start, end, f"{start:%Y-%m-%d}至{end:%Y-%m-%d}")

    @classmethod
    def parse(cls, text: str) -> Period:
        """``2025``, ``2025-05`` or ``2025-05-01..2025-05-05``, within ``MIN_YEAR``..``MAX_YEAR``.

        Every period a person or a program asks for comes through here (pages, API, commands), so
        a wrong or far-off period is a ``PeriodError`` with a message, never an error further on.
        """
        text = text.strip()[:40]
        period = cls._from_key(text)
        if not (period.start.year >= MIN_YEAR and period.end.year <= MAX_YEAR):
            raise PeriodError(f"期间须在 {MIN_YEAR} 年至 {MAX_YEAR} 年之间：{text}")
        return period

    @classmethod
    def _from_key(cls, text: str) -> Period:
        """The period ``text`` names, in any year Python's dates allow."""
        try:
            if re.fullmatch(r"\d{4}", text):
                return cls.year(int(text))
            if match := re.fullmatch(r"(\d{4})-(\d{1,2})", text):
                return cls.month(int(match[1]), int(match[2]))
            if match := re.fullmatch(r"(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})", text):
                return cls.days(date.fromisoformat(match[1]), date.fromisoformat(match[2]))
        except PeriodError:
            raise
        except ValueError as exc:
            raise PeriodError(f"无法识别的期间：{text}") from exc
        raise PeriodError(f"无法识别的期间：{text}（应为 2025、2025-05 或 2025-05-01..2025-05-05）")

    @property
    def key(self) -> str:
        if self.start.month == 1 and self.start.day == 1 and self.end == date(self.start.year, 12, 31):
            return str(self.start.year)
        last = calendar.monthrange(self.start.year, self.start.month)[1]
        if self.start.day == 1 and self.end == date(self.start.year, self.start.month, last):
            return f"{self.start:%Y-%m}"
        return f"{self.start:%Y-%m-%d}..{self.end:%Y-%m-%d}"

    def previous_year(self) -> Period:
        """The same span a year earlier; a year or a month stays one (also before ``MIN_YEAR``)."""

        def shift(day: date) -> date:
            try:
                return day.replace(year=day.year - 1)
            except ValueError:  # 29 February
                return day.replace(year=day.year - 1, day=28)

        return Period._from_key(Period(shift(self.start), shift(self.end), "").key)

    @property
    def start_datetime(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.start, time.min))

    @property
    def end_datetime(self) -> datetime:
        """The first instant after the period, for ``__lt`` comparisons."""
        return timezone.make_aware(datetime.combine(self.end + timedelta(days=1), time.min))

    def q_instant(self, field: str) -> Q:
        """``field`` (a date-time) inside the period: the filter of a figure's records."""
        return Q(**{f"{field}__gte": self.start_datetime, f"{field}__lt": self.end_datetime})

    def q_date(self, field: str) -> Q:
        """``field`` (a date) inside the period."""
        return Q(**{f"{field}__gte": self.start, f"{field}__lte": self.end})


@dataclass(frozen=True)
class Measure:
    """A number and the records it was computed from."""

    value: int | Decimal | float | None
    records: QuerySet | None = None


@dataclass(frozen=True)
class Choice:
    """One argument a parameter offers: ``value`` is written in the template, ``label`` shown,
    ``words`` are how reports name it (五一, 五一小长假 for 劳动节), for the importer."""

    value: str
    label: str = ""
    words: tuple[str, ...] = ()


@dataclass(frozen=True)
class Parameter:
    """What a figure's argument chooses (``label``: 系列活动, 假日) and the choices offered.

    ``choices(unit)`` lists the arguments that make sense for a report of ``unit`` (``None``: the
    whole district), e.g. the series recorded there; it is asked when a blank is bound and by the
    editor. ``closed``: the argument must be one of the choices (the six holidays); otherwise any
    name is taken (a series that will be recorded next year counts nothing until it is).
    """

    label: str
    choices: Callable[[Any], list[Choice]]
    closed: bool = False


# A parameter's argument: a name without the characters that delimit a reference or a URL part.
_ARGUMENT = re.compile(r"[^(){}|/\\\x00-\x1f]{1,100}")
_BOUND_KEY = re.compile(r"([a-z_]+\.[a-z0-9_]+)\((.*)\)", re.DOTALL)


def clean_argument(argument: str) -> str:
    """``argument`` stripped, or an :class:`ArgumentError` saying what is wrong with it."""
    argument = (argument or "").strip()
    if not argument:
        raise ArgumentError("括号里须写明参数（如系列活动的名称）")
    if not _ARGUMENT.fullmatch(argument):
        raise ArgumentError(f"参数“{argument[:40]}”过长或含有 ( ) {{ }} | / \\ 等字符")
    return argument


def split_key(key: str) -> tuple[str, str | None]:
    """``("culture.series_events", "欢乐中国年")`` for ``culture.series_events(欢乐中国年)``;
    ``(key, None)`` for a key without an argument."""
    if match := _BOUND_KEY.fullmatch(key.strip()):
        return match[1], match[2]
    return key, None


@dataclass(frozen=True)
class Figure:
    """A declared figure of the report."""

    key: str
    label: str
    unit: str
    func: Callable[[Period, Any], QuerySet | Measure]
    synonyms: tuple[str, ...] = ()
    description: str = ""
    # Model whose records the figure counts, for the drill-down page's columns.
    app_label: str = field(default="")
    # The date or date-time field that places a record in a period, for a figure whose records
    # for a period are its records for any longer period with that field inside it, and whose
    # value is their count: a year's months are then counted in one grouped query (dashboards).
    date_field: str = ""
    # A figure made of others: its value is ``combine(*values of parts)`` for the same period
    # and unit (a rate of two counts), so the parts can be computed together (dashboards).
    parts: tuple[str, ...] = ()
    combine: Callable[..., Any] | None = None
    # A figure with a parameter: unbound (``argument`` None) it cannot be computed; :meth:`bind`
    # gives the figure for one argument, whose ``func`` takes a period and a unit like any other.
    parameter: Parameter | None = None
    argument: str | None = None

    @property
    def base_key(self) -> str:
        """The key without its argument (the key the figure is declared under)."""
        return split_key(self.key)[0]

    @property
    def needs_argument(self) -> bool:
        return self.parameter is not None and self.argument is None

    def bind(self, argument: str) -> Figure:
        """This figure for ``argument``: key ``key(argument)``, label ``label（argument）``."""
        if self.parameter is None or self.argument is not None:
            raise ArgumentError(f"指标“{self.label}”不带参数")
        argument = clean_argument(argument)
        label = argument
        if self.parameter.closed:
            labels = {choice.value: choice.label or choice.value for choice in self.parameter.choices(None)}
            if argument not in labels:
                raise ArgumentError(f"指标“{self.label}”的{self.parameter.label}只能是：{'、'.join(labels)}")
            label = labels[argument]
        declared = self.func

        def bound(period: Period, unit: Any) -> QuerySet | Measure:
            return declared(period, unit, argument)

        return replace(self, key=f"{self.key}({argument})", label=f"{self.label}（{label}）", func=bound,
                       argument=argument)  # fmt: skip

    def compute(self, period: Period, unit: Any = None) -> Measure:
        if self.needs_argument:
            raise ArgumentError(f"指标“{self.label}”须选择{self.parameter.label}：{self.key}(…)")  # type: ignore[union-attr]
        result = self.func(period, unit)
        if isinstance(result, Measure):
            return result
        if isinstance(result, QuerySet):
            return Measure(result.count(), result)
        raise TypeError(f"figure {self.key} returned {type(result).__name__}, not a QuerySet or Measure")


_registry: dict[str, Figure] = {}


def figure(
    key: str,
    *,
    label: str,
    unit: str,
    synonyms: tuple[str, ...] = (),
    description: str = "",
    date_field: str = "",
    parts: tuple[str, ...] = (),
    combine: Callable[..., Any] | None = None,
    parameter: Parameter | None = None,
) -> Callable[[Callable[[Period, Any], QuerySet | Measure]], Callable[[Period, Any], QuerySet | Measure]]:
    """Declare a figure; used as a decorator in an app's ``metrics.py``.

    ``date_field`` declares that the figure counts records by one date: its function returns a
    queryset, and its records for a period are its records for a longer period whose
    ``date_field`` (a date, or a date-time in the current time zone) falls in the period. Only
    then may its months be counted together (``dashboards.counts_by_month``; a test checks each
    declaring figure month by month against :meth:`Figure.compute`).

    ``parts`` and ``combine`` declare that the figure's value is ``combine`` of the values of the
    figures ``parts`` (their keys) for the same period and unit, e.g. a rate of two counts; its
    function must give the same value (a test checks each against :meth:`Figure.compute`).

    ``parameter`` declares a figure of one chosen thing (a named series, a holiday): its function
    takes the argument as a third parameter, ``func(period, unit, argument)``.
    """
    if bool(parts) != (combine is not None):
        raise ValueError(f"figure {key!r}: parts and combine go together")
    if parameter is not None and parts:
        raise ValueError(f"figure {key!r}: a figure with a parameter cannot be made of parts")
    if not re.fullmatch(r"[a-z_]+\.[a-z0-9_]+", key):
        raise ValueError(f"figure key {key!r} must look like 'app.figure_name'")

    def register(func: Callable[[Period, Any], QuerySet | Measure]) -> Callable[[Period, Any], QuerySet | Measure]:
        existing = _registry.get(key)
        if existing is not None and existing.func.__qualname__ != func.__qualname__:
            raise ValueError(f"figure {key!r} is declared twice")
        _registry[key] = Figure(
            key=key,
            label=label,
            unit=unit,
            func=func,
            synonyms=tuple(synonyms),
            description=description or (func.__doc__ or "").strip(),
            app_label=key.split(".", 1)[0],
            date_field=date_field,
            parts=tuple(parts),
            combine=combine,
            parameter=parameter,
        )
        return func

    return register


def get_figure(key: str) -> Figure:
    """The figure ``key`` names; ``base(argument)`` gives the figure ``base`` bound to ``argument``."""
    base, argument = split_key(key)
    try:
        item = _registry[base]
    except KeyError:
        raise UnknownFigure(f"没有这个指标：{key[:120]}") from None
    return item if argument is None else item.bind(argument)


def all_figures(*, with_parameters: bool = False) -> list[Figure]:
    """The registered figures by key: those computed as they are, and (``with_parameters``) also
    those that need an argument, unbound (the importer, the editor and the catalogue list them)."""
    found = _registry.values() if with_parameters else (item for item in _registry.values() if item.parameter is None)
    return sorted(found, key=lambda item: item.key)


def catalogue(unit: Any = None) -> list[Figure]:
    """Every figure as it can be computed for a report of ``unit`` (``None``: the district): each
    figure without a parameter, and each figure with one bound to every choice it offers there
    (the series recorded, the holidays) — the catalogue page, the editor and the importer's lists."""
    found = []
    for item in all_figures(with_parameters=True):
        if item.parameter is None:
            found.append(item)
            continue
        for choice in item.parameter.choices(unit):
            try:
                found.append(item.bind(choice.value))
            except ArgumentError:
                continue  # a recorded name the template syntax cannot carry
    return found


def compute(key: str, period: Period, unit: Any = None) -> Measure:
    return get_figure(key).compute(period, unit)


@contextmanager
def scratch() -> Iterator[None]:
    """Figures declared inside the block disappear after it (for tests that declare their own)."""
    saved = dict(_registry)
    try:
        yield
    finally:
        _registry.clear()
        _registry.update(saved)


# Reads that figures share while many values are computed together (see :func:`batch`).
_shared: contextvars.ContextVar[dict[Any, Any] | None] = contextvars.ContextVar("figure_shared_reads", default=None)


@contextmanager
def batch() -> Iterator[None]:
    """Compute many values inside: a read kept with :func:`shared` is made once for the block
    (the dashboards compute a page's missing values inside one), not kept after it."""
    token = _shared.set({} if _shared.get() is None else _shared.get())
    try:
        yield
    finally:
        _shared.reset(token)


def shared(key: Any, read: Callable[[], Any]) -> Any:
    """``read()``, once per :func:`batch` for ``key`` (every time outside one): for a figure's
    reads that do not depend on the period or unit asked for, e.g. which units must report."""
    reads = _shared.get()
    if reads is None:
        return read()
    if key not in reads:
        reads[key] = read()
    return reads[key]
