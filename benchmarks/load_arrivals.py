"""Public registrations under concurrent load: gunicorn + PostgreSQL + Redis, driven by wrk.

What it does, all on this machine (loopback only):

1. a database ``xuanchuan_load`` of its own on the PostgreSQL server of ``BENCH_POSTGRES_URL``
   (dropped and re-created), migrated, static files collected, ``seed_demo --size small``; Redis
   database ``--redis-db`` (default 7) emptied and used as the cache (rate limits, versions);
2. for each ``--workers`` count: gunicorn serving ``xuanchuan.wsgi`` with production settings
   (``DEBUG=false``, ``XUANCHUAN_DEMO=false``, ``BEHIND_TLS_PROXY=true``), one form page fetched
   as a browser does (its CSRF cookie and hidden token), a file of single-use human-check stamps
   made 10 s before (one per request), then ``wrk`` with ``load_arrivals.lua``: every request a new
   person with a stamp of its own, ``POST /arrivals/register/`` url-encoded with the CSRF cookie, token and ``Origin``
   header, ``X-Forwarded-Proto: https`` and an address of its own in ``X-Forwarded-For``;
3. prints wrk's figures (requests per second, latency percentiles, statuses, errors), the rows
   that really arrived in the database, and the CPU time each part used over the run
   (gunicorn, PostgreSQL, Redis, wrk, and everything else on the machine), from ``/proc``.

PostgreSQL, Redis, wrk and gunicorn share the machine's cores: what wrk and the database use is
not available to the web processes, as it would be on a real 2-core server running its own
database (wrk's share would be the users' phones).

    .venv/bin/python benchmarks/load_arrivals.py [--workers 2 4] [--duration 20] [--connections 8]
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

import _load

DATABASE = "xuanchuan_load"


def environment(args: argparse.Namespace) -> dict[str, str]:
    """Production settings on loopback, with throwaway keys (``_load.environment``)."""
    return _load.environment(database=DATABASE, redis_db=args.redis_db, static_root=args.static_root)


def prepare(args: argparse.Namespace) -> None:
    seeding = _load.environment(database=DATABASE, redis_db=args.redis_db, static_root=args.static_root, demo=True)
    seconds = _load.create_database(DATABASE, seeding, size="small")
    _load.flush_redis(args.redis_db)
    print(f"# database {DATABASE} migrated and seeded (seed_demo --size small) in {seconds:.0f} s")


def registrations(env: dict[str, str]) -> int:
    import psycopg

    with psycopg.connect(env["DATABASE_URL"]) as connection:
        return connection.execute("SELECT count(*) FROM arrivals_registration").fetchone()[0]


def fetch_form(port: int, run: int) -> tuple[str, str, str]:
    """The form page as a browser behind the proxy gets it: (body prefix, cookie header, origin)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "100.127.255.254", "Host": f"127.0.0.1:{port}"}
    connection.request("GET", "/arrivals/register/", headers=headers)
    response = connection.getresponse()
    page = response.read().decode()
    assert response.status == 200, (response.status, page[:500])
    cookie = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie") or "").group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    community = re.search(
        r'<select name="community"[^>]*>\s*<option value=""[^>]*>[^<]*</option>\s*<option value="(\d+)"', page
    )
    # Each run its own arrival date (yesterday, the day before, …: 30 runs per database), so that
    # the same ID numbers make new registrations (same person and date = the same registration).
    arrival = time.strftime("%Y-%m-%d", time.localtime(time.time() - 86400 * (1 + run % 30)))
    fields = {
        "csrfmiddlewaretoken": token, "hp_website": "", "name": "张三",
        "document_type": "resident_id", "origin_province": "420000", "origin_city": "420100",
        "origin_county": "420102", "transport": "train", "trip_number": "G1234", "arrival_date": arrival,
        "community": community.group(1), "address": "幸福小区3栋2单元", "health_status": "healthy",
        "symptoms": "", "travel_notes": "", "consent": "on",
    }  # fmt: skip
    return urlencode(fields), f"csrftoken={cookie}", f"https://127.0.0.1:{port}"


