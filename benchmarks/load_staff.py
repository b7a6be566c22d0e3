"""Staff pages under concurrent load on the large demo: gunicorn + PostgreSQL + Redis, driven by wrk.

What it does, all on this machine (loopback only):

1. the database ``--database`` (default ``xc_large``) on the PostgreSQL server of
   ``BENCH_POSTGRES_URL``: made once (migrated, ``seed_demo --size large``, ``VACUUM ANALYZE``)
   and kept; ``--reuse`` serves it as it is (after applying new migrations), ``--reseed`` makes
   it again. Redis database ``--redis-db`` (default 8) is emptied and used as cache and session
   store;
2. gunicorn serving ``xuanchuan.wsgi`` with production settings (``_load.environment``),
   ``--workers`` sync workers (default 2);
3. realistic users sign in through the login pages, as a browser does (CSRF cookie and token,
   ``Origin``, then the TOTP second factor for the roles that read personal data, with a code
   computed from their confirmed device, which the runner enrols in-process if they have none):
   the department administrator ``xcb_admin`` (sees the whole district), the community worker
   ``sq_s01_c01`` (the community's own pages) and the street reporter ``tb_s01``;
4. every staff page (GET) is loaded by ``--connections`` (default 4) concurrent users for
   ``--duration`` seconds with ``wrk`` and ``load_staff.lua``, and its latency percentiles
   p50/p90/p95/p99 are printed with the ratio of its p50 and p95 to those of the **baseline**
   measured in the same run: the password-change page, a trivial signed-in page that goes through
   the same middleware (session, user, roles, second factor, audit) and base template;
5. the dashboards' **first load** (``--cold-rounds``, default 25): before each round every cached
   value is deleted from Redis (all but the sessions; ``--cold-scope running``: only the values of
   the running year and month, which expire every few minutes), then ``--cold-users`` (4) users
   open as many different dashboards at the same moment; each load is timed from the client.

Every page must answer 200 to the user it is given to; a page that does not (a 403 for a role
that may not see it, say) is reported and left out. The four connections of a page share one
session: four people of the same role and unit load the server the same way, each request reading
its session from Redis.

    .venv/bin/python benchmarks/load_staff.py --reuse [--duration 10] [--pages daily dashboards]
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import _load
from _staff_pages import BASELINE, DASHBOARDS, Page, staff_pages

HOST = "127.0.0.1"
SESSION_PREFIX = b"django.contrib.sessions"
DASHBOARD_PREFIX = b"reports:dashboard:"  # dashboards.CACHE_PREFIX: figure:period:unit follow


@dataclass
class Result:
    """wrk's figures for one page."""

    page: Page
    statuses: dict[int, int]
    requests: int
    seconds: float
    errors: int
    percentiles: dict[int, float]
    cpu_ms: float = 0.0  # CPU of gunicorn and the database's backends per request


# --- signing in -----------------------------------------------------------------------------------


class Browser:
    """A signed-in user's cookies, kept as a browser keeps them, over one HTTP connection."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    @property
    def cookie_header(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())

    def request(self, method: str, path: str, fields: dict[str, str] | None = None) -> tuple[int, str, str]:
        """(status, Location, body) of one request through the "TLS proxy"."""
        connection = http.client.HTTPConnection(HOST, self.port, timeout=60)
        origin = f"https://{HOST}:{self.port}"
        headers = {"Host": f"{HOST}:{self.port}", "X-Forwarded-Proto": "https", "Cookie": self.cookie_header}
        body = None
        if fields is not None:
            body = urlencode(fields)
            headers |= {"Content-Type": "application/x-www-form-urlencoded", "Origin": origin, "Referer": origin + path}
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        connection.close()
        return response.status, response.getheader("Location") or "", text

    def post_form(self, path: str, fields: dict[str, str]) -> tuple[int, str, str]:
        """GET the form page for its CSRF token, then POST ``fields`` with it."""
        status, _location, page = self.request("GET", path)
        if status != 200:
            raise RuntimeError(f"GET {path}: {status}")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        return self.request("POST", path, {"csrfmiddlewaretoken": token, **fields})


def confirmed_device(username: str) -> Any:
    """The user's confirmed TOTP device, enrolled here (in-process) if they have none."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from xuanchuan.org.models import User

    user = User.objects.get(username=username)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-id").first()
    return device or TOTPDevice.objects.create(user=user, name="load_staff", confirmed=True)


def totp_token(username: str) -> str:
    """A fresh code of the user's device; waits for the next 30-second step if the current code
    was already spent (a rerun within it)."""
    from django_otp.oath import TOTP

    device = confirmed_device(username)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    while totp.t() <= device.last_t:
        time.sleep(1)
    return f"{totp.token():0{device.digits}d}"


