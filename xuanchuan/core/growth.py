"""Year-on-year change: the one arithmetic of 同比 for the report engine and every page.

A change is computed from two values, never typed. Where there is nothing to compare with it says
why instead of a number: no value for the previous period (``NO_PREVIOUS``), a previous value of
zero (``ZERO_BASE``: the growth would be infinite), or no value now (``NO_CURRENT``). A missing
value is ``None``, never 0: 0 is a value (no visitors at all), ``None`` is a value nobody recorded.

:func:`comparable` compares per day (or per any unit of length) for periods of different lengths —
a holiday of 8 days against one of 5 the year before.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

Number = int | float | Decimal

NO_PREVIOUS = "no_previous"
ZERO_BASE = "zero_base"
NO_CURRENT = "no_current"
NO_LENGTH = "no_length"

REASONS = {
    NO_PREVIOUS: "上年无数据",
    ZERO_BASE: "上年为零",
    NO_CURRENT: "本期无数据",
    NO_LENGTH: "缺少天数",
}


def decimal(value: Number) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


@dataclass(frozen=True)
class Change:
    """A change in percent, or why there is none (``reason``, one of :data:`REASONS`)."""

    percent: Decimal | None
    reason: str = ""

    @property
    def known(self) -> bool:
        return self.percent is not None

    def rounded(self, digits: int = 1) -> Decimal | None:
        if self.percent is None:
            return None
        return self.percent.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)

    def signed(self, digits: int = 1) -> str:
        """``12.5`` / ``-3.0`` / ``0.0``, or the reason in words (for a text that says 同比增长×%)."""
        value = self.rounded(digits)
        if value is None:
            return REASONS[self.reason]
        return f"{value:f}" if value else f"{abs(value):f}"

    def words(self, digits: int = 1) -> str:
        """增长12.5% / 下降3.0% / 持平, or the reason in words."""
        value = self.rounded(digits)
        if value is None:
            return REASONS[self.reason]
        if value == 0:
            return "持平"
        return ("增长" if value > 0 else "下降") + f"{abs(value):f}%"

    def __str__(self) -> str:
        return self.words()


def change(current: Number | None, previous: Number | None) -> Change:
    """The change from ``previous`` to ``current`` in percent."""
    if previous is None:
        return Change(None, NO_PREVIOUS)
    if current is None:
        return Change(None, NO_CURRENT)
    if decimal(previous) == 0:
        return Change(None, ZERO_BASE)
    return Change((decimal(current) - decimal(previous)) * 100 / decimal(previous))


def per(value: Number | None, length: Number | None) -> Decimal | None:
    """``value`` per unit of ``length`` (visitors per holiday day); ``None`` if either is missing."""
    if value is None or not length:
        return None
    return decimal(value) / decimal(length)


def comparable(current: Number | None, current_days: int | None, previous: Number | None,
               previous_days: int | None) -> Change:  # fmt: skip
    """The change per day: comparable when the two periods differ in length."""
    if previous is None:
        return Change(None, NO_PREVIOUS)
    if current is None:
        return Change(None, NO_CURRENT)
    if not current_days or not previous_days:
        return Change(None, NO_LENGTH)
    return change(per(current, current_days), per(previous, previous_days))
