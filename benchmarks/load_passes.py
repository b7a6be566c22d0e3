"""Checkpoint verifications under concurrent load: gunicorn + PostgreSQL + Redis, driven by wrk.

What it does, all on this machine (loopback only):

1. the database ``--database`` (default ``xuanchuan_load_passes``) on the PostgreSQL server of
   ``BENCH_POSTGRES_URL``: made (migrated, ``seed_demo --size small``, ``VACUUM ANALYZE``) unless
   ``--reuse``; Redis database ``--redis-db`` (default 9) emptied and used as cache and session
   store (``_load.environment``: production settings behind a "TLS proxy", throwaway keys);
2. the pass texts: ``--texts`` passes applied for and approved through the services (the small
   demo has few passes valid today), one in every 20 then revoked, written one a line for the
   wrk script;
3. for each ``--workers`` count, gunicorn serving ``xuanchuan.wsgi`` (sync workers); the guard
   ``kk_s01`` signs in through the login page as a browser does (``load_staff.sign_in``), then
   ``wrk`` with ``load_passes.lua`` runs two cases of ``--duration`` seconds each:

   - **baseline**: ``GET /api/me``, a signed-in API call through the same middleware (session,
     user, roles, second factor, audit) and django-ninja, which reads the user's unit and roles;
   - **verify**: ``POST /api/passes/verify`` as the checkpoint page sends it: JSON, the next text
     of the list each time, with the checkpoint token the page asks for with its session
     (``GET /api/passes/checkpoint-token``; ``Authorization: Bearer``, no cookies);
   - **verify (session)**: the same with the session and CSRF cookies, ``X-CSRFToken`` and
     ``Origin`` instead of the token (what the page falls back to without a token);

   and prints wrk's requests per second and latency percentiles, the statuses, the verdicts
   counted from the response bodies (they must match the texts: revoked ones ``revoked``), the
   verification log rows that reached the database, and the CPU each part used (``/proc``);
4. revocation across processes, with gunicorn still running: a pass is verified through the
   server until it has answered ``valid`` 12 times (each new connection may reach any worker),
   then revoked **in this process** through ``services.revoke``, and verified again 12 times: every
   answer must be ``revoked``. The same for a retired key: a pass signed with a key that is
   rotated out and then retired (``services.retire_key``) must answer ``key_retired`` at once.

PostgreSQL, Redis, wrk and gunicorn share the machine's cores, as in ``load_arrivals.py``.

    .venv/bin/python benchmarks/load_passes.py [--reuse] [--workers 2 4] [--duration 20] [--connections 16]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import _load

HOST = "127.0.0.1"
GUARD = "kk_s01"
DATABASE_LABEL = "this database"
CASES = {
    "baseline": "baseline: GET /api/me (session)",
    "verify": "verify: POST /api/passes/verify (checkpoint token)",
    "verify-session": "verify: POST /api/passes/verify (session)",
}
ADMIN = "xcb_admin"  # decides (revokes, approves) anywhere in the district
COMMUNITY_WORKER = "sq_s01_c01"  # the test pass is applied for in this worker's community


@dataclass
class Result:
    """wrk's figures for one case."""

    label: str
    statuses: dict[int, int]
    verdicts: dict[str, int]
    requests: int
    seconds: float
    errors: int
    percentiles: dict[str, float]


def prepare(args: argparse.Namespace) -> None:
    """Make the database unless ``--reuse`` (then only new migrations); empty the Redis database."""
    seeding = _load.environment(
        database=args.database, redis_db=args.redis_db, static_root=args.static_root, demo=True, tree=args.tree
    )
    if args.reuse and _load.database_exists(args.database):
        _load.migrate(seeding)
        _load.prepare_static(seeding)
    else:
        seconds = _load.create_database(args.database, seeding, size=args.size)
        print(f"# database {args.database}: seed_demo --size {args.size} in {seconds:.0f} s")
    _load.flush_redis(args.redis_db)