def sign_in(port: int, username: str) -> Browser:
    """Sign ``username`` in through the login page and, if asked, the second factor."""
    from xuanchuan.core.demo import DEMO_PASSWORD
    from xuanchuan.org.models import User

    if User.objects.get(username=username).needs_second_factor:
        confirmed_device(username)
    browser = Browser(port)
    status, location, _body = browser.post_form("/accounts/login/", {"username": username, "password": DEMO_PASSWORD})
    if status != 302:
        raise RuntimeError(f"login of {username} answered {status}")
    status, location, _body = browser.request("GET", "/")
    if status == 302 and "/accounts/otp/" in location:
        path = location.split("://", 1)[-1]
        path = path[path.index("/") :] if not location.startswith("/") else location
        status, location, _body = browser.post_form(path, {"token": totp_token(username)})
        if status != 302:
            raise RuntimeError(f"second factor of {username} answered {status}")
        status, location, _body = browser.request("GET", "/")
    if status != 200:
        raise RuntimeError(f"home of {username} answered {status} {location}")
    return browser


# --- measuring ------------------------------------------------------------------------------------


def run_wrk(page: Page, browser: Browser, args: argparse.Namespace) -> Result:
    """``wrk`` on one page for ``--duration`` seconds with ``--connections`` connections."""
    env = {
        **os.environ,
        "LOAD_PATH": page.path,
        "LOAD_COOKIE": browser.cookie_header,
        "LOAD_HOST": f"{HOST}:{args.port}",
    }
    script = str(Path(__file__).with_suffix(".lua"))
    command = ["wrk", "--threads", "1", "--connections", str(args.connections), "--duration", f"{args.duration}s",
               "--timeout", "30s", "--script", script, f"http://{HOST}:{args.port}/"]  # fmt: skip
    output = subprocess.run(command, env=env, capture_output=True, text=True, check=True).stdout  # noqa: S603
    values = dict(
        line.split(" ", 1) for line in output.splitlines() if re.match(r"^(requests|seconds|errors|p\d+) ", line)
    )
    statuses = {int(m[1]): int(m[2]) for m in re.finditer(r"^status (\d+) (\d+)$", output, re.MULTILINE)}
    return Result(
        page,
        statuses,
        int(values["requests"]),
        float(values["seconds"]),
        int(values["errors"]),
        {p: float(values[f"p{p}"]) for p in (50, 90, 95, 99)},
    )


def measured(page: Page, browser: Browser, args: argparse.Namespace, server_pid: int) -> Result:
    """``run_wrk`` with the CPU time the server side (gunicorn, the database's backends) spent per
    request: what other work on the machine does not inflate as much as it does the latencies."""
    pids = _load.children(server_pid)  # workers as they are now (one may have been replaced)
    before = _load.cpu_by_process(pids, args.database)
    result = run_wrk(page, browser, args)
    after = _load.cpu_by_process(pids | _load.children(server_pid), args.database)
    result.cpu_ms = _load.cpu_used(before, after) * 1000 / max(result.requests, 1)
    return result


def clear_cache(redis_db: int, scope: str) -> None:
    """Delete what a dashboard's first load must compute: ``all`` — every cached value but the
    sessions; ``running`` — the dashboards' values of the running year and month, which expire
    every few minutes (``CURRENT_TIMEOUT``), while ended months stay cached."""
    import redis

    client = redis.Redis(host=HOST, port=6379, db=redis_db)
    today = time.localtime()
    running = (f":{today.tm_year}:".encode(), f":{today.tm_year}-{today.tm_mon:02d}:".encode())
    keys = [
        key
        for key in client.scan_iter(count=1000)
        if SESSION_PREFIX not in key
        and (scope == "all" or (DASHBOARD_PREFIX in key and any(period in key for period in running)))
    ]
    if keys:
        client.delete(*keys)


def timed_get(port: int, cookie: str, path: str, start: threading.Barrier, times: list[float]) -> None:
    """GET ``path`` once all users are ready (``start``); append its milliseconds to ``times``."""
    connection = http.client.HTTPConnection(HOST, port, timeout=60)
    headers = {"Host": f"{HOST}:{port}", "X-Forwarded-Proto": "https", "Cookie": cookie}
    start.wait()
    began = time.perf_counter()
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    response.read()
    elapsed = (time.perf_counter() - began) * 1000
    connection.close()
    if response.status != 200:
        raise RuntimeError(f"{path}: {response.status}")
    times.append(elapsed)


