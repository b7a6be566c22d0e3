"""数据看板: the numbers are the registry's, gaps stay gaps, exports match the charts, scoping holds."""

from __future__ import annotations

import importlib
import io
import json
import re
from datetime import date

import pytest
from django.apps import apps as django_apps
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from xuanchuan.arrivals.tests.scoping import make_registration
from xuanchuan.reports import dashboards
from xuanchuan.reports.registry import Measure, Period, compute, figure, get_figure


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Cached values are keyed by unit pk, which the next test's database reuses."""
    cache.clear()
    yield
    cache.clear()


THIS_YEAR = timezone.localdate().year
LAST_YEAR = THIS_YEAR - 1


@pytest.fixture
def arrivals(district) -> None:
    """Registrations in both streets, spread over months of last year and of this one."""
    days = [
        (district.east_community, date(LAST_YEAR, 2, 3)),
        (district.east_community, date(LAST_YEAR, 2, 20)),
        (district.east_community, date(LAST_YEAR, 7, 1)),
        (district.west_community, date(LAST_YEAR, 7, 9)),
        (district.east_community, date(THIS_YEAR, 1, 5)),
        (district.west_community, date(THIS_YEAR, 1, 6)),
        (district.west_community, date(THIS_YEAR, 1, 7)),
    ]
    for number, (community, day) in enumerate(days):
        make_registration(community, id_number=f"G{number:08d}", arrival_date=day)


def plain(value):
    return dashboards.plain(value)


def page_charts(response) -> dict[str, dict]:
    match = re.search(r'<script id="dashboard-data" type="application/json">(.*?)</script>', response.content.decode())
    assert match, "the page carries no chart data"
    return {chart["id"]: chart for chart in json.loads(match[1])["charts"]}


# --- the computations -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_month_series_equal_compute_for_each_month(district, arrivals) -> None:
    item = get_figure("arrivals.registrations")
    chart = dashboards.trend_chart(item, THIS_YEAR, None)

    assert [series.name for series in chart.series] == [f"{THIS_YEAR}年", f"{LAST_YEAR}年"]
    today = timezone.localdate()
    for series, year in zip(chart.series, (THIS_YEAR, LAST_YEAR), strict=True):
        for month, value in enumerate(series.values, start=1):
            period = Period.month(year, month)
            expected = None if period.start > today else compute(item.key, period).value
            assert value == expected, (year, month)
    assert chart.series[1].values[1] == 2 and chart.series[1].values[6] == 2
    assert chart.series[0].values[0] == 3
    # Each point opens the records behind it.
    assert chart.series[1].links[6] == reverse("reports:figure_detail", args=[item.key]) + f"?period={LAST_YEAR}-07"


@pytest.mark.django_db
def test_months_not_begun_are_gaps_not_zero(district, arrivals) -> None:
    item = get_figure("arrivals.registrations")
    values = dashboards.trend_chart(item, THIS_YEAR + 1, None).series[0].values
    assert values == [None] * 12
    last_year_values = dashboards.trend_chart(item, THIS_YEAR + 1, None).series[1].values
    assert None not in last_year_values[: timezone.localdate().month]


@pytest.mark.django_db
def test_this_period_against_the_same_period_last_year(district, arrivals) -> None:
    figures = [get_figure("arrivals.registrations"), get_figure("org.platform_users")]
    period = Period.year(THIS_YEAR)
    rows = dashboards.year_on_year(figures, period, district.east)

    for row in rows:
        assert row.value == compute(row.figure.key, period, district.east).value
        assert row.previous == compute(row.figure.key, Period.year(LAST_YEAR), district.east).value
    registrations = rows[0]
    assert (registrations.value, registrations.previous) == (1, 3)
    assert registrations.change == round((1 - 3) * 100 / 3, 1)
    assert f"period={LAST_YEAR}" in registrations.previous_link and f"unit={district.east.pk}" in registrations.link


def test_a_percentage_changes_in_points_and_a_count_from_zero_has_no_change() -> None:
    rate = dashboards.Comparison(get_figure("outbreak.reporting_rate"), 92.5, 90.0, "", "")
    assert (rate.change, rate.change_unit) == (2.5, "个百分点")
    count = dashboards.Comparison(get_figure("arrivals.registrations"), 4, 0, "", "")
    assert count.change is None
    assert dashboards.Comparison(get_figure("arrivals.registrations"), None, 3, "", "").change is None


