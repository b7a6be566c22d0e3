"""What staff do with templates and reports: copy, import, bind, generate, download.

Every change follows the platform's service contract (``xuanchuan.core.services``): the acting
user as ``by=``, the permission first (``reports.permissions``), the writes in one transaction,
and a refused rule as ``ServiceError`` with the reason in Chinese.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xuanchuan.core.exports import workbook_bytes
from xuanchuan.core.services import ServiceError, require
from xuanchuan.org.models import Unit
from xuanchuan.org.services import district_root
from xuanchuan.reports import defaults, placeholders, templating
from xuanchuan.reports.generation import RenderedReport, render
from xuanchuan.reports.models import (
    GeneratedReport,
    ImportStatus,
    JobStatus,
    ReportTemplate,
    TemplateImport,
    TemplateSource,
)
from xuanchuan.reports.permissions import may_change, may_work_for
from xuanchuan.reports.registry import FigureError, Period, all_figures, catalogue, get_figure

MAX_IMPORT_BYTES = 5 * 1024 * 1024
IMPORT_SUFFIXES = (".txt", ".docx")


# --- templates ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TemplateText:
    """What generation needs of a template, for the stored ones and the built-in default alike."""

    pk: int | None
    name: str
    body: str
    variables: dict[str, str]


def default_template() -> TemplateText:
    return TemplateText(None, defaults.DEFAULT_NAME, defaults.default_body(), dict(defaults.DEFAULT_VARIABLES))


def template_text(template: ReportTemplate | None) -> TemplateText:
    if template is None:
        return default_template()
    return TemplateText(template.pk, template.name, template.body, dict(template.variables or {}))


def known_figures() -> frozenset[str]:
    """The figure keys a template may use (a figure that takes an argument as ``key()``)."""
    return frozenset(
        templating.with_argument(item.key) if item.parameter else item.key for item in all_figures(with_parameters=True)
    )


def figure_catalogue(unit: Unit | None) -> list[Any]:
    """The figures a blank of a report of ``unit`` may be bound to (:func:`registry.catalogue`)."""
    return catalogue(unit)


def copy_template(source: ReportTemplate | None, *, by: Any, unit: Unit, name: str = "") -> ReportTemplate:
    """A new template of ``unit`` with the text of ``source`` (``None``: the default template)."""
    require(may_work_for(by, unit) and (source is None or may_change(by, source)))
    text = template_text(source)
    return ReportTemplate.objects.create(
        unit=unit,
        created_by=by,
        name=(name or f"{text.name}（副本）")[:100],
        body=text.body,
        variables=text.variables,
        source=TemplateSource.COPY,
        source_name=text.name[:200],
    )


def delete_template(template: ReportTemplate, *, by: Any) -> None:
    """Delete a template; reports already generated from it keep their own copy of the text."""
    require(may_change(by, template))
    template.delete()


def variable_names(body: str) -> list[str]:
    names: dict[str, None] = {}
    for line in templating.parse(body):
        for reference in line.references:
            if reference.kind == "variable":
                names.setdefault(reference.source)
    return list(names)


# --- import of a document whose figures are blanked -------------------------------------------------------

_APPROX_AFTER = re.compile(r"[十百千万亿]*[余多来]")
_GROWTH_BEFORE = ("增长", "增加", "提高", "上升", "下降", "减少", "降低")
_CLAUSE_END = re.compile(r"[。！？；;\n]")


def _number_style(text: str, found: placeholders.Placeholder) -> list[str]:
    style = []
    if found.unit.startswith("万"):
        style.append("wan")
    if _APPROX_AFTER.match(text, found.end) or text[max(0, found.start - 1) : found.start] in ("近", "约"):
        style.append("about")
    if found.unit in ("%", "％") and text[max(0, found.start - 4) : found.start].endswith(_GROWTH_BEFORE):
        style.append("growth")
    return style


def _proposed_binding(text: str, found: placeholders.Placeholder, index: int) -> tuple[str, list[str]]:
    """What a blank becomes unless staff change it: ``(binding, style)``."""
    after = text[found.end : found.end + 1]
    if found.cls == placeholders.NUMBER:
        if found.figure and get_figure(found.figure).needs_argument:
            return "", _number_style(text, found)  # staff choose the argument (the series, the holiday)
        return found.figure or "", _number_style(text, found)
    if found.cls == placeholders.YEAR:
        if found.unit in ("月", "日"):
            return f"var.date{index}", []
        return "year", []
    if found.cls == placeholders.PLACE:
        if after in ("区", "县"):
            return "district_short", []
        if after == "市":
            return "city_short", []
        return "district_short", []
    if text[max(0, found.start - 3) : found.start] == "尊敬的":
        return "var.addressee", []
    return f"var.name{index}", []


def start_import(upload: Any, *, by: Any, unit: Unit) -> TemplateImport:
    """Read an uploaded .txt or .docx, find its blanks and propose a binding for each."""
    require(may_work_for(by, unit))
    name = Path(getattr(upload, "name", "") or "document").name
    if not name.lower().endswith(IMPORT_SUFFIXES):
        raise ServiceError(_("只能导入 .txt 或 .docx 文件"))
    if upload.size > MAX_IMPORT_BYTES:
        raise ServiceError(_("文件超过 5 MB，请删去图片等内容后再导入"))
    data = upload.read()
    text = _document_text(name, data)
    if not text.strip():
        raise ServiceError(_("文件里没有文字"))
    found = placeholders.find_placeholders(text, report_unit=unit)
    items = []
    before: tuple[int, str] | None = None  # the end and binding of the last number bound to a figure
    for item in found:
        binding, style = _proposed_binding(text, item, item.index + 1)
        if "growth" in style and not binding and before and not _CLAUSE_END.search(text, before[0], item.start):
            binding = before[1]  # 旅游人数×万人次，同比增长×%: the change of the number before it in its clause
        elif item.cls == placeholders.NUMBER and binding:
            before = (item.end, binding)
        items.append({**item.as_dict(), "end": item.end, "binding": binding, "style": style, "proposed": binding})
    return TemplateImport.objects.create(unit=unit, created_by=by, file_name=name[:200], text=text, placeholders=items)


def _document_text(name: str, data: bytes) -> str:
    """The text of an uploaded document; a damaged or hostile file is a ``ServiceError``."""
    try:
        if name.lower().endswith(".docx"):
            return placeholders.extract_docx_text(BytesIO(data))
        return placeholders.decode_text(data)
    except ServiceError:
        raise
    except Exception as exc:  # a damaged .docx or a file that is no text at all
        raise ServiceError(_("无法读取这个文件：%(kind)s") % {"kind": exc.__class__.__name__}) from exc


def save_bindings(
    record: TemplateImport, choices: Mapping[int, tuple[str, Sequence[str]]], *, by: Any
) -> TemplateImport:
    """Store what staff chose for each blank: ``choices[index] = (binding, style options)``.

    A binding is a registered figure (one that takes an argument with it: ``key(argument)``), a
    setting, ``var.<name>`` or empty (unbound); style options count for figures only. Any unknown
    binding refuses the whole form, naming each blank."""
    require(may_change(by, record))
    figures, settings_ = known_figures(), set(templating.SETTINGS)
    errors = []
    chosen: dict[int, str] = {}  # index → the binding as the template will write it
    bound_figures = set()
    for item in record.placeholders:
        binding = choices.get(item["index"], ("", ()))[0].strip()
        if binding.startswith("var.") or binding in {"", *settings_}:
            valid = not binding.startswith("var.") or binding[4:].isidentifier()
        else:
            reference = templating.parse_reference(f" {binding} ", figures)
            valid = reference.kind == "figure" and not reference.options and reference.digits is None
            if valid:
                try:
                    get_figure(reference.source)  # a closed parameter's argument must be one of its choices
                except FigureError as exc:
                    errors.append(_("第 %(n)s 处：%(e)s") % {"n": item["index"] + 1, "e": exc})
                    continue
                binding = reference.source
                bound_figures.add(binding)
            elif reference.kind == "error" and reference.error:
                errors.append(_("第 %(n)s 处：%(e)s") % {"n": item["index"] + 1, "e": reference.error})
                continue
        if not valid:
            errors.append(_("第 %(n)s 处：无法识别“%(b)s”") % {"n": item["index"] + 1, "b": binding[:60]})
        chosen[item["index"]] = binding
    if errors:
        raise ServiceError(errors)
    with transaction.atomic():
        record = TemplateImport.objects.select_for_update().get(pk=record.pk)
        if record.status == ImportStatus.DONE:
            raise ServiceError(_("这份文档已经生成过模板"))
        for item in record.placeholders:
            binding, style = chosen.get(item["index"], ""), choices.get(item["index"], ("", ()))[1]
            options = [option for option in style if option in templating.OPTIONS] if binding in bound_figures else []
            item["binding"], item["style"] = binding, options
        record.save(update_fields=["placeholders", "updated_at"])
    return record


def sentence_around(text: str, start: int, end: int) -> tuple[str, str, str]:
    """The sentence holding ``text[start:end]``, split around it: (before, mark, after)."""
    stops = "。！？；\n"
    left = max(text.rfind(stop, 0, start) for stop in stops) + 1
    rights = [position for stop in stops if (position := text.find(stop, end)) != -1]
    right = min(rights) + 1 if rights else len(text)
    return text[left:start], text[start:end], text[end:right].rstrip("\n")


def _line_kind(line: str, first: bool) -> str:
    stripped = line.strip()
    if first and len(stripped) <= 40 and not stripped.endswith(("。", "；")):
        return "# "
    if len(stripped) <= 40 and stripped.endswith(("：", ":")):
        return "> "
    return ""


def template_body_from_import(record: TemplateImport) -> str:
    """The document's text with each blank replaced by its reference (unbound blanks by ``{{ ? }}``)."""
    text = record.text
    pieces: list[str] = []
    position = 0
    for item in sorted(record.placeholders, key=lambda entry: entry["start"]):
        pieces.append(text[position : item["start"]])
        binding = (item.get("binding") or "").strip()
        pieces.append(templating.reference_text(binding, *item.get("style", [])) if binding else "{{ ? }}")
        position = item["end"]
    pieces.append(text[position:])
    lines = [line.strip() for line in "".join(pieces).split("\n") if line.strip()]
    return "\n".join(_line_kind(line, index == 0) + line for index, line in enumerate(lines)) + "\n"


