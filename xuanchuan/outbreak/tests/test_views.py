"""The pages, with Django's test client: status board, filing, correcting, "no change",
reopening, approval, the report list and detail, the roll-up with its charts and Excel export,
the rates; the outsider's 404s; query-count guards."""

from __future__ import annotations

import io
import json
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from xuanchuan.conftest import make_person
from xuanchuan.org.models import RoleCode, UnitType
from xuanchuan.org.services import create_unit
from xuanchuan.outbreak import services
from xuanchuan.outbreak.models import DailyReport, DayApproval, EntryReopening, ReportValue, ValueCorrection
from xuanchuan.outbreak.tests.conftest import DAY, at

pytestmark = pytest.mark.django_db
YESTERDAY = DAY - timedelta(days=1)
# Query budgets of the pages (session, user, second factor and roles included); they must not
# grow with the number of units or days.
BOARD_QUERIES = 20
ROLLUP_QUERIES = 20


@pytest.fixture
def clock(monkeypatch):
    """Set the platform's clock: ``clock(hour, minute)`` on DAY."""

    def set_to(hour: int, minute: int = 0, day=DAY) -> None:
        monkeypatch.setattr(services, "now", lambda: at(day, hour, minute))

    set_to(9, 30)
    return set_to


def file(form, unit, user, moment, *numbers, day=DAY):
    numbers = numbers or (1, 2, 3)
    values = {indicator.pk: n for indicator, n in zip(form.indicators.all(), numbers, strict=True)}
    return services.submit_report(form=form, unit=unit, day=day, values=values, by=user, at=moment).report


def entry_url(unit, form, day=DAY) -> str:
    return f"{reverse('outbreak:report_entry', args=[unit.pk])}?form={form.pk}&day={day:%Y-%m-%d}"


def post_values(form, *numbers, day=DAY, **extra) -> dict:
    data = {"form": form.pk, "day": f"{day:%Y-%m-%d}", **extra}
    for indicator, number in zip(form.indicators.all(), numbers, strict=True):
        data[f"indicator_{indicator.pk}"] = number
    return data


# --- Status board -----------------------------------------------------------------------------------


def test_board_shows_who_has_and_has_not_reported(client, clock, form, district, bob, dora) -> None:
    file(form, district.east, bob, at(DAY, 9))
    clock(10, 30)
    client.force_login(bob)
    response = client.get(reverse("outbreak:board"), {"form": form.pk, "end": DAY.isoformat()})
    assert response.status_code == 200
    board = response.context["board"]
    assert [(row.unit.name, row.status) for row in board.rows] == [("东城街道", "按时上报"), ("幸福社区", "未报")]
    assert (board.required, board.reported, board.missing) == (2, 1, 1)
    body = response.content.decode()
    assert "西城街道" not in body and "和平社区" not in body


def test_board_marks_late_reports_and_counts_rates(
    verified_client, clock, form, district, alice, bob, charlie, dora
) -> None:
    file(form, district.east, bob, at(DAY, 9))
    file(form, district.east_community, dora, at(DAY, 10, 20))
    clock(12)
    client = verified_client(alice)
    board = client.get(reverse("outbreak:board"), {"form": form.pk, "end": DAY.isoformat()}).context["board"]
    statuses = {row.unit.name: row.status for row in board.rows}
    assert statuses == {"东城街道": "按时上报", "幸福社区": "迟报", "西城街道": "未报", "和平社区": "未报"}
    assert (board.reporting_rate, board.on_time_rate) == (50, 25)


def test_board_query_count_does_not_grow_with_units(verified_client, clock, form, district, alice) -> None:
    client = verified_client(alice)
    url = reverse("outbreak:board")
    query = {"form": form.pk, "end": DAY.isoformat()}
    client.get(url, query)
    with CaptureQueriesContext(connection) as few:
        client.get(url, query)
    assert len(few) <= BOARD_QUERIES
    for number in range(30):
        unit = create_unit(
            parent=district.east, name=f"新社区{number}", unit_type=UnitType.COMMUNITY, code=f"N{number}"
        )
        form.required_units.add(unit)
        DailyReport.objects.create(form=form, unit=unit, day=DAY, submitted_at=at(DAY, 9))
    with CaptureQueriesContext(connection) as many:
        response = client.get(url, query)
    assert response.context["board"].required == 34
    assert len(many) == len(few)