def pass_texts(count: int) -> tuple[list[str], int]:
    """``count`` passes applied for, approved and signed now through the services (the demo has few
    valid today), every 20th then revoked: their texts, and how many are revoked."""
    from xuanchuan.org.models import User
    from xuanchuan.passes import services
    from xuanchuan.passes.models import ApplicationChannel

    admin = User.objects.get(username=ADMIN)
    community = User.objects.get(username=COMMUNITY_WORKER).unit
    run = time.strftime("%m%d%H%M%S")
    texts, revoked = [], 0
    for number in range(count):
        application = services.Application(community, f"压力{run}-{number}", "测试路1号", "测试", "")
        pass_obj = services.approve(services.apply(application, channel=ApplicationChannel.STAFF, by=admin), by=admin)
        if number % 20 == 19:
            services.revoke(pass_obj, by=admin, reason="压力测试")
            revoked += 1
        texts.append(pass_obj.signed_text)
    return texts, revoked


def run_wrk(
    label: str, browser, args: argparse.Namespace, *, method: str, path: str, texts: Path, token: str = ""
) -> Result:
    """``wrk`` on one case for ``--duration`` seconds with ``--connections`` connections."""
    env = {
        **os.environ,
        "LOAD_PATH": path,
        "LOAD_METHOD": method,
        "LOAD_COOKIE": browser.cookie_header,
        "LOAD_CSRF": browser.cookies["csrftoken"],
        "LOAD_HOST": f"{HOST}:{args.port}",
        "LOAD_TEXTS": str(texts),
        "LOAD_DIRECTION": args.direction,
        "LOAD_TOKEN": token,
    }
    script = str(Path(__file__).with_suffix(".lua"))
    command = ["wrk", "--threads", str(args.wrk_threads), "--connections", str(args.connections),
               "--duration", f"{args.duration}s", "--timeout", "10s", "--script", script,
               f"http://{HOST}:{args.port}/"]  # fmt: skip
    finished = subprocess.run(command, env=env, capture_output=True, text=True, check=True)  # noqa: S603
    output = finished.stdout
    if finished.stderr:
        print(finished.stderr.strip(), file=sys.stderr)
    values = dict(
        line.split(" ", 1) for line in output.splitlines() if re.match(r"^(requests|seconds|errors|p[\d.]+) ", line)
    )
    return Result(
        label,
        {int(m[1]): int(m[2]) for m in re.finditer(r"^status (\d+) (\d+)$", output, re.MULTILINE)},
        {m[1]: int(m[2]) for m in re.finditer(r"^verdict (\w+) (\d+)$", output, re.MULTILINE)},
        int(values["requests"]),
        float(values["seconds"]),
        int(values["errors"]),
        {name: float(value) for name, value in values.items() if name.startswith("p")},
    )


def verify_once(browser, port: int, text: str) -> str:
    """One verification through the server on a new connection; its verdict code."""
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    origin = f"https://{HOST}:{port}"
    headers = {
        "Host": f"{HOST}:{port}", "X-Forwarded-Proto": "https", "Cookie": browser.cookie_header,
        "X-CSRFToken": browser.cookies["csrftoken"], "Origin": origin, "Referer": origin + "/passes/checkpoint/",
        "Content-Type": "application/json",
    }  # fmt: skip
    connection.request("POST", "/api/passes/verify", body=json.dumps({"text": text}), headers=headers)
    response = connection.getresponse()
    body = response.read()
    connection.close()
    if response.status != 200:
        raise RuntimeError(f"verify answered {response.status}: {body[:200]!r}")
    return json.loads(body)["result"]


