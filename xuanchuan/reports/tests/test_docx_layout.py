"""The GB/T 9704-2012 .docx writer: page geometry, grid, fonts, styles, page numbers.

No database: the documents are built in memory, saved to ``tmp_path`` and reopened with python-docx.
"""

from __future__ import annotations

import re
from pathlib import Path

import docx
import pytest
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Length, Pt

from xuanchuan.core.docx_layout import (
    CHAR_SPACE,
    CHAR_SPACING_TWIPS,
    CHARS_PER_LINE,
    LINE_PITCH_TWIPS,
    LINES_PER_PAGE,
    Block,
    OfficialDocument,
    OfficialFonts,
    PageLayout,
    TextRun,
    build_document,
    ensure_east_asian_fonts,
)

# An excerpt of the district report sample (each numbered section cut after three sentences).
SAMPLE_REPORT = (
    "在全市宣传思想工作会议上的汇报发言\n"
    "尊敬的×，同志们：\n"
    "下面，我代表×区就宣传思想工作进行汇报发言。今年以来，×区委宣传部坚持以习近平新时代中国特色社会"
    "主义思想为指导，全面贯彻落实党的十九大和十九届二中、三中、四中全会精神，深入贯彻落实全国和全省宣"
    "传部长会议精神、全市宣传思想工作会议精神，牢牢把握正确的政治方向、舆论导向和价值取向，认真落实“"
    "举旗帜、聚民心、育新人、兴文化、展形象”的使命任务，为决胜全面小康，建设幸福美好×提供了精神动力"
    "和思想保证。现将工作情况报告如下：\n"
    "一、加强理论武装，筑牢思想基础。以学习宣传贯彻习近平新时代中国特色社会主义思想和党的十九大、十九"
    "届四中全会、全国“两会”精神为主线，扎实推进理论武装工作。充分发挥区委理论学习中心组的引领作用，"
    "把习近平新时代中国特色社会主义思想作为核心课，制定学习计划、改进学习方式，努力打造理论学习的“示"
    "范班”。\n"
    "二、坚持正确方向，加强舆论引导。坚持为时代高歌，为大局鼓劲，为发展造势，紧紧围绕讲好×故事·×篇"
    "章，积极对接中央和省市主流媒体，做好“全省决战决胜脱贫攻坚主题全媒体集中采访”“决战决胜脱贫攻坚"
    "×全媒体行”等系列采访活动。统筹做好扫H除E专项斗争、乡村振兴、新时代文明实践等主题宣传，全方位"
    "向外推介展示×形象，累计在省、市主流媒体发表新闻稿件×多篇，在×广播电视台综合频道播出《纵横×》"
    "栏目×期，使×区对外知名度、美誉度得到了进一步提升。\n"
    "三、深化文明创建，凝聚精神力量。继续巩固和提升全国文明城市创建成果，着力强基础补短板、抓亮点树品"
    "牌，推动文明城市创建向更高标准、更高层次、更深内涵迈进。围绕提质核心价值观宣传教育、完善公共基础"
    "设施、整治市容环境卫生、整治集贸马路市场、推进志愿服务制度化、提升市民文明素质等方面进行集中攻坚"
    "，制定了《×区常态化推进全国文明城市建设×年工作方案》，全区×个机关单位认真落实“包帮”“包街”"
    "工作责任制，有力推进文明城市、精致城市建设，共下发交办单×份，梳理问题×条，督促整改完成×条。\n"
    "四、从严管网治网，维护网络安全。坚持依法管网治网，认真落实“两个所有”，逐步从管网站向管公众号、"
    "管客户端、管人员的全方位管理拓展。积极开展涉信息网络领域“行业清源”专项行动，深化网络空间滋生漏"
    "洞和网络信息内容生态治理（清朗）专项整治，持续加强敏感信息监管清理，网络传播秩序得到有效维护。\n"
    "五、坚持以文化人，推动文化繁荣。以文化旅游活动为主抓手，推进全区文化旅游融合发展。制定印发了《×"
    "市×区推进乡村文化振兴工作方案》，持续开展文化惠民进万家活动，组织开展了“激昂新×·欢乐中国年”"
    "迎新春等系列活动×场次，开展“红色文艺轻骑兵”送文化下乡×场次，“活力×·百姓文化大舞台”×场次"
    "。\n"
    "六、落实管控措施，守好各类阵地。按照主管主办和属地管理原则，强化网络信息管理，按照“谁开办、谁主"
    "管，谁应用、谁负责”的原则，增强网站及政务新媒体的运行管理，制定《关于进一步加强微信公众号规范管"
    "理的通知》，严格信息发布“三审制度”，把牢信息审核关口，确保对外发布的信息准确严谨。切实加强对文"
    "艺团体和文艺工作者的管理，稳步推进文艺协会成立工作，目前区美术家协会和区书法家协会已经成立，其他"
    "各协会正在积极筹备。\n"
    "总体上，×区宣传思想工作保持了向上向好的良好态势，下一步，×区委宣传部将按照中央和省、市委关于宣"
    "传思想工作的部署要求，在市委宣传部的具体指导下，坚守主阵地、弘扬主旋律、凝聚正能量。\n"
)

