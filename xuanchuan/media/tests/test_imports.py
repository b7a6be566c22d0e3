"""Importing the platforms' exports: every format sniffed by content, idempotent, all or nothing,
each error with its row and column, hostile files refused with a Chinese sentence."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from openpyxl import Workbook

from xuanchuan.core.services import ServiceError
from xuanchuan.media import importers, services
from xuanchuan.media.models import FollowerDay, ImportLog, Post
from xuanchuan.media.tests.biff import xls_bytes
from xuanchuan.media.tests.conftest import (
    DOUYIN_HEADER,
    DOUYIN_ROWS,
    WECHAT_HEADER,
    WECHAT_ROWS,
    csv_bytes,
    users_html,
)


def refusal(action) -> str:
    with pytest.raises(ServiceError) as caught:
        action()
    return "\n".join(caught.value.messages)


def xlsx_bytes(rows: list[list]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_wechat_csv_import_stores_posts_and_logs_who_imported(wechat, bob) -> None:
    log = services.import_export(wechat, csv_bytes(WECHAT_HEADER, WECHAT_ROWS), file_name="已通知内容.csv", by=bob)
    assert (log.rows_added, log.rows_updated, log.rows_unchanged) == (3, 0, 0)
    assert (log.created_by, log.file_name, log.kind) == (bob, "已通知内容.csv", "wechat_articles")
    post = Post.objects.get(title="区融媒体中心召开年度工作会")
    assert (post.reads, post.readers, post.shares, post.delivered) == (1530, 1200, 60, 21000)
    assert post.completion_rate == Decimal("0.5821")
    assert timezone.localtime(post.published_at).date().isoformat() == "2024-03-11"
    assert post.unit == wechat.unit and post.platform == "wechat"
    assert Post.objects.filter(title__startswith="🌸").exists()


def test_reimporting_the_same_file_changes_nothing(wechat, bob) -> None:
    data = csv_bytes(WECHAT_HEADER, WECHAT_ROWS)
    services.import_export(wechat, data, file_name="a.csv", by=bob)
    before = list(Post.objects.order_by("pk").values())
    again = services.import_export(wechat, data, file_name="a.csv", by=bob)
    assert (again.rows_added, again.rows_updated, again.rows_unchanged) == (0, 0, 3)
    assert list(Post.objects.order_by("pk").values()) == before
    assert ImportLog.objects.count() == 2


def test_a_later_export_updates_the_cumulative_numbers_of_the_same_post(wechat, bob) -> None:
    services.import_export(wechat, csv_bytes(WECHAT_HEADER, WECHAT_ROWS), file_name="a.csv", by=bob)
    later = [WECHAT_ROWS[0].replace(",1530,", ",1999,"), *WECHAT_ROWS[1:]]
    log = services.import_export(wechat, csv_bytes(WECHAT_HEADER, later), file_name="b.csv", by=bob)
    assert (log.rows_added, log.rows_updated, log.rows_unchanged) == (0, 1, 2)
    assert Post.objects.get(title="区融媒体中心召开年度工作会").reads == 1999
    assert Post.objects.count() == 3


def test_wechat_key_is_the_first_30_title_characters(wechat, bob) -> None:
    base = "一" * 30
    rows = [f"{base}甲,20240311,1,2,0,0,0,0,0,0,0,0,0,0,0,", f"{base}乙,20240311,1,5,0,0,0,0,0,0,0,0,0,0,0,"]
    log = services.import_export(wechat, csv_bytes(WECHAT_HEADER, rows), file_name="k.csv", by=bob)
    assert log.rows_added == 1 and Post.objects.get().reads == 5


def test_gb18030_csv_with_a_title_row_above_the_header(wechat, bob) -> None:
    data = "\n".join(["已通知内容数据明细", "", WECHAT_HEADER, *WECHAT_ROWS]).encode("gb18030", errors="replace")
    log = services.import_export(wechat, data, file_name="gbk.csv", by=bob)
    assert log.rows_added == 3


def test_real_xls_with_dates_as_excel_numbers(wechat, bob) -> None:
    header = WECHAT_HEADER.split(",")
    rows: list[list] = [["已通知内容（2024年3月）"], [], header]
    for line in WECHAT_ROWS:
        cells: list = line.split(",")
        cells[1] = datetime.strptime(cells[1], "%Y%m%d")  # a real date cell
        cells[2:15] = [float(value) for value in cells[2:15]]
        rows.append(cells)
    log = services.import_export(wechat, xls_bytes(rows), file_name="已通知内容.xls", by=bob)
    assert log.rows_added == 3
    post = Post.objects.get(title="春季植树志愿活动报名开始")
    assert (timezone.localtime(post.published_at).date().isoformat(), post.reads) == ("2024-03-12", 610)
    # The same articles from the CSV export are the same posts.
    again = services.import_export(wechat, csv_bytes(WECHAT_HEADER, WECHAT_ROWS), file_name="a.csv", by=bob)
    assert again.rows_added == 0 and again.rows_unchanged == 3


def test_douyin_xlsx_with_percent_wan_and_dashes(douyin, bob) -> None:
    header = DOUYIN_HEADER.split(",")
    rows = [header]
    for number, line in enumerate(DOUYIN_ROWS):
        cells: list = line.split(",")
        if number == 0:
            cells[1] = datetime(2024, 3, 11, 18, 30, 5)  # a date cell
            cells[4] = "1.2万"
            cells[5] = "16.42%"
        rows.append(cells)
    log = services.import_export(douyin, xlsx_bytes(rows), file_name="作品数据.xls", by=bob)
    assert log.rows_added == 3 and log.kind == "douyin_works"
    first = Post.objects.get(title="区图书馆新馆开放 周末免费参观")
    assert (first.reads, first.completion_rate, first.likes, first.follows) == (12000, Decimal("0.1642"), 188, 7)
    assert first.kind == "1-3min视频"
    picture = Post.objects.get(title="一图读懂 区政府工作报告")
    assert picture.reads == 12040
    # "-" is "not available": the CSV of the same works keeps it NULL, never 0.
    services.import_export(douyin, csv_bytes(DOUYIN_HEADER, DOUYIN_ROWS), file_name="作品数据.csv", by=bob)
    assert Post.objects.count() == 3
    assert Post.objects.get(title="区图书馆新馆开放 周末免费参观").reads == 5230


def test_douyin_minute_only_dates_and_slashes(douyin, bob) -> None:
    rows = [DOUYIN_ROWS[2].replace("2024-03-13 20:15:41", "2024/03/13 20:15")]
    services.import_export(douyin, csv_bytes(DOUYIN_HEADER, rows), file_name="a.csv", by=bob)
    again = services.import_export(douyin, csv_bytes(DOUYIN_HEADER, DOUYIN_ROWS[2:]), file_name="b.csv", by=bob)
    assert again.rows_added == 0 and again.rows_unchanged == 1


def test_wechat_user_growth_html_saved_as_xls(wechat, bob) -> None:
    log = services.import_export(wechat, users_html(), file_name="用户增长.xls", by=bob)
    assert (log.kind, log.rows_added) == ("wechat_users", 3)
    day = FollowerDay.objects.get(day="2024-03-12")
    assert (day.new, day.cancelled, day.net, day.cumulative) == (18, 9, 9, 21043)
    again = services.import_export(wechat, users_html(), file_name="用户增长.xls", by=bob)
    assert (again.rows_added, again.rows_unchanged) == (0, 3)


def test_errors_name_row_and_column_and_nothing_is_imported(wechat, bob) -> None:
    rows = [
        WECHAT_ROWS[0],
        WECHAT_ROWS[1].replace(",610,", ",六百,"),
        WECHAT_ROWS[2].replace("20240404", "2024-13-45"),
        "缺数字的文章,20240405,12.5,,0,0,0,0,0,0,0,0,0,0,0,",
    ]
    message = refusal(lambda: services.import_export(wechat, csv_bytes(WECHAT_HEADER, rows), file_name="x", by=bob))
    assert "未导入任何数据" in message
    assert "第3行“总阅读次数”列（D列）：“六百”不是数字" in message
    assert "第4行“发表时间”列（B列）" in message
    assert "第5行“总阅读人数”列（C列）：“12.5”应为整数" in message
    assert "第5行“总阅读次数”列（D列）：不能为空" in message
    assert not Post.objects.exists() and not ImportLog.objects.exists()


def test_negative_numbers_are_refused(douyin, bob) -> None:
    rows = [DOUYIN_ROWS[0].replace(",188,", ",-188,")]
    message = refusal(lambda: services.import_export(douyin, csv_bytes(DOUYIN_HEADER, rows), file_name="x", by=bob))
    assert "“点赞量”列（K列）：不能为负数" in message


def test_a_file_of_another_platform_is_refused_for_the_account(douyin, bob) -> None:
    message = refusal(
        lambda: services.import_export(douyin, csv_bytes(WECHAT_HEADER, WECHAT_ROWS), file_name="x", by=bob)
    )
    assert "请选择正确的账号" in message and not Post.objects.exists()


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "文件是空的"),
        (b"a,b,c\n1,2,3\n", "没有找到可识别的表头"),
        ("标题,时间,阅读\n一,2024-01-01,5\n".encode(), "没有找到可识别的表头"),
        (WECHAT_HEADER.encode(), "没有数据行"),
        (b"\x00\x01\x02binary\xff\xfe" * 10, "无法识别"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "无法读取这个 .xls 文件"),
        (b"PK\x03\x04 not really a zip", "文件已损坏"),
    ],
)
def test_hostile_or_wrong_files_are_refused_in_chinese(wechat, bob, data, expected) -> None:
    message = refusal(lambda: services.import_export(wechat, data, file_name="x", by=bob))
    assert expected in message
    assert not Post.objects.exists()


def test_a_huge_file_is_refused_before_reading(wechat, bob) -> None:
    data = csv_bytes(WECHAT_HEADER, WECHAT_ROWS) + b"x" * importers.MAX_BYTES
    assert "超过 10 MB" in refusal(lambda: services.import_export(wechat, data, file_name="x", by=bob))


def test_too_many_rows_are_refused(wechat, bob) -> None:
    rows = [f"文章{i},20240311,1,2,0,0,0,0,0,0,0,0,0,0,0," for i in range(importers.MAX_ROWS + 5)]
    message = refusal(lambda: services.import_export(wechat, csv_bytes(WECHAT_HEADER, rows), file_name="x", by=bob))
    assert "行，请拆分" in message and not Post.objects.exists()


def test_a_zip_bomb_disguised_as_xlsx_is_refused(wechat, bob) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\x00" * (80 * 1024 * 1024))
    message = refusal(lambda: services.import_export(wechat, out.getvalue(), file_name="x.xlsx", by=bob))
    assert "膨胀" in message or "超过" in message


def test_many_errors_are_summarised(wechat, bob) -> None:
    rows = [f"文章{i},20240311,1,坏,0,0,0,0,0,0,0,0,0,0,0," for i in range(100)]
    message = refusal(lambda: services.import_export(wechat, csv_bytes(WECHAT_HEADER, rows), file_name="x", by=bob))
    assert "另有 70 处错误" in message


def test_import_needs_permission_and_scope(wechat, charlie, dora, district) -> None:
    data = csv_bytes(WECHAT_HEADER, WECHAT_ROWS)
    with pytest.raises(PermissionDenied):
        services.import_export(wechat, data, file_name="x", by=charlie)
    # dora (幸福社区, below 东城街道) does not see the street's own account.
    with pytest.raises(PermissionDenied):
        services.import_export(wechat, data, file_name="x", by=dora)
    assert not Post.objects.exists()


@pytest.mark.parametrize(
    ("text", "value"),
    [("1.2万", 12000), ("16.42%", Decimal("0.1642")), ("-", None), ("", None), ("1,234", 1234), ("3亿", 300000000)],
)
def test_number_styles(text, value) -> None:
    assert importers.read_number(text) == value


@pytest.mark.parametrize(
    "value",
    ["20240311", 20240311, "2024-03-11", "2024/03/11", 45362, 45362.0, "2024年3月11日", datetime(2024, 3, 11)],
)
def test_date_styles(value) -> None:
    assert timezone.localtime(importers.read_datetime(value)).date().isoformat() == "2024-03-11"


@pytest.mark.parametrize("value", ["明天", "2024-02-30", 10**12, "1899-01-01"])
def test_bad_dates(value) -> None:
    with pytest.raises(importers.CellError):
        importers.read_datetime(value)