def revocation_across_processes(browser, port: int) -> None:
    """A pass revoked, and a key retired, in this process: the server's very next answers refuse."""
    from xuanchuan.org.models import User
    from xuanchuan.passes import services
    from xuanchuan.passes.models import ApplicationChannel

    admin = User.objects.get(username=ADMIN)
    community = User.objects.get(username=COMMUNITY_WORKER).unit
    application = services.Application(community, f"压力撤销{time.strftime('%m%d%H%M%S')}", "测试路1号", "测试", "")
    pass_obj = services.approve(services.apply(application, channel=ApplicationChannel.STAFF, by=admin), by=admin)
    before = [verify_once(browser, port, pass_obj.signed_text) for _n in range(12)]
    services.revoke(pass_obj, by=admin, reason="压力测试：撤销")
    after = [verify_once(browser, port, pass_obj.signed_text) for _n in range(12)]
    print(f"revocation: before {summary(before)}; revoked in the runner process; the next 12: {summary(after)}")
    assert set(before) == {"valid"} and set(after) == {"revoked"}, (before, after)

    services.rotate_key(by=None)
    application = services.Application(community, f"压力停用{time.strftime('%m%d%H%M%S')}", "测试路1号", "测试", "")
    fresh = services.approve(services.apply(application, channel=ApplicationChannel.STAFF, by=admin), by=admin)
    services.rotate_key(by=None)
    before = [verify_once(browser, port, fresh.signed_text) for _n in range(12)]
    fresh.signing_key.refresh_from_db()
    services.retire_key(fresh.signing_key, by=None)
    after = [verify_once(browser, port, fresh.signed_text) for _n in range(12)]
    print(f"key retirement: before {summary(before)}; key retired in the runner process; the next 12: {summary(after)}")
    assert set(before) == {"valid"} and set(after) == {"key_retired"}, (before, after)


def summary(verdicts: list[str]) -> str:
    return ", ".join(f"{verdicts.count(v)} × {v}" for v in sorted(set(verdicts)))


def database_cpu(database: str) -> dict[int, float]:
    """CPU seconds so far of each PostgreSQL backend serving ``database`` (not the other databases
    of the server, which other work on the machine may be using), by process id."""
    seconds: dict[int, float] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            command = Path(f"/proc/{entry}/cmdline").read_bytes().decode(errors="replace")
            if not command.startswith("postgres:") or f" {database} " not in command:
                continue
            fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        seconds[int(entry)] = (int(fields[11]) + int(fields[12])) / _load.TICKS
    return seconds


def database_cpu_between(before: dict[int, float], after: dict[int, float]) -> float:
    """What the backends used in between; one that ended meanwhile counts as nothing (a lower bound)."""
    return sum(used - before.get(pid, 0.0) for pid, used in after.items())


def log_rows(env: dict[str, str]) -> int:
    import psycopg

    with psycopg.connect(env["DATABASE_URL"]) as connection:
        return connection.execute("SELECT count(*) FROM passes_verification").fetchone()[0]


def print_result(result: Result, *, rows: int | None = None, expected_revoked: float | None = None) -> None:
    p = result.percentiles
    statuses = ", ".join(f"{count} × {status}" for status, count in sorted(result.statuses.items()))
    verdicts = ", ".join(f"{count} × {verdict}" for verdict, count in sorted(result.verdicts.items()))
    print(
        f"{result.label}: {result.requests / result.seconds:.0f} requests/s; latency p50 {p['p50']:.1f} ms, "
        f"p90 {p['p90']:.1f} ms, p99 {p['p99']:.1f} ms, p99.9 {p['p99.9']:.1f} ms; statuses {statuses}; "
        f"errors {result.errors}" + (f"; verdicts {verdicts}" if verdicts else "")
    )
    if rows is not None:
        print(f"  verification log rows written: {rows} ({rows / result.seconds:.0f}/s)")
    if expected_revoked is not None:
        share = result.verdicts.get("revoked", 0) / max(result.requests, 1)
        print(f"  revoked answers: {share:.1%} of the requests (the texts: {expected_revoked:.1%})")


