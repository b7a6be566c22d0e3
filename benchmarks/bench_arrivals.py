"""Public arrival self-registrations per second: the framework's cost over a bare insert.

Baseline, in the same process: one ``INSERT`` through the database cursor (autocommit, so one
commit per row) of a row with the same columns and the same stored values as an
``arrivals_registration`` row (ciphertexts, blind indexes and all) into a scratch table
``bench_arrivals_plain`` made with ``CREATE TABLE … AS SELECT * FROM arrivals_registration
WHERE 1 = 0`` — no indexes, no constraints. Against it:

- ``services.register_arrival`` called directly with cleaned data, as the view calls it: risk
  classification against the risk-area list, follow-up plan, encryption of the personal fields,
  blind indexes and dedupe key, and the insert (whose unique dedupe key finds a duplicate);
- the whole stack: ``POST /arrivals/register/`` through Django's test client — every
  middleware, the per-client rate limit, the form (honeypot, signed time stamp, division
  chain, resident-ID checks), the service, and the 302 redirect to the receipt (not followed).

A second baseline puts the same bare INSERT behind the same web stack: the same form body
``POST``-ed through every middleware to a minimal view that only runs that INSERT and answers
204. The full stack against it is the cost of the registration itself (form, rules, service),
not of Django's request handling, which both pay.

Every submission is a different person (a distinct valid resident ID number and mobile number).
The per-client rate limit (20 per minute) stays on and is counted for every request; each
request comes from a different ``REMOTE_ADDR``, as a province's residents would. Both web cases
are sent as a browser sends the form: url-encoded, with CSRF enforced (the cookie and hidden token
of one form page fetched first). For comparison, the same bare INSERT into the real
``arrivals_registration`` table (its indexes and foreign keys), alone and behind the web stack.

Every case is measured once per round, in turn, ``--rounds`` times; each is timed by the wall
clock and by this process's CPU time (steadier on a machine shared with other work).

    .venv/bin/python benchmarks/bench_arrivals.py [--postgres] [--size small|large] [--seconds 2] [--rounds 3]
        [--profile] [--profile-dir DIR]
"""

from __future__ import annotations

import argparse
import cProfile
import datetime
import itertools
import platform
import pstats
import re
import time
from collections.abc import Callable
from contextlib import nullcontext
from typing import Any
from urllib.parse import urlencode

from _django import setup

FORM_TYPE = "application/x-www-form-urlencoded"


