"""The printable 交办单: a .docx in the official layout (GB/T 9704, ``core.docx_layout``) and, where
LibreOffice is installed, a PDF converted from it (``soffice --headless --convert-to pdf``)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from io import BytesIO
from pathlib import Path

from django.utils import timezone
from docx.enum.text import WD_ALIGN_PARAGRAPH

from xuanchuan.civility.models.cases import Ticket
from xuanchuan.core.docx_layout import Block, OfficialDocument, ensure_east_asian_fonts

CN_DIGITS = "〇一二三四五六七八九"
PDF_TIMEOUT_SECONDS = 120


def chinese_date(day) -> str:
    """2026年3月5日 as 公文 dates are written (Arabic numerals, GB/T 9704 7.3.5.2)."""
    return f"{day.year}年{day.month}月{day.day}日"


def ticket_blocks(ticket: Ticket) -> list[Block]:
    problems = list(ticket.problems.select_related("category", "place").order_by("pk"))
    blocks = [
        Block.paragraph(f"{ticket.unit.name}：", indent=False),
        Block.paragraph(
            f"经督查，你单位责任范围内存在以下{len(problems)}个不文明问题，现予交办，请按要求整改，"
            f"并于{chinese_date(ticket.due_on)}前将整改情况（附整改后照片）反馈{ticket.issuing_unit.name}。"
        ),
        Block.heading1("一、交办问题"),
    ]
    for index, problem in enumerate(problems, start=1):
        where = problem.place.name if problem.place_id else (problem.address or "—")
        blocks.append(
            Block.paragraph(
                f"{index}．【{problem.category.group}·{problem.category.name}】{where}"
                f"{('（' + problem.address + '）') if problem.place_id and problem.address else ''}："
                f"{problem.description}（{problem.get_severity_display()}"
                f"{'，立行立改' if problem.immediate else ''}，编号{problem.public_id}）"
            )
        )
    blocks += [
        Block.heading1("二、整改期限"),
        Block.paragraph(f"{chinese_date(ticket.due_on)}前整改到位。逾期未整改的，将予以督办并通报。"),
        Block.heading1("三、整改要求"),
        Block.paragraph(ticket.requirement or "举一反三、立行立改，整改后拍摄同角度照片反馈，经复核通过后销号。"),
    ]
    return blocks


def ticket_docx(ticket: Ticket) -> bytes:
    """The 交办单 as an official document: title, number, responsible unit, the problems with place,
    category and description, deadline, requirement, issuing unit and date."""
    writer = OfficialDocument()
    writer.add_title("文明城市创建问题整改交办单")
    number = writer.add_block(Block.paragraph(ticket.number, indent=False))
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER  # 发文字号, centred below the title (GB/T 9704 7.2.4)
    writer.add_blank_line()
    writer.add_blocks(ticket_blocks(ticket))
    writer.add_blank_line()
    signature = writer.add_block(Block.paragraph(ticket.issuing_unit.name, indent=False))
    signature.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    dated = writer.add_block(Block.paragraph(chinese_date(timezone.localtime(ticket.issued_at).date()), indent=False))
    dated.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    ensure_east_asian_fonts(writer.document, writer.fonts.body, writer.fonts.latin)
    buffer = BytesIO()
    writer.document.save(buffer)
    return buffer.getvalue()


def soffice() -> str | None:
    """The LibreOffice program, when installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def ticket_pdf(ticket: Ticket) -> bytes | None:
    """The 交办单 as PDF through LibreOffice; ``None`` where LibreOffice is missing or fails."""
    program = soffice()
    if program is None:
        return None
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "ticket.docx"
        source.write_bytes(ticket_docx(ticket))
        profile = Path(folder) / "profile"
        try:
            subprocess.run(  # noqa: S603 (a fixed program and arguments)
                [
                    program,
                    f"-env:UserInstallation=file://{profile}",
                    "--headless",
                    "--convert-to",
                    "pdf",
                    "--outdir",
                    folder,
                    str(source),
                ],
                check=True,
                capture_output=True,
                timeout=PDF_TIMEOUT_SECONDS,
            )
        except (OSError, subprocess.SubprocessError):
            return None
        output = Path(folder) / "ticket.pdf"
        return output.read_bytes() if output.exists() else None