HEADING1 = re.compile(r"^[一二三四五六七八九十]+、")
HEADING2 = re.compile(r"^（[一二三四五六七八九十]+）")
PLACEHOLDER = "×"


def _runs(text: str) -> list[str | TextRun]:
    """Split ``text`` so every "×" placeholder (a number still to fill in) is a figure run."""
    pieces: list[str | TextRun] = []
    for index, chunk in enumerate(text.split(PLACEHOLDER)):
        if index:
            pieces.append(TextRun(PLACEHOLDER, figure=f"placeholder{index}"))
        if chunk:
            pieces.append(chunk)
    return pieces


def parse_report(text: str) -> tuple[str, list[Block]]:
    """Demo parser: first line = title; "一、…。rest" = heading1 (lead sentence) + body; "（一）…" likewise.

    A line ending in "：" without a numbering (the salutation) is set flush left, like 主送机关.
    """
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    title, body = lines[0], lines[1:]
    blocks: list[Block] = []
    for index, line in enumerate(body):
        for pattern, make in ((HEADING1, Block.heading1), (HEADING2, Block.heading2)):
            if pattern.match(line):
                lead, _sep, rest = line.partition("。")
                blocks.append(make(lead))
                if rest:
                    blocks.append(Block.paragraph(*_runs(rest)))
                break
        else:
            flush_left = index == 0 and line.endswith("：")
            blocks.append(Block.paragraph(*_runs(line), indent=not flush_left))
    return title, blocks


@pytest.fixture
def sample_docx(tmp_path: Path) -> DocxDocument:
    """The sample report built, saved and reopened."""
    title, blocks = parse_report(SAMPLE_REPORT)
    document = build_document(title, blocks)
    path = tmp_path / "report.docx"
    OfficialDocument.save_document(document, path)
    return docx.Document(str(path))


def _all_runs(document: DocxDocument) -> list:
    """Every ``w:r`` element of the body, headers and footers."""
    runs = list(document.element.body.iter(qn("w:r")))
    for section in document.sections:
        for part in (section.header, section.footer, section.even_page_header, section.even_page_footer):
            runs.extend(part._element.iter(qn("w:r")))
    return runs


def _east_asian(rpr) -> str | None:
    rfonts = rpr.find(qn("w:rFonts")) if rpr is not None else None
    return rfonts.get(qn("w:eastAsia")) if rfonts is not None else None


