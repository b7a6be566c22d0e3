"""The .docx opened in a word processor: LibreOffice renders a multi-page report to PDF, poppler measures it.

One conversion per module (and per xdist worker, each with its own LibreOffice profile). The official fonts
(方正小标宋简体, 仿宋_GB2312, 黑体, 楷体_GB2312, 宋体) are not free; a private fontconfig file maps each name to a
distinct Noto CJK face (fonts-noto-cjk) so the PDF tells which font every element was set in. CJK characters are
one em wide in all of these fonts, so the geometry measured here is the geometry Word produces with the official
fonts. Page PNGs (60 dpi) are written to ``var/screenshots/docx/`` (or ``$XUANCHUAN_SCREENSHOT_DIR/docx``).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import unicodedata
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings

from xuanchuan.core.docx_layout import Block, OfficialDocument

TOOLS = {name: shutil.which(name) for name in ("soffice", "pdftotext", "pdftohtml", "pdfinfo", "pdffonts", "pdftoppm")}


def _missing_reason() -> str | None:
    missing = sorted(name for name, path in TOOLS.items() if path is None)
    if missing:
        return f"needs LibreOffice (soffice) and poppler-utils; missing: {', '.join(missing)}"
    fc_list = shutil.which("fc-list")
    families = ""
    if fc_list:
        families = subprocess.run(  # noqa: S603 - fixed arguments, no shell
            [fc_list, ":lang=zh", "family"], capture_output=True, text=True, timeout=60, check=False
        ).stdout
    if "Noto Serif CJK SC" not in families or "Noto Sans CJK SC" not in families:
        return "needs the Noto CJK fonts (Debian package fonts-noto-cjk)"
    return None


MISSING = _missing_reason()
pytestmark = pytest.mark.skipif(MISSING is not None, reason=MISSING or "")

PT_PER_MM = 72 / 25.4
PAGE_W, PAGE_H = 210 * PT_PER_MM, 297 * PT_PER_MM
LEFT, TOP = 28 * PT_PER_MM, 37 * PT_PER_MM
RIGHT, BOTTOM = LEFT + 156 * PT_PER_MM, TOP + 225 * PT_PER_MM
PITCH = 579 / 20
ONE_MM = PT_PER_MM
TOLERANCE = ONE_MM
"""GB/T 9704-2012 clauses 5.2.1 and 6.1 allow ±1 mm."""
HANGING = set("。，、；：！？）》」』")
"""Closing punctuation that may hang one character past the right edge of the text block."""

# Stand-ins: a distinct installed face per official font, so the PDF's font names tell the elements apart.
STAND_INS = {
    "方正小标宋简体": ("Noto Serif CJK SC", "bold"),
    "仿宋_GB2312": ("Noto Serif CJK SC", None),
    "黑体": ("Noto Sans CJK SC", None),
    "楷体_GB2312": ("Noto Sans CJK SC", "bold"),
    "宋体": ("Noto Serif CJK SC", None),
}
EXPECTED_FACE = {
    "title": r"NotoSerifCJK\w*-Bold",
    "body": r"NotoSerifCJK\w*-Regular",
    "heading1": r"NotoSansCJK\w*-Regular",
    "heading2": r"NotoSansCJK\w*-Bold",
    "page_number": r"NotoSerifCJK\w*-Regular",
}

# --- the document --------------------------------------------------------------------------------------------------

CLAUSES = (
    "坚持以人民为中心的工作导向",
    "围绕全区中心工作谋划宣传思想任务",
    "把理论武装摆在各项工作的首位",
    "深入基层开展形式多样的宣讲活动",
    "推动新闻宣传工作守正创新",
    "持续加强网络生态综合治理",
    "扎实推进新时代文明实践中心建设",
    "培育和践行社会主义核心价值观",
    "完善重大舆情快速反应机制",
    "做强做优区级融媒体中心",
    "推动文化事业和文化产业协调发展",
    "加强宣传干部队伍教育培训",
)
ENDINGS = "，，；，。"


def chinese_text(sentences: int, seed: int) -> str:
    """Deterministic Chinese prose: clauses joined by ，；。 (full-width only, no digits or quotes)."""
    parts = []
    for index in range(sentences * 3):
        clause = CLAUSES[(seed * 5 + index * 7) % len(CLAUSES)]
        ending = "。" if index % 3 == 2 else ENDINGS[(seed + index) % 4]
        parts.append(clause + ending)
    return "".join(parts)


TITLE = "关于二〇二五年度宣传思想工作情况的报告"
BLOCKS = [
    Block.paragraph("各镇人民政府，区直各单位：", indent=False),
    Block.paragraph(chinese_text(3, 0)),
    Block.heading1("一、加强理论武装，筑牢思想基础"),
    Block.heading2("（一）健全学习制度"),
    # Long enough to fill page 2 on its own: 22 body lines of 28 characters.
    Block.paragraph(chinese_text(40, 1)),
    Block.heading2("（二）创新宣讲方式"),
    Block.paragraph("全年开展宣讲活动1260场次，覆盖群众3.5万人次，同比增长12.5%。" + chinese_text(4, 2)),
    Block.heading1("二、坚持正确方向，加强舆论引导"),
    Block.paragraph(chinese_text(12, 3)),
    Block.heading1("三、深化文明创建，凝聚精神力量"),
    Block.heading2("（一）推进志愿服务"),
    Block.paragraph(chinese_text(10, 4)),
]


# --- rendering and measuring -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """One text line as poppler sees it (PDF points, origin top left)."""

    page: int
    text: str
    x0: float
    y0: float
    x1: float
    y1: float


@dataclass(frozen=True)
class Rendered:
    pdf: Path
    page_sizes: list[tuple[float, float]]
    lines: list[Line]
    fonts: list[tuple[int, str, float, str]]
    """(page, text, size, PostScript font name) per text piece, from pdftohtml + pdffonts."""
    text: str
    work: Path

    def page_lines(self, page: int) -> list[Line]:
        """Lines of the text block of ``page`` (footer excluded), top to bottom."""
        return [line for line in self.lines if line.page == page and line.y0 < BOTTOM]


def _run(*args: str, env: dict[str, str] | None = None, timeout: int = 60) -> str:
    return subprocess.run(  # noqa: S603 - fixed tool paths, no shell
        args, check=True, capture_output=True, text=True, timeout=timeout, env=env
    ).stdout


def _fontconfig(directory: Path) -> Path:
    matches = []
    for name, (family, weight) in STAND_INS.items():
        edit_weight = (
            f'<edit name="weight" mode="assign" binding="strong"><const>{weight}</const></edit>' if weight else ""
        )
        matches.append(
            f'<match target="pattern"><test name="family"><string>{name}</string></test>'
            f'<edit name="family" mode="assign" binding="strong"><string>{family}</string></edit>{edit_weight}</match>'
        )
    path = directory / "fonts.conf"
    path.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n<fontconfig>\n'
        '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n' + "\n".join(matches) + "\n</fontconfig>\n",
        encoding="utf-8",
    )
    return path


def _parse_bbox(xhtml: str) -> tuple[list[tuple[float, float]], list[Line]]:
    ns = {"h": "http://www.w3.org/1999/xhtml"}
    root = ET.fromstring(xhtml)  # noqa: S314 - poppler's own output
    sizes, lines = [], []
    for number, page in enumerate(root.iter(f"{{{ns['h']}}}page"), start=1):
        sizes.append((float(page.get("width")), float(page.get("height"))))
        for line in page.iter(f"{{{ns['h']}}}line"):
            words = [word.text or "" for word in line.iter(f"{{{ns['h']}}}word")]
            box = [float(line.get(key)) for key in ("xMin", "yMin", "xMax", "yMax")]
            lines.append(Line(number, "".join(words), *box))
    return sizes, lines


def _parse_fonts(xml: str, pdffonts: str) -> list[tuple[int, str, float, str]]:
    names = {}
    for row in pdffonts.splitlines()[2:]:
        name = row.split()[0]
        names[name.split("+")[0]] = name
    root = ET.fromstring(xml)  # noqa: S314 - poppler's own output
    specs = {}
    pieces = []
    for page in root.iter("page"):
        for spec in page.iter("fontspec"):
            tag = spec.get("family").split("+")[0]
            specs[spec.get("id")] = (float(spec.get("size")), names.get(tag, spec.get("family")))
        for text in page.iter("text"):
            size, name = specs[text.get("font")]
            pieces.append((int(page.get("number")), "".join(text.itertext()), size, name))
    return pieces


def _screenshot_dir() -> Path:
    base = os.environ.get("XUANCHUAN_SCREENSHOT_DIR") or Path(settings.BASE_DIR) / "var" / "screenshots"
    directory = Path(base) / "docx"
    directory.mkdir(parents=True, exist_ok=True)
    return directory


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    """The test report written by the layout module, converted to PDF by LibreOffice and measured by poppler."""
    work = tmp_path_factory.mktemp("docx-render")
    writer = OfficialDocument()
    writer.add_title(TITLE)
    writer.add_blank_line()
    writer.add_blocks(BLOCKS)
    source = writer.save(work / "report.docx")

    env = {**os.environ, "FONTCONFIG_FILE": str(_fontconfig(work)), "HOME": str(work)}
    profile = (work / "lo-profile").as_uri()  # one per process: parallel workers must not share a profile
    _run(
        TOOLS["soffice"],
        f"-env:UserInstallation={profile}",
        "--headless",
        "--norestore",
        "--convert-to",
        "pdf",
        "--outdir",
        str(work),
        str(source),
        env=env,
        timeout=240,
    )
    pdf = work / "report.pdf"
    assert pdf.exists(), "LibreOffice produced no PDF"

    sizes, lines = _parse_bbox(_run(TOOLS["pdftotext"], "-bbox-layout", str(pdf), "-"))
    fonts = _parse_fonts(
        _run(TOOLS["pdftohtml"], "-xml", "-i", "-zoom", "1", "-stdout", str(pdf)), _run(TOOLS["pdffonts"], str(pdf))
    )
    text = _run(TOOLS["pdftotext"], str(pdf), "-")

    # 60 dpi page images for a human look; written next to each other, then moved into place in one step.
    pngs = work / "png"
    pngs.mkdir()
    _run(TOOLS["pdftoppm"], "-r", "60", "-png", str(pdf), str(pngs / "report"))
    target = _screenshot_dir()
    for png in sorted(pngs.glob("*.png")):
        os.replace(png, target / png.name)
    return Rendered(pdf=pdf, page_sizes=sizes, lines=lines, fonts=fonts, text=text, work=work)


def _is_page_number(text: str) -> bool:
    return re.fullmatch(r"—\d+—", text) is not None


def _full_width(text: str) -> bool:
    return all(unicodedata.east_asian_width(char) in "WF" for char in text)


def _block_starts(rendered: Rendered) -> list[tuple[Line, Block | None]]:
    """Every line that starts the title (``None``) or a block, found by walking the text in reading order."""
    starts, offset, found = {0: None}, len(TITLE), []
    for block in BLOCKS:
        starts[offset] = block
        offset += len(block.text)
    offset = 0
    for line in rendered.lines:
        if _is_page_number(line.text):
            continue
        if offset in starts:
            found.append((line, starts[offset]))
        offset += len(line.text)
    return found


# --- tests -------------------------------------------------------------------------------------------------------


def test_pages_are_a4(rendered: Rendered) -> None:
    pages = int(re.search(r"^Pages:\s+(\d+)", _run(TOOLS["pdfinfo"], str(rendered.pdf)), re.M).group(1))
    assert pages >= 4
    assert len(rendered.page_sizes) == pages
    for width, height in rendered.page_sizes:
        assert width == pytest.approx(PAGE_W, abs=1)
        assert height == pytest.approx(PAGE_H, abs=1)


def test_all_text_is_rendered_in_order(rendered: Rendered) -> None:
    """Nothing is lost, not even a 。 hanging at the end of a line."""
    expected = TITLE + "".join(block.text for block in BLOCKS)
    lines = [line for line in rendered.text.splitlines() if not _is_page_number(re.sub(r"\s", "", line))]
    assert re.sub(r"\s", "", "".join(lines)) == expected


def test_page_two_holds_22_lines_of_28_characters(rendered: Rendered) -> None:
    lines = rendered.page_lines(2)
    assert len(lines) == 22, [line.text for line in lines]
    for above, below in zip(lines, lines[1:], strict=False):
        assert below.y0 - above.y0 == pytest.approx(PITCH, abs=0.15)
    for line in lines:
        text = line.text[:-1] if line.text[-1] in HANGING and line.x1 > RIGHT else line.text
        assert _full_width(text)
        assert len(text) == 28, line.text
        assert line.x0 == pytest.approx(LEFT, abs=TOLERANCE)
        # 28 characters fill the line: 28 × 15.75 pt = 441 pt of 442.25 pt.
        assert RIGHT - 2 <= min(line.x1, RIGHT + 0.5) <= RIGHT + 0.5


def test_lines_sit_on_the_22_line_grid_of_the_text_block(rendered: Rendered) -> None:
    """Line k of a page ends at 37 mm + k × 28.95 pt (±1 mm); the 22nd ends inside the text block.

    Page 1 starts with the 22 pt title on line 1 and the blank line 2 (checked in the title test).
    """
    assert TOP + 22 * PITCH <= BOTTOM < TOP + 23 * PITCH
    for page in range(1, len(rendered.page_sizes) + 1):
        lines = [line for line in rendered.page_lines(page) if line.text != TITLE]
        first_row = 3 if page == 1 else 1
        assert 1 <= len(lines) <= 23 - first_row
        for row, line in enumerate(lines, start=first_row):
            assert line.y1 == pytest.approx(TOP + row * PITCH, abs=TOLERANCE), (page, row, line.text)
            assert line.y1 <= BOTTOM


def test_no_line_is_wider_than_the_text_block(rendered: Rendered) -> None:
    for page in range(1, len(rendered.page_sizes) + 1):
        for line in rendered.page_lines(page):
            hanging = line.text[-1] in HANGING
            assert line.x0 >= LEFT - 0.5, line.text
            assert line.x1 <= RIGHT + 0.5 + (16 if hanging else 0), line.text
            if _full_width(line.text):
                assert len(line.text) - hanging <= 28, line.text


def test_left_margin_is_28mm_on_odd_and_even_pages(rendered: Rendered) -> None:
    """The layout does not mirror margins: 订口 28 mm on the left of every page (clause 5.2.1)."""
    for page in range(1, len(rendered.page_sizes) + 1):
        edge = min(line.x0 for line in rendered.page_lines(page))
        assert edge == pytest.approx(LEFT, abs=TOLERANCE), page


def test_paragraphs_and_headings_are_indented_two_characters(rendered: Rendered) -> None:
    """Clause 7.3.3: 每个自然段左空二字 (2 × 16 pt), headings too; the salutation is flush left."""
    starts = [(line, block) for line, block in _block_starts(rendered) if block is not None]
    assert [block for _line, block in starts] == BLOCKS
    for line, block in starts:
        assert line.text == block.text[: len(line.text)]
        indent = 32 if block.indent else 0
        assert line.x0 == pytest.approx(LEFT + indent, abs=1), line.text


def test_title_is_centred_on_the_first_line(rendered: Rendered) -> None:
    (title,) = [line for line in rendered.lines if line.text == TITLE]
    assert title.page == 1
    assert (title.x0 + title.x1) / 2 == pytest.approx((LEFT + RIGHT) / 2, abs=1)
    assert title.x1 - title.x0 == pytest.approx(len(TITLE) * 22, abs=1)
    # On line 1 of the text block (the 22 pt glyph box nearly fills the 28.95 pt line).
    assert title.y0 >= TOP - TOLERANCE
    assert title.y1 <= TOP + PITCH + TOLERANCE
    # 标题下空一行: the salutation is on line 3.
    (salutation,) = [line for line in rendered.lines if line.text == BLOCKS[0].text]
    assert salutation.y1 == pytest.approx(TOP + 3 * PITCH, abs=TOLERANCE)


def test_page_numbers_sit_outside_below_the_text_block(rendered: Rendered) -> None:
    numbers = [line for line in rendered.lines if _is_page_number(line.text)]
    assert [line.page for line in numbers] == list(range(1, len(rendered.page_sizes) + 1))
    for line in numbers:
        assert line.text == f"—{line.page}—"
        assert line.y0 > BOTTOM
        if line.page % 2:  # 单页码居右空一字 (4号 = 14 pt)
            assert line.x1 == pytest.approx(RIGHT - 14, abs=TOLERANCE)
        else:  # 双页码居左空一字
            assert line.x0 == pytest.approx(LEFT + 14, abs=TOLERANCE)


def test_page_number_dashes_are_7mm_below_the_text_block(rendered: Rendered) -> None:
    """Clause 7.5: 一字线上距版心下边缘7 mm — measured on the ink of a 144 dpi rendering of the footer."""
    dpi = 144
    scale = dpi / 72
    for page in (1, 2):
        (number,) = [line for line in rendered.lines if line.page == page and _is_page_number(line.text)]
        x, y = round(number.x0 * scale), round(BOTTOM * scale)
        width, height = round(14 * scale), round(20 * ONE_MM * scale)
        prefix = rendered.work / f"footer{page}"
        _run(
            TOOLS["pdftoppm"], "-r", str(dpi), "-gray", "-f", str(page), "-l", str(page), "-x", str(x), "-y", str(y),
            "-W", str(width), "-H", str(height), str(rendered.pdf), str(prefix),
        )  # fmt: skip
        (image,) = rendered.work.glob(f"footer{page}*.pgm")
        rows = _dark_rows(image.read_bytes(), min_fraction=0.6)
        assert rows, "no dash found below the text block"
        dash_mm = ((rows[0] + rows[-1]) / 2 + 0.5) / scale / ONE_MM
        assert dash_mm == pytest.approx(7, abs=1)


def _dark_rows(pgm: bytes, min_fraction: float) -> list[int]:
    """Rows of a binary PGM (P5, 8 bit) in which at least ``min_fraction`` of the pixels are dark."""
    fields = re.match(rb"P5\s+(\d+)\s+(\d+)\s+(\d+)\s", pgm)
    width, height = int(fields.group(1)), int(fields.group(2))
    pixels = pgm[fields.end() :]
    return [
        row
        for row in range(height)
        if sum(1 for value in pixels[row * width : (row + 1) * width] if value < 128) >= min_fraction * width
    ]


def test_each_element_is_set_in_its_own_font_and_size(rendered: Rendered) -> None:
    """Title 2号 小标宋, body 3号 仿宋, 一、 3号 黑体, （一） 3号 楷体, page numbers 4号 宋体 (stand-in faces)."""
    kinds = {TITLE: "title"}
    kinds.update({block.text: block.kind for block in BLOCKS if block.kind != "paragraph"})
    sizes = {"title": 22, "body": 16, "heading1": 16, "heading2": 16, "page_number": 14}
    seen = set()
    for _page, text, size, name in rendered.fonts:
        compact = re.sub(r"\s", "", text)
        kind = "page_number" if _is_page_number(compact) else kinds.get(compact, "body")
        assert size == sizes[kind], (kind, text)
        assert re.fullmatch(EXPECTED_FACE[kind], name.split("+")[-1].removesuffix("-VKana")), (kind, text, name)
        seen.add(kind)
    assert seen == set(sizes)
