"""Uploaded .xlsx/.docx files are read within limits (security review M3, M4)."""

from __future__ import annotations

import io
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from xuanchuan.core.services import ServiceError
from xuanchuan.core.uploads import check_archive, xlsx_rows

ROOT = Path(__file__).resolve().parents[3]


def hostile_xlsx() -> bytes:
    """A 5 KB workbook that declares A1:XFD1048576 and has one cell in the last row: a reader that
    trusts the dimension pads every row to 16,384 cells, a million times."""
    book = Workbook()
    sheet = book.active
    sheet["A1"] = "户号"
    sheet["A1048576"] = "x"
    buffer = io.BytesIO()
    book.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b'<dimension ref="A1:A1048576"/>', b'<dimension ref="A1:XFD1048576"/>')
                assert b"XFD1048576" in data
            target.writestr(item, data)
    return out.getvalue()


def zip_bomb(part: str = "word/media/image1.png", size: int = 2 * 1024**3) -> bytes:
    """An archive whose one part declares and holds ``size`` zero bytes, written in chunks."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        info = zipfile.ZipInfo(part)
        info.compress_type = zipfile.ZIP_DEFLATED
        with archive.open(info, "w", force_zip64=True) as target:
            chunk = bytes(16 * 1024 * 1024)
            for _ in range(size // len(chunk)):
                target.write(chunk)
    return out.getvalue()


def workbook(rows: list[list[object]]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_the_hostile_workbook_is_small():
    assert len(hostile_xlsx()) < 6000


def test_rows_are_read_as_text_and_empty_rows_skipped():
    data = workbook([["户号", "姓名", "人数"], ["1-101", "张三", 3], [None, None, None], ["1-102", "李四", 2.0]])
    assert xlsx_rows(data) == [["户号", "姓名", "人数"], ["1-101", "张三", "3"], ["1-102", "李四", "2"]]


def test_the_declared_dimension_is_ignored():
    rows = xlsx_rows(hostile_xlsx(), max_columns=10)
    assert rows == [["户号"], ["x"]]


def test_too_many_rows_are_refused_not_cut():
    data = workbook([["户号"]] + [[f"1-{n}"] for n in range(30)])
    with pytest.raises(ServiceError) as refused:
        xlsx_rows(data, max_rows=10)
    assert "10 行" in refused.value.messages[0]


def test_a_zip_bomb_is_refused_before_parsing():
    bomb = zip_bomb(size=256 * 1024 * 1024)
    assert len(bomb) < 1024 * 1024
    with pytest.raises(ServiceError) as refused:
        check_archive(bomb)
    assert "恶意" in refused.value.messages[0]


def test_many_parts_and_a_large_total_are_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        for n in range(5):
            archive.writestr(f"part{n}.xml", b"a" * 1000)
    with pytest.raises(ServiceError):
        check_archive(out.getvalue(), max_members=4)
    with pytest.raises(ServiceError) as refused:
        check_archive(out.getvalue(), max_total=4000)
    assert "MB" in refused.value.messages[0]
    check_archive(out.getvalue())


def test_not_a_zip_is_refused_with_a_message():
    with pytest.raises(ServiceError) as refused:
        xlsx_rows(b"not a workbook at all")
    assert "无法读取" in refused.value.messages[0]


MEMORY_PROBE = textwrap.dedent(
    """
    import os, resource, sys
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xuanchuan.settings")
    import django
    django.setup()
    from openpyxl import load_workbook
    from xuanchuan.core.services import ServiceError
    from xuanchuan.core.uploads import xlsx_rows
    data = open(sys.argv[1], "rb").read()
    limit = 1024 ** 3
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    if sys.argv[2] == "naive":
        sheet = load_workbook(__import__("io").BytesIO(data), read_only=True).worksheets[0]
        try:
            [[cell for cell in row] for row in sheet.iter_rows(values_only=True)]
        except MemoryError:
            print("memory-error")
            sys.exit(0)
        print("read")
    else:
        rows = xlsx_rows(data)
        # VmHWM: this process's peak resident memory (ru_maxrss would carry the parent's over exec).
        status = open("/proc/self/status").read().split("VmHWM:")[1].split()[0]
        print(len(rows), int(status) // 1024)
    """
)


@pytest.mark.parametrize("reader", ["naive", "bounded"])
def test_memory_stays_bounded_under_a_1_gb_limit(tmp_path, reader):
    """The same file exhausts 1 GB in a reader that trusts the dimension, and not in ours."""
    path = tmp_path / "hostile.xlsx"
    path.write_bytes(hostile_xlsx())
    result = subprocess.run(  # noqa: S603 (our own interpreter and script)
        [sys.executable, "-c", MEMORY_PROBE, str(path), reader],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        env={"PYTHON_DOTENV_DISABLED": "1", "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr[-2000:]
    if reader == "naive":
        assert result.stdout.strip() == "memory-error"
    else:
        rows, peak_mb = result.stdout.split()
        assert rows == "2"
        assert int(peak_mb) < 400