@pytest.mark.django_db
def test_unit_comparison_equals_compute_for_each_child(district, arrivals, charlie) -> None:
    item = get_figure("arrivals.registrations")
    period = Period.year(LAST_YEAR)
    children = dashboards.child_units(None, period)
    assert [child.name for child in children] == ["区委宣传部", "区教育局", "东城街道", "西城街道"]

    chart = dashboards.comparison_chart(item, period, None, children)
    # The departments have no arrivals in either year: named, not drawn as empty bars.
    assert chart.categories == ["东城街道", "西城街道"]
    assert chart.omitted == ["区委宣传部", "区教育局"]
    shown = [child for child in children if child.name in chart.categories]
    for series, each in zip(chart.series, (period, period.previous_year()), strict=True):
        assert series.name == each.label
        assert series.values == [compute(item.key, each, child).value for child in shown]
        assert all(compute(item.key, each, child).value == 0 for child in children if child not in shown)
    assert chart.series[0].values == [3, 1]
    assert chart.rows() == [["东城街道", 3, 0], ["西城街道", 1, 0]]
    # Only the units the user may see: the outsider gets none of another street's.
    assert dashboards.child_units(district.east, period, charlie) == []
    assert dashboards.child_units(None, period, charlie) == []
    assert [child.name for child in dashboards.child_units(district.west, period, charlie)] == ["和平社区"]
    # Below a street: its communities.
    assert [child.name for child in dashboards.child_units(district.east, period)] == ["幸福社区"]
    assert dashboards.child_units(district.east_community, period) == []


@pytest.mark.django_db
def test_a_dissolved_unit_is_compared_only_in_periods_it_existed(district) -> None:
    district.west.dissolved_on = date(LAST_YEAR, 6, 30)
    district.west.save(update_fields=["dissolved_on"])
    assert "西城街道" in [unit.name for unit in dashboards.child_units(None, Period.year(LAST_YEAR))]
    assert "西城街道" not in [unit.name for unit in dashboards.child_units(None, Period.year(THIS_YEAR))]


@pytest.mark.django_db
def test_values_are_cached_per_figure_period_and_unit(district, arrivals, django_assert_num_queries) -> None:
    item = get_figure("arrivals.registrations")
    period = Period.month(LAST_YEAR, 2)
    key = dashboards.cache_key(item.key, period, district.east)
    assert key == f"{dashboards.CACHE_PREFIX}:arrivals.registrations:{LAST_YEAR}-02:{district.east.pk}"
    with django_assert_num_queries(1):
        first = dashboards.fetch([(item, period, district.east)])
    with django_assert_num_queries(0):
        again = dashboards.fetch([(item, period, district.east)])
    assert first == again == {(item.key, period.key, district.east.pk): 2}
    assert cache.get(key) == (2,)
    today = date(THIS_YEAR, 5, 15)
    assert dashboards.timeout_for(Period.month(THIS_YEAR, 4), today) == dashboards.PAST_TIMEOUT
    assert dashboards.timeout_for(Period.month(THIS_YEAR, 5), today) == dashboards.CURRENT_TIMEOUT
    assert dashboards.timeout_for(Period.year(THIS_YEAR), today) == dashboards.CURRENT_TIMEOUT


@pytest.mark.django_db
def test_a_cached_none_is_not_computed_again(scratch_registry, django_assert_num_queries) -> None:
    calls = []

    @figure("testing.nothing", label="无数据", unit="%")
    def nothing(period, unit):
        calls.append(period.key)
        return Measure(None)

    item = get_figure("testing.nothing")
    period = Period.month(LAST_YEAR, 3)
    assert dashboards.fetch([(item, period, None)]) == {(item.key, period.key, None): None}
    assert dashboards.fetch([(item, period, None)]) == {(item.key, period.key, None): None}
    assert calls == [period.key]


def test_modules_follow_the_figure_keys(scratch_registry) -> None:
    apps = [module.app for module in dashboards.modules()]
    assert {"org", "arrivals", "passes", "outbreak"} <= set(apps)
    assert "testing" not in apps

    @figure("testing.later", label="后来的指标", unit="个")
    def later(period, unit):
        return Measure(1)

    module = dashboards.get_module("testing")
    assert [item.key for item in module.figures] == ["testing.later"]
    assert dashboards.get_module("arrivals").label == "来返人员自助登记"
    assert [item.key for item in dashboards.overview_figures()] == list(dashboards.OVERVIEW_FIGURES)


