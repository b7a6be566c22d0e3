"""数据看板的查询次数: a unit comparison counts every unit in one grouped query, and its numbers are
each unit's own figure; the pages stay within their query ceilings, cold and warm."""

from __future__ import annotations

import importlib
import io
from datetime import date

import pytest
from django.apps import apps as django_apps
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from xuanchuan.arrivals.tests.scoping import make_registration
from xuanchuan.org.models import Unit, User
from xuanchuan.org.services import create_unit
from xuanchuan.reports import computing, dashboards
from xuanchuan.reports.registry import Period, all_figures, catalogue, get_figure
from xuanchuan.reports.tasks import warm_dashboards_task

THIS_YEAR = timezone.localdate().year


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Cached values are keyed by unit pk, which the next test's database reuses."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def small_demo(db) -> None:
    """``seed_demo --size small``: data for every figure in every street, town and department."""
    # A transactional test elsewhere on this worker may have flushed the roles the migrations made.
    importlib.import_module("xuanchuan.org.migrations.0002_default_roles").create_roles(django_apps, None)
    call_command("seed_demo", "--size", "small", "--seed", "2026", "--force", stdout=io.StringIO())


def _children(parent: Unit | None, period: Period) -> list[Unit]:
    return dashboards.child_units(parent, period)


@pytest.mark.django_db
def test_grouped_counts_equal_each_units_own_figure(small_demo) -> None:
    """For every registered figure, the values computed together for sibling units are the values
    :meth:`Figure.compute` gives for each unit alone: below the district and below a street."""
    periods = (Period.year(THIS_YEAR), Period.year(THIS_YEAR - 1), Period.month(THIS_YEAR, 1))
    street = User.objects.get(username="tb_s01").unit
    checked = 0
    figures = catalogue(None)  # a figure with a parameter once per choice
    for item in figures:
        for period in periods:
            for parent in (None, street):
                units = _children(parent, period)
                assert len(units) > 1
                requests = [(item, period, unit) for unit in units]
                expected = {request: dashboards.plain(item.compute(period, request[2]).value) for request in requests}
                assert dashboards.compute_many(requests) == expected, (item.key, period.key, parent)
                checked += 1
    assert checked == len(figures) * len(periods) * 2


@pytest.mark.django_db
def test_month_counts_equal_each_months_own_figure(small_demo) -> None:
    """For every figure that declares its ``date_field``, a year's months counted in one grouped
    query are each month's :meth:`Figure.compute`, and their sum the year's: for the district and
    a street, both years."""
    dated = [item for item in catalogue(None) if item.date_field]  # with each choice of a parameter
    assert {"outbreak.reports_submitted", "outbreak.reports_late"} <= {item.key for item in dated}
    street = User.objects.get(username="tb_s01").unit
    for item in dated:
        for year in (THIS_YEAR, THIS_YEAR - 1):
            for unit in (None, street):
                months = dashboards.month_periods(year)
                expected = {month.start.month: item.compute(month, unit).value for month in months}
                counted = computing.counts_by_month(item, year, unit)
                assert counted is not None, item.key
                assert {month: counted.get(month, 0) for month in expected} == expected, (item.key, year, unit)
                requests = [(item, month, unit) for month in months]
                assert computing.compute_many([*requests, (item, Period.year(year), unit)]) == {
                    **{request: expected[request[1].start.month] for request in requests},
                    (item, Period.year(year), unit): item.compute(Period.year(year), unit).value,
                }
    assert any(sum(computing.counts_by_month(item, THIS_YEAR, None).values()) for item in dated)


@pytest.mark.django_db
def test_figures_made_of_parts_equal_their_own_compute(small_demo) -> None:
    """A figure declaring ``parts`` (a rate of two counts), computed from its parts together for
    a year's months and for sibling units, is each value's own :meth:`Figure.compute`."""
    composite = [item for item in all_figures() if item.parts]
    assert {"outbreak.reporting_rate", "outbreak.on_time_rate"} <= {item.key for item in composite}
    street = User.objects.get(username="tb_s01").unit
    for item in composite:
        for year in (THIS_YEAR, THIS_YEAR - 1):
            requests = [(item, month, unit) for month in dashboards.month_periods(year) for unit in (None, street)]
            period = Period.year(year)
            requests += [(item, period, unit) for unit in _children(None, period) + _children(street, period)]
            expected = {request: dashboards.plain(item.compute(request[1], request[2]).value) for request in requests}
            assert computing.compute_many(requests) == expected, (item.key, year)
            assert any(value for value in expected.values())


