"""``manage.py figures [--json] [--app APP]``: the figure catalogue.

Every figure the modules register in their ``metrics.py`` — the numbers a report template can
refer to (``{{ key }}``) — with its label, synonyms (the words the importer matches blanks with),
unit and the app that declares it. A figure with a parameter is listed as ``key(…)`` with what its
argument chooses (``parameter``) and, for a closed parameter, the arguments it takes (``choices``).
``--json`` prints a JSON list of ``{"key", "label", "synonyms", "unit", "app"}`` (and
``"parameter"``, ``"choices"`` for such a figure) in key order; otherwise a table in Chinese.
"""

from __future__ import annotations

import json
from argparse import ArgumentParser
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError

from xuanchuan.reports.management.tables import table
from xuanchuan.reports.registry import Figure, all_figures


def _written(item: Figure) -> str:
    return f"{item.key}(…)" if item.parameter else item.key


def catalogue(app: str = "") -> list[dict[str, Any]]:
    """The figures (of ``app`` only, if given) as JSON-ready dictionaries, in key order."""
    found = []
    for item in all_figures(with_parameters=True):
        if app and item.app_label != app:
            continue
        entry = {
            "key": _written(item),
            "label": item.label,
            "synonyms": list(item.synonyms),
            "unit": item.unit,
            "app": item.app_label,
        }
        if item.parameter is not None:
            entry["parameter"] = item.parameter.label
            closed = item.parameter.closed
            entry["choices"] = [choice.value for choice in item.parameter.choices(None)] if closed else []
        found.append(entry)
    return found


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
        known = sorted({item.app_label for item in all_figures(with_parameters=True)})
        if app and app not in known:
            raise CommandError(f"没有模块“{app}”登记的指标（可选：{'、'.join(known)}）")
        if options["json"]:
            self.stdout.write(json.dumps(catalogue(app), ensure_ascii=False, indent=2))
            return
        figures = [item for item in all_figures(with_parameters=True) if not app or item.app_label == app]
        self.stdout.write(self._table(figures))

    def _table(self, figures: list[Figure]) -> str:
        headers = ("指标代码", "名称", "单位", "模块", "同义词")
        rows = [
            (
                _written(item),
                item.label + (f"（参数：{item.parameter.label}）" if item.parameter else ""),
                item.unit,
                f"{_app_name(item.app_label)}（{item.app_label}）",
                "、".join(item.synonyms) or "—",
            )
            for item in figures
        ]
        lines = table(headers, rows)
        modules = len({item.app_label for item in figures})
        lines += [
            "",
            f"共 {len(figures)} 个指标，来自 {modules} 个模块。"
            "模板中写作 {{ 指标代码 }}，带参数的写作 {{ 指标代码(参数) }}。",
        ]
        return "\n".join(lines)
