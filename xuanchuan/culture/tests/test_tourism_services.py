"""The tourism part's services: holiday dates (validation, overlaps, who may set them), stats
(role, unit scope, dates first, no holiday to come, no duplicate, Mid-Autumn within National Day),
and the Excel import (reading hostile files, every kind of row in the plan, confirmation all or
nothing, only what was previewed)."""

from __future__ import annotations

import io
import zipfile
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from xuanchuan.conftest import make_person
from xuanchuan.core.services import ServiceError
from xuanchuan.culture.models import Holiday, HolidayPeriod, Source, TourismStat
from xuanchuan.culture.services import tourism as services
from xuanchuan.culture.tests.factories_tourism import make_period, make_stat, workbook
from xuanchuan.org.models import RoleCode

pytestmark = pytest.mark.django_db
H = Holiday


def stat_input(unit, holiday=H.MAY_DAY, year=2025, visitors=1000, revenue="12.34", note="") -> services.StatInput:
    return services.StatInput(unit, holiday, year, visitors, Decimal(revenue), note)


# --- holiday dates ---------------------------------------------------------------------------------


def test_holiday_dates_are_set_and_corrected_by_a_district_manager(alice) -> None:
    period = services.set_holiday_period(
        holiday=H.MAY_DAY, year=2025, starts_on=date(2025, 5, 1), ends_on=date(2025, 5, 4), by=alice
    )
    assert period.days == 4
    services.set_holiday_period(
        holiday=H.MAY_DAY, year=2025, starts_on=date(2025, 5, 1), ends_on=date(2025, 5, 5), by=alice
    )
    assert HolidayPeriod.objects.get().days == 5


@pytest.mark.parametrize(
    ("starts_on", "ends_on", "message"),
    [
        (date(2025, 5, 5), date(2025, 5, 1), "不能早于"),
        (date(2025, 5, 1), date(2025, 5, 16), "不能超过 15 天"),
        (date(2024, 5, 1), date(2024, 5, 5), "应在 2025 年内"),
        (date(2026, 1, 10), date(2026, 1, 20), "应在 2025 年内"),
    ],
)
def test_holiday_dates_are_checked(alice, starts_on, ends_on, message) -> None:
    with pytest.raises(ServiceError, match=message):
        services.set_holiday_period(holiday=H.MAY_DAY, year=2025, starts_on=starts_on, ends_on=ends_on, by=alice)
    assert not HolidayPeriod.objects.exists()


def test_a_fifteen_day_holiday_is_the_longest_allowed(alice) -> None:
    period = services.set_holiday_period(
        holiday=H.SPRING_FESTIVAL, year=2025, starts_on=date(2025, 1, 25), ends_on=date(2025, 2, 8), by=alice
    )
    assert period.days == 15


def test_only_mid_autumn_and_national_day_may_share_days(alice) -> None:
    services.set_holiday_period(
        holiday=H.NATIONAL_DAY, year=2025, starts_on=date(2025, 10, 1), ends_on=date(2025, 10, 8), by=alice
    )
    services.set_holiday_period(
        holiday=H.MID_AUTUMN, year=2025, starts_on=date(2025, 10, 1), ends_on=date(2025, 10, 8), by=alice
    )
    with pytest.raises(ServiceError, match="重叠"):
        services.set_holiday_period(
            holiday=H.DRAGON_BOAT, year=2025, starts_on=date(2025, 10, 7), ends_on=date(2025, 10, 9), by=alice
        )


def test_mid_autumn_with_stats_of_its_own_cannot_come_to_share_national_days(district, alice) -> None:
    make_period(H.NATIONAL_DAY, 2025)
    make_period(H.MID_AUTUMN, 2025, date(2025, 9, 20), date(2025, 9, 22))
    make_stat(district.east, H.MID_AUTUMN, 2025, 10, "1")
    with pytest.raises(ServiceError, match="应填在国庆节下"):
        services.set_holiday_period(
            holiday=H.MID_AUTUMN, year=2025, starts_on=date(2025, 10, 1), ends_on=date(2025, 10, 8), by=alice
        )
    assert HolidayPeriod.objects.get(holiday=H.MID_AUTUMN).starts_on == date(2025, 9, 20)


def test_holiday_dates_are_the_districts(bob, dora, charlie) -> None:
    for person in (bob, dora):
        with pytest.raises(PermissionDenied):
            services.set_holiday_period(
                holiday=H.MAY_DAY, year=2025, starts_on=date(2025, 5, 1), ends_on=date(2025, 5, 5), by=person
            )
    assert not HolidayPeriod.objects.exists()


# --- stats ---------------------------------------------------------------------------------------------