# --- Filing --------------------------------------------------------------------------------------------


def test_reporter_files_through_the_page_with_prefill(client, clock, form, district, bob) -> None:
    from xuanchuan.reports.registry import Measure, figure, scratch

    with scratch():

        @figure("testing.arrivals", label="测试来返", unit="人")
        def arrivals(period, unit):
            return Measure(5 if unit == district.east else 0)

        _file_through_the_page_with_prefill(client, form, district, bob)


def _file_through_the_page_with_prefill(client, form, district, bob) -> None:
    client.force_login(bob)
    page = client.get(entry_url(district.east, form))
    assert page.status_code == 200
    first = form.indicators.get(position=1)
    assert page.context["entry"].initial == {f"indicator_{first.pk}": 5}
    assert "已按平台数据" in page.content.decode()
    bad = client.post(entry_url(district.east, form), post_values(form, 5, -1, ""))
    assert bad.status_code == 400
    assert "不能为负数" in bad.content.decode() and "请填写此项" in bad.content.decode()
    response = client.post(reverse("outbreak:report_entry", args=[district.east.pk]), post_values(form, 5, 300, 40))
    report = DailyReport.objects.get(unit=district.east)
    assert response.status_code == 302 and response["Location"] == report.get_absolute_url()
    assert not report.is_late and report.created_by == bob
    assert ReportValue.objects.get(report=report, indicator=first).prefilled


def test_correction_through_the_page_needs_a_reason_and_shows_history(client, clock, form, district, bob) -> None:
    report = file(form, district.east, bob, at(DAY, 9), 1, 2, 3)
    clock(11)
    client.force_login(bob)
    url = reverse("outbreak:report_entry", args=[district.east.pk])
    refused = client.post(url, post_values(form, 1, 20, 3))
    assert refused.status_code == 400 and "请填写更正原因" in refused.content.decode()
    client.post(url, post_values(form, 1, 20, 3, reason="补录"))
    detail = client.get(report.get_absolute_url()).content.decode()
    assert re.search(r"<s[^>]*>2</s> → <strong>20</strong>", detail)
    assert "补录" in detail and "包博" in detail
    assert ValueCorrection.objects.get().old_value == 2


def test_unchanged_button_records_a_report(client, clock, form, district, bob) -> None:
    file(form, district.east, bob, at(YESTERDAY, 9), 4, 5, 6, day=YESTERDAY)
    client.force_login(bob)
    response = client.post(
        reverse("outbreak:report_unchanged", args=[district.east.pk]), {"form": form.pk, "day": DAY.isoformat()}
    )
    report = DailyReport.objects.get(unit=district.east, day=DAY)
    assert response["Location"] == report.get_absolute_url()
    assert report.carried_over and sorted(report.values.values_list("value", flat=True)) == [4, 5, 6]
    again = client.post(
        reverse("outbreak:report_unchanged", args=[district.east.pk]), {"form": form.pk, "day": DAY.isoformat()},
        follow=True,
    )  # fmt: skip
    assert "已经上报" in again.content.decode()


def test_locked_day_can_be_reopened_only_by_the_supervisor(
    client, verified_client, clock, form, district, alice, bob
) -> None:
    clock(19)
    client.force_login(bob)
    page = client.get(entry_url(district.east, form))
    assert "该日填报已锁定" in page.content.decode() and "entry-form" not in page.content.decode()
    assert (
        client.post(reverse("outbreak:report_entry", args=[district.east.pk]), post_values(form, 1, 2, 3)).status_code
        == 400
    )
    data = {"form": form.pk, "day": DAY.isoformat(), "reason": "断网"}
    denied = client.post(reverse("outbreak:reopen", args=[district.east.pk]), data, follow=True)
    assert "只有部管理员" in denied.content.decode() and not EntryReopening.objects.exists()

    admin = verified_client(alice)
    assert (
        "重新开放" in admin.get(reverse("outbreak:board"), {"form": form.pk, "end": DAY.isoformat()}).content.decode()
    )
    admin.post(reverse("outbreak:reopen", args=[district.east.pk]), data)
    assert EntryReopening.objects.get().reason == "断网"
    client.force_login(bob)
    client.post(reverse("outbreak:report_entry", args=[district.east.pk]), post_values(form, 1, 2, 3))
    assert DailyReport.objects.get(unit=district.east).is_late


