"""Shared set-up of the load runs (``load_*.py``): database, environment, gunicorn, CPU accounting.

Everything runs on this machine over loopback: a PostgreSQL database of the run's own on the
server of ``BENCH_POSTGRES_URL``, a Redis database as cache and session store, gunicorn serving
``xuanchuan.wsgi`` with production settings (``DEBUG=false``, ``XUANCHUAN_DEMO=false``, behind a
"TLS proxy", throwaway keys), and a load generator (``wrk``) on the same cores.

The keys are fixed throwaway values, so that a database seeded by one run (encrypted with
``THROWAWAY_DATA_KEY``) can be served again by the next (``--reuse``); they protect nothing.
"""

from __future__ import annotations

import os
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
POSTGRES_SERVER = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
TICKS = os.sysconf("SC_CLK_TCK")
THROWAWAY_SECRET_KEY = "load-test-throwaway-secret-key-not-for-any-real-installation-0123456789"  # noqa: S105
THROWAWAY_DATA_KEY = "bG9hZC10ZXN0LXRocm93YXdheS1kYXRhLWtleSEhISE="


def environment(
    *, database: str, redis_db: int, static_root: str, demo: bool = False, tree: Path = ROOT
) -> dict[str, str]:
    """The process environment of the server (``demo=False``) or of seeding it (``demo=True``).

    Serving uses production settings behind a TLS proxy (requests carry ``X-Forwarded-Proto:
    https``); seeding runs in demo mode, since ``seed_demo`` is a demo tool. Both use the same
    throwaway keys, so what one encrypts the other reads. ``tree`` is the source tree served and
    managed (another checkout, e.g. ``git archive`` of an older commit, to compare before/after).
    """
    return {
        **os.environ,
        "BENCH_TREE": str(tree),
        "PYTHON_DOTENV_DISABLED": "1",
        "DJANGO_SETTINGS_MODULE": "xuanchuan.settings",
        "DATABASE_URL": f"{POSTGRES_SERVER}/{database}",
        "REDIS_URL": f"redis://127.0.0.1:6379/{redis_db}",
        "DEBUG": "false",
        "XUANCHUAN_DEMO": "true" if demo else "false",
        "BEHIND_TLS_PROXY": "true",
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "SECRET_KEY": THROWAWAY_SECRET_KEY,
        "XUANCHUAN_DATA_KEY": THROWAWAY_DATA_KEY,
        "STATIC_ROOT": static_root,
        "LOG_LEVEL": "WARNING",
    }


def database_exists(name: str) -> bool:
    """Whether the PostgreSQL server has a database ``name``."""
    import psycopg

    with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as connection:
        return connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None


