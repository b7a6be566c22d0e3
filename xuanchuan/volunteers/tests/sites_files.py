"""Workbooks for the sites part's import tests (and its browser test): a team's member list in
the template's columns, and hostile files."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Sequence

from openpyxl import Workbook

from xuanchuan.volunteers.services.sites import IMPORT_COLUMNS
from xuanchuan.volunteers.tests.factories import id_number


def member_file(rows: Iterable[Sequence[str]], header: Sequence[str] = IMPORT_COLUMNS) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def person(n: int, community: str = "幸福社区", *, name: str = "", phone: str = "") -> list[str]:
    return [name or f"队员{n}", id_number(n), phone or f"137{n:08d}", f"幸福路{n}号", "理发", community]


def zip_bomb() -> bytes:
    """An .xlsx-looking archive whose sheet expands 1,000-fold (64 MB from about 64 KB)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (64 * 1024 * 1024))
    return buffer.getvalue()


def huge_file(rows: int = 50_000) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(list(IMPORT_COLUMNS))
    for n in range(rows):
        sheet.append([f"队员{n}", "x", "y", "", "", "幸福社区"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