def human_check_tokens(env: dict[str, str], count: int) -> Path:
    """A file of ``count`` human-check stamps made 10 s ago, one a line: each is accepted once
    (security review L9), so every request of wrk takes its own (``load_arrivals.lua``)."""
    script = (
        "import sys, time, django; django.setup()\n"
        "from xuanchuan.core.public import human_check_token\n"
        "started = time.time() - 10\n"
        "sys.stdout.write(''.join(human_check_token(started) + '\\n' for _ in range(int(sys.argv[1]))))\n"
    )
    path = Path(tempfile.gettempdir()) / "xuanchuan-load-tokens.txt"
    with path.open("w") as out:
        subprocess.run([str(_load.PYTHON), "-c", script, str(count)], env=env, cwd=_load.ROOT, stdout=out, check=True)  # noqa: S603
    return path


def run(env: dict[str, str], args: argparse.Namespace, workers: int, number: int) -> None:
    server_options = {"port": args.port, "workers": workers, "worker_class": args.worker_class, "threads": args.threads}
    with _load.gunicorn(env, **server_options) as server:
        body, cookie, origin = fetch_form(args.port, number)
        # More stamps than the fastest run could use (2,000 requests a second).
        tokens = human_check_tokens(env, args.duration * 2000)
        wrk_env = {**env, "LOAD_BODY": body, "LOAD_COOKIE": cookie, "LOAD_ORIGIN": origin, "LOAD_TOKENS": str(tokens)}
        wrk = [
            "wrk", "--threads", str(args.wrk_threads), "--connections", str(args.connections),
            "--duration", f"{args.duration}s", "--timeout", "10s", "--latency",
            "--script", str(Path(__file__).with_suffix(".lua")), f"http://127.0.0.1:{args.port}/arrivals/register/",
        ]  # fmt: skip
        pids = _load.children(server.pid)
        before_rows, before_cpu, before_wrk = registrations(env), _load.cpu_by_group(pids), _load.child_cpu()
        started = time.perf_counter()
        result = subprocess.run(wrk, env=wrk_env, capture_output=True, text=True)  # noqa: S603
        if result.returncode:
            raise RuntimeError(f"wrk failed: {result.stdout}{result.stderr}")
        output = result.stdout
        elapsed = time.perf_counter() - started
        after_cpu, after_rows = _load.cpu_by_group(pids), registrations(env)
        after_cpu["wrk"] = before_cpu["wrk"] + _load.child_cpu() - before_wrk  # wrk's time counts once reaped
    print(
        f"\n## gunicorn {args.worker_class}, {workers} workers"
        + (f" x {args.threads} threads" if args.worker_class == "gthread" else "")
        + f"; wrk {args.wrk_threads} threads, {args.connections} connections, {args.duration} s"
    )
    print(output.rstrip())
    print(
        f"new registrations in the database: {after_rows - before_rows} ({(after_rows - before_rows) / elapsed:.0f}/s)"
    )
    _load.print_cpu(before_cpu, after_cpu, elapsed)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, nargs="+", default=[2, 4])
    parser.add_argument("--worker-class", default="sync", choices=("sync", "gthread"))
    parser.add_argument("--threads", type=int, default=1, help="threads per worker (gthread)")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--wrk-threads", type=int, default=1)
    parser.add_argument("--duration", type=int, default=20)
    parser.add_argument("--port", type=int, default=8077)
    parser.add_argument("--redis-db", type=int, default=7)
    parser.add_argument("--skip-setup", action="store_true", help="reuse the database of the last run")
    parser.add_argument("--first-run", type=int, default=0, help="with --skip-setup: runs made on it so far")
    parser.add_argument("--static-root", default=str(Path(tempfile.gettempdir()) / "xuanchuan-load-static"))
    args = parser.parse_args()
    env = environment(args)
    sys.path.insert(0, str(_load.ROOT))
    if not args.skip_setup:
        prepare(args)
    print(f"# {os.cpu_count()} cores; {time.strftime('%Y-%m-%d %H:%M %Z')}")
    for number, workers in enumerate(args.workers):
        run(env, args, workers, args.first_run + number)


if __name__ == "__main__":
    main()
