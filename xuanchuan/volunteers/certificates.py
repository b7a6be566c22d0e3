"""The printable certificate of volunteer service hours (志愿服务记录证明): a .docx in the official
layout (``core.docx_layout``) with a QR code of its public check, and a PDF converted from it
where LibreOffice is installed (as ``civility.printing`` does for its 交办单).

The certificate states what was frozen when it was issued (minutes, number of activities, period),
the volunteer's name and masked ID number, the volunteer number, the content of the service, the
issuing unit, certificate number and date, and where and with which code anyone can check it."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from io import BytesIO
from pathlib import Path

import segno
from django.utils import timezone
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm

from xuanchuan.core.docx_layout import Block, OfficialDocument, ensure_east_asian_fonts
from xuanchuan.core.pii import masked
from xuanchuan.volunteers.models import Certificate
from xuanchuan.volunteers.queries.people import certificate_content, hours_text

PDF_TIMEOUT_SECONDS = 120
CONTENT_ITEMS = 12


def chinese_date(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def qr_png(url: str) -> bytes:
    buffer = BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=6, border=2)
    return buffer.getvalue()


def certificate_docx(certificate: Certificate, verify_url: str) -> bytes:
    """The certificate as a .docx; ``verify_url`` is the absolute address of its public check."""
    volunteer = certificate.volunteer
    content = certificate_content(certificate)
    shown = "、".join(content[:CONTENT_ITEMS]) + ("等" if len(content) > CONTENT_ITEMS else "")
    writer = OfficialDocument()
    writer.add_title("志愿服务记录证明")
    number = writer.add_block(Block.paragraph(f"证明编号：{certificate.number}", indent=False))
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    writer.add_blank_line()
    writer.add_blocks(
        [
            Block.paragraph(
                f"兹证明{volunteer.name}（身份证号码：{masked(volunteer, 'id_number')}，"
                f"志愿者编号：{volunteer.number}）"
                f"于{chinese_date(certificate.period_start)}至{chinese_date(certificate.period_end)}期间，"
                f"参加{certificate.unit.name}组织的志愿服务活动{certificate.activities}次，"
                f"经记录并确认的志愿服务时长累计{hours_text(certificate.minutes)}小时"
                f"（{certificate.minutes}分钟）。"
            ),
            Block.paragraph(f"服务内容：{shown or '—'}。"),
            Block.paragraph("本证明依据志愿服务记录出具（谁记录谁证明），免费出具。"),
            Block.paragraph(f"核验方式：访问 {verify_url} 或扫描下方二维码，核验码 {certificate.code}。"),
        ]
    )
    picture = writer.document.add_paragraph()
    picture.alignment = WD_ALIGN_PARAGRAPH.LEFT
    picture.add_run().add_picture(BytesIO(qr_png(verify_url)), width=Mm(30))
    signature = writer.add_block(Block.paragraph(f"出具单位：{certificate.unit.name}（盖章）", indent=False))
    signature.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    dated = writer.add_block(
        Block.paragraph(chinese_date(timezone.localtime(certificate.issued_at).date()), indent=False)
    )
    dated.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if certificate.revoked_at is not None:
        writer.add_block(
            Block.paragraph(
                f"（本证明已于{chinese_date(timezone.localtime(certificate.revoked_at).date())}作废）", indent=False
            )
        )
    ensure_east_asian_fonts(writer.document, writer.fonts.body, writer.fonts.latin)
    buffer = BytesIO()
    writer.document.save(buffer)
    return buffer.getvalue()


def soffice() -> str | None:
    """The LibreOffice program, when installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def certificate_pdf(certificate: Certificate, verify_url: str) -> bytes | None:
    """The certificate as PDF through LibreOffice; ``None`` where LibreOffice is missing or fails."""
    program = soffice()
    if program is None:
        return None
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "certificate.docx"
        source.write_bytes(certificate_docx(certificate, verify_url))
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
        output = Path(folder) / "certificate.pdf"
        return output.read_bytes() if output.exists() else None
