"""``manage.py figures [--json] [--app APP]``: the figure catalogue.

Every figure the modules register in their ``metrics.py`` — the numbers a report template can
refer to (``{{ key }}``) — with its label, synonyms (the words the importer matches blanks with),
unit and the app that declares it. ``--json`` prints a JSON list of
``{"key", "label", "synonyms", "unit", "app"}`` in key order; otherwise a table in Chinese.
"""

from __future__ import annotations

import json
from argparse import ArgumentParser
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError

from xuanchuan.reports.management.tables import table
from xuanchuan.reports.registry import Figure, all_figures


def catalogue(app: str = "") -> list[dict[str, Any]]:
    """The figures (of ``app`` only, if given) as JSON-ready dictionaries, in key order."""
    return [
        {
            "key": item.key,
            "label": item.label,
            "synonyms": list(item.synonyms),
            "unit": item.unit,
            "app": item.app_label,
        }
        for item in all_figures()
        if not app or item.app_label == app
    ]


def _app_name(label: str) -> str:
    try:
        return str(apps.get_app_config(label).verbose_name)
    except LookupError:
        return label


class Command(BaseCommand):
    help = "列出指标目录：各模块登记的全部指标（代码、名称、同义词、单位、所属模块）。"

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--json", action="store_true", help="以 JSON 列表输出")
        parser.add_argument("--app", default="", help="只列出这个模块的指标（如 outbreak）")

    def handle(self, *args: Any, **options: Any) -> None:
        app = options["app"].strip()
        known = sorted({item.app_label for item in all_figures()})
        if app and app not in known:
            raise CommandError(f"没有模块“{app}”登记的指标（可选：{'、'.join(known)}）")
        if options["json"]:
            self.stdout.write(json.dumps(catalogue(app), ensure_ascii=False, indent=2))
            return
        figures = [item for item in all_figures() if not app or item.app_label == app]
        self.stdout.write(self._table(figures))

    def _table(self, figures: list[Figure]) -> str:
        headers = ("指标代码", "名称", "单位", "模块", "同义词")
        rows = [
            (
                item.key,
                item.label,
                item.unit,
                f"{_app_name(item.app_label)}（{item.app_label}）",
                "、".join(item.synonyms) or "—",
            )
            for item in figures
        ]
        lines = table(headers, rows)
        modules = len({item.app_label for item in figures})
        lines += ["", f"共 {len(figures)} 个指标，来自 {modules} 个模块。模板中写作 {{{{ 指标代码 }}}}。"]
        return "\n".join(lines)