# --- the pages ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_overview_shows_headline_trends_and_the_streets(verified_client, alice, district, arrivals) -> None:
    client = verified_client(alice)
    response = client.get(reverse("reports:dashboard"), {"period": str(LAST_YEAR)})
    assert response.status_code == 200
    body = response.content.decode()
    charts = page_charts(response)
    assert set(charts) == {dashboards.chart_id("trend", item) for item in dashboards.overview_figures()} | {
        "compare-arrivals-registrations"
    }
    assert charts["compare-arrivals-registrations"]["categories"] == ["东城街道", "西城街道"]
    assert charts["compare-arrivals-registrations"]["series"][0]["data"] == [3, 1]
    assert "另有 2 个单位在两期均为 0 或无数据，未列出：区委宣传部、区教育局" in body
    assert 'src="/static/reports/dashboards.js"' in body and "echarts.min.js" in body
    assert "<script>" not in body  # CSP: data only, the drawing is in the static file
    for module in dashboards.modules():
        assert reverse("reports:dashboard_module", args=[module.app]) in body
    # The numbers link to the records behind them.
    detail = reverse("reports:figure_detail", args=["arrivals.registrations"])
    assert f'href="{detail}?period={LAST_YEAR}"' in body
    assert f"{detail}?period={LAST_YEAR}&amp;unit={district.east.pk}" in body


@pytest.mark.django_db
def test_module_dashboard_has_every_figure_of_the_app(verified_client, alice, district, arrivals) -> None:
    client = verified_client(alice)
    response = client.get(
        reverse("reports:dashboard_module", args=["arrivals"]), {"compare": "arrivals.high_risk_registrations"}
    )
    assert response.status_code == 200
    charts = page_charts(response)
    keys = [item.key for item in dashboards.get_module("arrivals").figures]
    assert set(charts) == {dashboards.chart_id("trend", get_figure(key)) for key in keys} | {
        "compare-arrivals-high_risk_registrations"
    }
    assert response.context["title"] == "来返人员自助登记数据看板"
    assert len(response.context["comparisons"]) == len(keys)


@pytest.mark.django_db
def test_no_data_is_a_gap_on_the_page(verified_client, alice, district) -> None:
    """The reporting rate has nothing to divide by without a daily form: null in the chart, — in the table."""
    client = verified_client(alice)
    response = client.get(reverse("reports:dashboard_module", args=["outbreak"]), {"period": str(LAST_YEAR)})
    chart = page_charts(response)["trend-outbreak-reporting_rate"]
    assert compute("outbreak.reporting_rate", Period.month(LAST_YEAR, 1)).value is None
    assert chart["series"][1]["data"] == [None] * 12
    assert chart["percent"] is True
    counts = page_charts(response)["trend-outbreak-reports_submitted"]
    assert counts["series"][1]["data"] == [0] * 12
    table = re.search(
        r'<table[^>]*data-chart="trend-outbreak-reporting_rate".*?</table>', response.content.decode(), re.S
    )
    assert table and table[0].count("—") == 24 and ">0<" not in table[0]


@pytest.mark.django_db
def test_unknown_modules_answer_404(verified_client, alice, district) -> None:
    client = verified_client(alice)
    assert client.get(reverse("reports:dashboard_module", args=["nosuchapp"])).status_code == 404
    assert client.get(reverse("reports:dashboard_module", args=["reports"])).status_code == 404
    assert client.get(reverse("reports:dashboard"), {"export": "xlsx", "chart": "trend-nothing"}).status_code == 404
    assert client.get(reverse("reports:dashboard"), {"export": "xlsx"}).status_code == 404


@pytest.mark.django_db
def test_a_bad_period_falls_back_to_this_year_and_says_why(verified_client, alice, district) -> None:
    client = verified_client(alice)
    for text, message in (("1900", "期间须在 2000 年至 2100 年之间"), ("yesterday", "无法识别的期间")):
        response = client.get(reverse("reports:dashboard"), {"period": text})
        assert response.status_code == 200
        assert response.context["period"] == Period.year(THIS_YEAR)
        assert message in response.content.decode()


def workbook_rows(response) -> list[tuple]:
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    return list(book.active.iter_rows(values_only=True))


@pytest.mark.django_db
@pytest.mark.parametrize("chart_id", ["trend-arrivals-registrations", "compare-arrivals-registrations"])
def test_the_excel_export_is_the_chart(verified_client, alice, district, arrivals, chart_id) -> None:
    client = verified_client(alice)
    url = reverse("reports:dashboard")
    chart = page_charts(client.get(url, {"period": str(THIS_YEAR)}))[chart_id]
    rows = workbook_rows(client.get(url, {"period": str(THIS_YEAR), "export": "xlsx", "chart": chart_id}))

    assert list(rows[0]) == ["月份" if chart["kind"] == "line" else "单位", *(s["name"] for s in chart["series"])]
    expected = [
        (category, *(series["data"][index] for series in chart["series"]))
        for index, category in enumerate(chart["categories"])
    ]
    assert rows[1:] == expected
    assert any(value for row in rows[1:] for value in row[1:])