def manage(env: dict[str, str], *command: str) -> None:
    """Run ``manage.py command`` with ``env``, quietly, in the source tree ``env["BENCH_TREE"]``."""
    subprocess.run(  # noqa: S603 -- our own commands
        [str(PYTHON), "manage.py", *command],
        cwd=env["BENCH_TREE"],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def create_database(name: str, env: dict[str, str], *, size: str, seed: int = 1) -> float:
    """Drop and re-create database ``name``, migrate it, collect static files and seed the demo.

    ``env`` must point ``DATABASE_URL`` at ``name`` (see ``environment(demo=True)``). After a bulk
    load the database is vacuumed and analysed, as autovacuum would soon do by itself (without
    it PostgreSQL plans bitmap heap scans instead of index-only scans). Returns the seconds taken.
    """
    import psycopg

    with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {name}")
        connection.execute(f"CREATE DATABASE {name}")
    started = time.perf_counter()
    manage(env, "migrate", "--verbosity", "0")
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    manage(env, "seed_demo", "--size", size, "--seed", str(seed))
    vacuum_analyze(name)
    return time.perf_counter() - started


def prepare_static(env: dict[str, str]) -> None:
    """Collect the static files (for ``--reuse`` runs, whose ``STATIC_ROOT`` may be new)."""
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")


def migrate(env: dict[str, str]) -> None:
    """Apply migrations added since the database was made (new indexes, on ``--reuse``)."""
    manage(env, "migrate", "--verbosity", "0")


def empty_database(database: str, *, redis_db: int, static_root: str, reuse: bool) -> dict[str, str]:
    """The environment of a benchmark that makes its own records (no demo data): database
    ``database`` made anew and migrated, or with ``reuse`` only migrated if it exists; static files
    collected; Redis database ``redis_db`` emptied."""
    env = environment(database=database, redis_db=redis_db, static_root=static_root, demo=True)
    if not (reuse and database_exists(database)):
        import psycopg

        with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {database}")
            connection.execute(f"CREATE DATABASE {database}")
    migrate(env)
    prepare_static(env)
    flush_redis(redis_db)
    return env


def vacuum_analyze(name: str) -> None:
    """``VACUUM ANALYZE`` database ``name`` (visibility map and planner statistics)."""
    import psycopg

    with psycopg.connect(f"{POSTGRES_SERVER}/{name}", autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE")


def flush_redis(db: int) -> None:
    """Empty Redis database ``db`` (the run's cache and sessions)."""
    import redis

    redis.Redis(host="127.0.0.1", port=6379, db=db).flushdb()


def cpu_by_group(gunicorn_pids: set[int], database: str = "") -> dict[str, float]:
    """CPU seconds used so far: by our gunicorn processes, PostgreSQL, Redis, wrk; and the machine.

    With ``database``, only the PostgreSQL backends serving that database count (their process
    title names it), not those of other work on the same server. ``wrk`` is 0 here: its time is
    read from the resource usage of the finished child (see ``child_cpu``).
    """
    groups: dict[str, float] = {"gunicorn": 0.0, "postgres": 0.0, "redis": 0.0, "wrk": 0.0}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            text = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        name = text[text.index("(") + 1 : text.rindex(")")]
        fields = text[text.rindex(")") + 2 :].split()
        seconds = (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime
        if int(entry) in gunicorn_pids:
            groups["gunicorn"] += seconds
        elif name.startswith("postgres") and (not database or _serves(entry, database)):
            groups["postgres"] += seconds
        elif name.startswith("redis"):
            groups["redis"] += seconds
    busy = Path("/proc/stat").read_text().split("\n")[0].split()[1:]
    groups["machine busy"] = (sum(map(int, busy)) - int(busy[3]) - int(busy[4])) / TICKS  # less idle, iowait
    return groups


def cpu_by_process(gunicorn_pids: set[int], database: str) -> dict[tuple[str, int], float]:
    """CPU seconds so far of each gunicorn process and each PostgreSQL backend of ``database``."""
    found: dict[tuple[str, int], float] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            text = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = text[text.rindex(")") + 2 :].split()
        seconds = (int(fields[11]) + int(fields[12])) / TICKS
        if int(entry) in gunicorn_pids:
            found[("gunicorn", int(entry))] = seconds
        elif text[text.index("(") + 1 :].startswith("postgres") and _serves(entry, database):
            found[("postgres", int(entry))] = seconds
    return found


def cpu_used(before: dict[tuple[str, int], float], after: dict[tuple[str, int], float]) -> float:
    """CPU seconds spent between two ``cpu_by_process`` snapshots by the processes alive at the
    second (a backend that closed its connection in between takes its time with it: a lower bound)."""
    return sum(seconds - before.get(key, 0.0) for key, seconds in after.items())


def _serves(pid: str, database: str) -> bool:
    """Whether PostgreSQL process ``pid`` is a backend of ``database`` (from its process title)."""
    try:
        return f" {database} ".encode() in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


def child_cpu() -> float:
    """CPU seconds of this process's finished children so far (wrk's, once it is reaped)."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def print_cpu(before: dict[str, float], after: dict[str, float], elapsed: float) -> None:
    """Print the CPU each group used between ``before`` and ``after``, in % of one core."""
    cores = os.cpu_count() or 1
    used = {name: after[name] - before[name] for name in before}
    print(f"CPU over the run ({elapsed:.1f} s, {cores} cores = {elapsed * cores:.0f} core-seconds):")
    for name, seconds in used.items():
        print(f"  {name:<13}{seconds:7.1f} s  {seconds / elapsed * 100:5.0f} % of one core")
    others = used["machine busy"] - sum(value for name, value in used.items() if name != "machine busy")
    print(f"  {'(other)':<13}{others:7.1f} s  {others / elapsed * 100:5.0f} % of one core (other processes)")


def children(pid: int) -> set[int]:
    """``pid`` and its direct children (gunicorn's master and workers)."""
    found = {pid}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.add(int(entry))
    return found


@contextmanager
def gunicorn(
    env: dict[str, str], *, port: int, workers: int, worker_class: str = "sync", threads: int = 1
) -> Iterator[subprocess.Popen]:
    """gunicorn serving ``xuanchuan.wsgi`` on 127.0.0.1:``port`` while the block runs.

    Refuses a port something already listens on (the run would measure that server); waits until
    the port accepts connections; stops the server (SIGTERM) afterwards.
    """
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except OSError:
        pass
    else:
        raise RuntimeError(f"port {port} is in use: choose another with --port")
    command = [
        str(GUNICORN), "xuanchuan.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
        "--worker-class", worker_class, "--threads", str(threads), "--log-level", "warning",
    ]  # fmt: skip
    server = subprocess.Popen(command, cwd=env["BENCH_TREE"], env=env)  # noqa: S603 -- our own command
    try:
        for _attempt in range(150):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if server.poll() is not None:
                    raise RuntimeError("gunicorn exited") from None
                time.sleep(0.2)
        else:
            raise RuntimeError("gunicorn did not answer")
        yield server
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
