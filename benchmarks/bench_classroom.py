"""An evening in the cloud classroom: many phones open a lecture, play it, seek, and report their
progress, all at once.

What it does, all on this machine (loopback only):

1. the database ``--database`` (default ``xuanchuan_bench_classroom``) on the PostgreSQL server of
   ``BENCH_POSTGRES_URL``: made and migrated unless ``--reuse`` (no demo data is needed); in it a
   district with a category and one published item whose media is the project's generated demo
   video ``lecture-a.mp4`` (20 s, 187 KB) stored under a MEDIA_ROOT of the run's own; Redis
   database ``--redis-db`` (default 12) emptied and used as the cache (the per-viewer beacon rate
   limit counts there);
2. gunicorn serving ``xuanchuan.wsgi`` with production settings behind the "TLS proxy"
   (``_load.environment``), ``--workers`` sync workers; with ``--accel`` the platform hands the
   media to nginx (``THEORY_MEDIA_ACCEL_PREFIX``: it answers with X-Accel-Redirect and no body, as
   in production) — there is no nginx here, so that phase measures the platform's part only;
3. the phones (``--viewers``, a pool of ``--concurrency`` threads, each phone with its own cookies):

   - **baseline**: the same number of requests for a static file of the same server (the
     player's script, served by WhiteNoise behind the same middleware);
   - **open**: each phone GETs the item's page (the viewer cookie and the CSRF cookie are set);
   - **media**: each phone GETs the first 64 KB of the video (``Range: bytes=0-65535``, 206) and
     then seeks: ``Range: bytes=120000-`` (206, the rest of the file);
   - **play and progress**: each phone POSTs the play and three progress beacons;

   and prints, for each phase, the total time, requests per second, p50/p90/p99 latency, errors,
   the ratio to the baseline, and the CPU each part used;
4. checks afterwards: exactly one play per viewer (one day), nobody counted beyond the item's
   length, and every 206 carried the right ``Content-Range``.

    .venv/bin/python benchmarks/bench_classroom.py [--reuse] [--viewers 500] [--concurrency 64] [--workers 2] [--accel]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import _load
from _phones import CSRF_INPUT, Phase, base_headers, cookies_set, form_headers, report, run, table, timed

STATIC = "/static/theory/player.js"
MEDIA_FILE = _load.ROOT / "xuanchuan" / "theory" / "demo_media" / "lecture-a.mp4"
SEEK_FROM = 120_000


def set_up():
    """The district, a category and one published item with the demo video (made once)."""
    from django.core.files import File
    from django.utils import timezone

    from xuanchuan.org.models import Unit, UnitType
    from xuanchuan.org.services import create_unit
    from xuanchuan.theory.models import Category, ClassItem, ItemStatus, MediaKind

    root = Unit.objects.get_first_root_node() or create_unit(
        parent=None, name="示范区", unit_type=UnitType.DISTRICT, code="BENCH"
    )
    category, _ = Category.objects.get_or_create(unit=root, name="党的创新理论")  # scoping: allowed (set-up)
    item = ClassItem.objects.filter(category=category).first()  # scoping: allowed (benchmark set-up)
    if item is None or not item.media.storage.exists(item.media.name):
        item = item or ClassItem(
            unit=root,
            category=category,
            title="微宣讲：基准测试",
            kind=MediaKind.VIDEO,
            content_type="video/mp4",
            size=MEDIA_FILE.stat().st_size,
            duration_seconds=20,
            status=ItemStatus.PUBLISHED,
            published_at=timezone.now(),
        )
        with MEDIA_FILE.open("rb") as handle:
            item.media.save(MEDIA_FILE.name, File(handle), save=False)
        item.save()
    return item


class Viewer:
    """One phone: its address (as nginx passes it on: each phone has its own, so the per-address
    limits see what they would see in production), its cookies (viewer and CSRF) and the form
    token of the item's page."""

    def __init__(self, number: int) -> None:
        self.address = f"10.{number // 65536 % 256}.{number // 256 % 256}.{number % 256}"
        self.cookies: dict[str, str] = {}
        self.token = ""

    def headers(self, port: int) -> dict[str, str]:
        return {**base_headers(port), "X-Forwarded-For": self.address, "Cookie": self.header()}

    def header(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())


def open_page(port: int, path: str, viewer: Viewer, phase: Phase) -> None:
    status, answer, body = timed(phase, port, "GET", path, viewer.headers(port))
    viewer.cookies.update(cookies_set(answer))
    token = CSRF_INPUT.search(body.decode("utf-8", "replace"))
    if status != 200 or token is None or "xc_viewer" not in viewer.cookies:
        phase.errors.append(f"GET page {status}")
        return
    viewer.token = token[1]


def fetch_media(port: int, path: str, size: int, viewer: Viewer, phase: Phase) -> None:
    for first, last, wanted in ((0, 65535, "bytes=0-65535"), (SEEK_FROM, size - 1, f"bytes={SEEK_FROM}-")):
        headers = {**viewer.headers(port), "Range": wanted}
        status, answer, body = timed(phase, port, "GET", path, headers)
        accel = answer.get("X-Accel-Redirect")
        if accel:
            if status != 200:
                phase.errors.append(f"accel {status}")
            continue
        expected = f"bytes {first}-{last}/{size}"
        if status != 206 or answer.get("Content-Range") != expected or len(body) != last - first + 1:
            phase.errors.append(f"range {status} {answer.get('Content-Range')}")