def test_layout_numbers_fit_22_lines_of_28_characters() -> None:
    layout = PageLayout()
    assert (layout.right_mm, layout.bottom_mm) == (26.0, 35.0)
    assert layout.margins_twips == (2098, 1474, 1984, 1587)
    assert (LINE_PITCH_TWIPS, CHAR_SPACE) == (579, -842)
    height, width = layout.text_height_twips, layout.text_width_twips
    assert LINES_PER_PAGE * LINE_PITCH_TWIPS <= height < (LINES_PER_PAGE + 1) * LINE_PITCH_TWIPS
    char_pitch_twips = (16 + CHAR_SPACE / 4096) * 20
    assert CHARS_PER_LINE * char_pitch_twips <= width < (CHARS_PER_LINE + 1) * char_pitch_twips
    # One grid unit less would give a pitch too small for 28 characters to fill the line ("撑满版心").
    assert width - CHARS_PER_LINE * char_pitch_twips < CHARS_PER_LINE * 20 / 4096 * 2
    # What the layout uses: −0.25 pt of character spacing, a pitch of 15.75 pt; −0.2 pt would not fit 28.
    assert CHAR_SPACING_TWIPS == -5
    pitch = 16 * 20 + CHAR_SPACING_TWIPS
    assert CHARS_PER_LINE * pitch <= width < (CHARS_PER_LINE + 1) * pitch
    assert CHARS_PER_LINE * (pitch + 1) > width


def test_page_is_a4_with_the_standard_margins(sample_docx: DocxDocument) -> None:
    assert len(sample_docx.sections) == 1
    section = sample_docx.sections[0]
    assert section.page_width.mm == pytest.approx(210, abs=0.5)
    assert section.page_height.mm == pytest.approx(297, abs=0.5)
    assert section.top_margin.mm == pytest.approx(37, abs=0.05)
    assert section.left_margin.mm == pytest.approx(28, abs=0.05)
    assert section.right_margin.mm == pytest.approx(26, abs=0.05)
    assert section.bottom_margin.mm == pytest.approx(35, abs=0.05)
    text_width = Length(section.page_width - section.left_margin - section.right_margin)
    text_height = Length(section.page_height - section.top_margin - section.bottom_margin)
    assert text_width.mm == pytest.approx(156, abs=0.1)
    assert text_height.mm == pytest.approx(225, abs=0.1)


def _char_spacing(style) -> int | None:
    spacing = style.element.rPr.find(qn("w:spacing"))
    return None if spacing is None else int(spacing.get(qn("w:val")))


def test_line_grid_and_character_spacing_give_22_lines_and_28_characters(sample_docx: DocxDocument) -> None:
    section = sample_docx.sections[0]
    grid = section._sectPr.find(qn("w:docGrid"))
    # A line grid only: LibreOffice puts a 16 pt character on two cells of a 15.79 pt character grid.
    assert grid.get(qn("w:type")) == "lines"
    assert int(grid.get(qn("w:charSpace"))) == CHAR_SPACE
    line_pitch = int(grid.get(qn("w:linePitch")))
    text_height = section.page_height.twips - section.top_margin.twips - section.bottom_margin.twips
    text_width = section.page_width.twips - section.left_margin.twips - section.right_margin.twips
    assert text_height // line_pitch == 22
    for name in ("Normal", "Heading 1", "Heading 2"):
        style = sample_docx.styles[name]
        char_pitch_twips = style.font.size.pt * 20 + _char_spacing(style)
        assert text_width // char_pitch_twips == 28, name
    # Styles based on Normal must not inherit the −0.25 pt.
    assert _char_spacing(sample_docx.styles["Title"]) == 0
    assert _char_spacing(sample_docx.styles["Footer"]) == 0


def test_body_is_16pt_with_exact_line_pitch(sample_docx: DocxDocument) -> None:
    normal = sample_docx.styles["Normal"]
    assert normal.font.size == Pt(16)
    assert normal.paragraph_format.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert normal.paragraph_format.line_spacing.twips == LINE_PITCH_TWIPS
    assert normal.paragraph_format.widow_control is False
    # Left, not justified: LibreOffice drops punctuation hanging past the end of a justified line.
    assert normal.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.LEFT
    for name in ("Heading 1", "Heading 2"):
        style = sample_docx.styles[name]
        assert style.font.size == Pt(16)
        assert style.font.bold is False
        assert str(style.font.color.rgb) == "000000"