def test_the_district_approves_a_day_on_the_board(client, verified_client, clock, form, district, alice, bob) -> None:
    file(form, district.east, bob, at(DAY, 9))
    clock(9, 45)
    admin = verified_client(alice)
    board_url = reverse("outbreak:board")
    query = {"form": form.pk, "end": DAY.isoformat()}
    assert "approve-form" not in admin.get(board_url, query).content.decode()  # before the deadline
    clock(15)
    assert "approve-form" in admin.get(board_url, query).content.decode()
    client.force_login(bob)
    client.post(reverse("outbreak:approve"), {"form": form.pk, "day": DAY.isoformat()})
    assert not DayApproval.objects.exists()
    admin = verified_client(alice)
    admin.post(reverse("outbreak:approve"), {"form": form.pk, "day": DAY.isoformat(), "note": "同意"})
    assert DayApproval.objects.get().note == "同意"
    body = admin.get(board_url, query).content.decode()
    assert "approval-badge" in body and "approve-form" not in body
    client.force_login(bob)
    page = client.get(entry_url(district.east, form)).content.decode()
    assert "已经区里审核" in page


# --- Reports list and detail ----------------------------------------------------------------------------


def test_report_list_filters_and_exports(client, clock, form, district, bob, dora) -> None:
    file(form, district.east, bob, at(DAY, 9))
    file(form, district.east_community, dora, at(DAY, 10, 5))
    client.force_login(bob)
    url = reverse("outbreak:report_list")
    assert len(client.get(url).context["rows"]) == 2
    assert [row.unit.name for row, _values in client.get(url, {"is_late": "True"}).context["rows"]] == ["幸福社区"]
    export = client.get(url, {"export": "xlsx"})
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert rows[0][:2] == ("单位", "日期") and {row[4] for row in rows[1:]} == {"按时", "迟报"}


# --- Roll-up, charts, export, rates -------------------------------------------------------------------


@pytest.fixture
def filed(form, district, bob, charlie, dora):
    file(form, district.east, bob, at(YESTERDAY, 9), 1, 10, 100, day=YESTERDAY)
    file(form, district.east, bob, at(DAY, 9), 2, 20, 200)
    file(form, district.east_community, dora, at(DAY, 10, 30), 3, 30, 300)
    file(form, district.west, charlie, at(DAY, 9), 4, 40, 400)


def test_rollup_sums_by_day_and_unit_with_charts_from_json(
    verified_client, clock, form, district, alice, filed
) -> None:
    clock(12)
    client = verified_client(alice)
    response = client.get(reverse("outbreak:rollup"), {"form": form.pk, "start": YESTERDAY, "end": DAY})
    assert response.status_code == 200
    rollup = response.context["rollup"]
    rows = {row["day"]: row for row in rollup.day_rows()}
    assert rows[DAY]["values"] == [9, 90, 900] and rows[YESTERDAY]["values"] == [1, 10, 100]
    assert (rows[DAY]["reported"], rows[DAY]["reporting_rate"], rows[DAY]["on_time_rate"]) == (3, 75, 50)
    assert [row["values"] for row in rollup.unit_rows()] == [[2, 20, 200], [3, 30, 300], [4, 40, 400], [None] * 3]
    body = response.content.decode()
    data = json.loads(
        re.search(r'<script id="rollup-chart-data" type="application/json">(.*?)</script>', body).group(1)
    )
    assert data["days"] == [f"{YESTERDAY:%m-%d}", f"{DAY:%m-%d}"]
    assert data["series"][0] == {"name": "新增来返人员（人）", "data": [1, 9]}
    assert "vendor/echarts-6.1.0/echarts.min.js" in body and "outbreak/js/charts.js" in body
    # No inline script: every <script> either loads a file or is JSON data.
    for tag in re.findall(r"<script[^>]*>", body):
        assert "src=" in tag or 'type="application/json"' in tag, tag


