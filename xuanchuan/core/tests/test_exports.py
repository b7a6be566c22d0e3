"""Excel exports: no cell becomes a formula (security review M2), rows are streamed with bounded
memory and an export has a row limit (L5)."""

from __future__ import annotations

import io
import time
import tracemalloc

import pytest
from django.http import FileResponse
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from xuanchuan.core.exports import (
    FORMULA_TRIGGERS,
    ExportTooLarge,
    workbook_bytes,
    workbook_to_bytes,
    write_xlsx,
    xlsx_response,
)
from xuanchuan.core.public import human_check_token

HYPERLINK = '=HYPERLINK("http://x/","a")'


def cells(content: bytes) -> list:
    sheet = load_workbook(io.BytesIO(content)).active
    return [cell for row in sheet.iter_rows() for cell in row]


def body(response) -> bytes:
    return response.getvalue()


def test_formula_like_text_is_written_as_text_and_kept_as_it_was() -> None:
    texts = [f"{trigger}SUM(A1:A9)" for trigger in FORMULA_TRIGGERS] + [HYPERLINK, "-", "普通文字"]
    written = cells(workbook_bytes("表", ["标题", "=标题"], [[text, 1] for text in texts]))
    strings = [cell for cell in written if isinstance(cell.value, str)]
    assert [cell.value for cell in strings] == ["标题", "=标题", *texts]
    assert all(cell.data_type == "s" for cell in strings)
    assert all(cell.quotePrefix for cell in strings if cell.value.startswith(FORMULA_TRIGGERS))
    assert [cell.value for cell in written if cell.data_type == "n"] == [1] * len(texts)


def test_a_workbook_built_cell_by_cell_has_no_formula_either() -> None:
    book = Workbook()
    book.active.append(["单位", HYPERLINK, "+1"])
    assert all(cell.data_type == "s" for cell in cells(workbook_to_bytes(book)))


def test_household_number_from_the_public_application_is_no_formula_in_the_staff_export(client, district, bob) -> None:
    """The review's proof: a resident applies with a formula as household number; the export
    of the passes, households and movements holds it as text."""
    url = reverse("passes:resident_apply", args=[district.east_community.code])
    data = {
        "household_number": HYPERLINK,
        "address": "幸福路9号",
        "holder_name": "孙十",
        "holder_phone": "13700000010",
        "hp_started": human_check_token(time.time() - 10),
    }
    assert client.post(url, data).status_code == 302
    client.force_login(bob)
    for name in ("passes:pass_list", "passes:household_list"):
        export = client.get(reverse(name), {"export": "xlsx"})
        assert export.status_code == 200
        written = [cell for cell in cells(body(export)) if cell.value == HYPERLINK]
        assert written, name
        assert all(cell.data_type == "s" for cell in written)


def _rows(count: int):
    return ((number, f"第{number}条记录", "东城街道幸福社区", number * 1.5) for number in range(count))


def _peak_while_writing(count: int):
    tracemalloc.start()
    try:
        export = write_xlsx("大表", ["序号", "名称", "单位", "数值"], _rows(count), max_rows=10**6)
        return export, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_an_export_streams_with_memory_that_does_not_grow_with_the_rows(monkeypatch) -> None:
    """Ten times the rows, the same peak of Python allocations (under a few MB): nothing holds the
    table (a million rows take about 0.5 MB as well; traced, they take minutes, so 30,000 here)."""
    small, small_peak = _peak_while_writing(3_000)
    small.file.close()
    export, peak = _peak_while_writing(30_000)
    assert export.rows == 30_000
    assert peak < 5 * 1024 * 1024, f"peak {peak / 1e6:.1f} MB"
    assert peak < small_peak + 512 * 1024, (small_peak, peak)
    monkeypatch.setattr("xuanchuan.core.exports.STREAM_ABOVE_BYTES", 64 * 1024)
    response = export.response("big")
    assert isinstance(response, FileResponse) and "big-" in response["Content-Disposition"]
    content = body(response)
    export.file.close()
    sheet = load_workbook(io.BytesIO(content), read_only=True).active
    assert sheet.calculate_dimension(force=True) == "A1:D30001"


def test_an_export_over_the_limit_is_refused_with_a_message(settings) -> None:
    settings.EXPORT_MAX_ROWS = 10
    read = []

    def rows():
        for number in range(1000):
            read.append(number)
            yield [number]

    response = xlsx_response("many", "表", ["序号"], rows())
    assert response.status_code == 400
    assert "超过 10 条的上限" in response.content.decode()
    assert len(read) <= 500 + 1  # the rows after the limit (and the width sample) are not read
    with pytest.raises(ExportTooLarge):
        write_xlsx("表", ["序号"], ([n] for n in range(11)))
    export = write_xlsx("表", ["序号"], ([n] for n in range(10)))
    export.file.close()
    assert export.rows == 10


@pytest.mark.parametrize(
    ("title", "expected"),
    [("张*的积分明细", "张_的积分明细"), ("a/b\\c?d[e]f:g", "a_b_c_d_e_f_g"), ("'引号'", "引号"), ("", "Sheet1")],
)
def test_a_sheet_title_excel_would_refuse_is_cleaned(title: str, expected: str) -> None:
    content = workbook_bytes(title, ["列"], [["值"]])
    assert load_workbook(io.BytesIO(content)).active.title == expected
