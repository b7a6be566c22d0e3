"""Year-on-year change (core.growth): raw and per day, a missing year and a zero base said as such."""

from decimal import Decimal

import pytest

from xuanchuan.core import growth


def test_raw_change_in_words_and_signed() -> None:
    assert growth.change(125, 100).words() == "增长25.0%"
    assert growth.change(75, 100).words() == "下降25.0%"
    assert growth.change(100, 100).words() == "持平"
    assert growth.change(75, 100).signed() == "-25.0"
    assert growth.change(Decimal("1.05"), 1).signed(2) == "5.00"
    assert growth.change(2, 3).percent == Decimal(-100) / 3
    # Rounded half up, and a change that rounds to nothing reads as 持平, never "-0.0".
    assert growth.change(1001, 1000).words(0) == "持平"
    assert growth.change(99996, 100000).signed(1) == "0.0"


@pytest.mark.parametrize(
    ("current", "previous", "reason", "words"),
    [
        (10, None, growth.NO_PREVIOUS, "上年无数据"),
        (10, 0, growth.ZERO_BASE, "上年为零"),
        (None, 10, growth.NO_CURRENT, "本期无数据"),
        (None, None, growth.NO_PREVIOUS, "上年无数据"),
    ],
)
def test_no_number_where_there_is_nothing_to_compare(current, previous, reason, words) -> None:
    result = growth.change(current, previous)
    assert result.percent is None and not result.known and result.reason == reason
    assert result.words() == words and result.signed() == words and result.rounded() is None


def test_comparable_change_is_per_day() -> None:
    # 8 days with 80,000 visitors against 5 days with 60,000: raw growth, per day a fall.
    assert growth.change(80000, 60000).words() == "增长33.3%"
    assert growth.comparable(80000, 8, 60000, 5).words() == "下降16.7%"
    # Same length: the comparable change is the raw one.
    assert growth.comparable(80000, 5, 60000, 5).percent == growth.change(80000, 60000).percent
    assert growth.comparable(80000, 8, None, 5).reason == growth.NO_PREVIOUS
    assert growth.comparable(80000, 8, 0, 5).reason == growth.ZERO_BASE
    assert growth.comparable(None, 8, 10, 5).reason == growth.NO_CURRENT
    assert growth.comparable(10, None, 10, 5).reason == growth.NO_LENGTH
    assert growth.per(100, 4) == 25 and growth.per(None, 4) is None and growth.per(100, 0) is None
