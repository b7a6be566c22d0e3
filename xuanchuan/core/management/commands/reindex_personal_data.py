"""``manage.py reindex_personal_data``: re-encrypt personal data with the current key, re-index it."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import models

from xuanchuan.core.pii.fields import encrypted_fields, encrypted_models
from xuanchuan.core.pii.reindex import DEFAULT_BATCH_SIZE, extra_reencryptions, reencrypt_model


class Command(BaseCommand):
    """Run after rotating the first key of XUANCHUAN_DATA_KEY or switching XUANCHUAN_CRYPTO."""

    help = "用当前密钥重新加密全部个人信息并重算检索索引（更换首个密钥或切换加密算法后运行）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE, help="每批处理的记录数")
        parser.add_argument(
            "--model", action="append", default=[], metavar="APP_LABEL.MODEL", help="只处理这些模型（可重复）"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["batch_size"] < 1:
            raise CommandError("--batch-size 应为正整数")
        targets = self._models(options["model"])
        total = 0
        for model in targets:
            count = reencrypt_model(model, batch_size=options["batch_size"])
            total += count
            self.stdout.write(f"{model._meta.verbose_name}（{model._meta.label}）：已重新加密并重建索引 {count} 条")
        if not options["model"]:
            for label, reencrypt in extra_reencryptions().items():
                count = reencrypt()
                total += count
                self.stdout.write(f"{label}：已重新加密 {count} 条")
        self.stdout.write(self.style.SUCCESS(f"完成：共处理 {len(targets)} 个模型、{total} 条记录。"))

    def _models(self, labels: list[str]) -> list[type[models.Model]]:
        if not labels:
            return encrypted_models()
        chosen = []
        for label in labels:
            try:
                model = apps.get_model(label)
            except (LookupError, ValueError) as exc:
                raise CommandError(f"没有模型 {label}") from exc
            if not encrypted_fields(model):
                raise CommandError(f"模型 {label} 没有加密字段")
            chosen.append(model)
        return chosen