def cold_dashboards(browser: Browser, args: argparse.Namespace) -> dict[str, list[float]]:
    """``--cold-rounds`` rounds: clear the cache, then ``--cold-users`` users open as many
    different dashboards at the same moment."""
    times: dict[str, list[float]] = {path: [] for path in DASHBOARDS}
    for path in DASHBOARDS:  # every value cached once: what stays of ended months
        browser.request("GET", path)
    for number in range(args.cold_rounds):
        clear_cache(args.redis_db, args.cold_scope)
        paths = [DASHBOARDS[(number + offset) % len(DASHBOARDS)] for offset in range(args.cold_users)]
        start = threading.Barrier(len(paths))
        users = [
            threading.Thread(target=timed_get, args=(args.port, browser.cookie_header, path, start, times[path]))
            for path in paths
        ]
        for user in users:
            user.start()
        for user in users:
            user.join()
    return times


def percentile(values: list[float], share: float) -> float:
    """The ``share`` percentile (0-100), interpolated between the two nearest samples."""
    ordered = sorted(values)
    position = (len(ordered) - 1) * share / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


# --- the run --------------------------------------------------------------------------------------


def prepare(args: argparse.Namespace) -> None:
    """Make the database if it is missing (or ``--reseed``); otherwise bring its migrations up."""
    seeding = _load.environment(
        database=args.database, redis_db=args.redis_db, static_root=args.static_root, demo=True, tree=args.tree
    )
    if args.reseed or not _load.database_exists(args.database):
        seconds = _load.create_database(args.database, seeding, size=args.size)
        print(f"# database {args.database}: seed_demo --size {args.size} in {seconds:.0f} s")
    elif not args.reuse:
        raise SystemExit(f"database {args.database} exists: pass --reuse to serve it, or --reseed to make it again")
    else:
        _load.migrate(seeding)
        _load.prepare_static(seeding)
    _load.flush_redis(args.redis_db)


