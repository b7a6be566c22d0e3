"""The demo-data framework: one deterministic generator that every app of the platform extends.

``manage.py seed_demo`` fills an empty database with a whole district's worth of believable
records, the same ones for the same ``--seed``. It is the data of ``make demo``, the baseline
of the tests and, with ``--size large``, the load of the benchmarks.

How an app takes part
---------------------
An app of the platform (an installed app whose module lies under ``xuanchuan.``) takes part by
having a module ``demo.py`` that defines:

``ORDER: int``
    When the part runs, lowest first (ties broken by app label). ``org`` is 10; a part that
    uses another part's objects runs after it. Leave gaps of 10.
``def seed(ctx: DemoContext) -> None``
    Creates the app's demo data. It runs inside ``transaction.atomic()`` with the audit trail
    switched off. Small numbers of objects go through the app's services, as a user's would;
    many rows (``ctx.scaled(...)`` of them) go through ``bulk_insert``. Objects that later
    parts need are left in ``ctx.shared`` (``org`` documents its keys in ``xuanchuan/org/demo.py``),
    and the accounts to try each role with in ``SHOWCASE_ACCOUNTS`` (below).

and optionally:

``KEEP_ON_RESET: tuple[str, ...]``
    Model labels (``"proofing.SensitiveWord"``) whose rows come from migrations or
    configuration rather than from ``seed``; ``--reset`` and the "already seeded" test leave
    them alone.
``def reset(ctx: DemoContext) -> None``
    Deletes what ``seed`` made, when deleting every row of the app's other models (the
    default, done with plain SQL so a million rows go in seconds) is not right.
``def is_seeded() -> bool``
    Whether the database already holds the part's data; by default, whether any model the
    default reset would empty has a row.
``SHOWCASE_ACCOUNTS: dict[str, str]``
    Role code → username of the account to try that role with. ``showcase_logins()`` reads
    them back from the database for the one table of demo logins (``manage.py demo_logins``,
    printed by ``make demo``; the README's table is the same).

What a part gets: ``ctx.rng`` (its own ``random.Random``), ``ctx.size`` and ``ctx.large``,
``ctx.scaled(small, large)`` (``large`` times ``ctx.scale``: 1, unless a benchmark seeds a
fraction of the large size to measure growth), ``ctx.now``, ``ctx.today``, ``ctx.years`` (the
year before last, last year, this year), ``ctx.random_datetime(year=None)``, ``ctx.random_date(year=None)``,
``ctx.random_datetime_between(start, end)``, ``ctx.random_date_between(start, end)`` (never in
the future), ``ctx.chance(p)``, ``ctx.shared``, ``ctx.log(message)``; and from this module
``bulk_insert``, ``delete_rows``, ``DEMO_PASSWORD`` and
``DemoError`` (raise it with a Chinese message when the data cannot be made, e.g. a missing role).

This module is the framework, not a part: it defines neither ``ORDER`` nor a module-level
``seed``. Discovery skips it by name as well, skips an app's ``demo`` module that defines
neither, and refuses one that defines only one of the two, so a half-written part fails loudly
instead of being left out in silence.

Determinism: every part gets its own random stream, seeded from ``--seed`` and its app label,
so adding a part, or changing how many numbers one part draws, leaves the others' data as it
was. Dates are drawn relative to the day of the run (``ctx.today``); names and codes are not,
and the date helpers draw exactly one number each whatever their bounds, so the day of the run
never shifts the names drawn after a date.
"""

from __future__ import annotations

import dataclasses
import importlib
import importlib.util
import random
import time
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import islice
from types import ModuleType
from typing import Any

from auditlog.context import disable_auditlog
from django.apps import AppConfig, apps
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.db import connections, models, router, transaction
from django.utils import timezone

# The one password of every demo account: printed by ``seed_demo`` and ``make demo``, used by tests.
DEMO_PASSWORD = "Demo@2026xc"  # noqa: S105 (a published demo password, never a real one)
DEFAULT_SEED = 1
SIZES = ("small", "large")
PROJECT_PACKAGE = __name__.split(".")[0]
PART_MODULE = "demo"


class DemoError(Exception):
    """The demo data cannot be made as asked; the message says why, in Chinese, for the operator."""


