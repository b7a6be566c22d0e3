"""``manage.py demo_logins [--url URL]``: the one table of demo logins (``make demo`` prints it).

The accounts are the parts' ``SHOWCASE_ACCOUNTS`` as the database holds them now
(``xuanchuan.core.demo.showcase_logins``), so the table is the same after a fresh seed and on
a demo database seeded long ago; the README's table of demo logins shows the same accounts.
"""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from xuanchuan.core.demo import discover_parts, login_table, showcase_logins

RULE = "=" * 76


class Command(BaseCommand):
    help = "列出演示账号（每个角色一个）及其密码。"

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--url", default="", help="演示环境的地址，如 http://127.0.0.1:8000/")

    def handle(self, *args: Any, url: str, **options: Any) -> None:
        logins = showcase_logins(discover_parts())
        self.stdout.write(RULE)
        title = f"{settings.XUANCHUAN_DISTRICT_NAME}{settings.XUANCHUAN_SITE_TITLE}"
        self.stdout.write(f"  {title} 演示环境 / demo:  {url}" if url else f"  {title}")
        if not logins:
            self.stdout.write(
                "  数据库中没有演示账号（先运行 manage.py seed_demo）。 / No demo accounts: run seed_demo."
            )
        else:
            for line in login_table(logins):
                self.stdout.write(f"  {line}")
        self.stdout.write(RULE)