def test_every_run_has_an_east_asian_font(sample_docx: DocxDocument) -> None:
    runs = _all_runs(sample_docx)
    assert len(runs) > 30
    missing = [r for r in runs if not _east_asian(r.find(qn("w:rPr")))]
    assert missing == []
    # The python-docx API view agrees for body runs.
    for paragraph in sample_docx.paragraphs:
        for run in paragraph.runs:
            assert run._element.rPr.rFonts.get(qn("w:eastAsia"))


def test_styles_carry_east_asian_fonts_and_no_theme_fonts(sample_docx: DocxDocument) -> None:
    expected = {
        "Normal": "仿宋_GB2312",
        "Title": "方正小标宋简体",
        "Heading 1": "黑体",
        "Heading 2": "楷体_GB2312",
        "Footer": "宋体",
    }
    for name, font in expected.items():
        rfonts = sample_docx.styles[name].element.rPr.rFonts
        assert rfonts.get(qn("w:eastAsia")) == font, name
        assert rfonts.get(qn("w:ascii")) == font, name
        assert rfonts.get(qn("w:eastAsiaTheme")) is None, name
        assert rfonts.get(qn("w:asciiTheme")) is None, name
    defaults = sample_docx.styles.element.find(qn("w:docDefaults"))
    assert _east_asian(defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")) == "仿宋_GB2312"
    theme_lang = sample_docx.settings.element.find(qn("w:themeFontLang"))
    assert theme_lang.get(qn("w:eastAsia")) == "zh-CN"


def test_title_is_centred_22pt(sample_docx: DocxDocument) -> None:
    title = sample_docx.paragraphs[0]
    assert title.text == "在全市宣传思想工作会议上的汇报发言"
    assert title.style.name == "Title"
    assert title.style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert title.style.font.size == Pt(22)
    assert title.style.paragraph_format.space_after == 0
    assert title.style.element.pPr.find(qn("w:pBdr")) is None
    assert sample_docx.paragraphs[1].text == ""


def test_structure_of_the_sample(sample_docx: DocxDocument) -> None:
    paragraphs = sample_docx.paragraphs
    headings = [p.text for p in paragraphs if p.style.name == "Heading 1"]
    assert headings == [
        "一、加强理论武装，筑牢思想基础",
        "二、坚持正确方向，加强舆论引导",
        "三、深化文明创建，凝聚精神力量",
        "四、从严管网治网，维护网络安全",
        "五、坚持以文化人，推动文化繁荣",
        "六、落实管控措施，守好各类阵地",
    ]
    heading = next(p for p in paragraphs if p.style.name == "Heading 1")
    assert {run._element.rPr.rFonts.get(qn("w:eastAsia")) for run in heading.runs} == {"黑体"}
    salutation = paragraphs[2]
    assert salutation.text == "尊敬的×，同志们："
    assert salutation.paragraph_format.first_line_indent == 0
    body = paragraphs[3]
    ind = body._p.pPr.find(qn("w:ind"))
    assert ind.get(qn("w:firstLineChars")) == "200"
    assert body.paragraph_format.first_line_indent == Pt(32)
    h1_ind = sample_docx.styles["Heading 1"].element.pPr.find(qn("w:ind"))
    assert h1_ind.get(qn("w:firstLineChars")) == "200"


def test_page_numbers_are_page_fields_outside_aligned(sample_docx: DocxDocument) -> None:
    assert sample_docx.settings.odd_and_even_pages_header_footer is True
    section = sample_docx.sections[0]
    for footer, alignment in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
    ):
        assert not footer.is_linked_to_previous
        (paragraph,) = footer.paragraphs
        assert paragraph.alignment == alignment
        assert paragraph.style.name == "Footer"
        instructions = [t.text.strip() for t in paragraph._p.iter(qn("w:instrText"))]
        assert instructions == ["PAGE"]
        kinds = [c.get(qn("w:fldCharType")) for c in paragraph._p.iter(qn("w:fldChar"))]
        assert kinds == ["begin", "separate", "end"]
        assert paragraph.text == "— 1 —"
        for run in paragraph.runs:
            assert run.font.size == Pt(14)
            assert run._element.rPr.rFonts.get(qn("w:eastAsia")) == "宋体"
    assert section.footer.paragraphs[0].paragraph_format.right_indent == Pt(14)
    assert section.even_page_footer.paragraphs[0].paragraph_format.left_indent == Pt(14)
    # The dashes sit about 7 mm below the text block (35 mm bottom margin).
    footer_line_mid_mm = section.footer_distance.mm + Pt(7).mm
    assert section.bottom_margin.mm - footer_line_mid_mm == pytest.approx(7, abs=0.1)