def finish_import(record: TemplateImport, *, by: Any, name: str) -> ReportTemplate:
    """Make the template from the confirmed bindings (once: the import is locked while it is made)."""
    require(may_change(by, record))
    with transaction.atomic():
        record = TemplateImport.objects.select_for_update().get(pk=record.pk)
        if record.status == ImportStatus.DONE and record.template_id:
            raise ServiceError(_("这份文档已经生成过模板"))
        return _template_from_import(record, by, name)


def _template_from_import(record: TemplateImport, by: Any, name: str) -> ReportTemplate:
    body = template_body_from_import(record)
    variables = dict.fromkeys(variable_names(body), "")
    if "addressee" in variables:
        variables["addressee"] = defaults.DEFAULT_VARIABLES["addressee"]
    template = ReportTemplate.objects.create(
        unit=record.unit,
        created_by=by,
        name=(name or Path(record.file_name).stem)[:100],
        body=body,
        variables=variables,
        source=TemplateSource.IMPORT,
        source_name=record.file_name,
    )
    record.status, record.template = ImportStatus.DONE, template
    record.save(update_fields=["status", "template", "updated_at"])
    return template


# --- generation ---------------------------------------------------------------------------------------------


def request_report(template: ReportTemplate | None, period: Period, unit: Unit | None, *, by: Any) -> GeneratedReport:
    """Record a report to generate and hand it to the background worker (inline without one).

    ``unit`` ``None`` is the whole district's report, for district-wide users only."""
    from xuanchuan.reports.tasks import generate_report_task

    require(may_work_for(by, unit) and (template is None or may_change(by, template)))
    text = template_text(template)
    with transaction.atomic():
        report = _record_report(text, template, period, unit, by)
        transaction.on_commit(lambda: generate_report_task.delay(report.pk))
    return report


