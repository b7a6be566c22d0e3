"""The report engine: template text, number styles, flags, the default template, generated numbers."""

from __future__ import annotations

import io
import json
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Q
from django.utils import timezone
from docx import Document

from xuanchuan.reports import defaults, services, templating
from xuanchuan.reports.generation import about, format_number, render
from xuanchuan.reports.models import GeneratedReport, JobStatus
from xuanchuan.reports.registry import Measure, Period, _registry, all_figures, figure, split_key

PLACEHOLDER_MARKS = re.compile(r"[×✕╳Ｘｘ＊]|\*\*|\{\{|\}\}|【")


# --- template text ----------------------------------------------------------------------------------------


def test_parse_lines_and_references() -> None:
    lines = templating.parse(
        "# 标题{{ year }}\n\n## 一、工作\n### （一）学习\n> 尊敬的{{ var.addressee }}：\n"
        "共{{ org.subdistricts }}个，约{{ arrivals.registrations | about wan }}万人，"
        "同比{{ passes.issued change }}。{{ ? }}"
    )
    assert [line.kind for line in lines] == ["title", "heading1", "heading2", "flush", "paragraph"]
    references = list(lines[-1].references)
    assert [(item.kind, item.source) for item in references] == [
        ("figure", "org.subdistricts"), ("figure", "arrivals.registrations"), ("figure", "passes.issued"),
        ("unbound", "?"),
    ]  # fmt: skip
    assert references[1].options == {"about", "wan"}
    assert references[2].needs_previous and not references[0].needs_previous
    assert list(lines[3].references)[0].kind == "variable"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{{ nothing.here }}", "没有这个指标"),
        ("{{ org.subdistricts sideways }}", "无法识别"),
        ("{{ org.subdistricts change previous }}", "只能选一个"),
        ("{{ year about }}", "不带选项"),
        ("{{ 乱写 }}", "无法识别的引用"),
        ("{{ }}", "空引用"),
        ("共{{ org.subdistricts 个", "不成对"),
    ],
)
def test_problems_name_the_line_and_the_fault(text: str, message: str) -> None:
    found = templating.problems("第一行\n" + text, services.known_figures())
    assert found and found[0][0] == 2 and message in found[0][1]


def test_a_good_template_has_no_problems() -> None:
    assert templating.problems(defaults.default_body(), services.known_figures()) == []


# --- number styles ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0, 0),
        (7, 7),
        (57, 50),
        (99, 90),
        (100, 100),
        (567, 560),
        (1234, 1200),
        (98765, 98000),
        (Decimal("12.9"), 10),
        (Decimal("9.9"), 9),
    ],
)
def test_about_rounds_down_to_a_round_number(value, expected) -> None:
    assert about(Decimal(value)) == expected


@pytest.mark.parametrize(
    ("value", "options", "digits", "expected"),
    [
        (1234, frozenset(), None, "1234"),
        (Decimal("93.333"), frozenset(), None, "93.3"),
        (Decimal("93.333"), frozenset(), 2, "93.33"),
        (123456, {"wan"}, None, "12.3"),
        (52000, {"wan"}, None, "5.2"),
        (50000, {"wan"}, None, "5"),
        (1234567, {"wan"}, None, "123"),
        (35600, {"wan", "about"}, None, "3"),
        (1234, {"about"}, None, "1200"),
    ],
)
def test_format_number(value, options, digits, expected) -> None:
    assert format_number(value, frozenset(options), digits) == expected


# --- rendering and flags ----------------------------------------------------------------------------------------


@pytest.fixture
def test_figures():
    """Figures of this test's own, removed afterwards."""
    values = {"tests.counted": None, "tests.empty": None, "tests.unknown": None}

    @figure("tests.counted", label="测试计数", unit="场次")
    def counted(period: Period, unit) -> Measure:
        return Measure(values["tests.counted"].get(period.start.year, 0))

    @figure("tests.missing", label="测试缺数", unit="%")
    def missing(period: Period, unit) -> Measure:
        return Measure(None)

    values["tests.counted"] = {2025: 1234, 2024: 1000}
    yield values
    for key in ("tests.counted", "tests.missing"):
        _registry.pop(key, None)


def test_render_formats_and_flags(test_figures, db) -> None:
    body = (
        "# {{ district }}{{ year }}年报告\n"
        "举办{{ tests.counted }}场次，约{{ tests.counted about }}余场次，同比{{ tests.counted change }}，"
        "上年{{ tests.counted previous }}场次，增长{{ tests.counted growth }}%。\n"
        "比例{{ tests.missing }}%。{{ ? }}{{ var.addressee }}{{ var.unset }}\n"
    )
    report = render(body, Period.year(2025), None, {"addressee": "各位领导"})
    assert report.title == "示范区2025年报告"
    text = report.blocks[0].text
    assert "举办1234场次，约1200余场次，同比增长23.4%，上年1000场次，增长23.4%。" in text
    assert report.blocks[1].text == "比例【无数据：测试缺数】%。【待补】各位领导【请填写：unset】"
    messages = [flag["message"] for flag in report.flags]
    assert len(messages) == 3 and "没有数据" in messages[0] and "未绑定" in messages[1] and "unset" in messages[2]
    # Each figure computed once per period, and the snapshot survives a JSON round trip.
    assert report.figures["tests.counted"].previous_value == 1000
    again = type(report).from_dict(json.loads(json.dumps(report.as_dict())))
    assert again.text == report.text and again.flags == report.flags


