"""Set up Django for a benchmark on a fresh database of its own.

SQLite: a new file in a temporary folder. PostgreSQL (``--postgres``): a new database
``xuanchuan_bench`` on the server of ``BENCH_POSTGRES_URL`` (default the local test server),
dropped and re-created each run. The database is migrated and filled with ``seed_demo``.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
POSTGRES_SERVER = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")


def setup(*, postgres: bool, size: str, seed: int = 1) -> str:
    """Prepare settings and a seeded database; returns a description of the database."""
    sys.path.insert(0, str(ROOT))
    os.environ["PYTHON_DOTENV_DISABLED"] = "1"
    os.environ.setdefault("XUANCHUAN_DEMO", "true")
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    os.environ["DJANGO_SETTINGS_MODULE"] = "xuanchuan.settings"
    if postgres:
        import psycopg

        with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as connection:
            connection.execute("DROP DATABASE IF EXISTS xuanchuan_bench")
            connection.execute("CREATE DATABASE xuanchuan_bench")
        os.environ["DATABASE_URL"] = f"{POSTGRES_SERVER}/xuanchuan_bench"
        description = "PostgreSQL"
    else:
        folder = tempfile.mkdtemp(prefix="xuanchuan-bench-")
        os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
        description = "SQLite (WAL)"
    os.environ["STATIC_ROOT"] = tempfile.mkdtemp(prefix="xuanchuan-bench-static-")
    import django
    from django.core.management import call_command

    django.setup()
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    call_command("seed_demo", "--size", size, "--seed", str(seed), stdout=open(os.devnull, "w"))  # noqa: SIM115
    print(f"# database: {description}; seed_demo --size {size} took {time.perf_counter() - started:.1f} s")
    return description


def rate(function, *, seconds: float = 2.0) -> float:
    """Calls per second of ``function`` over about ``seconds`` (after one warm-up call)."""
    function()
    calls = 0
    started = time.perf_counter()
    while (elapsed := time.perf_counter() - started) < seconds:
        function()
        calls += 1
    return calls / elapsed