def _record_report(
    text: TemplateText, template: ReportTemplate | None, period: Period, unit: Unit | None, by: Any
) -> GeneratedReport:
    return GeneratedReport.objects.create(
        unit=unit or district_root(),
        for_district=unit is None,
        created_by=by,
        template=template,
        template_name=text.name[:100],
        body=text.body,
        variables=text.variables,
        period=period.key,
        message="排队等待生成",
    )


def run_report(report_id: int) -> GeneratedReport:
    """Compute the figures and store the rendered report, updating the progress as it goes."""
    report = GeneratedReport.objects.select_related("unit").get(pk=report_id)
    if report.finished:
        return report
    report.status, report.progress, report.message = JobStatus.RUNNING, 0, "开始计算指标"
    report.save(update_fields=["status", "progress", "message", "updated_at"])
    last_saved = [0.0]

    def progress(done: int, total: int, label: str) -> None:
        now = timezone.now().timestamp()
        if now - last_saved[0] < 0.5 and done < total:
            return
        last_saved[0] = now
        percent = min(99, int(done * 100 / max(total, 1)))
        GeneratedReport.objects.filter(pk=report.pk).update(progress=percent, message=f"已计算 {done}/{total}：{label}")

    try:
        rendered = render(
            report.body,
            Period.parse(report.period),
            None if report.for_district else report.unit,
            report.variables,
            title=report.template_name,
            progress=progress,
        )
    except Exception as exc:
        report.status, report.message = JobStatus.FAILED, f"生成失败：{exc}"[:300]
        report.finished_at = timezone.now()
        report.save(update_fields=["status", "message", "finished_at", "updated_at"])
        raise
    report.content = rendered.as_dict()
    report.flag_count = len(rendered.flags)
    report.status, report.progress, report.finished_at = JobStatus.DONE, 100, timezone.now()
    report.message = f"已完成，{len(rendered.flags)} 处待核实" if rendered.flags else "已完成"
    report.save(update_fields=["content", "flag_count", "status", "progress", "message", "finished_at", "updated_at"])
    return report