def test_a_reporter_enters_a_stat_of_their_unit(district, bob) -> None:
    make_period(H.MAY_DAY, 2025)
    stat = services.create_stat(stat_input(district.east_community, revenue="12.345", note=" 景区 "), by=bob)
    assert (stat.unit, stat.visitors, stat.revenue, stat.note) == (
        district.east_community,
        1000,
        Decimal("12.35"),
        "景区",
    )
    assert stat.source == Source.ENTERED and stat.created_by == bob


def test_a_stat_needs_the_role_and_the_scope(district, bob, dora) -> None:
    make_period(H.MAY_DAY, 2025)
    with pytest.raises(PermissionDenied):
        services.create_stat(stat_input(district.east_community), by=dora)
    with pytest.raises(PermissionDenied):
        services.create_stat(stat_input(district.west), by=bob)
    assert not TourismStat.objects.exists()


def test_a_stat_needs_the_holidays_dates_first(district, bob) -> None:
    with pytest.raises(ServiceError, match="请先填写2025年劳动节的放假日期"):
        services.create_stat(stat_input(district.east), by=bob)


def test_a_holiday_to_come_cannot_be_reported(district, bob) -> None:
    start = timezone.localdate() + timedelta(days=3)
    make_period(H.NATIONAL_DAY, start.year, start, start + timedelta(days=2))
    with pytest.raises(ServiceError, match="尚未开始"):
        services.create_stat(stat_input(district.east, holiday=H.NATIONAL_DAY, year=start.year), by=bob)


def test_one_stat_per_unit_holiday_and_year(district, bob) -> None:
    make_period(H.MAY_DAY, 2025)
    services.create_stat(stat_input(district.east), by=bob)
    with pytest.raises(ServiceError, match="已经填报"):
        services.create_stat(stat_input(district.east, visitors=5), by=bob)
    other = services.create_stat(stat_input(district.east_community), by=bob)
    with pytest.raises(ServiceError, match="已经填报"):
        services.update_stat(other, stat_input(district.east), by=bob)


def test_mid_autumn_within_national_day_goes_under_national_day(district, bob) -> None:
    make_period(H.NATIONAL_DAY, 2025)
    make_period(H.MID_AUTUMN, 2025)
    with pytest.raises(ServiceError, match="填在国庆节下"):
        services.create_stat(stat_input(district.east, holiday=H.MID_AUTUMN), by=bob)
    services.create_stat(stat_input(district.east, holiday=H.NATIONAL_DAY), by=bob)


@pytest.mark.parametrize(("visitors", "revenue"), [(-1, "1"), (1, "-0.01"), (10**11, "1")])
def test_numbers_are_checked(district, bob, visitors, revenue) -> None:
    make_period(H.MAY_DAY, 2025)
    with pytest.raises(ServiceError):
        services.create_stat(stat_input(district.east, visitors=visitors, revenue=revenue), by=bob)


def test_update_and_delete_in_scope_only(district, bob, charlie) -> None:
    make_period(H.MAY_DAY, 2025)
    stat = make_stat(district.east, H.MAY_DAY, 2025, 10, "1", source=Source.IMPORTED)
    with pytest.raises(PermissionDenied):
        services.update_stat(stat, stat_input(district.west), by=charlie)
    with pytest.raises(PermissionDenied):
        services.delete_stat(stat, by=charlie)
    services.update_stat(stat, stat_input(district.east, visitors=20, revenue="2.5"), by=bob)
    stat.refresh_from_db()
    assert (stat.visitors, stat.revenue, stat.source) == (20, Decimal("2.50"), Source.ENTERED)
    services.delete_stat(stat, by=bob)
    assert not TourismStat.objects.exists()


# --- import: reading ------------------------------------------------------------------------------------


def test_an_import_file_must_be_a_readable_xlsx_of_the_template() -> None:
    with pytest.raises(ServiceError, match=".xlsx"):
        services.read_import_file(b"unit,holiday\n")
    with pytest.raises(ServiceError, match="损坏"):
        services.read_import_file(b"PK\x03\x04 this is not a zip")
    with pytest.raises(ServiceError, match="2 MB"):
        services.read_import_file(b"PK\x03\x04" + b"0" * services.IMPORT_MAX_BYTES)
    with pytest.raises(ServiceError, match="缺少：旅游人数"):
        services.read_import_file(workbook([["东城街道"]], header=["单位", "假日", "年度"]))
    with pytest.raises(ServiceError, match="没有数据"):
        services.read_import_file(workbook([]))


def test_a_zip_bomb_is_refused_with_a_message() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (30 * 1024 * 1024))
    with pytest.raises(ServiceError, match="异常膨胀"):
        services.read_import_file(out.getvalue())