def test_rollup_of_a_street_covers_only_it(client, clock, form, district, bob, filed) -> None:
    client.force_login(bob)
    rollup = client.get(reverse("outbreak:rollup"), {"form": form.pk, "end": DAY}).context["rollup"]
    assert rollup.by_day[DAY] == {i.pk: v for i, v in zip(form.indicators.all(), (5, 50, 500), strict=True)}
    scoped = client.get(reverse("outbreak:rollup"), {"form": form.pk, "end": DAY, "unit": district.east_community.pk})
    assert list(scoped.context["rollup"].by_day[DAY].values()) == [3, 30, 300]


def test_rollup_query_count_does_not_grow_with_days_or_units(
    verified_client, clock, form, district, alice, filed
) -> None:
    client = verified_client(alice)
    query = {"form": form.pk, "start": DAY - timedelta(days=30), "end": DAY}
    client.get(reverse("outbreak:rollup"), query)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("outbreak:rollup"), query)
    assert len(few) <= ROLLUP_QUERIES
    for number in range(20):
        unit = create_unit(parent=district.west, name=f"新村{number}", unit_type=UnitType.VILLAGE, code=f"V{number}")
        form.required_units.add(unit)
        for offset in range(5):
            DailyReport.objects.create(form=form, unit=unit, day=DAY - timedelta(days=offset), submitted_at=at(DAY, 9))
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("outbreak:rollup"), query)
    assert len(many) == len(few)


def test_excel_export_is_one_sheet_per_day_units_by_indicators(client, clock, form, district, bob, filed) -> None:
    client.force_login(bob)
    response = client.get(
        reverse("outbreak:rollup"), {"form": form.pk, "start": YESTERDAY, "end": DAY, "export": "xlsx"}
    )
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [f"{YESTERDAY:%Y-%m-%d}", f"{DAY:%Y-%m-%d}"]
    rows = list(book[f"{DAY:%Y-%m-%d}"].iter_rows(values_only=True))
    assert rows[0][0] == f"示范区疫情防控日报（{DAY.year}年{DAY.month}月{DAY.day}日）"
    assert rows[1] == (
        "序号",
        "单位",
        "新增来返人员（人）",
        "体温检测（人次）",
        "通行证出行（人次）",
        "上报时间",
        "备注",
    )
    assert rows[2][:5] == (1, "东城街道", 2, 20, 200) and rows[2][6] == "按时"
    assert rows[3][:5] == (2, "幸福社区", 3, 30, 300) and rows[3][6] == "迟报"
    assert rows[4][1:6] == ("合计", 5, 50, 500, "已报 2/2")
    assert "西城街道" not in str(rows)


def test_rates_per_unit(verified_client, clock, form, district, alice, filed) -> None:
    clock(12)
    client = verified_client(alice)
    response = client.get(reverse("outbreak:rates"), {"form": form.pk, "start": YESTERDAY, "end": DAY})
    rates = {row.unit.name: row for row in response.context["rows"]}
    assert (rates["东城街道"].expected, rates["东城街道"].reported, rates["东城街道"].reporting_rate) == (2, 2, 100)
    assert (rates["幸福社区"].reported, rates["幸福社区"].on_time, rates["幸福社区"].on_time_rate) == (1, 0, 0)
    assert rates["和平社区"].reporting_rate == 0 and rates["和平社区"].missing == 2
    assert response.context["total_reporting"] == 50
    export = client.get(reverse("outbreak:rates"), {"form": form.pk, "start": YESTERDAY, "end": DAY, "export": "xlsx"})
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert rows[1][0] == "单位" and ("东城街道", 2, 2, 2, 0, 0, 100.0, 100.0) in rows


def test_pickers_refuse_bad_spans_in_chinese(client, clock, form, district, bob) -> None:
    client.force_login(bob)
    response = client.get(reverse("outbreak:rollup"), {"form": form.pk, "start": DAY, "end": YESTERDAY})
    assert "开始日期不能晚于结束日期" in response.content.decode()
    too_long = client.get(reverse("outbreak:rates"), {"form": form.pk, "start": DAY - timedelta(days=200), "end": DAY})
    assert "一次最多查看" in too_long.content.decode()


