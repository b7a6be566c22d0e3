"""假日旅游 — holiday figures imported from Excel in a real browser: the district's administrator
downloads the template, fills it (a new row, an update of a stat entered before, a row of a unit
that does not exist), uploads it, sees the preview (new / old → new / the error with its row and
reason), confirms without the error row, and finds the year-on-year table with the raw and the
comparable change (国庆 8 days against 7) and "上年无数据" where the year before has none; on the
desktop and on a 360 px phone. The part's own tests are ``xuanchuan/culture/tests/test_tourism_*.py``."""

from __future__ import annotations

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from xuanchuan.core.tests.browser.conftest import signed_in_cookie
from xuanchuan.culture.models import Holiday, Source, TourismStat
from xuanchuan.culture.tests.factories_tourism import make_period, make_stat
from xuanchuan.volunteers.tests.browser import watch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def no_overflow(page, width: int) -> None:
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"the page is wider than the window ({scroll}px)"


def test_import_preview_confirm_and_the_year_on_year_table(
    browser, page, live_server, screenshot_dir, district, alice, tmp_path
) -> None:
    for holiday, year in ((Holiday.MAY_DAY, 2025), (Holiday.NATIONAL_DAY, 2024), (Holiday.NATIONAL_DAY, 2025)):
        make_period(holiday, year)
    make_stat(district.east, Holiday.NATIONAL_DAY, 2024, 70000, "3500")
    entered = make_stat(district.east, Holiday.NATIONAL_DAY, 2025, 1, "1", note="待核实")

    errors = watch(page)
    page.context.add_cookies([{**signed_in_cookie(alice), "url": live_server.url}])
    page.goto(live_server.url + reverse("culture:tourism_import"))
    with page.expect_download() as download:
        page.click("#download-template")
    template = tmp_path / "template.xlsx"
    download.value.save_as(template)

    # Filled in a spreadsheet: a new row, an update of the stat entered before, a wrong unit.
    book = load_workbook(template)
    sheet = book.active
    assert [cell.value for cell in sheet[1]] == [
        "单位",
        "假日",
        "年度",
        "旅游人数（人次）",
        "旅游综合收入（万元）",
        "说明",
    ]
    sheet.append(["东城街道", "五一", 2025, 52000, 2600.5, "含3个景区"])
    sheet.append(["东城街道", "国庆", 2025, 88000, 4400, "核实后"])
    sheet.append(["北城街道", "五一", 2025, 100, 1, ""])
    filled = tmp_path / "东城假日旅游.xlsx"
    book.save(filled)

    page.set_input_files("#id_file", str(filled))
    page.click("#upload")
    page.wait_for_selector("#preview-table")
    assert page.locator("#preview-row-2.preview-new").count() == 1
    update = page.inner_text("#preview-row-3")
    assert "更新" in update and "1 → 88000" in update.replace("\t", " ")
    error = page.inner_text("#preview-row-4")
    assert "错误" in error and "单位“北城街道”不存在或不在您的管理范围内" in error
    assert "新增 1 条，更新 1 条，错误 1 行" in page.inner_text("#import-summary")
    page.screenshot(path=str(screenshot_dir / "culture-tourism-import-preview.png"), full_page=True)
    no_overflow(page, 1366)
    assert TourismStat.objects.count() == 2  # nothing saved before the confirmation

    page.click("#confirm")  # errors, not ticked: refused, the preview again
    page.wait_for_selector(".alert-danger")
    assert "1 行错误" in page.inner_text(".alert-danger")
    page.check("#id_skip_errors")
    page.click("#confirm")
    page.wait_for_selector("#tourism-table")
    assert "新增 1 条，更新 1 条" in page.inner_text(".alert-success")
    entered.refresh_from_db()
    assert (entered.visitors, entered.source, entered.note) == (88000, Source.IMPORTED, "核实后")
    assert TourismStat.objects.get(holiday=Holiday.MAY_DAY).visitors == 52000

    # The table: 国庆 2025 (8 days) against 2024 (7 days): raw +25.7%, per day +10.0%.
    national = page.locator("#row-national-2025")
    assert national.locator(".visitors-change").inner_text() == "增长25.7%"
    assert national.locator(".visitors-comparable").inner_text() == "增长10.0%"
    assert national.locator(".revenue-comparable").inner_text() == "增长10.0%"
    assert "假期天数不同（8天/7天），可比口径按日均计算" in page.inner_text("#tourism-table")
    assert not page.locator("#tourism-cards").is_visible()
    may_day = page.locator("#row-mayday-2025")
    assert may_day.locator(".visitors-change").inner_text() == "上年无数据"
    assert may_day.locator(".visitors-comparable").inner_text() == "上年无数据"
    page.screenshot(path=str(screenshot_dir / "culture-tourism-table.png"), full_page=True)
    no_overflow(page, 1366)

    # The same on a phone 360 px wide: the tables scroll inside, the page does not.
    phone = browser.new_context(locale="zh-CN", viewport={"width": 360, "height": 780}, is_mobile=True, has_touch=True)
    try:
        phone.add_cookies([{**signed_in_cookie(alice), "url": live_server.url}])
        mobile = phone.new_page()
        phone_errors = watch(mobile)
        mobile.goto(live_server.url + reverse("culture:tourism_list") + "?holiday=national")
        card = mobile.locator("#card-national-2025")
        assert card.is_visible() and not mobile.locator("#tourism-table").is_visible()
        assert card.locator(".visitors-comparable").inner_text() == "增长10.0%"
        assert "假期天数不同（8天/7天）" in card.inner_text()
        mobile.screenshot(path=str(screenshot_dir / "culture-tourism-table-phone.png"), full_page=True)
        no_overflow(mobile, 360)
        mobile.goto(live_server.url + reverse("culture:holiday_list") + "?year=2025")
        assert "10月1日–10月8日" in mobile.inner_text("#year-2025")
        mobile.screenshot(path=str(screenshot_dir / "culture-tourism-holidays-phone.png"), full_page=True)
        no_overflow(mobile, 360)
        mobile.goto(live_server.url + reverse("culture:tourism_import"))
        mobile.screenshot(path=str(screenshot_dir / "culture-tourism-import-phone.png"), full_page=True)
        no_overflow(mobile, 360)
        assert not phone_errors, phone_errors
    finally:
        phone.close()
    assert not errors, errors