def test_change_without_a_previous_year_is_flagged(test_figures, db) -> None:
    test_figures["tests.counted"] = {2025: 10}
    report = render("同比{{ tests.counted change }}", Period.year(2025))
    assert report.text == "同比【上年为零，无法计算同比】"  # 0 the year before: never infinite growth
    assert "上年为零，无法计算同比" in report.flags[0]["message"]
    test_figures["tests.counted"] = {2025: 10, 2024: None}
    report = render("同比{{ tests.counted change }}，上年{{ tests.counted previous }}", Period.year(2025))
    assert report.text == "同比【上年无数据，无法计算同比】，上年【上年无数据】"  # never read as 0
    assert len(report.flags) == 2


def test_a_decrease_reads_as_a_decrease(test_figures, db) -> None:
    test_figures["tests.counted"] = {2025: 75, 2024: 100}
    assert render("同比{{ tests.counted change }}", Period.year(2025)).text == "同比下降25.0%"
    test_figures["tests.counted"] = {2025: 100, 2024: 100}
    assert render("同比{{ tests.counted change }}", Period.year(2025)).text == "同比持平"


def test_a_count_of_zero_is_shown_and_flagged(district) -> None:
    report = render("共{{ arrivals.registrations }}人", Period.year(2025))
    assert report.text == "共0人"
    assert report.flags and "没有记录" in report.flags[0]["message"]


# --- the default template -----------------------------------------------------------------------------------


def test_default_template_covers_every_registered_figure() -> None:
    keys = defaults.default_figure_keys()
    assert {key for key in keys if "(" not in key} == {item.key for item in all_figures()}
    # A figure with a closed parameter (the holidays) appears with one of its choices at least; one
    # whose choices are a district's own names (its series) cannot, and is bound when importing.
    with_argument = {split_key(key)[0] for key in keys if "(" in key}
    closed = {item.key for item in all_figures(with_parameters=True) if item.parameter and item.parameter.closed}
    assert with_argument == closed


def test_default_template_follows_the_report_structure() -> None:
    lines = templating.parse(defaults.default_body())
    assert lines[0].kind == "title"
    headings = [line.pieces[0] for line in lines if line.kind == "heading1"]
    assert [heading[:2] for heading in headings] == ["一、", "二、", "三、", "四、", "五、", "六、"]
    assert "{{ district }}" in defaults.default_body() and "示范区" not in defaults.default_body()


def test_report_paragraphs_refuse_a_second_declaration_and_a_bad_line() -> None:
    with pytest.raises(ValueError, match="declared twice"):
        defaults.report_paragraph("arrivals.system", line=4, text="别的文字")
    with pytest.raises(ValueError, match="no line of work"):
        defaults.report_paragraph("tests.bad", line=9, text="x")


@pytest.fixture
def seeded(db):
    call_command("seed_demo", "--size", "small", "--seed", "2026", "--force", stdout=io.StringIO())


def test_generated_report_has_no_placeholder_and_its_numbers_are_direct_counts(seeded) -> None:
    """The whole district, this year: every number equals a count made here without the registry."""
    from xuanchuan.arrivals.models import FollowUpStatus, Registration, RiskLevel
    from xuanchuan.org.models import SUBDISTRICT_TYPES, Unit
    from xuanchuan.outbreak.models import DailyReport
    from xuanchuan.passes.models import Movement, Pass, PassStatus

    year = timezone.localdate().year
    period = Period.year(year)
    report = render(defaults.default_body(), period, None, defaults.DEFAULT_VARIABLES)
    assert not PLACEHOLDER_MARKS.search(report.text), PLACEHOLDER_MARKS.search(report.text)
    assert not [flag for flag in report.flags if "没有数据" in flag["message"]]
    counted = Registration.objects.filter(arrival_date__year=year).exclude(follow_up_status=FollowUpStatus.MERGED)
    start, end = period.start_datetime, period.end_datetime
    direct = {
        "arrivals.registrations": counted.count(),
        "arrivals.high_risk_registrations": counted.filter(risk_level__in=(RiskLevel.HIGH, RiskLevel.MEDIUM)).count(),
        "passes.issued": Pass.objects.filter(
            Q(status=PassStatus.APPROVED) | Q(status=PassStatus.REVOKED), decided_at__gte=start, decided_at__lt=end
        ).count(),
        "passes.revoked": Pass.objects.filter(revoked_at__gte=start, revoked_at__lt=end).count(),
        "outbreak.reports_submitted": DailyReport.objects.filter(day__year=year).count(),
        "outbreak.reports_late": DailyReport.objects.filter(day__year=year, is_late=True).count(),
        "org.subdistricts": Unit.objects.filter(unit_type__in=SUBDISTRICT_TYPES)
        .filter(Q(established_on__isnull=True) | Q(established_on__lte=period.end))
        .filter(Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=period.end))
        .count(),
    }
    assert direct["arrivals.registrations"] > 0 and direct["passes.issued"] > 0
    assert Movement.objects.exists()
    for key, value in direct.items():
        assert report.figures[key].value == value, key
    text = report.text
    assert f"全年登记来返人员{direct['arrivals.registrations']}人" in text
    assert f"全年签发电子通行证{direct['passes.issued']}张，撤销{direct['passes.revoked']}张" in text
    assert f"迟报{direct['outbreak.reports_late']}份" in text


