"""The tourism part's figures: bound to a holiday (closed choices), summed within a unit, placed in
a period by the day their holiday starts, per holiday day, None (never 0) without rows — and the
report engine's 同比 of them: a growth, a missing previous year, a zero base."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from xuanchuan.culture.models import Holiday
from xuanchuan.culture.tests.factories_tourism import make_period, make_stat
from xuanchuan.reports.generation import render
from xuanchuan.reports.registry import ArgumentError, Period, all_figures, catalogue, get_figure

pytestmark = pytest.mark.django_db
H = Holiday
KEYS = {
    "culture.holiday_visitors",
    "culture.holiday_revenue",
    "culture.holiday_visitors_per_day",
    "culture.holiday_revenue_per_day",
    "culture.tourism_visitors",
    "culture.tourism_revenue",
}


def value(key: str, period: Period, unit=None):
    return get_figure(key).compute(period, unit).value


@pytest.fixture
def stats(district):
    make_period(H.MAY_DAY, 2024)
    make_period(H.MAY_DAY, 2025)
    make_period(H.NATIONAL_DAY, 2024)  # 7 days
    make_period(H.NATIONAL_DAY, 2025)  # 8 days
    make_stat(district.east, H.MAY_DAY, 2024, 8000, "400")
    make_stat(district.east, H.MAY_DAY, 2025, 9000, "450.50")
    make_stat(district.east_community, H.MAY_DAY, 2025, 1000, "49.50")
    make_stat(district.west, H.MAY_DAY, 2025, 5000, "100")
    make_stat(district.east, H.NATIONAL_DAY, 2024, 7000, "700")
    make_stat(district.east, H.NATIONAL_DAY, 2025, 8800, "880")
    return district


def test_the_six_figures_are_registered_with_their_words() -> None:
    everything = {item.key: item for item in all_figures(with_parameters=True)}
    assert set(everything) >= KEYS
    assert everything["culture.holiday_visitors"].parameter.closed
    assert "旅游人数" in everything["culture.holiday_visitors"].synonyms
    assert "旅游综合收入" in everything["culture.holiday_revenue"].synonyms
    assert "可比口径" in everything["culture.holiday_visitors_per_day"].synonyms
    assert {"culture.tourism_visitors", "culture.tourism_revenue"} <= {item.key for item in all_figures()}
    for key in KEYS:
        assert everything[key].label and everything[key].unit and everything[key].description
    bound = [item.key for item in catalogue() if item.key.startswith("culture.holiday_visitors(")]
    assert bound == [
        f"culture.holiday_visitors({name})" for name in ("春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节")
    ]
    choice = next(c for c in everything["culture.holiday_visitors"].parameter.choices(None) if c.value == "劳动节")
    assert {"五一", "五一小长假"} <= set(choice.words)


def test_a_holidays_visitors_and_revenue_within_a_unit(stats) -> None:
    year = Period.year(2025)
    assert value("culture.holiday_visitors(劳动节)", year) == 15000
    assert value("culture.holiday_visitors(劳动节)", year, stats.east) == 10000
    assert value("culture.holiday_visitors(劳动节)", year, stats.east_community) == 1000
    assert value("culture.holiday_revenue(劳动节)", year, stats.east) == Decimal("5000000")  # 500 万元 in 元
    assert value("culture.holiday_revenue(劳动节)", year) == Decimal("6000000")
    assert get_figure("culture.holiday_visitors(劳动节)").label == "假日旅游人数（劳动节）"
    measure = get_figure("culture.holiday_visitors(劳动节)").compute(year, stats.east)
    assert measure.records.count() == 2


def test_no_rows_is_none_never_zero(stats) -> None:
    assert value("culture.holiday_visitors(春节)", Period.year(2025)) is None
    assert value("culture.holiday_revenue(劳动节)", Period.year(2023)) is None
    assert value("culture.holiday_visitors_per_day(劳动节)", Period.year(2023)) is None
    assert value("culture.tourism_visitors", Period.year(2023)) is None
    assert value("culture.tourism_revenue", Period.year(2025), stats.west_community) is None


def test_a_stat_counts_when_its_holiday_starts_in_the_period(district) -> None:
    make_period(H.NATIONAL_DAY, 2023, date(2023, 9, 29), date(2023, 10, 6))
    make_stat(district.east, H.NATIONAL_DAY, 2023, 100, "1")
    assert value("culture.holiday_visitors(国庆节)", Period.month(2023, 9)) == 100
    assert value("culture.holiday_visitors(国庆节)", Period.month(2023, 10)) is None
    assert value("culture.tourism_visitors", Period.days(date(2023, 9, 29), date(2023, 9, 29))) == 100
    assert value("culture.tourism_visitors", Period.days(date(2023, 9, 30), date(2023, 12, 31))) is None


def test_per_day_figures_divide_by_the_holidays_days(stats) -> None:
    assert value("culture.holiday_visitors_per_day(国庆节)", Period.year(2025)) == Decimal("1100.00")  # 8800 / 8
    assert value("culture.holiday_visitors_per_day(国庆节)", Period.year(2024)) == Decimal("1000.00")  # 7000 / 7
    assert value("culture.holiday_revenue_per_day(国庆节)", Period.year(2025)) == Decimal("1100000.00")  # 880万 / 8
    assert value("culture.holiday_visitors_per_day(劳动节)", Period.year(2025), stats.east) == Decimal("2000.00")
    # Two years in one period: all their visitors over all their days.
    both = Period.days(date(2024, 1, 1), date(2025, 12, 31))
    assert value("culture.holiday_visitors_per_day(国庆节)", both) == Decimal("1053.33")  # 15800 / 15


def test_totals_over_all_holidays(stats) -> None:
    assert value("culture.tourism_visitors", Period.year(2025)) == 15000 + 8800
    assert value("culture.tourism_visitors", Period.year(2025), stats.east) == 10000 + 8800
    assert value("culture.tourism_revenue", Period.year(2024)) == Decimal("11000000")


def test_closed_choices() -> None:
    with pytest.raises(ArgumentError):
        get_figure("culture.holiday_visitors(元旦)")
    with pytest.raises(ArgumentError):
        get_figure("culture.holiday_visitors").compute(Period.year(2025))


def test_the_engine_computes_the_change_raw_and_per_day(stats) -> None:
    report = render(
        "五一{{ culture.holiday_visitors(劳动节) change }}；"
        "国庆{{ culture.holiday_visitors(国庆节) change }}，日均{{ culture.holiday_visitors_per_day(国庆节) change }}；"
        "收入{{ culture.holiday_revenue(劳动节) wan }}万元。",
        Period.year(2025),
    )
    # 五一: 15000 against 8000; 国庆: 8800 against 7000, per day 1100 against 1000.
    assert report.text == "五一增长87.5%；国庆增长25.7%，日均增长10.0%；收入600万元。"


def test_the_engine_says_a_missing_previous_year_and_a_zero_base(district) -> None:
    make_period(H.MAY_DAY, 2024)
    make_period(H.MAY_DAY, 2025)
    make_stat(district.east, H.MAY_DAY, 2025, 9000, "450")
    body = "{{ culture.holiday_visitors(劳动节) change }}"
    assert render(body, Period.year(2025)).text == "【上年无数据，无法计算同比】"
    make_stat(district.east, H.MAY_DAY, 2024, 0, "0")
    assert render(body, Period.year(2025)).text == "【上年为零，无法计算同比】"
    assert (
        render("{{ culture.holiday_revenue(劳动节) change }}", Period.year(2025)).text == "【上年为零，无法计算同比】"
    )


def test_mid_autumn_within_national_day_is_that_holiday_counted_once(district) -> None:
    make_period(H.NATIONAL_DAY, 2025)  # 10月1日–8日, Mid-Autumn within it
    make_period(H.MID_AUTUMN, 2025)
    make_period(H.MID_AUTUMN, 2026, date(2026, 9, 25), date(2026, 9, 27))
    make_stat(district.east, H.NATIONAL_DAY, 2025, 8000, "800")
    make_stat(district.east, H.MID_AUTUMN, 2026, 3600, "300")
    assert value("culture.holiday_visitors(中秋节)", Period.year(2025)) == 8000
    assert value("culture.holiday_visitors(国庆节)", Period.year(2025)) == 8000
    assert value("culture.holiday_visitors_per_day(中秋节)", Period.year(2025)) == Decimal("1000.00")
    assert value("culture.tourism_visitors", Period.year(2025)) == 8000  # once, not twice
    assert value("culture.holiday_visitors(中秋节)", Period.year(2026)) == 3600
    report = render(
        "{{ culture.holiday_visitors(中秋节) change }}，日均{{ culture.holiday_visitors_per_day(中秋节) change }}",
        Period.year(2026),
    )
    assert report.text == "下降55.0%，日均增长20.0%"  # 3600 in 3 days against 8000 in 8
