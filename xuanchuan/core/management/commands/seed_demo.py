"""``manage.py seed_demo``: fill the database with the deterministic demo district.

The work is done by the apps' ``demo`` modules through ``xuanchuan.core.demo``; this command
checks the database is empty (or empties it with ``--reset``) and runs them. The accounts to
sign in with are listed by ``manage.py demo_logins`` (the one table ``make demo`` prints).

Outside demo mode (``XUANCHUAN_DEMO`` false) it refuses to run without ``--force``: on a
production database it would create hundreds of accounts with the published demo password.
"""

from __future__ import annotations

import time
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from xuanchuan.core.demo import (
    DEFAULT_SEED,
    SIZES,
    DemoContext,
    DemoError,
    discover_parts,
    is_seeded,
    reset_all,
    seed_all,
)


class Command(BaseCommand):
    help = "生成演示数据（同一随机种子总是生成相同的数据）。"

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--size", choices=SIZES, default="small", help="规模：small（演示、测试）或 large（性能测试）"
        )
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"随机种子，默认 {DEFAULT_SEED}")
        parser.add_argument("--reset", action="store_true", help="先删除已有的演示数据（单位、人员及各模块业务数据）")
        parser.add_argument(
            "--force", action="store_true", help="未开启演示模式（XUANCHUAN_DEMO）时也生成（如测试、性能基准数据库）"
        )

    def handle(self, *args: Any, size: str, seed: int, reset: bool, force: bool, **options: Any) -> None:
        if not settings.XUANCHUAN_DEMO and not force:
            raise CommandError(
                "未开启演示模式（XUANCHUAN_DEMO=true），未生成演示数据：演示数据含数百个使用公开密码的账号，"
                "不得进入生产数据库。如确为测试或性能基准数据库，请加 --force。"
            )
        parts = discover_parts()
        if not parts:
            raise CommandError("没有找到任何演示数据模块（各应用的 demo.py）。")
        if not reset and is_seeded(parts):
            raise CommandError(
                "数据库中已有单位或人员数据，未生成演示数据，以免与现有数据混在一起。"
                "如确需重新生成，请加 --reset（将删除全部单位、人员及各模块业务数据，超级用户和角色保留）。"
            )
        ctx = DemoContext(seed=seed, size=size, write=self.stdout.write)
        started = time.perf_counter()
        try:
            if reset:
                self.stdout.write("正在清除已有的演示数据……")
                reset_all(ctx, parts)
            self.stdout.write(f"正在生成演示数据（规模：{size}，随机种子：{seed}）……")
            seed_all(ctx, parts)
        except DemoError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"演示数据已生成，共用时 {time.perf_counter() - started:.2f} 秒。"))
        self.stdout.write("演示账号及密码：manage.py demo_logins")
