"""``python manage.py proofread FILE [--json]``: check a .txt (UTF-8 or GB18030) or .docx file with
the platform's lexicons (the shipped defaults as staff changed them, staff entries, names and
titles, the site-wide allow-list).

Prints one line per finding — ``line:column kind severity text → suggestion (reason)`` — or with
``--json`` a JSON list of objects with ``start``, ``end``, ``kind``, ``severity``, ``text``,
``suggestion`` and ``reason`` (character offsets into the file's text, paragraphs of a .docx joined
by line breaks). Exit status: 0 when nothing was found, 1 when something was, 2 when the file is
missing, unreadable or of another type (with a Chinese message on stderr).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from xuanchuan.core.services import ServiceError, refusal_text
from xuanchuan.proofing import Checker, default_terms
from xuanchuan.publishing import proofreading


class Command(BaseCommand):
    help = "校对 .txt 或 .docx 文件：逐条列出问题（--json 输出 JSON）；无问题返回 0，有问题返回 1，文件无法读取返回 2。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", help="要校对的 .txt 或 .docx 文件")
        parser.add_argument("--json", action="store_true", help="以 JSON 列表输出")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"找不到文件：{path}", returncode=2)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"无法读取文件 {path}：{exc.strerror or exc}", returncode=2) from exc
        try:
            text = proofreading.read_document(path.name, data, limits=False)
        except ServiceError as exc:
            raise CommandError(f"无法校对 {path}：{refusal_text(exc)}", returncode=2) from exc
        try:
            findings = proofreading.check_text(text)
        except DatabaseError:
            # No database to read the lexicons from (not set up yet): the shipped ones still check.
            self.stderr.write("无法读取平台的词库（数据库未就绪），本次只用系统默认词库校对。")
            findings = Checker(default_terms()).check(text)
        if options["json"]:
            self.stdout.write(json.dumps([finding.as_dict() for finding in findings], ensure_ascii=False, indent=2))
        else:
            for finding in findings:
                line, column = proofreading.line_and_column(text, finding.start)
                suggestion = f" → {finding.suggestion}" if finding.suggestion else ""
                reason = f" ({finding.reason})" if finding.reason else ""
                self.stdout.write(
                    f"{line}:{column} {finding.kind} {finding.severity} {finding.text}{suggestion}{reason}"
                )
            if not findings:
                self.stdout.write("未发现问题。")
        if findings:
            sys.exit(1)