@pytest.mark.django_db
def test_a_trend_of_a_dated_figure_takes_one_query_per_year(district) -> None:
    """A dated figure's month trend (24 values) is two grouped queries cold, none warm."""
    item = get_figure("outbreak.reports_submitted")
    assert item.date_field == "day"
    with CaptureQueriesContext(connection) as queries:
        chart = dashboards.trend_chart(item, THIS_YEAR, district.east)
    assert len(queries) <= 2
    assert len(chart.series) == 2 and len(chart.series[1].values) == 12
    with CaptureQueriesContext(connection) as queries:
        assert dashboards.trend_chart(item, THIS_YEAR, district.east) == chart
    assert len(queries) == 0


@pytest.mark.django_db
def test_rates_read_the_required_units_once_per_page(district) -> None:
    """A rate for many units or months: its parts counted together (by unit, by month), and
    which units must report read once, not three queries per value (79 here before)."""
    item = get_figure("outbreak.reporting_rate")
    period = Period.year(THIS_YEAR)
    children = _children(None, period)
    requests = [(item, period, unit) for unit in children] + [
        (item, month, None) for month in dashboards.month_periods(THIS_YEAR)
    ]
    with CaptureQueriesContext(connection) as queries:
        computing.compute_many(requests)
    assert len(queries) <= 3


# The catalogue's own queries (session, user, roles, the page), without computing any value.
CATALOGUE_PAGE_QUERIES = 10


@pytest.mark.django_db
def test_the_figure_catalogue_reads_through_the_dashboards_cache(
    small_demo, verified_client, django_assert_max_num_queries
) -> None:
    """The catalogue shows each figure's own value for both years; once computed (by it or by a
    dashboard) they come from the cache: the page's own queries only (48 before, every load).
    Cold, at most one query per figure and year besides the page's own (72 for 40 figures on
    2026-12-05: figures sharing a read, such as media's campaign materials, take fewer)."""
    signed_in = verified_client(User.objects.get(username="xcb_admin"))
    url = reverse("reports:figure_list")
    with django_assert_max_num_queries(CATALOGUE_PAGE_QUERIES + 2 * len(catalogue(None))):
        first = signed_in.get(url)
    period = Period.year(THIS_YEAR)
    assert [(row["figure"].key, row["value"], row["previous"]) for row in first.context["rows"]] == [
        (
            item.key,
            dashboards.plain(item.compute(period).value),
            dashboards.plain(item.compute(period.previous_year()).value),
        )
        for item in catalogue(None)  # a figure with a parameter once per choice
    ]
    with django_assert_max_num_queries(10):
        again = signed_in.get(url)
    assert "数值与数据看板共用缓存：已结束的期间最多 1440 分钟、本期最多 5 分钟后更新" in again.content.decode()


@pytest.mark.django_db
def test_a_unit_comparison_counts_in_one_query_per_period(district) -> None:
    """Comparing a counting figure across the units one level down takes one query per period,
    however many units there are (it took one per unit and period)."""
    for number in range(6):
        create_unit(parent=district.root, name=f"新街道{number}", unit_type="street", code=f"T-S9{number}")
    make_registration(district.east_community, id_number="G00000001", arrival_date=timezone.localdate())
    item = get_figure("arrivals.registrations")
    period = Period.year(THIS_YEAR)
    children = _children(None, period)
    assert len(children) == 10
    with CaptureQueriesContext(connection) as queries:
        chart = dashboards.comparison_chart(item, period, None, children)
    assert len(queries) == 2
    assert chart.categories == ["东城街道"]
    assert chart.series[0].values == [1]


@pytest.mark.django_db
def test_measures_are_computed_unit_by_unit(district) -> None:
    """A figure that is not a plain count (a rate) is computed for each unit on its own."""
    item = get_figure("outbreak.reporting_rate")
    period = Period.year(THIS_YEAR)
    children = _children(None, period)
    requests = [(item, period, unit) for unit in children]
    assert dashboards.compute_many(requests) == {
        request: dashboards.plain(item.compute(period, request[2]).value) for request in requests
    }


