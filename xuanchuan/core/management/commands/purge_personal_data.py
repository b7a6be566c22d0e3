"""``manage.py purge_personal_data [--dry-run]``: enforce the retention periods now."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from xuanchuan.core.pii.retention import RetentionAction, run_retention


class Command(BaseCommand):
    """The command-line twin of the daily Celery task ``purge_expired_personal_data``."""

    help = "删除或抹除已超过保留期限的个人信息"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="只统计将处理的记录数，不做任何修改")

    def handle(self, *args: Any, **options: Any) -> None:
        dry_run = options["dry_run"]
        results = run_retention(dry_run=dry_run)
        if dry_run:
            self.stdout.write("试运行：以下为将要处理的记录数，未做任何修改。")
        for result in results:
            verb = RetentionAction(result.rule.action).label
            if result.error:
                self.stderr.write(f"{result.rule.label}：失败（{result.error}）")
                continue
            prefix = "将" if dry_run else "已"
            cutoff = timezone.localtime(result.cutoff)
            self.stdout.write(
                f"{result.rule.label}：{prefix}{verb} {result.count} 条"
                f"（保留 {result.rule.retention_days()} 天，早于 {cutoff:%Y-%m-%d %H:%M}）"
            )
        if not results:
            self.stdout.write("没有登记任何保留期限规则。")
        failed = [result.rule.label for result in results if result.error]
        if failed:
            raise CommandError(f"以下类别清理失败：{'、'.join(failed)}")
        self.stdout.write(self.style.SUCCESS("个人信息清理完成。" if not dry_run else "试运行完成。"))
