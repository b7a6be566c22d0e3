"""The household import reads uploads within limits (security review M3)."""

from __future__ import annotations

import resource
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from xuanchuan.core.tests.test_uploads import hostile_xlsx, workbook, zip_bomb
from xuanchuan.passes.forms import IMPORT_MAX_ROWS, ImportForm

pytestmark = pytest.mark.django_db

HEADER = ["户号", "住址", "姓名", "手机号码"]


def form_for(district, bob, name: str, content: bytes) -> ImportForm:
    return ImportForm({"community": district.east_community.pk}, {"file": SimpleUploadedFile(name, content)}, user=bob)


@contextmanager
def memory_limit(extra_bytes: int) -> Iterator[None]:
    """This process may grow by ``extra_bytes`` of address space at most (then MemoryError)."""
    pages = int(Path("/proc/self/statm").read_text().split()[0])
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (pages * resource.getpagesize() + extra_bytes, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def test_a_workbook_is_read_as_rows(district, bob) -> None:
    form = form_for(district, bob, "list.xlsx", workbook([HEADER, ["6栋601", "幸福路6号", "钱九", 13900000009]]))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["file"] == [
        {"户号": "6栋601", "住址": "幸福路6号", "姓名": "钱九", "手机号码": "13900000009"}
    ]


def test_the_hostile_workbook_is_read_in_bounded_memory(district, bob) -> None:
    """5 KB declaring A1:XFD1048576 with a cell in row 1,048,576: read as the two cells it has
    (and refused for its header), not padded to 1.7·10¹⁰ cells until memory runs out."""
    form = form_for(district, bob, "list.xlsx", hostile_xlsx())
    with memory_limit(512 * 1024**2):
        valid = form.is_valid()
    assert not valid
    assert form.errors["file"] == ["第一行应为列名：户号、住址、姓名、手机号码。"]


def test_too_many_rows_are_refused_in_chinese(district, bob) -> None:
    rows = [HEADER] + [[f"{n}号", "幸福路", "张三", ""] for n in range(IMPORT_MAX_ROWS + 1)]
    for name, content in (
        ("list.xlsx", workbook(rows)),
        ("list.csv", "\n".join(",".join(row) for row in rows).encode()),
    ):
        form = form_for(district, bob, name, content)
        assert not form.is_valid(), name
        assert form.errors["file"] == [f"文件超过 {IMPORT_MAX_ROWS} 行，请拆分后分批上传。"], name


def test_a_zip_bomb_is_refused_before_parsing(district, bob) -> None:
    form = form_for(district, bob, "list.xlsx", zip_bomb("xl/worksheets/sheet1.xml", 256 * 1024**2))
    with memory_limit(256 * 1024**2):
        valid = form.is_valid()
    assert not valid
    [message] = form.errors["file"]
    assert "疑似恶意文件" in message