def play_and_progress(port: int, play: str, progress: str, page: str, viewer: Viewer, phase: Phase) -> None:
    headers = {
        **form_headers(port, viewer.header(), page),
        "X-Forwarded-For": viewer.address,
        "X-CSRFToken": viewer.token,
    }
    status, _answer, _body = timed(phase, port, "POST", play, headers, f"csrfmiddlewaretoken={viewer.token}")
    if status != 200:
        phase.errors.append(f"play {status}")
    for start in (0, 4, 8):
        body = f"csrfmiddlewaretoken={viewer.token}&position={start + 4}&watched_from={start}&watched_to={start + 4}"
        status, _answer, _body = timed(phase, port, "POST", progress, headers, body)
        if status != 200:
            phase.errors.append(f"progress {status}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="xuanchuan_bench_classroom")
    parser.add_argument("--reuse", action="store_true", help="use the existing database (new migrations applied)")
    parser.add_argument("--viewers", type=int, default=500)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--accel", action="store_true", help="hand the media to nginx (X-Accel-Redirect)")
    parser.add_argument("--port", type=int, default=8078)
    parser.add_argument("--redis-db", type=int, default=12)
    parser.add_argument("--static-root", default=str(Path(tempfile.gettempdir()) / "xuanchuan-bench-classroom-static"))
    parser.add_argument("--media-root", default=str(Path(tempfile.gettempdir()) / "xuanchuan-bench-classroom-media"))
    args = parser.parse_args()
    seeding = _load.empty_database(
        args.database, redis_db=args.redis_db, static_root=args.static_root, reuse=args.reuse
    )
    env = _load.environment(database=args.database, redis_db=args.redis_db, static_root=args.static_root)
    env["MEDIA_ROOT"] = args.media_root
    env["THEORY_MEDIA_ACCEL_PREFIX"] = "/_protected_media/" if args.accel else ""
    os.environ.update({key: seeding[key] for key in ("PYTHON_DOTENV_DISABLED", "DJANGO_SETTINGS_MODULE",
                                                     "DATABASE_URL", "REDIS_URL", "DEBUG", "XUANCHUAN_DEMO",
                                                     "SECRET_KEY", "XUANCHUAN_DATA_KEY", "ALLOWED_HOSTS",
                                                     "STATIC_ROOT")})  # fmt: skip
    os.environ["MEDIA_ROOT"] = args.media_root
    sys.path.insert(0, str(_load.ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.urls import reverse

    from xuanchuan.theory.models import Play, ViewerProgress

    item = set_up()
    _load.vacuum_analyze(args.database)
    page = reverse("theory:m_item", args=[item.pk])
    media = reverse("theory:m_item_media", args=[item.pk])
    play = reverse("theory:m_item_play", args=[item.pk])
    progress = reverse("theory:m_item_progress", args=[item.pk])
    viewers = [Viewer(number) for number in range(1, args.viewers + 1)]
    plays_before = Play.objects.filter(item=item).count()  # scoping: allowed (benchmark check)
    print(f"# item {item.pk}: {item.size:,} bytes, {item.duration_seconds} s; {len(viewers)} phones")
    print(f"# {os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f}; {time.strftime('%Y-%m-%d %H:%M %Z')}")
    mode = "X-Accel-Redirect (platform's part only)" if args.accel else "the platform sends the bytes"
    print(f"# gunicorn sync x {args.workers}; up to {args.concurrency} phones at a time; media: {mode}")
    phases: list[Phase] = []
    with _load.gunicorn(env, port=args.port, workers=args.workers) as server:
        pids = _load.children(server.pid)
        port = args.port
        for _ in range(4 * args.workers):
            timed(Phase("warm"), port, "GET", STATIC, base_headers(port))
            timed(Phase("warm"), port, "GET", page, base_headers(port))
        static = [lambda ph: timed(ph, port, "GET", STATIC, base_headers(port))] * 2 * len(viewers)
        opening = [lambda ph, v=v: open_page(port, page, v, ph) for v in viewers]
        seeking = [lambda ph, v=v: fetch_media(port, media, item.size, v, ph) for v in viewers]
        playing = [lambda ph, v=v: play_and_progress(port, play, progress, page, v, ph) for v in viewers]
        cases = [
            ("baseline: static file " + STATIC, static),
            ("open the item's page", opening),
            ("media: first 64 KB, then a seek (2 ranges)", seeking),
            ("play + 3 progress beacons", playing),
        ]
        for label, jobs in cases:
            before = _load.cpu_by_group(pids, args.database)
            phase = run(label, jobs, args.concurrency)
            after = _load.cpu_by_group(pids, args.database)
            phases.append(phase)
            report(phase, phases[0], len(viewers))
            _load.print_cpu(before, after, phase.seconds)
    plays = Play.objects.filter(item=item).count() - plays_before  # scoping: allowed (benchmark check)
    over = ViewerProgress.objects.filter(  # scoping: allowed (benchmark check)
        item=item, watched_seconds__gt=item.duration_seconds
    ).count()
    print(f"\n# plays counted: {plays} for {len(viewers)} phones; counted beyond the length: {over}")
    print(f"# bucket {settings.THEORY_WATCH_BUCKET_SECONDS} s")
    assert plays == len(viewers), plays
    assert over == 0, over
    table(phases, len(viewers))


if __name__ == "__main__":
    main()