@dataclass(frozen=True)
class DemoLogin:
    """An account shown in the table of demo logins (``showcase_logins``)."""

    role: str
    username: str
    full_name: str
    unit: str
    needs_second_factor: bool


@dataclass
class DemoContext:
    """What every part's ``seed`` receives: the random stream, the size, the clock and the objects
    the parts before it left in ``shared``."""

    seed: int = DEFAULT_SEED
    size: str = "small"
    # A fraction (or multiple) of the large size, for benchmarks that measure growth in records;
    # ``scaled`` applies it to the large numbers only.
    scale: float = 1.0
    # The moment the data is made "at"; nothing is dated after it.
    now: datetime = field(default_factory=timezone.now)
    # Objects one part leaves for later ones, by documented key (shared by every part's context).
    shared: dict[str, Any] = field(default_factory=dict)
    write: Callable[[str], None] = print
    # Name of the random stream; each part gets its own (see ``for_part``).
    stream: str = ""
    rng: random.Random = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if self.size not in SIZES:
            raise DemoError(f"未知的演示数据规模“{self.size}”，可选：{'、'.join(SIZES)}")
        if self.scale <= 0:
            raise ValueError("DemoContext.scale must be positive")
        if timezone.is_naive(self.now):
            raise ValueError("DemoContext.now must be timezone-aware")
        # A string seed is hashed with SHA-512 by ``random``: stable across processes and versions.
        self.rng = random.Random(f"{self.seed}/{self.stream}")

    def for_part(self, stream: str) -> DemoContext:
        """A context for one part: its own random stream, everything else shared with this one."""
        return dataclasses.replace(self, stream=stream)

    @property
    def today(self) -> date:
        return timezone.localdate(self.now)

    @property
    def years(self) -> list[int]:
        """The three years the demo data covers: the year before last, last year and this year."""
        this_year = self.today.year
        return [this_year - 2, this_year - 1, this_year]

    @property
    def large(self) -> bool:
        return self.size == "large"

    def scaled(self, small: int, large: int) -> int:
        """How many of something to make at this size (the large number times ``scale``)."""
        return max(1, round(large * self.scale)) if self.large else small

    def chance(self, probability: float) -> bool:
        """True with the given probability."""
        return self.rng.random() < probability

    def log(self, message: str) -> None:
        """A line of progress under the current part's heading."""
        self.write(f"    {message}")

    # --- Dates: spread over ``years``, never in the future -------------------------------------

    def year_span(self, year: int) -> tuple[datetime, datetime]:
        """The start of ``year`` and its end, or now if the year is not over."""
        zone = timezone.get_current_timezone()
        start = datetime(year, 1, 1, tzinfo=zone)
        end = datetime(year + 1, 1, 1, tzinfo=zone)
        return start, min(end, self.now)

    def random_datetime_between(self, start: datetime, end: datetime) -> datetime:
        """A moment in ``[start, end)``, cut at now; draws exactly one number whatever the bounds."""
        end = min(end, self.now)
        fraction = self.rng.random()
        if end <= start:
            return min(start, self.now)
        return start + (end - start) * fraction

    def random_datetime(self, year: int | None = None) -> datetime:
        """A moment in ``year``, or anywhere in ``years`` up to now when no year is given."""
        start, _ = self.year_span(year if year is not None else self.years[0])
        _, end = self.year_span(year if year is not None else self.years[-1])
        return self.random_datetime_between(start, end)

    def random_date_between(self, start: date, end: date) -> date:
        """A day in ``[start, end]``, cut at today; draws exactly one number whatever the bounds."""
        end = min(end, self.today)
        fraction = self.rng.random()
        if end <= start:
            return min(start, self.today)
        return start + timedelta(days=int(fraction * ((end - start).days + 1)))

    def random_date(self, year: int | None = None) -> date:
        """A day in ``year``, or anywhere in ``years`` up to today when no year is given."""
        first = date(year if year is not None else self.years[0], 1, 1)
        last = date(year if year is not None else self.years[-1], 12, 31)
        return self.random_date_between(first, last)


