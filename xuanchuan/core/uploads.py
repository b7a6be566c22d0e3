"""Uploaded Office files (.xlsx, .docx) read within limits.

Both formats are zip archives of XML parts, and the size limit of an upload applies to the
compressed file: a few kilobytes of deflated zeros expand to gigabytes, and a worksheet may
declare a dimension of a million rows by sixteen thousand columns that a reader pads every row
to. So before any parser sees an upload:

- ``check_archive`` reads the archive's directory and refuses it when the parts together would
  expand beyond ``max_total`` bytes, or one part beyond ``max_ratio`` times its compressed size,
  or when it has more than ``max_members`` parts. Python's ``zipfile`` (used by openpyxl and
  python-docx) never returns more than a part's declared size, so the declared sizes are a bound.
- ``xlsx_rows`` reads the first worksheet with the declared dimension ignored
  (``reset_dimensions``) and rows and columns capped, so memory is bounded by the caps.

Every refusal is a ``ServiceError`` with a Chinese sentence for the person who uploaded.
"""

from __future__ import annotations

import io
import zipfile
from typing import IO, Any

from django.utils.translation import gettext as _

from xuanchuan.core.services import ServiceError

# Real spreadsheets and reports compress their XML 5-30 times; 200 leaves room for tables of
# repeated cells while a bomb (deflate reaches about 1,000) is refused.
MAX_RATIO = 200
MAX_TOTAL_BYTES = 64 * 1024 * 1024
MAX_MEMBERS = 2000
MAX_ROWS = 5000
MAX_COLUMNS = 50


def _as_file(data: bytes | IO[bytes]) -> IO[bytes]:
    return io.BytesIO(data) if isinstance(data, bytes | bytearray) else data


def check_archive(
    data: bytes | IO[bytes],
    *,
    max_total: int = MAX_TOTAL_BYTES,
    max_ratio: int = MAX_RATIO,
    max_members: int = MAX_MEMBERS,
) -> None:
    """Refuse a zip archive (an .xlsx or .docx) that would expand beyond the limits."""
    source = _as_file(data)
    try:
        with zipfile.ZipFile(source) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ServiceError(_("文件已损坏或不是 Office 文件（.xlsx/.docx），无法读取。")) from exc
    finally:
        if hasattr(source, "seek"):
            source.seek(0)
    if len(members) > max_members:
        raise ServiceError(_("文件包含的部件过多（超过 %(limit)d 个），无法读取。") % {"limit": max_members})
    total = 0
    for member in members:
        total += member.file_size
        if member.file_size > max(member.compress_size, 1) * max_ratio and member.file_size > 1024 * 1024:
            message = _("文件中的“%(part)s”解压后异常膨胀，疑似恶意文件，已拒绝。")
            raise ServiceError(message % {"part": member.filename[:60]})
    if total > max_total:
        raise ServiceError(
            _("文件解压后超过 %(limit)d MB，请删去图片等内容或拆分后再上传。") % {"limit": max_total // (1024 * 1024)}
        )


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def xlsx_rows(
    data: bytes | IO[bytes],
    *,
    max_rows: int = MAX_ROWS,
    max_columns: int = MAX_COLUMNS,
) -> list[list[str]]:
    """The non-empty rows of the first worksheet as text without trailing empty cells, at most
    ``max_rows`` rows of ``max_columns`` cells; a sheet with more non-empty rows is refused."""
    from openpyxl import load_workbook

    check_archive(data)
    try:
        book = load_workbook(_as_file(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 (any unreadable workbook gets the same answer)
        raise ServiceError(_("无法读取这个 Excel 文件，请另存为 .xlsx 后再上传。")) from exc
    try:
        if not book.worksheets:
            return []
        sheet = book.worksheets[0]
        # The declared <dimension> is the attacker's to choose: read only the cells that exist.
        sheet.reset_dimensions()
        rows: list[list[str]] = []
        # Rows missing between two rows come back as one shared empty tuple: cheap to skip.
        for row in sheet.iter_rows(max_col=max_columns, values_only=True):
            cells = [_text(value) for value in row]
            while cells and not cells[-1].strip():
                cells.pop()
            if not cells:
                continue
            if len(rows) == max_rows:
                raise ServiceError(_("文件超过 %(limit)d 行，请拆分后分批上传。") % {"limit": max_rows})
            rows.append(cells)
        return rows
    finally:
        book.close()