def in_process(pages: list[Page], loads: int, args: argparse.Namespace) -> None:
    """Each page alone through Django's test client (no gunicorn, no concurrency): the best of
    ``loads`` warm loads and its queries — the cost of the page itself, which other work on the
    machine disturbs less than the latencies under load. The session is prepared in-process as
    after the second factor. With ``--cold``, the cache is emptied (``--cold-scope``) before
    every load: a page's first load, best and worst of ``loads``."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from xuanchuan.org.models import User

    clients: dict[str, Client] = {}
    state = f", cache emptied ({args.cold_scope}) before each" if args.cold else ""
    print(f"\n| page | user | ms (best of {loads}{state}) | worst ms | queries |\n|---|---|---:|---:|---:|")
    for page in [BASELINE, *pages]:
        if page.user not in clients:
            client = clients[page.user] = Client()
            client.force_login(User.objects.get(username=page.user))
            session = client.session
            session["otp_device_id"] = confirmed_device(page.user).persistent_id
            session.save()
        client = clients[page.user]
        if (status := client.get(page.path).status_code) != 200:
            print(f"| {page.label} | {page.user} | answered {status} | |")
            continue
        times = []
        for _load_number in range(loads):
            if args.cold:
                clear_cache(args.redis_db, args.cold_scope)
            with CaptureQueriesContext(connection) as queries:
                began = time.perf_counter()
                client.get(page.path)
                times.append((time.perf_counter() - began) * 1000)
        print(f"| {page.label} | {page.user} | {min(times):.0f} | {max(times):.0f} | {len(queries)} |", flush=True)


def print_results(results: list[Result], baseline: Result) -> None:
    print(
        "\n| page | user | req/s | p50 ms | p90 ms | p95 ms | p99 ms | p50 ratio | p95 ratio | CPU ms/req | statuses |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for result in [baseline, *results]:
        p = result.percentiles
        statuses = ", ".join(f"{count} × {status}" for status, count in sorted(result.statuses.items()))
        if result.errors:
            statuses += f", {result.errors} socket errors"
        print(
            f"| {result.page.label} | {result.page.user} | {result.requests / result.seconds:.1f} | {p[50]:.0f} | "
            f"{p[90]:.0f} | {p[95]:.0f} | {p[99]:.0f} | {p[50] / baseline.percentiles[50]:.1f}× | "
            f"{p[95] / baseline.percentiles[95]:.1f}× | {result.cpu_ms:.0f} | {statuses} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="xc_large")
    parser.add_argument("--size", default="large", choices=("small", "large"))
    parser.add_argument("--reuse", action="store_true", help="serve the existing database (new migrations applied)")
    parser.add_argument("--reseed", action="store_true", help="drop the database and seed it again")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--duration", type=int, default=10, help="seconds of wrk per page")
    parser.add_argument("--cold-rounds", type=int, default=25, help="rounds of the dashboards' first load (0: none)")
    parser.add_argument(
        "--cold-scope",
        default="all",
        choices=("all", "running"),
        help="first load with an empty cache, or with only the running year and month expired",
    )
    parser.add_argument(
        "--cold", action="store_true", help="with --in-process: empty the cache (--cold-scope) before every load"
    )
    parser.add_argument("--cold-users", type=int, default=4, help="users opening dashboards at once, cold")
    parser.add_argument("--pages", nargs="*", default=[], help="only pages whose label or path contains one of these")
    parser.add_argument(
        "--in-process", type=int, default=0, metavar="LOADS", help="each page alone in process, best of LOADS"
    )
    parser.add_argument("--port", type=int, default=8078)
    parser.add_argument("--redis-db", type=int, default=8)
    parser.add_argument("--static-root", default=str(Path(tempfile.gettempdir()) / "xuanchuan-load-static"))
    parser.add_argument(
        "--tree", type=Path, default=_load.ROOT, help="source tree to serve (e.g. `git archive` of another commit)"
    )
    args = parser.parse_args()
    prepare(args)
    env = _load.environment(
        database=args.database, redis_db=args.redis_db, static_root=args.static_root, tree=args.tree
    )
    django_settings = ("PYTHON_DOTENV_DISABLED", "DJANGO_SETTINGS_MODULE", "DATABASE_URL", "REDIS_URL", "DEBUG",
                       "XUANCHUAN_DEMO", "SECRET_KEY", "XUANCHUAN_DATA_KEY", "ALLOWED_HOSTS", "STATIC_ROOT",
                       "LOG_LEVEL")  # fmt: skip
    os.environ.update({key: env[key] for key in django_settings})
    sys.path.insert(0, str(args.tree.resolve()))
    import django

    django.setup()
    pages = [p for p in staff_pages() if not args.pages or any(w in p.label or w in p.path for w in args.pages)]
    if args.in_process:
        in_process(pages, args.in_process, args)
        return
    print(f"# {os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f}; {time.strftime('%Y-%m-%d %H:%M %Z')}")
    print(f"# gunicorn sync x {args.workers}; wrk {args.connections} connections, {args.duration} s per page")
    with _load.gunicorn(env, port=args.port, workers=args.workers) as server:
        browsers = {name: sign_in(args.port, name) for name in sorted({p.user for p in [BASELINE, *pages]})}
        pids = _load.children(server.pid)
        before, wrk_before = _load.cpu_by_group(pids, args.database), _load.child_cpu()
        started = time.perf_counter()
        results: list[Result] = []
        baseline = measured(BASELINE, browsers[BASELINE.user], args, server.pid)
        for page in pages:
            try:
                status, location, _body = browsers[page.user].request("GET", page.path)  # also warms its cache
                if status != 200:
                    print(f"# left out: {page.label} {page.path} answered {status} {location} to {page.user}")
                    continue
                results.append(measured(page, browsers[page.user], args, server.pid))
            except (OSError, subprocess.CalledProcessError) as exc:  # a timeout, a worker killed
                print(f"# left out: {page.label} {page.path} failed: {exc!r}")
                continue
            done = results[-1].percentiles
            print(f"#   {page.label}: p50 {done[50]:.0f} ms, p95 {done[95]:.0f} ms", flush=True)
        after = _load.cpu_by_group(pids, args.database)
        after["wrk"] = before["wrk"] + _load.child_cpu() - wrk_before
        elapsed = time.perf_counter() - started
        print_results(results, baseline)
        _load.print_cpu(before, after, elapsed)
        if args.cold_rounds:
            report_cold(cold_dashboards(browsers["xcb_admin"], args), baseline, args)
    print(f"# load average at the end {os.getloadavg()[0]:.1f}")


def report_cold(times: dict[str, list[float]], baseline: Result, args: argparse.Namespace) -> None:
    emptied = "cache emptied" if args.cold_scope == "all" else "running year and month expired"
    print(f"\n## dashboards, first load ({emptied} before each round, {args.cold_users} users at once)")
    print("| dashboard | loads | p50 ms | p90 ms | p95 ms | max ms | p95 ratio |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for path, values in times.items():
        if values:
            p95 = percentile(values, 95)
            print(f"| {path} | {len(values)} | {statistics.median(values):.0f} | {percentile(values, 90):.0f} | "
                  f"{p95:.0f} | {max(values):.0f} | {p95 / baseline.percentiles[95]:.1f}× |")  # fmt: skip


if __name__ == "__main__":
    main()
