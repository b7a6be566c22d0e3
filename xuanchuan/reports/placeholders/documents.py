"""Reading a report's text from a file: a ``.docx`` (paragraphs and table cells in document order,
the archive checked against zip bombs first) or a text file (UTF-8 or GB18030)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import IO


def extract_docx_text(path: str | Path | IO[bytes]) -> str:
    """The text of a ``.docx``: its paragraphs, table cells included, in document order, joined with ``\\n``.

    The archive is checked before python-docx reads it (``core.uploads.check_archive``: a part that
    would expand to gigabytes is refused with a ``ServiceError``). Each table cell contributes its
    paragraphs once: the walk visits each ``<w:tc>`` element of a row once, skipping the
    continuation of a vertically merged cell, so it is linear in the cells written (python-docx's
    ``row.cells`` repeats a cell once per grid column it spans, ``gridSpan`` being the file's to
    choose, and looks each merged cell up row by row). Offsets of placeholders found in a ``.docx`` refer to this text.
    """
    try:
        import docx
        from docx.table import Table, _Cell
        from docx.text.paragraph import Paragraph
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise RuntimeError("读取 .docx 需要安装 python-docx（pip install 'python-docx>=1.2,<2'）") from exc
    from xuanchuan.core.uploads import check_archive

    if hasattr(path, "read"):
        source: IO[bytes] = path  # type: ignore[assignment]
        check_archive(source)
        document = docx.Document(source)
    else:
        with open(path, "rb") as handle:
            check_archive(handle)
            document = docx.Document(handle)
    lines: list[str] = []

    def walk(blocks: Iterable[Paragraph | Table]) -> None:
        for block in blocks:
            if isinstance(block, Paragraph):
                lines.append(block.text)
                continue
            # Each <w:tc> once, in row order: no list of seen cells to search (that was quadratic),
            # and no id() set either (lxml may hand a freed proxy's id to another element).
            for row in block._tbl.tr_lst:
                for tc in row.tc_lst:
                    if tc.vMerge == "continue":
                        continue  # the text of a vertically merged cell is in its first row
                    walk(_Cell(tc, block).iter_inner_content())

    walk(document.iter_inner_content())
    return "\n".join(lines)


def read_document(path: str | Path) -> str:
    """The text of a ``.docx`` or a text file (UTF-8, or GB18030 as many government files are)."""
    path = Path(path)
    if path.suffix.lower() == ".docx":
        return extract_docx_text(path)
    return decode_text(path.read_bytes())


def decode_text(raw: bytes) -> str:
    """Bytes of a text file as text (UTF-8, or GB18030 as many government files are), newlines as ``\\n``."""
    try:
        decoded = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        decoded = raw.decode("gb18030")
    return decoded.replace("\r\n", "\n").replace("\r", "\n")