def print_per_request(result: Result, gunicorn: float, database: float, wrk: float) -> None:
    """CPU milliseconds per request of the web processes, this database's backends and wrk, and
    the rate two otherwise idle cores would allow at that cost (Redis, a few percent, left out)."""
    done = max(result.requests, 1)
    per_request = {"gunicorn": gunicorn, f"postgres ({DATABASE_LABEL})": database, "wrk": wrk}
    parts = ", ".join(f"{name} {seconds / done * 1000:.2f} ms" for name, seconds in per_request.items())
    total = sum(per_request.values()) / done
    print(f"  CPU per request: {parts}; together {total * 1000:.2f} ms -> {2 / total:.0f}/s on 2 idle cores")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="xuanchuan_load_passes")
    parser.add_argument("--size", default="small", choices=("small", "large"))
    parser.add_argument("--reuse", action="store_true", help="serve the existing database (new migrations applied)")
    parser.add_argument("--workers", type=int, nargs="+", default=[2, 4])
    parser.add_argument("--worker-class", default="sync", choices=("sync", "gthread"))
    parser.add_argument("--threads", type=int, default=1, help="threads per worker (gthread)")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--wrk-threads", type=int, default=1)
    parser.add_argument("--duration", type=int, default=20)
    parser.add_argument("--texts", type=int, default=400, help="distinct pass texts cycled through")
    parser.add_argument("--direction", default="", choices=("", "exit", "entry"), help="verify for an exit (rule)")
    parser.add_argument(
        "--cases", nargs="+", default=list(CASES), choices=list(CASES), help="what to load (default: all)"
    )
    parser.add_argument("--no-revocation-check", action="store_true")
    parser.add_argument("--port", type=int, default=8079)
    parser.add_argument("--redis-db", type=int, default=9)
    parser.add_argument("--static-root", default=str(Path(tempfile.gettempdir()) / "xuanchuan-load-static"))
    parser.add_argument("--tree", type=Path, default=_load.ROOT, help="source tree to serve (another checkout)")
    args = parser.parse_args()
    prepare(args)
    env = _load.environment(
        database=args.database, redis_db=args.redis_db, static_root=args.static_root, tree=args.tree
    )
    os.environ.update({key: env[key] for key in ("PYTHON_DOTENV_DISABLED", "DJANGO_SETTINGS_MODULE", "DATABASE_URL",
                                                 "REDIS_URL", "DEBUG", "XUANCHUAN_DEMO", "SECRET_KEY",
                                                 "XUANCHUAN_DATA_KEY", "ALLOWED_HOSTS", "STATIC_ROOT")})  # fmt: skip
    sys.path.insert(0, str(args.tree.resolve()))
    import django

    django.setup()
    from load_staff import sign_in

    texts, revoked = pass_texts(args.texts)
    texts_file = Path(tempfile.mkdtemp(prefix="xuanchuan-load-passes-")) / "texts.txt"
    texts_file.write_text("\n".join(texts) + "\n", encoding="ascii")
    print(f"# {os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f}; {time.strftime('%Y-%m-%d %H:%M %Z')}")
    print(f"# {len(texts)} pass texts, {revoked} of them revoked; direction {args.direction or '(none)'}")
    for workers in args.workers:
        shape = f"{args.worker_class} x {workers}" + (
            f" x {args.threads} threads" if args.worker_class == "gthread" else ""
        )
        print(f"\n## gunicorn {shape}; wrk {args.wrk_threads} thread(s), {args.connections} connections, "
              f"{args.duration} s per case")  # fmt: skip
        with _load.gunicorn(
            env, port=args.port, workers=workers, worker_class=args.worker_class, threads=args.threads
        ) as server:
            browser = sign_in(args.port, GUARD)
            pids = _load.children(server.pid)
            token = ""
            if "verify" in args.cases:
                token = json.loads(browser.request("GET", "/api/passes/checkpoint-token")[2])["token"]
            for case in args.cases:
                verify = case != "baseline"
                rows_before = log_rows(env)
                before, wrk_before, started = _load.cpu_by_group(pids), _load.child_cpu(), time.perf_counter()
                database_before = database_cpu(args.database)
                result = run_wrk(
                    CASES[case],
                    browser,
                    args,
                    method="POST" if verify else "GET",
                    path="/api/passes/verify" if verify else "/api/me",
                    texts=texts_file,
                    token=token if case == "verify" else "",
                )
                after = _load.cpu_by_group(pids)
                after["wrk"] = before["wrk"] + _load.child_cpu() - wrk_before
                elapsed = time.perf_counter() - started
                database = database_cpu_between(database_before, database_cpu(args.database))
                time.sleep(2)  # the verification log's last batch
                rows = log_rows(env) - rows_before if verify else None
                print_result(result, rows=rows, expected_revoked=revoked / len(texts) if verify else None)
                _load.print_cpu(before, after, elapsed)
                used = {name: after[name] - before[name] for name in ("gunicorn", "wrk")}
                print_per_request(result, used["gunicorn"], database, used["wrk"])
            if not args.no_revocation_check:
                revocation_across_processes(browser, args.port)
    print(f"# load average at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