@pytest.mark.django_db
def test_dashboard_pages_keep_their_query_ceilings(small_demo, verified_client, django_assert_max_num_queries) -> None:
    """Measured on ``seed_demo --size small --seed 2026`` as the department administrator (38 units
    to compare) on 2026-12-05, cold: the overview 123 queries (273 before the unit comparison was
    grouped, 199 before outbreak's figures declared their date and parts), the arrivals dashboard
    141 (215), the outbreak dashboard 22 (416: its rates were three queries per value, its counts
    one per month), the catalogue 44 (69 with the 40 figures of 2026-12-05: it may take one query per
    figure and year); each 7-9 warm. A figure that declares no ``date_field`` is
    still computed month by month (24 values per trend chart; the arrivals, passes and org figures
    today); the ceilings leave room for demo data that moves with the date."""
    signed_in = verified_client(User.objects.get(username="xcb_admin"))
    for url, cold_limit in (
        (reverse("reports:dashboard"), 135),
        (reverse("reports:dashboard_module", args=["arrivals"]), 160),
        (reverse("reports:dashboard_module", args=["outbreak"]), 30),
        (reverse("reports:figure_list"), CATALOGUE_PAGE_QUERIES + 2 * len(catalogue(None))),
    ):
        cache.clear()
        with django_assert_max_num_queries(cold_limit):
            assert signed_in.get(url).status_code == 200
        with django_assert_max_num_queries(12):
            assert signed_in.get(url).status_code == 200


def test_ended_periods_are_kept_longer_once_settled() -> None:
    """A running period for minutes, one that ended within a week for an hour (late reports),
    an older one for a day: a page opened after a pause recomputes the running period only."""
    today = date(THIS_YEAR, 5, 15)
    assert dashboards.timeout_for(Period.month(THIS_YEAR, 5), today) == dashboards.CURRENT_TIMEOUT
    assert dashboards.timeout_for(Period.year(THIS_YEAR), today) == dashboards.CURRENT_TIMEOUT
    assert dashboards.timeout_for(Period.month(THIS_YEAR, 4), today) == dashboards.PAST_TIMEOUT
    assert dashboards.timeout_for(Period.month(THIS_YEAR, 4), date(THIS_YEAR, 5, 3)) == dashboards.RECENT_TIMEOUT
    assert dashboards.timeout_for(Period.year(THIS_YEAR - 1), date(THIS_YEAR, 1, 5)) == dashboards.RECENT_TIMEOUT
    assert dashboards.CURRENT_TIMEOUT < dashboards.RECENT_TIMEOUT < dashboards.PAST_TIMEOUT


@pytest.mark.django_db
def test_a_page_after_a_pause_recomputes_only_the_running_period(
    small_demo, verified_client, django_assert_max_num_queries
) -> None:
    """With the running year's and month's values expired (every ``CURRENT_TIMEOUT``), the overview
    computes those alone: 26 queries on the small demo (199 with nothing cached)."""
    signed_in = verified_client(User.objects.get(username="xcb_admin"))
    url = reverse("reports:dashboard")
    assert signed_in.get(url).status_code == 200
    today = timezone.localdate()
    running = (Period.year(today.year), Period.month(today.year, today.month))
    units = [None, *_children(None, running[0])]
    cache.delete_many(
        [dashboards.cache_key(item.key, period, unit) for item in all_figures() for period in running for unit in units]
    )
    with django_assert_max_num_queries(40):
        assert signed_in.get(url).status_code == 200


@pytest.mark.django_db
def test_the_nightly_job_warms_every_district_dashboard(
    small_demo, settings, verified_client, django_assert_max_num_queries
) -> None:
    """After the beat job (00:20), every district dashboard and the catalogue open with their
    values cached: the page's own queries only, as warm."""
    assert settings.CELERY_BEAT_SCHEDULE["reports-warm-dashboards"]["task"] == warm_dashboards_task.name
    signed_in = verified_client(User.objects.get(username="xcb_admin"))
    assert warm_dashboards_task.delay().get() > 0
    pages = [reverse("reports:dashboard"), reverse("reports:figure_list")]
    pages += [reverse("reports:dashboard_module", args=[module.app]) for module in dashboards.modules()]
    for url in pages:
        with django_assert_max_num_queries(12):
            assert signed_in.get(url).status_code == 200


@pytest.mark.django_db
def test_a_figures_records_page_counts_them_once(district, alice, verified_client) -> None:
    """The drill-down page of a counting figure shows the figure's value (through the dashboards'
    cache) and counts its records once, for its pages; a rate's page shows its own value."""
    make_registration(district.east_community, id_number="G00000002", arrival_date=timezone.localdate())
    signed_in = verified_client(alice)
    url = reverse("reports:figure_detail", args=["arrivals.registrations"])
    signed_in.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = signed_in.get(url)
    assert response.context["value"] == 1 and response.context["page_obj"].paginator.count == 1
    assert sum('from "arrivals_registration"' in query["sql"].lower() and "count(" in query["sql"].lower()
               for query in queries.captured_queries) == 1  # fmt: skip
    rate = signed_in.get(reverse("reports:figure_detail", args=["outbreak.reporting_rate"]))
    assert rate.context["value"] == get_figure("outbreak.reporting_rate").compute(Period.year(THIS_YEAR)).value
