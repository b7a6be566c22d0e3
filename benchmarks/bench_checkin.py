"""Check-in at an activity of 500 volunteers: every phone scans the organiser's QR code at once.

What it does, all on this machine (loopback only):

1. the database ``--database`` (default ``xuanchuan_bench_checkin``) on the PostgreSQL server of
   ``BENCH_POSTGRES_URL``: made and migrated unless ``--reuse`` (no demo data is needed); in it a
   district with one community, a team, a project, ``--volunteers`` volunteers enrolled through the
   one enrolment service (made once), and for each run a NEW activity they are all signed up to
   (confirmed); Redis database ``--redis-db`` (default 11) emptied and used as the cache (the
   per-volunteer rate limit counts there);
2. gunicorn serving ``xuanchuan.wsgi`` with production settings behind the "TLS proxy"
   (``_load.environment``), ``--workers`` sync workers;
3. the phones: a pool of ``--concurrency`` threads, each volunteer with its own cookies (the signed
   volunteer cookie, made in this process with the server's key, and the CSRF cookie the server
   sets), over plain ``http.client`` connections:

   - **baseline**: the same number of requests for a static file of the same server (the screen's
     script, served by WhiteNoise behind the same middleware);
   - **check-in**: every volunteer at once GETs the scan page the QR code holds (the code of this
     window, as read from the screen) and POSTs the check-in with the form's CSRF token;
   - **check-out**: the same again, which checks them all out (minutes, ``hours_confirmed``);

   and prints, for each phase, the total time for all volunteers, requests per second, p50/p90/p99
   latency of the requests, errors, the ratio to the baseline, and the CPU each part used;
4. checks afterwards that every volunteer has exactly one record of the activity, CONFIRMED.

The aim (issue 11): all 500 within a minute on one 2-core server, p99 under 200 ms.

    .venv/bin/python benchmarks/bench_checkin.py [--reuse] [--volunteers 500] [--concurrency 64] [--workers 2]
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import _load
from _phones import CSRF_INPUT, Phase, base_headers, cookies_set, form_headers, report, request, run, table, timed

STATIC = "/static/volunteers/checkin.js"


def prepare(args: argparse.Namespace) -> dict[str, str]:
    """Make the database unless ``--reuse`` (then only new migrations); empty the Redis database."""
    return _load.empty_database(args.database, redis_db=args.redis_db, static_root=args.static_root, reuse=args.reuse)


def set_up(count: int):
    """The community, team, project and ``count`` volunteers (made once); a new activity now, with
    every volunteer's confirmed sign-up. Returns the activity and the volunteers."""
    from django.utils import timezone

    from xuanchuan.org.models import Unit, UnitType
    from xuanchuan.org.services import create_unit
    from xuanchuan.volunteers.models import (
        Activity,
        ActivityStatus,
        Project,
        ProjectStatus,
        SignUp,
        SignUpStatus,
        Team,
        Volunteer,
        VolunteerSource,
    )
    from xuanchuan.volunteers.services.identity import Person, enrol
    from xuanchuan.volunteers.tests.factories import id_number

    root = Unit.objects.get_first_root_node() or create_unit(
        parent=None, name="示范区", unit_type=UnitType.DISTRICT, code="BENCH"
    )
    street = Unit.objects.filter(name="东城街道").first() or create_unit(
        parent=root, name="东城街道", unit_type=UnitType.STREET, code="BENCH-S01"
    )
    community = Unit.objects.filter(name="幸福社区").first() or create_unit(
        parent=street, name="幸福社区", unit_type=UnitType.COMMUNITY, code="BENCH-S01-C01"
    )
    team, _ = Team.objects.get_or_create(  # scoping: allowed (benchmark set-up)
        unit=community, name="幸福社区志愿服务队", defaults={"founded_on": timezone.localdate()}
    )
    project, _ = Project.objects.get_or_create(  # scoping: allowed (benchmark set-up)
        unit=community,
        team=team,
        title="清洁家园",
        year=timezone.localdate().year,
        defaults={"summary": "基准测试", "status": ProjectStatus.PUBLISHED, "published_at": timezone.now()},
    )
    have = Volunteer.objects.filter(unit=community).count()  # scoping: allowed (benchmark set-up)
    for n in range(have, count):
        born = f"19{60 + n // 1000 % 40:02d}0101"
        person = Person(name=f"志愿者{n}", id_number=id_number(n % 1000, born=born), phone=f"139{n:08d}")
        enrol(person, unit=community, source=VolunteerSource.STAFF, by=None, consented=True)
    volunteers = list(Volunteer.objects.filter(unit=community).order_by("pk")[:count])  # scoping: allowed
    start = timezone.now().replace(second=0, microsecond=0) - timedelta(minutes=10)
    activity = Activity.objects.create(  # scoping: allowed (benchmark set-up)
        unit=community,
        project=project,
        title=f"清洁家园 {start:%H:%M}",
        place="幸福社区广场",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        capacity=count,
        status=ActivityStatus.OPEN,
    )
    now = timezone.now()
    SignUp.objects.bulk_create(  # scoping: allowed (benchmark set-up)
        SignUp(activity=activity, volunteer=v, status=SignUpStatus.CONFIRMED, created_at=now, confirmed_at=now)
        for v in volunteers
    )
    return activity, volunteers


