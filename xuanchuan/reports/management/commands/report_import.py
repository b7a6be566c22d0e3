"""``manage.py report_import FILE``: list the blanked figures of an existing report.

Reads a ``.txt`` (UTF-8 or GB18030) or ``.docx`` document, finds every placeholder (``×``, ``XX``,
``**``, ``202×`` …), classifies it and, for numbers, proposes the registry figure that fits its
words and unit. ``--json`` prints the placeholders as a JSON list; otherwise a table in Chinese.
"""

from __future__ import annotations

import json
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from xuanchuan.core.services import refusal_text
from xuanchuan.reports.management.tables import clip, table
from xuanchuan.reports.placeholders import CLASS_LABELS, Placeholder, find_placeholders, read_document
from xuanchuan.reports.registry import all_figures


class Command(BaseCommand):
    help = "列出现有文稿中被×等标记隐去的数字、名称和年份，并为数字建议对应的指标。"

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", help="文稿文件（.txt 或 .docx）")
        parser.add_argument("--json", action="store_true", help="以 JSON 列表输出")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"找不到文件：{path}")
        try:
            text = read_document(path)
        except ValidationError as exc:  # refused by the upload limits (a zip bomb, a damaged file)
            raise CommandError(f"无法读取 {path}：{refusal_text(exc)}") from exc
        except (OSError, RuntimeError, ValueError) as exc:
            raise CommandError(f"无法读取 {path}：{exc}") from exc
        placeholders = find_placeholders(text)
        if options["json"]:
            payload = [item.as_dict() for item in placeholders]
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
            return
        self.stdout.write(self._table(placeholders))

    def _table(self, placeholders: list[Placeholder]) -> str:
        """The placeholders as a readable table, with a count per class at the end."""
        if not placeholders:
            return "未发现占位标记。"
        labels = {item.key: item.label for item in all_figures()}

        def named(key: str) -> str:
            return f"{labels[key]}（{key}）" if key in labels else key

        headers = ("序号", "位置", "标记", "类别", "单位", "建议指标", "备选指标", "上下文")
        rows = [
            (
                str(item.index + 1),
                str(item.start),
                item.mark,
                CLASS_LABELS[item.cls],
                item.unit or "—",
                named(item.figure) if item.figure else "—",
                "、".join(named(key) for key in item.alternatives) or "—",
                clip(item.context, 40),
            )
            for item in placeholders
        ]
        lines = table(headers, rows)
        counts = dict.fromkeys(CLASS_LABELS, 0)
        for item in placeholders:
            counts[item.cls] += 1
        summary = "，".join(f"{CLASS_LABELS[cls]} {count} 处" for cls, count in counts.items() if count)
        lines.append("")
        lines.append(f"共 {len(placeholders)} 处占位：{summary}。")
        return "\n".join(lines)
