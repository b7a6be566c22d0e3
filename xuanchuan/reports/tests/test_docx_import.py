"""A hostile .docx cannot exhaust the worker (security review M4): a part that expands to
gigabytes is refused from the archive's directory, before python-docx reads it, and the walk
through the tables is linear in the cells."""

from __future__ import annotations

import io
import time
import zipfile
import zlib
from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document

from xuanchuan.core.services import ServiceError
from xuanchuan.reports.models import TemplateImport
from xuanchuan.reports.placeholders import extract_docx_text

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
MEGABYTE = 2**20
BOMB_SIZE = 2 * 1024 * MEGABYTE  # what the media part inflates to: 2 GiB of zeros


def docx_with_body(body_xml: str) -> bytes:
    """A .docx made by python-docx whose body is ``body_xml`` (paragraphs and tables)."""
    buffer = io.BytesIO()
    Document().save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/document.xml":
                data = f'<?xml version="1.0" encoding="UTF-8"?><w:document {W}><w:body>{body_xml}</w:body></w:document>'
                data = data.encode("utf-8")
            target.writestr(item, data)
    return out.getvalue()


def paragraph(text: str) -> str:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


def cell(text: str, properties: str = "") -> str:
    return f"<w:tc>{f'<w:tcPr>{properties}</w:tcPr>' if properties else ''}{paragraph(text)}</w:tc>"


def table(rows: list[list[str]]) -> str:
    return "<w:tbl>" + "".join("<w:tr>" + "".join(row) + "</w:tr>" for row in rows) + "</w:tbl>"


def square_table(size: int) -> bytes:
    rows = [[cell(f"{row}-{column}") for column in range(size)] for row in range(size)]
    return docx_with_body(paragraph("全区×个单位") + table(rows))


# --- the table walk ---------------------------------------------------------------------------------------


def test_merged_cells_are_read_once_in_document_order() -> None:
    body = paragraph("前言") + table(
        [
            [cell("合并两列", '<w:gridSpan w:val="2"/>'), cell("纵向合并", '<w:vMerge w:val="restart"/>')],
            [cell("左"), cell("右"), cell("", "<w:vMerge/>")],
        ]
    )
    assert extract_docx_text(io.BytesIO(docx_with_body(body))) == "前言\n合并两列\n纵向合并\n左\n右"


def test_a_hostile_grid_span_does_not_multiply_the_work() -> None:
    """python-docx's ``row.cells`` yields a cell once per grid column it claims to span."""
    body = table([[cell("一格", '<w:gridSpan w:val="2000000000"/>')]])
    started = time.perf_counter()
    assert extract_docx_text(io.BytesIO(docx_with_body(body))) == "一格"
    assert time.perf_counter() - started < 5


def timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def test_the_table_walk_is_linear_in_the_cells() -> None:
    """Nine times the cells take about nine times as long (the list of seen cells made it 81)."""
    small, large = square_table(100), square_table(300)
    small_time = min(timed(lambda: extract_docx_text(io.BytesIO(small))) for _ in range(2))
    texts: list[str] = []
    large_time = timed(lambda: texts.append(extract_docx_text(io.BytesIO(large))))
    assert texts[0].count("\n") == 300 * 300 and texts[0].endswith("299-299")
    assert large_time < 30 * small_time, (small_time, large_time)


# --- the zip bomb -------------------------------------------------------------------------------------------


def _deflated_zeros(size: int) -> tuple[bytes, int]:
    """A raw deflate stream of ``size`` zero bytes and their CRC-32, without making the zeros.

    After a full flush the compressor starts afresh, so every further megabyte of zeros
    compresses to the same bytes."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    zeros = bytes(MEGABYTE)
    first = compressor.compress(zeros) + compressor.flush(zlib.Z_FULL_FLUSH)
    repeated = compressor.compress(zeros) + compressor.flush(zlib.Z_FULL_FLUSH)
    count = size // MEGABYTE
    crc = 0
    for _ in range(count):
        crc = zlib.crc32(zeros, crc)
    return first + repeated * (count - 1) + compressor.flush(), crc


@pytest.fixture(scope="module")
def bomb() -> bytes:
    """A real .docx whose document links an image part that inflates to 2 GiB (about 2 MB packed)."""
    raw, crc = _deflated_zeros(BOMB_SIZE)
    base = zipfile.ZipFile(io.BytesIO(docx_with_body(paragraph("全区×个单位"))))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in base.infolist():
            data = base.read(item.filename)
            if item.filename == "word/_rels/document.xml.rels":
                link = (
                    '<Relationship Id="rIdBomb" Target="media/image1.png" Type="http://schemas.openxmlformats.org/'
                    'officeDocument/2006/relationships/image"/></Relationships>'
                )
                data = data.replace(b"</Relationships>", link.encode())
            target.writestr(item, data)
        # The part is written from its deflated bytes (zipfile would inflate-check nothing here).
        info = zipfile.ZipInfo("word/media/image1.png", date_time=(2026, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        info.file_size, info.compress_size, info.CRC = BOMB_SIZE, len(raw), crc
        info.header_offset = target.fp.tell()
        target.fp.write(info.FileHeader(zip64=False))
        target.fp.write(raw)
        target.filelist.append(info)
        target.NameToInfo[info.filename] = info
        target.start_dir = target.fp.tell()
    data = out.getvalue()
    assert len(data) < 5 * MEGABYTE  # within the upload limit, which applies to the packed file
    return data


def test_the_bomb_is_a_valid_archive(bomb: bytes) -> None:
    """Its part really inflates to zeros (read here as a stream, a megabyte only)."""
    with zipfile.ZipFile(io.BytesIO(bomb)) as archive:
        part = archive.getinfo("word/media/image1.png")
        assert part.file_size == BOMB_SIZE
        with archive.open(part) as stream:
            assert stream.read(MEGABYTE) == bytes(MEGABYTE)


def test_a_part_that_expands_to_gigabytes_is_refused_before_parsing(bomb: bytes) -> None:
    started = time.perf_counter()
    with pytest.raises(ServiceError, match="膨胀|解压后超过"):
        extract_docx_text(io.BytesIO(bomb))
    assert time.perf_counter() - started < 2


@pytest.mark.django_db
def test_the_import_page_refuses_the_bomb_with_a_chinese_message(verified_client, alice, bomb: bytes) -> None:
    client = verified_client(alice)
    started = time.perf_counter()
    response = client.post(reverse("reports:import_start"), {"document": SimpleUploadedFile("报告.docx", bomb)})
    assert time.perf_counter() - started < 5
    assert response.status_code == 200
    assert "疑似恶意文件" in response.content.decode() or "解压后超过" in response.content.decode()
    assert not TemplateImport.objects.exists()


def test_the_command_refuses_the_bomb_too(bomb: bytes, tmp_path) -> None:
    from django.core.management import CommandError, call_command

    path = tmp_path / "报告.docx"
    path.write_bytes(bomb)
    with pytest.raises(CommandError, match="疑似恶意文件|解压后超过"):
        call_command("report_import", str(path))