def test_pages_without_a_form_say_so(client, district, bob) -> None:
    client.force_login(bob)
    for name in ("outbreak:board", "outbreak:rollup", "outbreak:rates"):
        assert "尚未设置疫情日报表" in client.get(reverse(name)).content.decode()


# --- The outsider -------------------------------------------------------------------------------------


def test_outsider_gets_404_for_every_object_url(client, clock, form, district, bob, charlie, dora, filed) -> None:
    report = DailyReport.objects.get(unit=district.east, day=DAY)
    client.force_login(charlie)
    post = {"form": form.pk, "day": DAY.isoformat(), "reason": "x"}
    assert client.get(report.get_absolute_url()).status_code == 404
    assert client.get(entry_url(district.east, form)).status_code == 404
    assert (
        client.post(reverse("outbreak:report_entry", args=[district.east.pk]), post_values(form, 1, 1, 1)).status_code
        == 404
    )
    assert client.post(reverse("outbreak:report_unchanged", args=[district.east_community.pk]), post).status_code == 404
    assert client.post(reverse("outbreak:reopen", args=[district.east.pk]), post).status_code == 404
    for name in ("outbreak:board", "outbreak:rollup", "outbreak:rates", "outbreak:report_list"):
        assert client.get(reverse(name), {"unit": district.east.pk}).status_code in (404, 200)
        if name != "outbreak:report_list":
            assert client.get(reverse(name), {"unit": district.east.pk}).status_code == 404
    unseen = make_person("ed", district.education, RoleCode.UNIT_REPORTER)
    client.force_login(unseen)
    # A unit that files nothing does not see the form at all.
    assert client.get(reverse("outbreak:board"), {"form": form.pk}).status_code == 404
    assert client.post(reverse("outbreak:approve"), {"form": form.pk, "day": DAY.isoformat()}).status_code == 404
    assert (
        not DailyReport.objects.filter(unit__in=[district.east, district.east_community], values__value=1)
        .filter(created_by=charlie)
        .exists()
    )


def test_the_owner_reaches_the_same_urls(client, clock, form, district, bob, filed) -> None:
    report = DailyReport.objects.get(unit=district.east_community, day=DAY)
    client.force_login(bob)
    assert client.get(report.get_absolute_url()).status_code == 200
    assert client.get(entry_url(district.east_community, form)).status_code == 200
    assert client.get(reverse("outbreak:rollup"), {"unit": district.east.pk}).status_code == 200


# --- Far-off days and malformed ids answer with a message or 404, never 500 (security review L4) ----------


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "1999-12-31"])
@pytest.mark.parametrize("name", ["outbreak:board", "outbreak:rollup", "outbreak:rates"])
def test_far_off_days_on_the_pages_are_a_message(client, clock, form, bob, name: str, day: str) -> None:
    client.force_login(bob)
    response = client.get(reverse(name), {"form": form.pk, "start": day, "end": day})
    assert response.status_code == 200
    assert "日期须在 2000-01-01 至 2100-12-31 之间" in response.content.decode()


def test_far_off_days_and_bad_form_ids_when_filing_are_404(client, clock, form, district, bob) -> None:
    client.force_login(bob)
    url = reverse("outbreak:report_entry", args=[district.east.pk])
    for query in ({"form": form.pk, "day": "9999-12-31"}, {"form": form.pk, "day": "0001-01-01"}, {"form": "x"}):
        assert client.get(url, query).status_code == 404, query
    assert client.get(url, {"form": "9" * 30}).status_code == 404
    unchanged = reverse("outbreak:report_unchanged", args=[district.east.pk])
    assert client.post(unchanged, {"form": form.pk, "day": "9999-12-31"}).status_code == 404


def test_an_overlong_reopening_reason_is_refused_with_a_message(verified_client, clock, form, district, alice) -> None:
    clock(19)
    client = verified_client(alice)
    url = reverse("outbreak:reopen", args=[district.east.pk])
    response = client.post(url, {"form": form.pk, "day": DAY.isoformat(), "reason": "因" * 201}, follow=True)
    assert "原因不能超过 200 个字" in response.content.decode()
    assert not EntryReopening.objects.exists()