def test_a_street_report_counts_only_the_street(seeded) -> None:
    from xuanchuan.arrivals.models import FollowUpStatus, Registration
    from xuanchuan.org.models import Unit, UnitType

    street = Unit.objects.filter(unit_type=UnitType.STREET).order_by("code").first()
    year = timezone.localdate().year
    report = render(defaults.default_body(), Period.year(year), street)
    expected = (
        Registration.objects.filter(unit__path__startswith=street.path, arrival_date__year=year)
        .exclude(follow_up_status=FollowUpStatus.MERGED)
        .count()
    )
    assert report.figures["arrivals.registrations"].value == expected
    assert report.unit_name == street.name and report.unit_id == street.pk


# --- the background job and the command -----------------------------------------------------------------


def test_run_report_records_progress_and_the_snapshot(district, alice, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        report = services.request_report(None, Period.year(2025), None, by=alice)
    report.refresh_from_db()  # inline (no broker in tests): done on commit
    assert report.status == JobStatus.DONE and report.progress == 100 and report.for_district
    assert report.unit == district.root
    content = services.rendered(report)
    assert content.title == "示范区2025年宣传思想工作情况报告"
    assert report.flag_count == len(content.flags) > 0  # the test district has no records: zeros are flagged


def test_a_failed_job_says_why(district, alice, monkeypatch, django_capture_on_commit_callbacks) -> None:
    def broken(*args, **kwargs):
        raise RuntimeError("数据库连接断开")

    monkeypatch.setattr(services, "render", broken)
    with django_capture_on_commit_callbacks(execute=True):
        report = services.request_report(None, Period.year(2025), None, by=alice)
    report.refresh_from_db()
    assert report.status == JobStatus.FAILED and "数据库连接断开" in report.message
    assert GeneratedReport.objects.count() == 1


def test_report_generate_command_writes_the_docx_and_the_appendix(district, tmp_path: Path) -> None:
    out, xlsx = tmp_path / "report.docx", tmp_path / "appendix.xlsx"
    stdout = io.StringIO()
    call_command(
        "report_generate", "--period", "2025", "--unit", district.east.name, "--out", str(out), "--xlsx", str(xlsx),
        stdout=stdout, verbosity=0,
    )  # fmt: skip
    assert "东城街道2025年" in stdout.getvalue() and "待核实" in stdout.getvalue()
    document = Document(str(out))
    assert document.paragraphs[0].text == "示范区2025年宣传思想工作情况报告"
    section = document.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    assert round(section.top_margin.mm) == 37 and round(section.left_margin.mm) == 28
    from openpyxl import load_workbook

    sheet = load_workbook(xlsx).active
    keys = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert set(keys) == set(defaults.default_figure_keys())


def test_report_generate_command_refuses_bad_input(district, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="无法识别的期间"):
        call_command("report_generate", "--period", "去年", "--out", str(tmp_path / "a.docx"))
    with pytest.raises(CommandError, match="找不到唯一的单位"):
        call_command("report_generate", "--period", "2025", "--unit", "火星街道", "--out", str(tmp_path / "a.docx"))
    with pytest.raises(CommandError, match="找不到唯一的模板"):
        call_command("report_generate", "--period", "2025", "--template", "99", "--out", str(tmp_path / "a.docx"))
    with pytest.raises(CommandError, match=".docx"):
        call_command("report_generate", "--period", "2025", "--out", str(tmp_path / "a.pdf"))


def test_docx_highlights_flagged_numbers_and_sets_east_asian_fonts(district) -> None:
    report = render("# 标题\n共{{ arrivals.registrations }}人，{{ ? }}。", Period.year(2025))
    document = Document(io.BytesIO(services.docx_bytes(report)))
    body = document.paragraphs[2]
    assert body.text == "共0人，【待补】。"
    highlighted = [run.text for run in body.runs if run.font.highlight_color is not None]
    assert highlighted == ["0", "【待补】"]
    namespace = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    for run in body.runs:
        fonts = run._r.find(f"{namespace}rPr/{namespace}rFonts")
        assert fonts is not None and fonts.get(f"{namespace}eastAsia")


def test_previous_year_of_a_period() -> None:
    previous = Period.parse("2024-02-01..2024-02-29").previous_year()
    assert (previous.start, previous.end) == (date(2023, 2, 1), date(2023, 2, 28))
    assert Period.year(2025).previous_year().start == date(2024, 1, 1)