@pytest.mark.django_db
def test_a_label_excel_refuses_as_a_sheet_name_still_exports(
    scratch_registry, verified_client, alice, district
) -> None:
    @figure("testing.slashed", label="学习/研讨[场次]", unit="场")
    def slashed(period, unit):
        return Measure(2)

    client = verified_client(alice)
    url = reverse("reports:dashboard_module", args=["testing"])
    assert client.get(url).status_code == 200
    response = client.get(url, {"period": str(LAST_YEAR), "export": "xlsx", "chart": "trend-testing-slashed"})
    assert workbook_rows(response)[1] == ("1月", 2, 2)


@pytest.mark.django_db
def test_percentages_export_as_numbers(verified_client, alice, district) -> None:
    client = verified_client(alice)
    url = reverse("reports:dashboard_module", args=["outbreak"])
    rows = workbook_rows(client.get(url, {"export": "xlsx", "chart": "trend-outbreak-reporting_rate"}))
    assert all(value is None for row in rows[1:] for value in row[1:])  # gaps stay empty cells, not 0


# --- scoping --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_outsider_cannot_open_another_units_dashboard(client, district, charlie) -> None:
    client.force_login(charlie)
    for url in (reverse("reports:dashboard"), reverse("reports:dashboard_module", args=["arrivals"])):
        for unit in (district.east, district.east_community, district.root):
            assert client.get(url, {"unit": unit.pk}).status_code == 404
            assert (
                client.get(
                    url, {"unit": unit.pk, "export": "xlsx", "chart": "compare-arrivals-registrations"}
                ).status_code
                == 404
            )
        assert client.get(url, {"unit": "x"}).status_code == 404
        assert client.get(url, {"unit": district.west.pk}).status_code == 200


@pytest.mark.django_db
def test_a_street_user_sees_only_their_subtree(client, district, bob, arrivals) -> None:
    client.force_login(bob)
    response = client.get(reverse("reports:dashboard"), {"period": str(LAST_YEAR)})
    assert response.status_code == 200
    assert response.context["unit"] == district.east
    assert [label.strip("\u3000") for _pk, label in response.context["units"]] == ["东城街道", "幸福社区"]
    compare = page_charts(response)["compare-arrivals-registrations"]
    assert compare["categories"] == ["幸福社区"]
    assert compare["series"][0]["data"] == [3]
    trend = page_charts(response)["trend-arrivals-registrations"]
    assert trend["series"][0]["data"][6] == 1  # July: east's one, not west's
    body = response.content.decode()
    for other in ("西城街道", "和平社区", "区教育局"):
        assert other not in body, other
    rows = workbook_rows(
        client.get(
            reverse("reports:dashboard"),
            {"period": str(LAST_YEAR), "export": "xlsx", "chart": "compare-arrivals-registrations"},
        )
    )
    assert [row[0] for row in rows[1:]] == ["幸福社区"]


# --- cost -----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_page_queries_are_bounded_on_the_small_demo(verified_client, django_assert_max_num_queries) -> None:
    """Measured on ``seed_demo --size small --seed 2026`` as the department administrator (the whole
    district, 38 units to compare) on 2026-11-26: the overview 266 queries cold, the outbreak
    dashboard 411 cold, either 12 warm.

    A cold page computes each value once: per figure the months begun this year, the 12 of last year
    and the period against last year, plus the compared figure for each unit below in both periods;
    a value costs 1 to 3 queries. The limits leave room for December (one month more per figure)
    and for demo data that moves with the date. A warm page reads every value from the cache, in a
    number of queries that depends neither on the figures nor on the units."""
    from xuanchuan.org.models import User

    # A transactional test elsewhere on this worker may have flushed the roles the migrations made.
    importlib.import_module("xuanchuan.org.migrations.0002_default_roles").create_roles(django_apps, None)
    call_command("seed_demo", "--size", "small", "--seed", "2026", "--force", stdout=io.StringIO())
    admin = User.objects.get(username="xcb_admin")
    signed_in = verified_client(admin)
    for url, cold_limit in (
        (reverse("reports:dashboard"), 300),
        (reverse("reports:dashboard_module", args=["outbreak"]), 460),
    ):
        cache.clear()
        with django_assert_max_num_queries(cold_limit):
            assert signed_in.get(url).status_code == 200
        with django_assert_max_num_queries(12):
            response = signed_in.get(url)
        assert response.status_code == 200
        charts = page_charts(response)
        # The demo has data: no chart of the overview or the module is empty.
        for chart in charts.values():
            assert any(value for series in chart["series"] for value in series["data"]), chart["id"]


def test_a_whole_decimal_is_shown_whole() -> None:
    """Revenue summed in 元 is a whole Decimal: the dashboards show 63494900, not 63494900.0."""
    from decimal import Decimal

    from xuanchuan.reports.computing import plain

    assert plain(Decimal("63494900")) == 63494900 and isinstance(plain(Decimal("63494900")), int)
    assert plain(Decimal("94.35")) == 94.35 and plain(None) is None and plain(3) == 3