def rates(function: Callable[[], object], *, seconds: float) -> tuple[float, float]:
    """Calls per second of ``function`` by the wall clock and by this process's CPU time, over
    about ``seconds`` (after one warm-up call)."""
    function()
    calls = 0
    wall, cpu = time.perf_counter(), time.process_time()
    while time.perf_counter() - wall < seconds:
        function()
        calls += 1
    return calls / (time.perf_counter() - wall), calls / max(time.process_time() - cpu, 1e-9)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--size", default="small", choices=("small", "large"))
    parser.add_argument("--seconds", type=float, default=2.0)
    parser.add_argument("--rounds", type=int, default=3, help="measure every case this many times, in turn")
    parser.add_argument("--profile", action="store_true", help="also profile 200 submissions of service and stack")
    parser.add_argument("--profile-dir", help="and save those profiles there (pstats files) for a closer look")
    args = parser.parse_args()
    setup(postgres=args.postgres, size=args.size)

    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import timezone

    from xuanchuan.arrivals import services
    from xuanchuan.arrivals.forms import community_queryset
    from xuanchuan.arrivals.models import Registration, RiskArea
    from xuanchuan.core.pii.validators import id_check_character
    from xuanchuan.core.public import human_check_token

    community = community_queryset().first()
    arrival_date = timezone.localdate() - datetime.timedelta(days=1)
    born = datetime.date(1950, 1, 1)
    counter = itertools.count()

    def person() -> tuple[int, str, str]:
        """A new person: a distinct valid resident ID number and mobile number."""
        n = next(counter)
        first17 = f"110101{born + datetime.timedelta(days=n // 1000):%Y%m%d}{n % 1000:03d}"
        return n, first17 + id_check_character(first17), f"139{n:08d}"

    def cleaned(id_number: str, phone: str) -> dict:
        return {
            "name": "张三", "document_type": "resident_id", "id_number": id_number, "phone": phone,
            "origin_code": "420102", "via_codes": "", "travel_notes": "", "transport": "train",
            "trip_number": "G1234", "arrival_date": arrival_date, "address": "幸福小区3栋2单元",
            "health_status": "healthy", "symptoms": "",
        }  # fmt: skip

    # --- service: register_arrival as the view calls it -------------------------------------
    def service() -> None:
        _n, id_number, phone = person()
        assert services.register_arrival(cleaned(id_number, phone), community=community).created

    # --- baseline: one plain INSERT of a row of the same columns and values ------------------
    service()
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_arrivals_plain")
        cursor.execute("CREATE TABLE bench_arrivals_plain AS SELECT * FROM arrivals_registration WHERE 1 = 0")
        cursor.execute("SELECT * FROM arrivals_registration ORDER BY id DESC LIMIT 1")
        columns = [column[0] for column in cursor.description]
        sample = list(cursor.fetchone())
    names = ", ".join(map(connection.ops.quote_name, columns))
    marks = ", ".join(["%s"] * len(columns))
    insert = f"INSERT INTO bench_arrivals_plain ({names}) VALUES ({marks})"  # noqa: S608 -- our own columns
    id_at = columns.index("id")
    plain_ids = itertools.count(1)

    def baseline() -> None:
        sample[id_at] = next(plain_ids)
        with connection.cursor() as cursor:
            cursor.execute(insert, sample)

    # --- for comparison: the same INSERT into arrivals_registration itself --------------------
    # The real table has its indexes (unique receipt code and dedupe key, blind indexes, dates,
    # the figures' composite indexes) and foreign keys: what the database spends on a real row.
    real_insert = insert.replace("bench_arrivals_plain", "arrivals_registration", 1)
    unique_at = [columns.index(name) for name in ("receipt_code", "dedupe_key", "day_key") if name in columns]
    real_ids = itertools.count(-1, -1)  # ids the ORM never hands out (its own keep counting up)

    def real_row() -> None:
        n = next(real_ids)
        row = list(sample)
        row[id_at] = n
        for at in unique_at:
            row[at] = f"bench-{n}"
        with connection.cursor() as cursor:
            cursor.execute(real_insert, row)

    # --- full stack: POST /arrivals/register/ -------------------------------------------------
    # As a browser: CSRF enforced, the token of a form page fetched once (cookie + hidden field;
    # both stay valid), the body url-encoded as a browser sends a form without file fields.
    client = Client(enforce_csrf_checks=True)
    url = reverse("arrivals:register")
    page = client.get(url)
    csrf_cookie = client.cookies[settings.CSRF_COOKIE_NAME].value
    csrf_field = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)
    form = {
        "csrfmiddlewaretoken": csrf_field, "hp_website": "", "name": "张三", "document_type": "resident_id",
        "origin_province": "420000", "origin_city": "420100", "origin_county": "420102",
        "transport": "train", "trip_number": "g1234", "arrival_date": arrival_date.isoformat(),
        "community": str(community.pk), "address": "幸福小区3栋2单元", "health_status": "healthy",
        "symptoms": "", "travel_notes": "", "consent": "on",
    }  # fmt: skip

    def post(path: str, n: int, body: dict) -> Any:
        """One person's browser: its own address, only the CSRF cookie of its form page (no unread
        messages of the person before), the form url-encoded."""
        client.cookies.clear()
        client.cookies[settings.CSRF_COOKIE_NAME] = csrf_cookie
        address = f"10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}"
        return client.post(path, urlencode(body), content_type=FORM_TYPE, REMOTE_ADDR=address)

    def full_stack() -> None:
        n, id_number, phone = person()
        # Each form its own human-check stamp, served 10 s ago: a stamp is accepted once (L9).
        stamp = human_check_token(time.time() - 10)
        response = post(url, n, {**form, "hp_started": stamp, "id_number": id_number, "phone": phone})
        assert response.status_code == 302, (response.status_code, response.context and response.context["form"].errors)
        assert response["Location"].startswith("/arrivals/r/")

    # --- baseline 2: the same INSERT behind the same web stack --------------------------------
    import sys
    import types

    from django.http import HttpResponse
    from django.test import override_settings
    from django.urls import include, path

    def insert_only(request):  # noqa: ANN001, ANN202 — a view of the benchmark's own
        baseline()
        return HttpResponse(status=204)

    def real_row_only(request):  # noqa: ANN001, ANN202
        real_row()
        return HttpResponse(status=204)

    bench_urls = types.ModuleType("bench_arrivals_urls")
    bench_urls.urlpatterns = [
        path("bench/insert-only/", insert_only),
        path("bench/real-row/", real_row_only),
        path("", include("xuanchuan.urls")),
    ]
    sys.modules[bench_urls.__name__] = bench_urls

    def web_baseline() -> None:
        n, id_number, phone = person()
        response = post("/bench/insert-only/", n, {**form, "id_number": id_number, "phone": phone})
        assert response.status_code == 204

    def web_real_row() -> None:
        n, id_number, phone = person()
        response = post("/bench/real-row/", n, {**form, "id_number": id_number, "phone": phone})
        assert response.status_code == 204

    def queries(function) -> int:
        with CaptureQueriesContext(connection) as captured:
            function()
        return len(captured)

    print(f"# {platform.processor() or platform.machine()}, Python {platform.python_version()}")
    print(
        f"# {Registration.objects.count()} registrations, {RiskArea.objects.count()} risk areas; "
        f"{len(columns)} columns per row; queries per submission: baseline {queries(baseline)}, "
        f"service {queries(service)}, full stack {queries(full_stack)}"
    )

    # Rounds: every case once per round, in turn, so that load from other processes on the machine
    # falls on all of them alike. Each case is timed by the wall clock and by this process's CPU
    # time: on a shared machine the CPU figure hardly moves with the others' load (for PostgreSQL
    # it leaves out the server's own work, the same one INSERT in every case but the service's).
    cases = {
        "baseline: one plain INSERT": baseline,
        "baseline: the INSERT behind the web stack": web_baseline,
        "service: register_arrival()": service,
        "full stack: POST /arrivals/register/": full_stack,
        "(compare) INSERT into the real table": real_row,
        "(compare) that INSERT behind the web stack": web_real_row,
    }
    behind_web = (web_baseline, web_real_row)
    rounds: list[dict[str, tuple[float, float]]] = []
    for _round in range(args.rounds):
        measured = {}
        for name, function in cases.items():
            with override_settings(ROOT_URLCONF=bench_urls.__name__) if function in behind_web else nullcontext():
                measured[name] = rates(function, seconds=args.seconds)
        rounds.append(measured)
    web_name, full = "baseline: the INSERT behind the web stack", "full stack: POST /arrivals/register/"
    print(f"# best of {args.rounds} rounds of {args.seconds:g} s per case; per second of wall clock and of CPU")
    print(f"{'case':<44}{'wall /s':>9}{'vs INSERT':>11}{'vs web':>8}{'CPU /s':>9}{'vs INSERT':>11}{'vs web':>8}")
    best = [{name: max(m[name][clock] for m in rounds) for name in cases} for clock in (0, 1)]
    for name in cases:
        line = f"{name:<44}"
        for clock in (0, 1):
            value, base, web = best[clock][name], best[clock][next(iter(cases))], best[clock][web_name]
            versus_web = "—" if name == next(iter(cases)) else f"{web / value:.2f}x"
            line += f"{value:>9.0f}{base / value:>10.2f}x{versus_web:>8}"
        print(line)
    for clock, label in ((0, "wall"), (1, "CPU")):
        each = ", ".join(f"{m[web_name][clock] / m[full][clock]:.2f}x" for m in rounds)
        print(f"# full stack / web INSERT in each round ({label}): {each}")
    real_web = "(compare) that INSERT behind the web stack"
    for clock, label in ((0, "wall"), (1, "CPU")):
        each = ", ".join(f"{m[real_web][clock] / m[full][clock]:.2f}x" for m in rounds)
        print(f"# full stack / the real-table INSERT behind the web stack, each round ({label}): {each}")

    profiled = (("service", service), ("full stack", full_stack), ("web INSERT", web_baseline))
    for name, function in profiled if args.profile else ():
        print(f"\n# profile of 200 submissions: {name}")
        profile = cProfile.Profile(time.process_time)  # CPU time: what other processes do not inflate
        with override_settings(ROOT_URLCONF=bench_urls.__name__) if function is web_baseline else nullcontext():
            profile.enable()
            for _ in range(200):
                function()
            profile.disable()
        if args.profile_dir:
            profile.dump_stats(f"{args.profile_dir}/{name.replace(' ', '_')}.pstats")
        stats = pstats.Stats(profile)
        stats.sort_stats("cumulative").print_stats(50)
        stats.sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    main()
