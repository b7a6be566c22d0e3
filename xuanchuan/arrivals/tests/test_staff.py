"""Staff pages: scoping (the outsider gets 404), masked and logged export, the entry grid, the
daily list, risk areas, statistics and the figures."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from xuanchuan.arrivals import services
from xuanchuan.arrivals.models import ExportLog, FollowUpStatus, Registration, RiskArea, RiskLevel, Source
from xuanchuan.arrivals.tests.conftest import resident_id
from xuanchuan.arrivals.tests.scoping import SECRET_ADDRESS, SECRET_NAME, make_registration
from xuanchuan.core.models import PersonalDataAccess
from xuanchuan.reports.registry import Period, get_figure

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


@pytest.fixture
def registration(district, alice):
    area = RiskArea(division_code="420100", level=RiskLevel.HIGH, starts_on=today() - timedelta(days=30))
    services.save_risk_area(area, by=alice)
    return make_registration(district.east_community, id_number="E12345678")


def sheet_text(response) -> list[tuple]:
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    return list(book.worksheets[0].iter_rows(values_only=True))


def test_the_outsider_gets_404_for_every_record_url(client, charlie, registration) -> None:
    client.force_login(charlie)
    pk = registration.pk
    assert client.get(reverse("arrivals:registration_detail", args=[pk])).status_code == 404
    data = {"day": today().isoformat(), "temperature": "36.5", "keep": pk}
    for name in ("registration_check_in", "registration_complete", "registration_merge"):
        assert client.post(reverse(f"arrivals:{name}", args=[pk]), data).status_code == 404, name
    assert client.get(reverse("arrivals:registration_detail", args=[999999])).status_code == 404
    listing = client.get(reverse("arrivals:registration_list")).content.decode()
    assert "共 0 条" in listing
    assert registration.check_ins.count() == 0


def test_street_and_community_staff_see_their_registrations(client, bob, dora, registration, verified_client) -> None:
    client.force_login(bob)
    assert client.get(reverse("arrivals:registration_detail", args=[registration.pk])).status_code == 200
    page = verified_client(dora).get(reverse("arrivals:registration_detail", args=[registration.pk])).content.decode()
    assert SECRET_NAME not in page  # masked until revealed
    assert "显示" in page  # dora may reveal, through the logged button


def test_the_list_masks_and_searches_by_exact_document_number(client, bob, registration) -> None:
    client.force_login(bob)
    page = client.get(reverse("arrivals:registration_list")).content.decode()
    assert SECRET_NAME not in page and "E12345678" not in page
    assert "共 1 条" in page
    found = client.get(reverse("arrivals:registration_list"), {"q": "e12345678"}).content.decode()
    assert "共 1 条" in found
    assert "共 0 条" in client.get(reverse("arrivals:registration_list"), {"q": "E1234"}).content.decode()
    assert (
        "共 1 条"
        in client.get(reverse("arrivals:registration_list"), {"q": registration.receipt_code}).content.decode()
    )


def test_the_list_needs_a_fixed_number_of_queries(client, bob, dora, district, registration) -> None:
    for number in range(5):
        make_registration(district.east_community, id_number=f"E3000000{number}")
    client.force_login(bob)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("arrivals:registration_list"))
    assert response.status_code == 200
    assert len(queries) <= 12, [query["sql"] for query in queries]
    assert client.get(reverse("arrivals:registration_list"), {"q": "+86"}).status_code == 200
    for day in range(3):
        services.record_check_in(registration, by=dora, day=today() - timedelta(days=day), temperature=36.5)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(registration.get_absolute_url()).status_code == 200
    assert len(queries) <= 20, [query["sql"] for query in queries]


def test_export_is_masked_for_whoever_may_not_reveal_and_is_logged(client, bob, registration) -> None:
    client.force_login(bob)
    response = client.get(reverse("arrivals:registration_list"), {"export": "xlsx", "risk_level": "high"})
    rows = sheet_text(response)
    assert rows[0][0] == "姓名"
    assert len(rows) == 2
    flat = " ".join(str(cell) for row in rows for cell in row)
    assert SECRET_NAME not in flat and "E12345678" not in flat and "13912345678" not in flat
    log = ExportLog.objects.get()
    assert log.created_by == bob and log.rows == 1 and not log.unmasked and "risk_level=high" in log.query


def test_an_export_past_the_row_limit_is_refused_and_not_logged(client, settings, bob, registration) -> None:
    settings.EXPORT_MAX_ROWS = 0
    client.force_login(bob)
    response = client.get(reverse("arrivals:registration_list"), {"export": "xlsx"})
    assert response.status_code == 400 and "上限" in response.content.decode()
    assert not ExportLog.objects.exists()


def test_export_is_in_full_for_verified_community_staff_and_logged(verified_client, dora, registration) -> None:
    client = verified_client(dora)
    flat = " ".join(
        str(cell)
        for row in sheet_text(client.get(reverse("arrivals:registration_list"), {"export": "xlsx"}))
        for cell in row
    )
    assert SECRET_NAME in flat and "E12345678" in flat
    assert ExportLog.objects.get().unmasked


def test_revealing_a_field_is_logged(verified_client, dora, registration) -> None:
    from django.contrib.contenttypes.models import ContentType

    content_type = ContentType.objects.get_for_model(Registration).pk
    client = verified_client(dora)
    response = client.post(reverse("core:pii_reveal", args=[content_type, registration.pk, "address"]))
    assert SECRET_ADDRESS in response.content.decode()
    assert PersonalDataAccess.objects.filter(object_id=str(registration.pk), field="address").count() == 1


def test_the_grid_enters_many_and_never_doubles(verified_client, dora, district) -> None:
    client = verified_client(dora)
    url = reverse("arrivals:registration_grid")
    assert client.get(url).status_code == 200
    day = (today() - timedelta(days=1)).isoformat()
    rows = [
        ("李四", resident_id("11010119800101123"), "420102"),
        ("王五", resident_id("11010119800101124"), "440106"),
    ]
    data = {"rows-TOTAL_FORMS": "10", "rows-INITIAL_FORMS": "0", "rows-MIN_NUM_FORMS": "0", "rows-MAX_NUM_FORMS": "200"}
    for index in range(10):  # what a browser sends for an untouched row
        data.update({f"rows-{index}-document_type": "resident_id", f"rows-{index}-health_status": "healthy"})
    for index, (name, number, origin) in enumerate(rows):
        data.update({
            f"rows-{index}-name": name, f"rows-{index}-document_type": "resident_id",
            f"rows-{index}-id_number": number, f"rows-{index}-phone": "13812340000",
            f"rows-{index}-origin_code": origin, f"rows-{index}-transport": "car",
            f"rows-{index}-arrival_date": day, f"rows-{index}-community": str(district.east_community.pk),
            f"rows-{index}-address": "幸福小区1栋", f"rows-{index}-health_status": "healthy",
        })  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 302, response.context["formset"].errors
    assert Registration.objects.filter(source=Source.STAFF, created_by=dora).count() == 2
    client.post(url, data)
    assert Registration.objects.count() == 2
    assert "0 条登记，2 条此前已登记" in client.get(reverse("arrivals:registration_list")).content.decode()


def test_the_grid_says_which_row_is_wrong(verified_client, dora, district) -> None:
    client = verified_client(dora)
    data = {
        "rows-TOTAL_FORMS": "2", "rows-INITIAL_FORMS": "0", "rows-MIN_NUM_FORMS": "0", "rows-MAX_NUM_FORMS": "200",
        "rows-0-name": "李四", "rows-0-document_type": "resident_id", "rows-0-id_number": "123",
        "rows-0-phone": "13812340000", "rows-0-origin_code": "999999", "rows-0-transport": "car",
        "rows-0-arrival_date": today().isoformat(), "rows-0-community": str(district.west_community.pk),
        "rows-0-address": "x", "rows-0-health_status": "healthy",
    }  # fmt: skip
    response = client.post(reverse("arrivals:registration_grid"), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "身份证号码应为18位" in body
    assert "出发地“999999”不是有效的6位行政区划代码" in body
    assert "选择一个有效的选项" in body or "有效" in body  # dora cannot file into 西城街道's community
    assert not Registration.objects.exists()


def test_the_daily_list_pages_people_and_counts_everyone(verified_client, dora, district, alice, monkeypatch) -> None:
    """A page of people at a time; the counts above the list are over everyone on it, and equal
    what the lines of all the pages say."""
    from xuanchuan.arrivals import queries

    monkeypatch.setattr(queries, "DAILY_PAGE_SIZE", 2)
    declare = RiskArea(division_code="420100", level=RiskLevel.LOW, starts_on=today() - timedelta(days=40))
    services.save_risk_area(declare, by=alice)  # 7 days of health monitoring
    for number, days_ago in enumerate((0, 1, 3, 6, 8)):
        registration = make_registration(
            district.east_community, id_number=f"E2000000{number}", arrival_date=today() - timedelta(days=days_ago)
        )
        # Every other day of the follow-up (days 1-7), starting on a different day for each person.
        within = range(max(days_ago - 6, 0), days_ago + 1)
        checked = [today() - timedelta(days=n) for n in within if n % 2 == number % 2]
        for day in checked:
            services.record_check_in(registration, by=dora, day=day, temperature=36.5)
    client = verified_client(dora)
    lines = []
    for number in (1, 2, 3):
        response = client.get(reverse("arrivals:daily_list"), {"page": number})
        assert len(response.context["daily"].page) == (2 if number < 3 else 1)
        lines += list(response.context["daily"].page)
    counts = response.context["daily"].counts
    assert len({line.registration.pk for line in lines}) == counts.total == 5
    assert counts.done == sum(line.checked_today for line in lines)
    assert counts.with_missed == sum(1 for line in lines if line.missed)
    assert counts.due == sum(1 for line in lines if line.due_for_completion)
    assert 0 < counts.with_missed < 5 and 0 < counts.due < 5 and 0 < counts.done < 5
    body = response.content.decode()
    assert 'id="daily-page"' in body and "共 5 人" in body and 'aria-current="page"><span class="page-link">3<' in body
    # A page past the last shows the last.
    assert client.get(reverse("arrivals:daily_list"), {"page": 99}).context["daily"].page.number == 3


def test_the_daily_list_shows_day_numbers_check_ins_and_missed(verified_client, dora, district, alice) -> None:
    services.save_risk_area(
        RiskArea(division_code="420100", level=RiskLevel.MEDIUM, starts_on=today() - timedelta(days=30)), by=alice
    )
    first = make_registration(district.east_community, id_number="E10000001", arrival_date=today() - timedelta(days=3))
    make_registration(district.east_community, id_number="E10000002", arrival_date=today() - timedelta(days=1))
    services.record_check_in(first, by=dora, day=today(), temperature=36.5)
    client = verified_client(dora)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("arrivals:daily_list"))
    assert len(queries) <= 15
    daily = response.context["daily"]
    rows = {row.registration.pk: row for row in daily.page}
    assert rows[first.pk].day_number == 4 and rows[first.pk].checked_today and rows[first.pk].missed == 3
    assert daily.counts.done == 1 and daily.counts.with_missed == 2 and daily.counts.total == 2
    body = response.content.decode()
    assert "第4天/共14天" in body
    # A check-in from the list goes back to the list.
    second = next(pk for pk in rows if pk != first.pk)
    data = {"day": today().isoformat(), "temperature": "36.8", "next": reverse("arrivals:daily_list")}
    answer = client.post(reverse("arrivals:registration_check_in", args=[second]), data)
    assert answer["Location"] == reverse("arrivals:daily_list")
    # An outside "next" is not followed.
    outside = {**data, "next": "https://evil.example/"}
    assert client.post(reverse("arrivals:registration_check_in", args=[second]), outside)["Location"].startswith(
        "/arrivals/"
    )


def test_only_district_staff_maintain_risk_areas(client, bob, alice, district, verified_client) -> None:
    client.force_login(bob)
    assert client.get(reverse("arrivals:riskarea_create")).status_code == 403
    client = verified_client(alice)
    # The risk began before it was declared: people who arrived since are traced back.
    starts = (today() - timedelta(days=5)).isoformat()
    data = {"division_code": "420100", "level": "high", "starts_on": starts, "ends_on": "", "note": ""}
    make_registration(district.east_community)
    response = client.post(reverse("arrivals:riskarea_create"), data)
    assert response.status_code == 302
    area = RiskArea.objects.get()
    assert area.division_name == "湖北省武汉市"
    assert Registration.objects.get().risk_level == RiskLevel.HIGH
    bad = client.post(reverse("arrivals:riskarea_create"), {**data, "division_code": "123", "ends_on": "2000-01-01"})
    assert "不是有效的6位行政区划代码" in bad.content.decode()
    assert "结束日期不能早于开始日期" in bad.content.decode()
    assert client.get(reverse("arrivals:riskarea_edit", args=[area.pk])).status_code == 200


def test_statistics_count_by_day_origin_level_and_community(verified_client, alice, registration, district) -> None:
    make_registration(district.west_community, id_number="E20000001", origin_code="440106")
    client = verified_client(alice)
    response = client.get(reverse("arrivals:statistics"))
    assert response.status_code == 200
    data = response.context["chart_data"]
    assert dict(data["province"]) == {"湖北省": 1, "广东省": 1}
    assert dict(data["level"]) == {"高风险": 1, "非风险地区": 1}
    assert dict(data["community"]) == {"幸福社区": 1, "和平社区": 1}
    assert sum(n for _day, n in data["day"]) == 2
    assert 'id="arrivals-chart-data"' in response.content.decode()
    assert "echarts.min.js" in response.content.decode()
    workbook = client.get(reverse("arrivals:statistics"), {"export": "xlsx"})
    rows = sheet_text(workbook)
    assert rows[0] == ("维度", "项目", "人数")
    assert ("出发地（省）", "湖北省", 1) in rows and ("目的地社区", "和平社区", 1) in rows
    assert ExportLog.objects.get().query.startswith("statistics")


def test_the_figures_the_report_and_outbreak_read(district, alice, dora, registration) -> None:
    period = Period.days(today() - timedelta(days=7), today())
    assert get_figure("arrivals.registrations").compute(period).value == 1
    assert get_figure("arrivals.under_follow_up").compute(period).value == 1
    assert get_figure("arrivals.under_follow_up").compute(period, district.west).value == 0
    assert get_figure("arrivals.high_risk_registrations").compute(period).value == 1
    registration.follow_up_status = FollowUpStatus.COMPLETED
    registration.completed_on = today()
    registration.save()
    assert get_figure("arrivals.follow_ups_completed").compute(period).value == 1
    assert get_figure("arrivals.under_follow_up").compute(period).value == 0
    earlier = Period.days(today() - timedelta(days=7), today() - timedelta(days=1))
    assert get_figure("arrivals.under_follow_up").compute(earlier).value == 1