def test_columns_are_found_by_their_headings() -> None:
    header = ["说明", "年度", "假日", "单位", "旅游综合收入（万元）", "旅游人数（人次）"]
    cells = services.read_import_file(workbook([["备注", 2025, "五一", "东城街道", 12.5, 1000]], header=header))
    assert cells == [["东城街道", "五一", "2025", "1000", "12.5", "备注"]]


# --- import: the plan ---------------------------------------------------------------------------------


def plan_of(rows, by):
    return services.plan_import(services.read_import_file(workbook(rows)), by=by)


def test_the_plan_says_new_update_or_error_for_every_row(district, bob) -> None:
    make_period(H.MAY_DAY, 2025)
    make_period(H.NATIONAL_DAY, 2025)
    make_stat(district.east, H.MAY_DAY, 2025, 900, "10")
    plan = plan_of(
        [
            ["东城街道", "五一", 2025, 1200, 15.5, "更新"],
            ["幸福社区", "国庆", 2025, "3,000", "20", ""],
            ["西城街道", "五一", 2025, 1, 1, ""],
            ["不存在的单位", "五一", 2025, 1, 1, ""],
            ["东城街道", "元旦", 2025, 1, 1, ""],
            ["东城街道", "端午", 2025, 1, 1, ""],
            ["幸福社区", "劳动节", 2025, -5, 1, ""],
            ["幸福社区", "春节", 2025, "很多", "abc", ""],
            ["T-S01", "清明节", "二〇二五", 1, 1, ""],
        ],
        bob,
    )
    rows = plan.rows
    assert [row.status for row in rows] == ["update", "new"] + ["error"] * 7
    assert rows[0].number == 2 and rows[0].old.visitors == 900 and rows[0].visitors == 1200
    assert rows[0].revenue == Decimal("15.50")
    assert rows[1].unit == district.east_community and rows[1].holiday == H.NATIONAL_DAY and rows[1].visitors == 3000
    reasons = ["；".join(row.reasons) for row in rows[2:]]
    assert "不在您的管理范围内" in reasons[0] and "西城街道" in reasons[0]
    assert "不存在或不在您的管理范围内" in reasons[1]
    assert "无法识别的假日“元旦”" in reasons[2]
    assert "请先填写2025年端午节的放假日期" in reasons[3]
    assert "不小于 0 的整数" in reasons[4]
    assert "旅游人数“很多”" in reasons[5] and "旅游综合收入“abc”" in reasons[5]
    assert "年度应为" in reasons[6]
    assert TourismStat.objects.count() == 1 and TourismStat.objects.get().visitors == 900  # nothing written


def test_duplicate_rows_in_a_file_are_both_errors(district, bob) -> None:
    make_period(H.MAY_DAY, 2025)
    plan = plan_of(
        [["东城街道", "五一", 2025, 1, 1], ["幸福社区", "五一", 2025, 2, 2], ["东城街道", "劳动节", 2025, 3, 3]], bob
    )
    assert [row.status for row in plan.rows] == ["error", "new", "error"]
    assert "第 2、4 行重复" in plan.rows[0].reasons[0]


def test_every_holiday_word_of_the_template_is_understood() -> None:
    words = ["春节", "清明", "清明节", "五一", "劳动节", "端午", "端午节", "中秋", "中秋节", "国庆", "国庆节"]
    assert [services.holiday_code(word) for word in words] == [
        H.SPRING_FESTIVAL, H.QINGMING, H.QINGMING, H.MAY_DAY, H.MAY_DAY, H.DRAGON_BOAT, H.DRAGON_BOAT,
        H.MID_AUTUMN, H.MID_AUTUMN, H.NATIONAL_DAY, H.NATIONAL_DAY,
    ]  # fmt: skip
    assert services.holiday_code("元旦") is None


def test_a_unit_name_held_twice_asks_for_the_code(district, alice) -> None:
    from xuanchuan.org.models import UnitType
    from xuanchuan.org.services import create_unit

    create_unit(parent=district.west, name="幸福社区", unit_type=UnitType.COMMUNITY, code="T-S02-C09")
    make_period(H.MAY_DAY, 2025)
    plan = plan_of([["幸福社区", "五一", 2025, 1, 1], ["T-S02-C09", "五一", 2025, 1, 1]], alice)
    assert "请填写单位编码" in plan.rows[0].reasons[0]
    assert plan.rows[1].status == "new" and plan.rows[1].unit.code == "T-S02-C09"


# --- import: confirmation ------------------------------------------------------------------------------


