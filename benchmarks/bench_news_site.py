"""The public news site under load: article pages beside a static file, gunicorn + Redis + wrk.

What it does, all on this machine (loopback only):

1. the database ``--database`` (default ``xuanchuan_bench_news``) on the PostgreSQL server of
   ``BENCH_POSTGRES_URL``: made and migrated unless ``--reuse`` (no demo data is needed), then the
   news site is set up in it if missing: the district, 区委宣传部, the site 示范区政务网, four
   columns (one a topic column, 专题专栏) and ``--articles`` published articles of about 1,500
   characters; Redis database ``--redis-db`` (default 10) emptied and used as the cache;
2. gunicorn serving ``xuanchuan.wsgi`` with production settings behind the "TLS proxy"
   (``_load.environment``), ``--workers`` sync workers;
3. wrk (``--connections`` connections, ``--duration`` seconds a case), in one run:

   - **baseline**: the site's stylesheet, a static file served by WhiteNoise in the same server
     (the same middleware in front of it as in front of the page cache);
   - **article (cached)**: the article pages, cycling through all of them (``--articles``), after
     one request each has filled the cache: answered by ``NewsCacheMiddleware`` from Redis;
   - **home (cached)**: the home page;
   - **article (not cached)**: the same articles with a query string the cache does not keep, so
     the view renders every time (what a cache miss costs);

   and prints requests per second, latency percentiles, errors and non-2xx answers, each case's
   ratio to the baseline, the CPU each part used (``/proc``) and the load of the rest of the
   machine;
4. checks, with the server still running: a cached article carries the security headers (CSP,
   X-Frame-Options, nosniff, HSTS), and once taken down **in this process** (its status changed and
   ``publication_taken_down`` sent, as the service does on commit) the very next request through
   the server answers 410; published again, the next request answers 200.

    .venv/bin/python benchmarks/bench_news_site.py [--reuse] [--workers 2] [--duration 15] [--connections 16]
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
from dataclasses import dataclass
from pathlib import Path

import _load

HOST = "127.0.0.1"
STYLESHEET = "/static/publishing/site/news.css"

WRK_SCRIPT = """
local paths = {}
for line in io.lines(os.getenv("NEWS_PATHS")) do paths[#paths + 1] = line end
local counter = 0
wrk.headers["X-Forwarded-Proto"] = "https"
wrk.headers["Host"] = os.getenv("NEWS_HOST")
wrk.headers["Accept-Encoding"] = "identity"
function init(args)
  counter = math.random(#paths)
end
function request()
  counter = counter % #paths + 1
  return wrk.format("GET", paths[counter])
end
"""

PARAGRAPH = (
    "<p>近日，{unit}组织开展“{topic}”主题宣传活动。活动紧扣群众关心的身边事，采取集中宣讲、入户走访、"
    "志愿服务和线上互动相结合的方式，向居民群众宣传党的路线方针政策和区委、区政府的决策部署。"
    "活动现场设置咨询台、展板和互动体验区，发放宣传资料、便民手册，解答居民提出的各类问题，"
    "引导群众积极参与社区治理和文明创建，营造共建共治共享的良好氛围。</p>"
)
TOPICS = ("新时代文明实践", "垃圾分类", "防汛减灾", "理论宣讲", "平安建设", "文明交通", "全民阅读", "移风易俗")
UNITS = ("东城街道", "西城街道", "区教育局", "区融媒体中心", "区文明办")


@dataclass
class Result:
    label: str
    requests: int
    seconds: float
    rate: float
    percentiles: dict[str, float]
    non_2xx: int
    errors: int
    cpu_ms: float = 0.0  # CPU per request: gunicorn + this database's PostgreSQL + Redis + wrk


def prepare(args: argparse.Namespace) -> dict[str, str]:
    """Make the database unless ``--reuse`` (then only new migrations); empty the Redis database."""
    return _load.empty_database(args.database, redis_db=args.redis_db, static_root=args.static_root, reuse=args.reuse)


def set_up_site(count: int) -> list[int]:
    """The news site with its columns and ``count`` published articles (made once); their keys."""
    from datetime import timedelta

    from django.utils import timezone

    from xuanchuan.org.models import Unit, UnitType
    from xuanchuan.org.services import create_unit
    from xuanchuan.publishing.models import Column, Outlet, OutletKind, Publication, PublicationStatus

    root = Unit.objects.get_first_root_node() or create_unit(
        parent=None, name="示范区", unit_type=UnitType.DISTRICT, code="BENCH"
    )
    publicity = Unit.objects.filter(name="区委宣传部").first() or create_unit(
        parent=root, name="区委宣传部", unit_type=UnitType.PARTY_DEPARTMENT, code="BENCH-D01"
    )
    site, _ = Outlet.objects.get_or_create(  # scoping: allowed (benchmark set-up)
        is_news_site=True, defaults={"unit": publicity, "name": "示范区政务网", "kind": OutletKind.WEBSITE}
    )
    columns = []
    for position, (slug, name, topic) in enumerate(
        [("news", "要闻动态", False), ("local", "基层动态", False), ("notice", "通知公告", False),
         ("civility", "新时代文明实践", True)]
    ):  # fmt: skip
        column, _ = Column.objects.get_or_create(  # scoping: allowed (benchmark set-up)
            outlet=site, slug=slug, defaults={"unit": publicity, "name": name, "is_topic": topic, "position": position}
        )
        columns.append(column)
    public = Publication.objects.filter(status=PublicationStatus.PUBLISHED, outlets=site)  # scoping: allowed
    missing = count - public.count()
    now = timezone.now()
    for number in range(max(0, missing)):
        topic, unit = TOPICS[number % len(TOPICS)], UNITS[number % len(UNITS)]
        body = "".join(PARAGRAPH.format(unit=unit, topic=topic) for _ in range(8))
        text = re.sub(r"<[^>]+>", "", body)
        title = f"{unit}开展“{topic}”主题宣传活动（第{number + 1}期）"
        item = Publication.objects.create(  # scoping: allowed (benchmark set-up)
            unit=publicity, title=title, body=body, body_text=text, search_text=f"{title}\n{text}",
            source=unit, status=PublicationStatus.PUBLISHED, published_at=now - timedelta(minutes=number + 1),
        )  # fmt: skip
        item.outlets.add(site)
        item.columns.add(columns[number % 3], *([columns[3]] if number % 4 == 0 else []))
    return list(public.order_by("-published_at").values_list("pk", flat=True)[:count])


def get(port: int, path: str) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    connection.request("GET", path, headers={"Host": f"{HOST}:{port}", "X-Forwarded-Proto": "https"})
    response = connection.getresponse()
    response.read()
    connection.close()
    return response


def run_wrk(label: str, paths: list[str], args: argparse.Namespace, workdir: Path) -> Result:
    paths_file = workdir / f"paths-{abs(hash(label))}.txt"
    paths_file.write_text("\n".join(paths) + "\n", encoding="utf-8")
    script = workdir / "cycle.lua"
    script.write_text(WRK_SCRIPT, encoding="utf-8")
    env = {**os.environ, "NEWS_PATHS": str(paths_file), "NEWS_HOST": f"{HOST}:{args.port}"}
    command = ["wrk", "--threads", str(args.wrk_threads), "--connections", str(args.connections),
               "--duration", f"{args.duration}s", "--timeout", "10s", "--latency", "--script", str(script),
               f"http://{HOST}:{args.port}/"]  # fmt: skip
    output = subprocess.run(command, env=env, capture_output=True, text=True, check=True).stdout  # noqa: S603
    total = re.search(r"(\d+) requests in ([\d.]+)(m?s)", output)
    assert total, output
    seconds = float(total[2]) / (1000 if total[3] == "ms" else 1)
    percentiles = {}
    for name, value, unit in re.findall(r"^\s+(\d+)%\s+([\d.]+)(us|ms|s)\s*$", output, re.MULTILINE):
        percentiles[f"p{name}"] = float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    return Result(
        label,
        int(total[1]),
        seconds,
        float(re.search(r"Requests/sec:\s+([\d.]+)", output)[1]),
        percentiles,
        int(non_2xx[1]) if non_2xx else 0,
        sum(int(value) for value in errors.groups()) if errors else 0,
    )


def takedown_check(port: int, pk: int) -> None:
    """Take ``pk`` down in this process, as the service does; the server must answer 410 at once."""
    from xuanchuan.publishing.models import Publication, PublicationStatus
    from xuanchuan.publishing.signals import publication_published, publication_taken_down

    path = f"/news/article/{pk}/"
    assert get(port, path).status == 200
    hit = get(port, path)
    assert hit.getheader("X-News-Cache") == "hit", hit.getheaders()
    item = Publication.objects.get(pk=pk)  # scoping: allowed (benchmark)
    Publication.objects.filter(pk=pk).update(status=PublicationStatus.TAKEN_DOWN)  # scoping: allowed
    publication_taken_down.send(sender=Publication, publication=item, reason="基准测试")
    gone = get(port, path).status
    Publication.objects.filter(pk=pk).update(status=PublicationStatus.PUBLISHED)  # scoping: allowed
    publication_published.send(sender=Publication, publication=item)
    back = get(port, path).status
    print(f"# take-down across processes: cached 200 ({hit.getheader('X-News-Cache')}) → taken down in the runner → "
          f"{gone} → published again → {back}")  # fmt: skip
    assert (gone, back) == (410, 200)


def headers_check(port: int, pk: int) -> None:
    response = get(port, f"/news/article/{pk}/")
    wanted = ("Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options", "Strict-Transport-Security")
    missing = [name for name in wanted if not response.getheader(name)]
    state = "all present" if not missing else "MISSING " + ", ".join(missing)
    print(f"# a cached article ({response.getheader('X-News-Cache')}): security headers {state}")
    assert not missing


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="xuanchuan_bench_news")
    parser.add_argument("--reuse", action="store_true", help="use the existing database (new migrations applied)")
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--wrk-threads", type=int, default=1)
    parser.add_argument("--duration", type=int, default=15)
    parser.add_argument("--cases", nargs="+", default=["baseline", "article", "home", "article-uncached"])
    parser.add_argument("--port", type=int, default=8078)
    parser.add_argument("--redis-db", type=int, default=10)
    parser.add_argument("--static-root", default=str(Path(tempfile.gettempdir()) / "xuanchuan-bench-news-static"))
    args = parser.parse_args()
    seeding = prepare(args)
    env = _load.environment(database=args.database, redis_db=args.redis_db, static_root=args.static_root)
    os.environ.update({key: seeding[key] for key in ("PYTHON_DOTENV_DISABLED", "DJANGO_SETTINGS_MODULE",
                                                     "DATABASE_URL", "REDIS_URL", "DEBUG", "XUANCHUAN_DEMO",
                                                     "SECRET_KEY", "XUANCHUAN_DATA_KEY", "ALLOWED_HOSTS",
                                                     "STATIC_ROOT")})  # fmt: skip
    sys.path.insert(0, str(_load.ROOT))
    import django

    django.setup()
    keys = set_up_site(args.articles)
    _load.vacuum_analyze(args.database)
    workdir = Path(tempfile.mkdtemp(prefix="xuanchuan-bench-news-"))
    articles = [f"/news/article/{pk}/" for pk in keys]
    paths = {
        "baseline": (f"baseline: static file {STYLESHEET} (WhiteNoise)", [STYLESHEET]),
        "article": (f"article pages, cached ({len(articles)} cycled)", articles),
        "home": ("home page, cached", ["/news/"]),
        "article-uncached": ("article pages, not cached (rendered)", [f"{path}?nc=1" for path in articles]),
    }
    print(f"# {os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f}; {time.strftime('%Y-%m-%d %H:%M %Z')}")
    print(f"# {len(articles)} published articles of ~{len(re.sub('<[^>]+>', '', PARAGRAPH)) * 8} characters")
    print(f"\n## gunicorn sync x {args.workers}; wrk {args.wrk_threads} thread(s), {args.connections} connections, "
          f"{args.duration} s per case")  # fmt: skip
    results: list[Result] = []
    with _load.gunicorn(env, port=args.port, workers=args.workers) as server:
        pids = _load.children(server.pid)
        for path in [*articles, "/news/"]:  # fill the cache (each worker shares it through Redis)
            assert get(args.port, path).status == 200, path
        headers_check(args.port, keys[0])
        for case in args.cases:
            label, case_paths = paths[case]
            before, wrk_before = _load.cpu_by_group(pids, args.database), _load.child_cpu()
            started = time.perf_counter()
            result = run_wrk(label, case_paths, args, workdir)
            after = _load.cpu_by_group(pids, args.database)
            after["wrk"] = before["wrk"] + _load.child_cpu() - wrk_before
            elapsed = time.perf_counter() - started
            spent = sum(after[name] - before[name] for name in ("gunicorn", "postgres", "redis", "wrk"))
            result.cpu_ms = spent / max(result.requests, 1) * 1000
            results.append(result)
            base = results[0].rate if results[0].label.startswith("baseline") else None
            ratio = f"{result.rate / base:.2f}× baseline" if base else ""
            latency = ", ".join(f"{name} {value:.1f} ms" for name, value in result.percentiles.items())
            counts = f"{result.requests:,} requests, non-2xx {result.non_2xx}, socket errors {result.errors}"
            print(f"\n{label}: {result.rate:,.0f} req/s {ratio}; {latency}; {counts}; {result.cpu_ms:.2f} ms CPU each")
            _load.print_cpu(before, after, elapsed)
        takedown_check(args.port, keys[1])
    base = results[0].rate if results and results[0].label.startswith("baseline") else 0.0
    cores = os.cpu_count() or 1
    print("\n| case | req/s | vs baseline | p50 | p90 | p99 | non-2xx | errors | CPU per request | → on idle cores |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for result in results:
        p = result.percentiles
        ratio = f"{result.rate / base:.2f}×" if base else "—"
        print(f"| {result.label} | {result.rate:,.0f} | {ratio} | {p.get('p50', 0):.1f} ms | {p.get('p90', 0):.1f} ms "
              f"| {p.get('p99', 0):.1f} ms | {result.non_2xx} | {result.errors} | {result.cpu_ms:.2f} ms "
              f"| ~{cores * 1000 / max(result.cpu_ms, 0.001):,.0f}/s |")  # fmt: skip


if __name__ == "__main__":
    main()