def bulk_insert(
    model: type[models.Model], rows: Iterable[models.Model], *, batch_size: int = 2000, keep_ids: bool = True
) -> int:
    """Insert many unsaved instances, a batch at a time, so a generator of a million rows never
    sits in memory whole. Returns how many were inserted. Signals and ``save()`` do not run.

    ``keep_ids=False`` is for the big tables whose rows nothing refers to afterwards: the
    instances may not get their primary keys back. On SQLite the rows then go in through one
    prepared ``INSERT`` run for the whole batch, the values made exactly as ``bulk_create`` makes
    them (each field's ``pre_save`` and ``get_db_prep_save``: encrypted fields are encrypted, blind
    indexes computed) without compiling SQL for every row: the large seed goes about 1.6 times as
    fast. On PostgreSQL ``bulk_create`` is already the faster way (Django 5.2 sends a batch as
    arrays, ``UNNEST``), so it is used there."""
    count = 0
    iterator: Iterator[models.Model] = iter(rows)
    connection = connections[router.db_for_write(model)]
    if keep_ids or connection.vendor != "sqlite":
        while batch := list(islice(iterator, batch_size)):
            model._default_manager.bulk_create(batch, batch_size=batch_size)
            count += len(batch)
        return count
    # Every column but a primary key the database numbers itself.
    fields = [field for field in model._meta.local_concrete_fields if not getattr(field, "db_returning", False)]
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 (quoted names from the model)
        quote(model._meta.db_table),
        ", ".join(quote(field.column) for field in fields),
        ", ".join(["%s"] * len(fields)),
    )
    with connection.cursor() as cursor:
        while batch := list(islice(iterator, batch_size)):
            values = [
                [field.get_db_prep_save(field.pre_save(row, True), connection) for field in fields] for row in batch
            ]
            cursor.executemany(sql, values)
            count += len(batch)
    return count


# --- Parts and their discovery ------------------------------------------------------------------


@dataclass(frozen=True)
class DemoPart:
    """One app's ``demo`` module."""

    app_config: AppConfig
    module: ModuleType

    @property
    def order(self) -> int:
        return int(self.module.ORDER)

    @property
    def label(self) -> str:
        return self.app_config.label

    @property
    def title(self) -> str:
        return f"{self.app_config.verbose_name}（{self.label}）"

    @property
    def kept_models(self) -> frozenset[str]:
        return frozenset(getattr(self.module, "KEEP_ON_RESET", ()))

    def owned_models(self, *, include_auto_created: bool = False) -> list[type[models.Model]]:
        """The app's tables that the default reset empties."""
        return [
            model
            for model in self.app_config.get_models(include_auto_created=include_auto_created)
            if model._meta.managed and not model._meta.proxy and model._meta.label not in self.kept_models
        ]

    def seed(self, ctx: DemoContext) -> None:
        self.module.seed(ctx)

    def reset(self, ctx: DemoContext) -> None:
        custom = getattr(self.module, "reset", None)
        if custom is not None:
            custom(ctx)
        else:
            delete_rows(self.owned_models(include_auto_created=True))

    def is_seeded(self) -> bool:
        custom = getattr(self.module, "is_seeded", None)
        if custom is not None:
            return bool(custom())
        return any(model._base_manager.exists() for model in self.owned_models())


def discover_parts() -> list[DemoPart]:
    """The ``demo`` modules of the platform's installed apps, in the order they run."""
    parts = []
    for app_config in apps.get_app_configs():
        module = _part_module(app_config)
        if module is not None:
            parts.append(DemoPart(app_config, module))
    return sorted(parts, key=lambda part: (part.order, part.label))


def _part_module(app_config: AppConfig) -> ModuleType | None:
    if not app_config.name.startswith(f"{PROJECT_PACKAGE}."):
        return None
    name = f"{app_config.name}.{PART_MODULE}"
    if name == __name__ or importlib.util.find_spec(name) is None:
        return None
    module = importlib.import_module(name)
    has_order = hasattr(module, "ORDER")
    has_seed = callable(getattr(module, "seed", None))
    if not has_order and not has_seed:
        return None
    if not (has_order and has_seed) or not isinstance(module.ORDER, int):
        raise ImproperlyConfigured(f"{name} must define both ORDER (an int) and seed(ctx) to take part in seed_demo")
    return module