def test_a_large_file_is_planned_in_few_queries(district, alice, django_assert_max_num_queries) -> None:
    make_period(H.MAY_DAY, 2025)
    make_stat(district.east, H.MAY_DAY, 2025, 1, "1")
    rows = [["东城街道", "五一", 2025, 5, 5]] + [[f"无此单位{n}", "五一", 2025, n, n] for n in range(999)]
    cells = services.read_import_file(workbook(rows))
    with django_assert_max_num_queries(8):
        plan = services.plan_import(cells, by=alice)
    assert len(plan.rows) == 1000 and plan.rows[0].status == "update" and len(plan.errors) == 999


def test_confirm_writes_new_and_updated_rows_as_imported(district, bob) -> None:
    make_period(H.MAY_DAY, 2025)
    old = make_stat(district.east, H.MAY_DAY, 2025, 900, "10", note="原说明")
    cells = services.read_import_file(
        workbook([["东城街道", "五一", 2025, 1200, 15], ["幸福社区", "五一", 2025, 300, 2]])
    )
    plan = services.plan_import(cells, by=bob)
    result = services.confirm_import(cells, fingerprint=plan.fingerprint, skip_errors=False, by=bob)
    assert (result.created, result.updated, result.skipped) == (1, 1, 0)
    old.refresh_from_db()
    assert (old.visitors, old.revenue, old.source, old.note) == (1200, Decimal("15.00"), Source.IMPORTED, "原说明")
    new = TourismStat.objects.get(unit=district.east_community)
    assert new.source == Source.IMPORTED and new.created_by == bob


def test_errors_block_the_import_unless_skipped(district, bob) -> None:
    make_period(H.MAY_DAY, 2025)
    cells = services.read_import_file(workbook([["东城街道", "五一", 2025, 1, 1], ["东城街道", "元旦", 2025, 1, 1]]))
    plan = services.plan_import(cells, by=bob)
    with pytest.raises(ServiceError, match="1 行错误"):
        services.confirm_import(cells, fingerprint=plan.fingerprint, skip_errors=False, by=bob)
    assert not TourismStat.objects.exists()
    result = services.confirm_import(cells, fingerprint=plan.fingerprint, skip_errors=True, by=bob)
    assert (result.created, result.skipped) == (1, 1) and TourismStat.objects.count() == 1


def test_only_what_was_previewed_is_written(district, bob) -> None:
    make_period(H.MAY_DAY, 2025)
    cells = services.read_import_file(workbook([["东城街道", "五一", 2025, 1, 1]]))
    plan = services.plan_import(cells, by=bob)
    make_stat(district.east, H.MAY_DAY, 2025, 7, "7")  # entered by someone meanwhile: now an update
    with pytest.raises(ServiceError, match="预览之后数据已有变化"):
        services.confirm_import(cells, fingerprint=plan.fingerprint, skip_errors=False, by=bob)
    assert TourismStat.objects.get().visitors == 7


def test_a_stat_entered_meanwhile_by_someone_else_is_a_message(district, bob, monkeypatch) -> None:
    """Two writers at once: the other one's row lands between this plan and its insert."""
    make_period(H.MAY_DAY, 2025)
    cells = services.read_import_file(workbook([["幸福社区", "五一", 2025, 2, 2], ["东城街道", "五一", 2025, 1, 1]]))
    plan = services.plan_import(cells, by=bob)
    planned = services.plan_import

    def plan_then_race(*args, **kwargs):
        found = planned(*args, **kwargs)
        make_stat(district.east, H.MAY_DAY, 2025, 7, "7")
        return found

    monkeypatch.setattr(services, "plan_import", plan_then_race)
    with pytest.raises(ServiceError, match="他人同时填报"):
        services.confirm_import(cells, fingerprint=plan.fingerprint, skip_errors=False, by=bob)
    assert not TourismStat.objects.filter(unit=district.east_community).exists()  # all or nothing


def test_a_file_of_errors_only_imports_nothing(district, bob) -> None:
    cells = services.read_import_file(workbook([["东城街道", "元旦", 2025, 1, 1]]))
    plan = services.plan_import(cells, by=bob)
    with pytest.raises(ServiceError, match="没有可以导入的行"):
        services.confirm_import(cells, fingerprint=plan.fingerprint, skip_errors=True, by=bob)


def test_import_needs_the_role(district, dora) -> None:
    with pytest.raises(PermissionDenied):
        services.plan_import([["幸福社区", "五一", "2025", "1", "1", ""]], by=dora)
    nobody = make_person("nobody", district.east)
    with pytest.raises(PermissionDenied):
        services.confirm_import([], fingerprint="", skip_errors=True, by=nobody)
    assert RoleCode.UNIT_REPORTER  # the role that may (bob's)