def test_heading2_and_figure_bookmarks(tmp_path: Path) -> None:
    writer = OfficialDocument()
    writer.add_title("关于×的报告\n（第二行）")
    writer.add_blocks(
        [
            Block.heading1("一、总体情况"),
            Block.heading2("（一）理论学习"),
            Block.paragraph("举办学习会议", TextRun("12", figure="reports.meetings"), "场次。"),
        ]
    )
    assert writer.figure_bookmarks() == {"fig_1_reports_meetings": "12"}
    path = writer.save(tmp_path / "h2.docx")
    document = docx.Document(str(path))
    styles = [p.style.name for p in document.paragraphs]
    assert styles == ["Title", "Heading 1", "Heading 2", "Normal"]
    assert document.paragraphs[0].text == "关于×的报告\n（第二行）"
    h2 = document.paragraphs[2]
    assert h2.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "楷体_GB2312"
    names = [b.get(qn("w:name")) for b in document.element.body.iter(qn("w:bookmarkStart"))]
    assert names == ["fig_1_reports_meetings"]


def test_unindented_heading_overrides_the_style_indent() -> None:
    document = build_document("标题", [Block(kind="heading1", runs=(TextRun("一、顶格"),), indent=False)])
    ind = document.paragraphs[-1]._p.pPr.find(qn("w:ind"))
    assert (ind.get(qn("w:firstLine")), ind.get(qn("w:firstLineChars"))) == ("0", "0")


def test_runs_added_later_get_fonts_on_save(tmp_path: Path) -> None:
    document = build_document("标题", [Block.heading1("一、情况")])
    document.add_paragraph("后来添加的段落", style="Heading 1")
    document.add_paragraph().add_run("普通正文")
    table = document.add_table(rows=1, cols=1)
    table.cell(0, 0).paragraphs[0].add_run("表格")
    assert ensure_east_asian_fonts(document, "仿宋") == 3
    fonts = [_east_asian(r.find(qn("w:rPr"))) for r in document.element.body.iter(qn("w:r"))]
    assert fonts == ["方正小标宋简体", "黑体", "黑体", "仿宋_GB2312", "仿宋_GB2312"]
    assert ensure_east_asian_fonts(document, "仿宋") == 0


def test_generic_fonts_preset(tmp_path: Path) -> None:
    fonts = OfficialFonts.generic(latin="Times New Roman")
    document = build_document("标题", [Block.paragraph("正文 2025 年")], fonts=fonts)
    path = tmp_path / "generic.docx"
    OfficialDocument.save_document(document, path, fonts)
    reopened = docx.Document(str(path))
    rfonts = reopened.paragraphs[-1].runs[0]._element.rPr.rFonts
    assert rfonts.get(qn("w:eastAsia")) == "仿宋"
    assert rfonts.get(qn("w:ascii")) == "Times New Roman"
    assert reopened.styles["Title"].element.rPr.rFonts.get(qn("w:eastAsia")) == "宋体"
