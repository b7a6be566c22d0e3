"""``manage.py report_generate``: a report for a period and a unit, as an official .docx."""

from __future__ import annotations

import json
import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from xuanchuan.org.models import Unit
from xuanchuan.reports import services
from xuanchuan.reports.defaults import DEFAULT_KEY
from xuanchuan.reports.generation import render
from xuanchuan.reports.models import ReportTemplate
from xuanchuan.reports.registry import FigureError, Period


class Command(BaseCommand):
    help = "按模板、期间和单位从平台记录生成工作报告（GB/T 9704 公文格式 .docx），可同时输出指标附表 Excel。"

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--template", default=DEFAULT_KEY, help="模板编号或名称；默认为系统默认模板")
        parser.add_argument("--period", required=True, help="期间：2025、2025-05 或 2025-01-01..2025-06-30")
        parser.add_argument("--unit", default="", help="单位编号或名称；默认为全区")
        parser.add_argument("--out", required=True, help="输出的 .docx 文件")
        parser.add_argument("--xlsx", default="", help="同时输出指标附表（.xlsx）")
        parser.add_argument("--json", action="store_true", help="在标准输出打印报告内容（JSON），含待核实处")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            period = Period.parse(options["period"])
        except FigureError as exc:
            raise CommandError(str(exc)) from exc
        template = self._template(options["template"])
        unit = self._unit(options["unit"])
        out = Path(options["out"])
        if out.suffix.lower() != ".docx":
            raise CommandError("--out 应是 .docx 文件")
        text = services.template_text(template)
        verbose = options["verbosity"] >= 1 and not options["json"]

        def progress(done: int, total: int, label: str) -> None:
            if verbose:
                sys.stderr.write(f"\r[{done}/{total}] {label[:30]:<30}")
                sys.stderr.flush()

        report = render(text.body, period, unit, text.variables, title=text.name, progress=progress)
        if verbose:
            sys.stderr.write("\n")
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(services.docx_bytes(report))
        if options["xlsx"]:
            Path(options["xlsx"]).write_bytes(services.appendix_bytes(report))
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=2, default=str))
            return
        self.stdout.write(f"已生成 {out}：{report.unit_name}{report.period_label}，{len(report.figures)} 个指标。")
        for flag in report.flags:
            self.stdout.write(self.style.WARNING(f"  待核实（第 {flag['line']} 行）：{flag['message']}"))

    def _template(self, value: str) -> ReportTemplate | None:
        if value == DEFAULT_KEY:
            return None
        found = ReportTemplate.objects.filter(pk=int(value)) if value.isdigit() else ReportTemplate.objects.none()
        found = found or ReportTemplate.objects.filter(name=value)
        if len(found) != 1:
            raise CommandError(f"找不到唯一的模板：{value}（可用编号、名称或 {DEFAULT_KEY}）")
        return found[0]

    def _unit(self, value: str) -> Unit | None:
        if not value:
            return None
        found = Unit.objects.filter(pk=int(value)) if value.isdigit() else Unit.objects.none()
        found = found or Unit.objects.filter(name=value)
        if len(found) != 1:
            raise CommandError(f"找不到唯一的单位：{value}（可用编号或名称）")
        return found[0]
