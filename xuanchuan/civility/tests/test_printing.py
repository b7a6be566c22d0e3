# ruff: noqa: F811 (the fixtures imported from ticket_fixtures are arguments of the tests)
"""The printed 交办单: its .docx content and, where LibreOffice is installed, the PDF."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import docx
import pytest

from xuanchuan.civility import printing
from xuanchuan.civility.services import tickets as services
from xuanchuan.civility.tests.ticket_fixtures import (  # noqa: F401 (fixtures)
    east_place,
    inspector,
    make_problem,
    standard,
)

SCREENSHOTS = Path(__file__).resolve().parents[3] / "var" / "screenshots"


@pytest.fixture
def ticket(inspector, district, east_place):
    problems = [
        make_problem(east_place, district.publicity, description="人行道垃圾堆放未清理", address="幸福路12号"),
        make_problem(east_place, district.publicity, code="GG", description="公益广告破损褪色"),
    ]
    return services.issue_ticket(problems, unit=district.east, requirement="立即清理并建立长效机制", by=inspector)


def test_docx_holds_the_ticket(ticket):
    document = docx.Document(io.BytesIO(printing.ticket_docx(ticket)))
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    assert "文明城市创建问题整改交办单" in text
    for expected in (
        ticket.number,
        "东城街道：",
        "人行道垃圾堆放未清理",
        "公益广告破损褪色",
        "幸福路",
        "市容环境·乱堆乱放",
        "立即清理并建立长效机制",
        printing.chinese_date(ticket.due_on),
        "区委宣传部",
    ):
        assert expected in text, expected
    section = document.sections[0]
    assert round(section.top_margin.mm) == 37 and round(section.left_margin.mm) == 28  # GB/T 9704


@pytest.mark.skipif(printing.soffice() is None, reason="LibreOffice (soffice) is not installed")
def test_pdf_is_made_with_libreoffice(ticket):
    pdf = printing.ticket_pdf(ticket)
    assert pdf is not None and pdf.startswith(b"%PDF")
    if shutil.which("pdftoppm"):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        source = SCREENSHOTS / "civility_ticket.pdf"
        source.write_bytes(pdf)
        subprocess.run(  # noqa: S603
            [
                shutil.which("pdftoppm"),
                "-png",
                "-r",
                "60",
                "-singlefile",
                str(source),
                str(SCREENSHOTS / "civility_ticket_pdf"),
            ],
            check=True,
        )
        assert (SCREENSHOTS / "civility_ticket_pdf.png").stat().st_size > 1000
