"""``manage.py seed_demo``: fill the database with the deterministic demo district.

The work is done by the apps' ``demo`` modules through ``xuanchuan.core.demo``; this command
checks the database is empty (or empties it with ``--reset``), runs them and prints the
accounts to sign in with.
"""

from __future__ import annotations

import time
import unicodedata
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from xuanchuan.core.demo import (
    DEFAULT_SEED,
    DEMO_PASSWORD,
    SIZES,
    DemoContext,
    DemoError,
    DemoLogin,
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

    def handle(self, *args: Any, size: str, seed: int, reset: bool, **options: Any) -> None:
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
        self._print_logins(ctx.logins)

    def _print_logins(self, logins: list[DemoLogin]) -> None:
        if not logins:
            return
        header = ("角色", "用户名", "姓名", "所在单位", "密码")
        rows = [(login.role, login.username, login.full_name, login.unit, DEMO_PASSWORD) for login in logins]
        widths = [max(_width(row[column]) for row in [header, *rows]) for column in range(len(header))]
        self.stdout.write("")
        self.stdout.write(f"演示账号（每个角色列出一个，所有演示账号的密码均为 {DEMO_PASSWORD}）：")
        for row in [header, *rows]:
            self.stdout.write(
                ("  " + "  ".join(_pad(text, width) for text, width in zip(row, widths, strict=True))).rstrip()
            )
        second_factor_roles = [login.role for login in logins if login.needs_second_factor]
        if second_factor_roles:
            self.stdout.write(
                f"注意：{'、'.join(second_factor_roles)}可查看个人信息全文，"
                "首次登录时须在手机验证器中绑定动态口令（TOTP），完成二次验证后才能使用。"
            )


def _width(text: str) -> int:
    """Columns ``text`` takes in a terminal: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))
