"""The tourism part's pages and API: the year-on-year table (raw and comparable changes, a missing
year, a zero base, the note on different lengths), its Excel export, the holiday dates (district
managers set them; a street's reporter reads), a stat's form (the dates first, with a link; nothing
lost on a refusal), deletion behind a confirmation, the Excel import from upload to confirmation
(the session holds the file; a re-posted value is never trusted), scope (another unit's stat is
404), roles (403), query bounds, the to-dos and the API."""

from __future__ import annotations

import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from xuanchuan.culture.models import Holiday, HolidayPeriod, Source, TourismStat
from xuanchuan.culture.tests.factories_tourism import make_period, make_stat, workbook
from xuanchuan.culture.todos_tourism import todos

pytestmark = pytest.mark.django_db
H = Holiday
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def sheet_rows(response) -> list[tuple]:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))


def upload(data: bytes, name: str = "假日旅游.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=XLSX)


@pytest.fixture
def table(district):
    make_period(H.MAY_DAY, 2024)
    make_period(H.MAY_DAY, 2025)
    make_period(H.NATIONAL_DAY, 2024)
    make_period(H.NATIONAL_DAY, 2025)
    make_period(H.SPRING_FESTIVAL, 2025)
    make_period(H.SPRING_FESTIVAL, 2026)
    make_stat(district.east, H.NATIONAL_DAY, 2024, 7000, "700")
    make_stat(district.east, H.NATIONAL_DAY, 2025, 8800, "880")
    make_stat(district.east, H.MAY_DAY, 2025, 9000, "450")  # no 2024: 上年无数据
    make_stat(district.east, H.SPRING_FESTIVAL, 2025, 0, "0")
    make_stat(district.east, H.SPRING_FESTIVAL, 2026, 500, "30")  # zero base
    make_stat(district.west, H.NATIONAL_DAY, 2025, 123456, "9999", note="西城秘密")
    return district


def test_the_table_computes_the_changes(client, bob, table) -> None:
    client.force_login(bob)
    response = client.get(reverse("culture:tourism_list"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "西城秘密" not in text and "123456" not in text
    rows = {(row.holiday, row.year): row for row in response.context["table"]}
    national = rows[(H.NATIONAL_DAY, 2025)]
    assert (national.days, national.previous_days, national.visitors) == (8, 7, 8800)
    assert national.visitors_change.words() == "增长25.7%"
    assert national.visitors_comparable.words() == "增长10.0%"  # 1100 a day against 1000
    assert national.revenue_comparable.words() == "增长10.0%"
    assert "假期天数不同（8天/7天），可比口径按日均计算" in text
    assert rows[(H.MAY_DAY, 2025)].visitors_change.words() == "上年无数据"
    assert rows[(H.SPRING_FESTIVAL, 2026)].visitors_change.words() == "上年为零"
    assert rows[(H.SPRING_FESTIVAL, 2026)].visitors_comparable.words() == "上年为零"
    section = text[text.index('id="row-mayday-2025"') :]
    assert "上年无数据" in section[: section.index("</tr>")]
    assert "0%" not in section[: section.index("</tr>")] and "∞" not in text


def test_the_same_lengths_say_no_note(client, bob, table) -> None:
    client.force_login(bob)
    text = client.get(reverse("culture:tourism_list"), {"holiday": H.MAY_DAY}).content.decode()
    assert 'class="length-note"' not in text and 'id="row-national-2025"' not in text
    assert 'id="row-mayday-2025"' in text


def test_mid_autumn_within_national_day_shows_as_that_holiday(client, district, bob) -> None:
    make_period(H.NATIONAL_DAY, 2025)
    make_period(H.MID_AUTUMN, 2025)
    make_period(H.MID_AUTUMN, 2026, date(2026, 9, 25), date(2026, 9, 27))
    make_stat(district.east, H.NATIONAL_DAY, 2025, 8000, "800")
    make_stat(district.east, H.MID_AUTUMN, 2026, 3600, "300")
    client.force_login(bob)
    rows = client.get(reverse("culture:tourism_list"), {"holiday": H.MID_AUTUMN}).context["table"]
    assert [(row.year, row.holiday_label, row.visitors, row.days) for row in rows] == [
        (2026, "中秋节", 3600, 3),
        (2025, "中秋节（与国庆节连休）", 8000, 8),
    ]
    assert rows[0].visitors_comparable.words() == "增长20.0%" and "3天/8天" in rows[0].length_note
    everything = client.get(reverse("culture:tourism_list")).context["table"]
    assert [(row.holiday, row.year) for row in everything] == [(H.MID_AUTUMN, 2026), (H.NATIONAL_DAY, 2025)]


def test_filters_and_the_unit_scope(client, alice, verified_client, table) -> None:
    client = verified_client(alice)
    response = client.get(reverse("culture:tourism_list"), {"holiday": H.NATIONAL_DAY, "year_from": 2025})
    rows = response.context["table"]
    assert [(row.year, row.visitors) for row in rows] == [(2025, 8800 + 123456)]
    assert rows[0].visitors_change.known  # the year before is read although filtered out
    response = client.get(reverse("culture:tourism_list"), {"unit": table.west.pk})
    assert [(row.holiday, row.year) for row in response.context["table"]] == [(H.NATIONAL_DAY, 2025)]
    assert response.context["table"][0].visitors_change.words() == "上年无数据"
    assert client.get(reverse("culture:tourism_list"), {"unit": "x"}).status_code == 404


def test_an_outsider_asking_for_another_units_table_gets_404(client, charlie, table) -> None:
    client.force_login(charlie)
    assert client.get(reverse("culture:tourism_list"), {"unit": table.east.pk}).status_code == 404
    text = client.get(reverse("culture:tourism_list")).content.decode()
    assert "8800" not in text and "西城秘密" in text


def test_the_export_gives_the_changes_as_numbers_or_reasons(client, bob, table) -> None:
    client.force_login(bob)
    response = client.get(reverse("culture:tourism_list"), {"export": "xlsx"})
    rows = sheet_rows(response)
    assert rows[0][:6] == ("假日", "年度", "放假日期", "天数", "旅游人数（人次）", "旅游综合收入（万元）")
    by_key = {(row[0], row[1]): row for row in rows[1:]}
    national = by_key[("国庆节", 2025)]
    assert national[3:8] == (8, 8800, 880, 25.7, 10)
    assert national[10] == "假期天数不同（8天/7天），可比口径按日均计算"
    assert by_key[("劳动节", 2025)][6:10] == ("上年无数据",) * 4
    assert by_key[("春节", 2026)][6] == "上年为零"
    records = sheet_rows(client.get(reverse("culture:tourism_list"), {"export": "records"}))
    assert len(records) == 6 and all(row[0] == "东城街道" for row in records[1:])


def test_records_are_searched_and_paginated(client, bob, table) -> None:
    client.force_login(bob)
    response = client.get(reverse("culture:tourism_list"), {"q": "东城"})
    assert response.context["page_obj"].paginator.count == 5
    assert client.get(reverse("culture:tourism_list"), {"q": "没有"}).context["page_obj"].paginator.count == 0


def test_lists_have_bounded_queries(client, district, bob, table, django_assert_max_num_queries) -> None:
    for year in range(2005, 2020):
        make_period(H.MAY_DAY, year, date(year, 5, 1), date(year, 5, 3))
        make_stat(district.east_community, H.MAY_DAY, year, 100 + year, "1")
    client.force_login(bob)
    for name in ("culture:tourism_list", "culture:holiday_list"):
        with django_assert_max_num_queries(15):
            assert client.get(reverse(name)).status_code == 200


def test_pages_need_the_tourism_role(client, verified_client, dora, table) -> None:
    client = verified_client(dora)
    for name in ("culture:tourism_list", "culture:holiday_list", "culture:stat_create", "culture:tourism_import",
                 "culture:tourism_import_template"):  # fmt: skip
        assert client.get(reverse(name)).status_code == 403
    stat = TourismStat.objects.filter(unit=table.east).first()
    assert client.get(reverse("culture:stat_edit", args=[stat.pk])).status_code == 403
    client.logout()
    assert client.get(reverse("culture:tourism_list")).status_code == 302


# --- holiday dates -------------------------------------------------------------------------------------


def test_a_district_manager_sets_the_dates(client, alice, verified_client) -> None:
    client = verified_client(alice)
    url = reverse("culture:holiday_edit", kwargs={"year": 2025, "holiday": H.NATIONAL_DAY})
    page = client.get(url).content.decode()
    assert "中秋节与国庆节连休" in page
    response = client.post(url, {"starts_on": "2025-10-01", "ends_on": "2025-10-08"})
    assert response.status_code == 302 and response["Location"].endswith("?year=2025")
    assert HolidayPeriod.objects.get().days == 8
    elsewhere = client.post(f"{url}?next=/\\evil.example/", {"starts_on": "2025-10-01", "ends_on": "2025-10-08"})
    assert elsewhere["Location"] == reverse("culture:holiday_list") + "?year=2025"
    response = client.post(url, {"starts_on": "2025-10-08", "ends_on": "2025-10-01"})
    assert response.status_code == 400 and "不能早于" in response.content.decode()
    response = client.post(url, {"starts_on": "2025-10-01", "ends_on": "2025-10-20"})
    assert response.status_code == 400 and "不能超过 15 天" in response.content.decode()
    assert 'value="2025-10-20"' in response.content.decode()  # what was typed is kept
    listing = client.get(reverse("culture:holiday_list"), {"year": 2025}).content.decode()
    assert "10月1日–10月8日" in listing and "8天" in listing
    assert client.get(reverse("culture:holiday_edit", kwargs={"year": 2025, "holiday": "newyear"})).status_code == 404
    assert client.get(reverse("culture:holiday_edit", kwargs={"year": 1999, "holiday": "spring"})).status_code == 404
    rows = sheet_rows(client.get(reverse("culture:holiday_list"), {"export": "xlsx"}))
    assert rows[1][:2] == (2025, "国庆节") and rows[1][4] == 8


def test_a_street_reporter_reads_the_dates_but_cannot_set_them(client, bob) -> None:
    make_period(H.MAY_DAY, 2025)
    client.force_login(bob)
    text = client.get(reverse("culture:holiday_list")).content.decode()
    assert "5月1日–5月5日" in text and "由全区的管理员维护" in text
    url = reverse("culture:holiday_edit", kwargs={"year": 2025, "holiday": H.MAY_DAY})
    assert client.get(url).status_code == 403
    assert client.post(url, {"starts_on": "2025-05-01", "ends_on": "2025-05-02"}).status_code == 403
    assert HolidayPeriod.objects.get().days == 5


# --- stats -------------------------------------------------------------------------------------------------


def test_a_stat_is_entered_edited_and_deleted(client, district, bob) -> None:
    make_period(H.MAY_DAY, 2025)
    client.force_login(bob)
    form = {"unit": district.east.pk, "holiday": H.MAY_DAY, "year": 2025, "visitors": "12000", "revenue": "560.5"}
    response = client.post(reverse("culture:stat_create"), {**form, "note": "含景区"})
    assert response.status_code == 302
    stat = TourismStat.objects.get()
    assert (stat.visitors, stat.revenue, stat.note, stat.created_by) == (12000, Decimal("560.50"), "含景区", bob)
    response = client.post(reverse("culture:stat_edit", args=[stat.pk]), {**form, "visitors": "13000"})
    assert response.status_code == 302
    stat.refresh_from_db()
    assert stat.visitors == 13000
    page = client.get(reverse("culture:stat_delete", args=[stat.pk])).content.decode()
    assert "删除后不能恢复" in page and TourismStat.objects.exists()
    assert client.post(reverse("culture:stat_delete", args=[stat.pk])).status_code == 302
    assert not TourismStat.objects.exists()


def test_missing_dates_are_said_with_a_link_for_those_who_set_them(client, district, bob, alice, verified_client):
    form = {"unit": district.east.pk, "holiday": H.DRAGON_BOAT, "year": 2025, "visitors": "12", "revenue": "1"}
    client.force_login(bob)
    response = client.post(reverse("culture:stat_create"), form)
    text = response.content.decode()
    assert response.status_code == 400 and "请先填写2025年端午节的放假日期" in text
    assert "请与其联系" in text and 'value="12"' in text
    admin = verified_client(alice)
    text = admin.post(reverse("culture:stat_create"), form).content.decode()
    assert reverse("culture:holiday_edit", kwargs={"year": 2025, "holiday": H.DRAGON_BOAT}) in text
    assert not TourismStat.objects.exists()


def test_bad_input_is_refused_in_chinese(client, district, bob) -> None:
    make_period(H.MAY_DAY, 2025)
    client.force_login(bob)
    form = {"unit": district.east.pk, "holiday": H.MAY_DAY, "year": 2025, "visitors": "-3", "revenue": "1.234"}
    response = client.post(reverse("culture:stat_create"), form)
    text = response.content.decode()
    assert response.status_code == 400 and "0" in text and "小数" in text
    response = client.post(reverse("culture:stat_create"), {**form, "unit": district.west.pk, "visitors": "1"})
    assert response.status_code == 400 and not TourismStat.objects.exists()
    make_stat(district.east, H.MAY_DAY, 2025, 1, "1")
    response = client.post(reverse("culture:stat_create"), {**form, "visitors": "1", "revenue": "1"})
    assert response.status_code == 400 and "已经填报" in response.content.decode()


def test_another_units_stat_is_not_there(client, district, charlie) -> None:
    make_period(H.MAY_DAY, 2025)
    stat = make_stat(district.east, H.MAY_DAY, 2025, 1, "1")
    client.force_login(charlie)
    for name in ("culture:stat_edit", "culture:stat_delete"):
        assert client.get(reverse(name, args=[stat.pk])).status_code == 404
        assert client.post(reverse(name, args=[stat.pk])).status_code == 404
    assert client.get(reverse("culture:stat_edit", args=[10**20])).status_code == 404
    assert TourismStat.objects.exists()


# --- import ------------------------------------------------------------------------------------------------


def test_the_template_has_the_columns(client, bob) -> None:
    client.force_login(bob)
    rows = sheet_rows(client.get(reverse("culture:tourism_import_template")))
    assert rows == [("单位", "假日", "年度", "旅游人数（人次）", "旅游综合收入（万元）", "说明")]


def test_upload_preview_confirm(client, district, bob) -> None:
    make_period(H.MAY_DAY, 2025)
    make_stat(district.east, H.MAY_DAY, 2025, 900, "10")
    client.force_login(bob)
    data = workbook(
        [["东城街道", "五一", 2025, 1200, 15], ["幸福社区", "劳动节", 2025, 300, 2], ["西城街道", "五一", 2025, 1, 1]]
    )
    response = client.post(reverse("culture:tourism_import"), {"file": upload(data)})
    assert response.status_code == 302 and "?preview=" in response["Location"]
    preview = client.get(response["Location"])
    text = preview.content.decode()
    assert "新增 <strong>1</strong> 条，更新 <strong>1</strong> 条，错误 <strong>1</strong> 行" in text
    assert '<del class="text-secondary">900</del> → 1200' in text and "不在您的管理范围内" in text
    assert TourismStat.objects.count() == 1
    token = response["Location"].split("preview=")[1]
    # Values posted back are ignored: only the token and the tick count.
    response = client.post(reverse("culture:tourism_import_confirm"), {"token": token, "visitors": "999999"})
    assert response.status_code == 302 and "preview=" in response["Location"]
    assert TourismStat.objects.count() == 1
    response = client.post(reverse("culture:tourism_import_confirm"), {"token": token, "skip_errors": "on"})
    assert response.status_code == 302 and response["Location"] == reverse("culture:tourism_list")
    assert sorted(TourismStat.objects.values_list("visitors", "source")) == [
        (300, Source.IMPORTED), (1200, Source.IMPORTED)
    ]  # fmt: skip
    # The same token cannot be confirmed twice.
    response = client.post(reverse("culture:tourism_import_confirm"), {"token": token, "skip_errors": "on"})
    assert response["Location"] == reverse("culture:tourism_import")


def test_a_token_of_another_session_is_unknown(client, district, bob, charlie) -> None:
    make_period(H.MAY_DAY, 2025)
    client.force_login(bob)
    response = client.post(
        reverse("culture:tourism_import"), {"file": upload(workbook([["东城街道", "五一", 2025, 1, 1]]))}
    )
    token = response["Location"].split("preview=")[1]
    client.get(response["Location"])
    client.force_login(charlie)
    response = client.post(reverse("culture:tourism_import_confirm"), {"token": token})
    assert response["Location"] == reverse("culture:tourism_import") and not TourismStat.objects.exists()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("a.csv", b"a,b", "只能上传 .xlsx"),
        ("a.xlsx", b"PK\x03\x04garbage", "损坏"),
        ("a.xlsx", b"not a zip at all", "请上传 .xlsx"),
        ("a.xlsx", b"PK\x03\x04" + b"0" * (2 * 1024 * 1024 + 1), "2 MB"),
    ],
)
def test_a_bad_file_gets_a_message_never_a_500(client, bob, name, data, message) -> None:
    client.force_login(bob)
    response = client.post(reverse("culture:tourism_import"), {"file": upload(data, name)})
    assert response.status_code == 400 and message in response.content.decode()


def test_an_expired_preview_says_so(client, bob) -> None:
    client.force_login(bob)
    response = client.get(reverse("culture:tourism_import"), {"preview": "nothing"}, follow=True)
    assert "预览已过期" in response.content.decode()
    assert client.get(reverse("culture:tourism_import_confirm")).status_code == 405


# --- to-dos and API ---------------------------------------------------------------------------------------


def test_todos_name_the_ended_holidays_without_stats(district, alice, bob) -> None:
    today = timezone.localdate()
    ended = make_period(H.MAY_DAY, today.year, today - timedelta(days=40), today - timedelta(days=36))
    make_period(H.QINGMING, today.year, today - timedelta(days=60), today - timedelta(days=58))
    make_stat(district.west, H.QINGMING, today.year, 1, "1")
    make_period(H.NATIONAL_DAY, today.year, today - timedelta(days=1), today + timedelta(days=5))  # not over
    found = list(todos(alice))
    assert [item.label for item in found] == [f"待填报的假日旅游数据：{ended}"]
    assert found[0].url.endswith(f"?holiday=mayday&year={today.year}")
    assert list(todos(bob)) == []  # a street's reporter: not a district manager


def test_the_api_gives_the_changes(client, bob, table) -> None:
    client.force_login(bob)
    body = client.get(reverse("api:culture_tourism_stats"), {"holiday": H.NATIONAL_DAY, "year": 2025}).json()
    assert body["count"] == 1
    item = body["items"][0]
    assert (item["visitors"], item["days"], item["previous_days"]) == (8800, 8, 7)
    assert item["visitors_change"] == {"percent": 25.7, "reason": "", "text": "增长25.7%"}
    assert item["visitors_comparable"]["percent"] == 10.0
    assert "8天/7天" in item["note"]
    body = client.get(reverse("api:culture_tourism_stats"), {"holiday": H.MAY_DAY}).json()
    assert body["items"][0]["visitors_change"] == {"percent": None, "reason": "no_previous", "text": "上年无数据"}
    assert client.get(reverse("api:culture_tourism_stats"), {"unit": table.west.pk}).status_code == 404
    assert client.get(reverse("api:culture_tourism_stats"), {"year": 1900}).status_code == 422
    holidays = client.get(reverse("api:culture_tourism_holidays"), {"year": 2025}).json()
    assert {item["holiday_label"] for item in holidays["items"]} == {"劳动节", "国庆节", "春节"}


def test_the_api_needs_the_role(client, verified_client, dora) -> None:
    client = verified_client(dora)
    assert client.get(reverse("api:culture_tourism_stats")).status_code == 403
    assert client.get(reverse("api:culture_tourism_holidays")).status_code == 403