def delete_rows(model_list: Iterable[type[models.Model]]) -> None:
    """Empty the tables of ``model_list`` with plain ``DELETE`` statements.

    No signals, no per-row work: fast for millions of rows. Django creates foreign keys
    ``DEFERRABLE INITIALLY DEFERRED`` on PostgreSQL and SQLite, so the order of the tables does
    not matter inside the caller's transaction, and a row still referenced from elsewhere makes
    the commit fail instead of leaving a dangling reference.
    """
    for model in model_list:
        connection = connections[router.db_for_write(model)]
        table = connection.ops.quote_name(model._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608 (a quoted table name from the model)


# --- The table of demo logins ---------------------------------------------------------------------


def _login(role: str, user: Any) -> DemoLogin:
    return DemoLogin(
        role=role,
        username=user.get_username(),
        full_name=str(getattr(user, "full_name", "") or user.get_username()),
        unit=str(getattr(user, "unit", None) or "—"),
        needs_second_factor=bool(getattr(user, "needs_second_factor", False)),
    )


def showcase_logins(parts: Iterable[DemoPart]) -> list[DemoLogin]:
    """The accounts the parts' ``SHOWCASE_ACCOUNTS`` name, as the database holds them now.

    An account that is missing or inactive is left out (a database seeded otherwise, or edited).
    """
    users = get_user_model()._default_manager.filter(is_active=True).select_related("unit")
    logins = []
    for part in parts:
        for code, username in getattr(part.module, "SHOWCASE_ACCOUNTS", {}).items():
            user = users.filter(username=username).first()
            if user is not None:
                role = user.roles.filter(code=code).values_list("name", flat=True).first() or code
                logins.append(_login(str(role), user))
    return logins


def _width(text: str) -> int:
    """Columns ``text`` takes in a terminal: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def login_table(logins: list[DemoLogin]) -> list[str]:
    """The lines of the one table of demo logins (printed by ``manage.py demo_logins``)."""
    header = ("角色", "用户名", "姓名", "所在单位", "动态口令")
    rows = [
        (login.role, login.username, login.full_name, login.unit, "首次登录须绑定" if login.needs_second_factor else "")
        for login in logins
    ]
    widths = [max(_width(row[column]) for row in [header, *rows]) for column in range(len(header))]
    lines = [
        f"演示账号（每个角色一个，密码均为 {DEMO_PASSWORD}）/ demo logins, one per role, password {DEMO_PASSWORD}:"
    ]
    for row in [header, *rows]:
        lines.append(("  " + "  ".join(_pad(text, width) for text, width in zip(row, widths, strict=True))).rstrip())
    if any(login.needs_second_factor for login in logins):
        lines.append(
            "“首次登录须绑定”的角色可查看个人信息全文：首次登录时在手机验证器中绑定动态口令（TOTP）。"
            " / These roles read personal data in full and enrol a TOTP authenticator at first sign-in."
        )
    return lines


# --- Running ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PartResult:
    """What one part made and how long it took."""

    part: DemoPart
    seconds: float
    added: dict[str, int]


def is_seeded(parts: Iterable[DemoPart]) -> bool:
    """Whether any part's data is already in the database."""
    return any(part.is_seeded() for part in parts)


def reset_all(ctx: DemoContext, parts: list[DemoPart]) -> None:
    """Delete every part's data, the last part first, all in one transaction."""
    with disable_auditlog(), transaction.atomic():
        for part in reversed(parts):
            ctx.write(f"  清除：{part.title}")
            part.reset(ctx.for_part(part.label))


def seed_all(ctx: DemoContext, parts: list[DemoPart]) -> list[PartResult]:
    """Run every part in order, each in its own transaction, printing what it made."""
    results = []
    with disable_auditlog():
        for part in parts:
            results.append(_seed_part(ctx, part))
    return results


def _seed_part(ctx: DemoContext, part: DemoPart) -> PartResult:
    ctx.write(f"  [{part.order}] {part.title}")
    before = _row_counts(part)
    started = time.perf_counter()
    with transaction.atomic():
        part.seed(ctx.for_part(part.label))
    seconds = time.perf_counter() - started
    after = _row_counts(part)
    added = {name: after[name] - before.get(name, 0) for name in after if after[name] != before.get(name, 0)}
    summary = "，".join(f"{name} {count:+d}" for name, count in added.items()) or "无新增记录"
    ctx.write(f"    完成：{summary}；用时 {seconds:.2f} 秒")
    return PartResult(part, seconds, added)


def _row_counts(part: DemoPart) -> dict[str, int]:
    return {str(model._meta.verbose_name_plural): model._base_manager.count() for model in part.app_config.get_models()}