def phone_cookie(volunteer) -> str:
    from django.http import HttpResponse

    from xuanchuan.volunteers import session

    response = session.sign_in(HttpResponse(), volunteer)
    return f"{session.COOKIE}={response.cookies[session.COOKIE].value}"


def scan(port: int, path: str, cookie: str, phase: Phase) -> None:
    """One phone: GET the scan page, POST its form (the CSRF cookie set by the GET, the token of
    the form); both requests' latencies count."""
    status, answer, body = timed(phase, port, "GET", path, {**base_headers(port), "Cookie": cookie})
    if status != 200:
        phase.errors.append(f"GET {status}")
        return
    text = body.decode("utf-8", "replace")
    token = CSRF_INPUT.search(text)
    step = re.search(r'name="step" value="(\w+)"', text)
    csrf_cookie = cookies_set(answer).get("csrftoken")
    if not (token and step):
        phase.errors.append("no form")
        return
    cookies = cookie + (f"; csrftoken={csrf_cookie}" if csrf_cookie else "")
    body_text = f"csrfmiddlewaretoken={token[1]}&step={step[1]}"
    status, _answer, body = timed(phase, port, "POST", path, form_headers(port, cookies, path), body_text)
    if status != 200 or b"scan-result" not in body:
        phase.errors.append(f"POST {status}")


def static(port: int, phase: Phase) -> None:
    status, _answer, _text = timed(phase, port, "GET", STATIC, base_headers(port))
    if status != 200:
        phase.errors.append(f"GET {status}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="xuanchuan_bench_checkin")
    parser.add_argument("--reuse", action="store_true", help="use the existing database (new migrations applied)")
    parser.add_argument("--volunteers", type=int, default=500)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--spread", type=float, default=0.0, help="phones arrive evenly over this many seconds (0: all at once)"
    )
    parser.add_argument("--port", type=int, default=8079)
    parser.add_argument("--redis-db", type=int, default=11)
    parser.add_argument("--static-root", default=str(Path(tempfile.gettempdir()) / "xuanchuan-bench-checkin-static"))
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
    from django.urls import reverse

    from xuanchuan.volunteers import checkin_codes
    from xuanchuan.volunteers.models import RecordStatus, ServiceRecord

    made = time.perf_counter()
    activity, volunteers = set_up(args.volunteers)
    took = time.perf_counter() - made
    print(f"# set-up: {len(volunteers)} volunteers signed up to activity {activity.pk} ({took:.1f} s)")
    _load.vacuum_analyze(args.database)
    cookies = [phone_cookie(v) for v in volunteers]
    print(f"# {os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f}; {time.strftime('%Y-%m-%d %H:%M %Z')}")
    arrival = f"arriving evenly over {args.spread:g} s" if args.spread else "all at once"
    print(
        f"# gunicorn sync x {args.workers}; up to {args.concurrency} phones at a time, {arrival} (threads, keep-alive)"
    )
    phases: list[Phase] = []
    with _load.gunicorn(env, port=args.port, workers=args.workers) as server:
        pids = _load.children(server.pid)
        port = args.port
        # Warm each worker (imports, templates, the first connection to the database).
        for _ in range(4 * args.workers):
            static(port, Phase("warm"))
            request(port, "GET", reverse("volunteers:m_hours"), {**base_headers(port), "Cookie": cookies[0]})
        cases = [("baseline: static file " + STATIC, [lambda phase: static(port, phase)] * (2 * len(cookies)))]
        for label in ("check-in (GET scan page + POST)", "check-out (GET scan page + POST)"):
            cases.append((label, None))
        for label, jobs in cases:
            if jobs is None:
                # The code of this window, as the screen shows it (a phase never spans two windows
                # unchanged: the previous window's code is still accepted).
                path = reverse("volunteers:scan", args=[activity.pk, checkin_codes.current_code(activity)])
                jobs = [lambda phase, c=cookie, p=path: scan(port, p, c, phase) for cookie in cookies]
            before = _load.cpu_by_group(pids, args.database)
            phase = run(label, jobs, args.concurrency, 0.0 if label.startswith("baseline") else args.spread)
            after = _load.cpu_by_group(pids, args.database)
            phases.append(phase)
            report(phase, phases[0], len(cookies))
            _load.print_cpu(before, after, phase.seconds)
    records = ServiceRecord.objects.filter(activity=activity)  # scoping: allowed (benchmark check)
    per_volunteer = {v.pk: 0 for v in volunteers}
    for volunteer_id, status in records.values_list("volunteer_id", "status"):
        per_volunteer[volunteer_id] += 1
        assert status == RecordStatus.CONFIRMED, status
    wrong = [pk for pk, n in per_volunteer.items() if n != 1]
    print(
        f"\n# records: {records.count()} for {len(volunteers)} volunteers; volunteers without exactly one: {len(wrong)}"
    )
    assert not wrong, wrong[:10]
    table(phases, len(cookies))


if __name__ == "__main__":
    main()