def delete_report(report: GeneratedReport, *, by: Any) -> None:
    """Delete a generated report (its snapshot goes with it)."""
    require(may_change(by, report))
    report.delete()


def rendered(report: GeneratedReport) -> RenderedReport:
    """The stored snapshot of a finished report."""
    if report.content is None:
        raise ServiceError(_("报告还没有生成完"))
    return RenderedReport.from_dict(report.content)


# --- outputs ---------------------------------------------------------------------------------------------------


def docx_bytes(report: RenderedReport) -> bytes:
    """The report as an official document (GB/T 9704); numbers that need a look are highlighted."""
    from docx.enum.text import WD_COLOR_INDEX

    from xuanchuan.core.docx_layout import Block, OfficialDocument, TextRun, ensure_east_asian_fonts

    writer = OfficialDocument()
    writer.add_title(report.title)
    writer.add_blank_line()
    for block in report.blocks:
        runs = tuple(TextRun(segment.text, figure=segment.figure) for segment in block.segments if segment.text)
        flagged = [bool(segment.flag) for segment in block.segments if segment.text]
        kind = {"heading1": "heading1", "heading2": "heading2"}.get(block.kind, "paragraph")
        paragraph = writer.add_block(Block(kind=kind, runs=runs, indent=block.kind != "flush"))
        for run, flag in zip(paragraph.runs, flagged, strict=False):
            if flag:
                run.font.highlight_color = WD_COLOR_INDEX.YELLOW
    ensure_east_asian_fonts(writer.document, writer.fonts.body, writer.fonts.latin)
    buffer = BytesIO()
    writer.document.save(buffer)
    return buffer.getvalue()


APPENDIX_HEADERS = ("指标代码", "指标", "单位", "本期数值", "记录数", "上年同期", "上年记录数", "口径说明")


def appendix_rows(report: RenderedReport) -> list[list[Any]]:
    return [
        [
            item.key,
            item.label,
            item.unit,
            item.value,
            item.count,
            item.previous_value if item.previous_computed else "",
            item.previous_count if item.previous_computed else "",
            item.description,
        ]
        for item in report.figures.values()
    ]


def appendix_bytes(report: RenderedReport) -> bytes:
    """The Excel appendix: every figure of the report with its value and its definition."""
    return workbook_bytes("指标附表", APPENDIX_HEADERS, appendix_rows(report))
