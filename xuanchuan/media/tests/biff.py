"""A minimal writer of real BIFF8 .xls files (an OLE2 compound document holding a ``Workbook``
stream), so the importer's xlrd path is tested on genuine .xls bytes without an .xls library.

Cells are text (LABEL), numbers (NUMBER) or dates (NUMBER with a date format, as Excel stores them).
"""

from __future__ import annotations

import struct
from datetime import date, datetime

SECTOR = 512
END_OF_CHAIN, FAT_SECTOR, FREE = 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
EXCEL_EPOCH = datetime(1899, 12, 30)


def _record(code: int, data: bytes) -> bytes:
    return struct.pack("<HH", code, len(data)) + data


def _bof(kind: int) -> bytes:
    return _record(0x0809, struct.pack("<HHHHII", 0x0600, kind, 0x0DBB, 0x07CC, 0, 6))


def _xf(format_key: int) -> bytes:
    return _record(0x00E0, struct.pack("<HHHBBBBIiH", 0, format_key, 0x0001, 0x20, 0, 0, 0, 0, 0, 0x20C0))


def _unicode(text: str, length_bytes: int) -> bytes:
    length = struct.pack("<H" if length_bytes == 2 else "<B", len(text.encode("utf-16-le")) // 2)
    return length + b"\x01" + text.encode("utf-16-le")


def _cell(row: int, column: int, value: object) -> bytes:
    if isinstance(value, datetime | date):
        moment = value if isinstance(value, datetime) else datetime(value.year, value.month, value.day)
        serial = (moment - EXCEL_EPOCH).total_seconds() / 86400
        return _record(0x0203, struct.pack("<HHHd", row, column, 1, serial))
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _record(0x0203, struct.pack("<HHHd", row, column, 0, float(value)))
    return _record(0x0204, struct.pack("<HHH", row, column, 0) + _unicode(str(value), 2))


def workbook_stream(rows: list[list[object]], sheet_name: str = "New Sheet1") -> bytes:
    fonts = _record(0x0031, struct.pack("<HHHHHBBBB", 200, 0, 0x7FFF, 400, 0, 0, 0, 0, 0) + _unicode("Arial", 1))
    head = _bof(0x0005) + fonts * 4 + _xf(0) + _xf(14)
    boundsheet_length = 4 + 8 + len(sheet_name.encode("utf-16-le"))  # header, offset, flags, name
    sheet_offset = len(head) + boundsheet_length + 4  # + the EOF record of the globals
    globals_ = head + _record(0x0085, struct.pack("<IBB", sheet_offset, 0, 0) + _unicode(sheet_name, 1))
    globals_ += _record(0x000A, b"")
    columns = max((len(row) for row in rows), default=0)
    sheet = _bof(0x0010) + _record(0x0200, struct.pack("<IIHHH", 0, len(rows), 0, columns, 0))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is not None and value != "":
                sheet += _cell(r, c, value)
    sheet += _record(0x000A, b"")
    assert len(globals_) == sheet_offset
    return globals_ + sheet


def xls_bytes(rows: list[list[object]]) -> bytes:
    """A real .xls file with one sheet of ``rows``."""
    stream = workbook_stream(rows)
    stream += b"\x00" * max(0, 4096 - len(stream))  # a regular stream (no mini stream)
    stream += b"\x00" * (-len(stream) % SECTOR)
    stream_sectors = len(stream) // SECTOR
    # Sector 0: the FAT, sector 1: the directory, then the stream.
    fat = [FAT_SECTOR, END_OF_CHAIN] + [2 + i + 1 for i in range(stream_sectors - 1)] + [END_OF_CHAIN]
    assert len(fat) <= SECTOR // 4
    fat += [FREE] * (SECTOR // 4 - len(fat))
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 16
    header += struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\x00" * 6
    header += struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, END_OF_CHAIN, 0, END_OF_CHAIN, 0)
    header += struct.pack("<I", 0) + struct.pack("<I", FREE) * 108
    assert len(header) == SECTOR

    def entry(name: str, kind: int, child: int, start: int, size: int) -> bytes:
        encoded = (name + "\x00").encode("utf-16-le") if name else b""
        return (
            encoded.ljust(64, b"\x00")
            + struct.pack("<HBB", len(encoded), kind, 1)
            + struct.pack("<III", FREE, FREE, child)
            + b"\x00" * 16
            + struct.pack("<I", 0)
            + b"\x00" * 16
            + struct.pack("<IQ", start, size)
        )

    directory = entry("Root Entry", 5, 1, END_OF_CHAIN, 0) + entry("Workbook", 2, FREE, 2, len(stream))
    directory += entry("", 0, FREE, 0, 0) * 2
    return header + struct.pack(f"<{SECTOR // 4}I", *fat) + directory + stream
