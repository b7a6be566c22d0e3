"""Public arrival self-registrations per second: the framework's cost over a bare insert.

Baseline, in the same process: one ``INSERT`` through the database cursor (autocommit, so one
commit per row) of a row with the same columns and the same stored values as an
``arrivals_registration`` row (ciphertexts, blind indexes and all) into a scratch table
``bench_arrivals_plain`` made with ``CREATE TABLE … AS SELECT * FROM arrivals_registration
WHERE 1 = 0`` — no indexes, no constraints. Against it:

- ``services.register_arrival`` called directly with cleaned data, as the view calls it: the
  dedupe look-up, risk classification against the risk-area list, follow-up plan, encryption of
  the personal fields, blind indexes, the insert in its own transaction and the audit entry;
- the whole stack: ``POST /arrivals/register/`` through Django's test client — every
  middleware, the per-client rate limit, the form (honeypot, signed time stamp, division
  chain, resident-ID checks), the service, and the 302 redirect to the receipt (not followed).

A second baseline puts the same bare INSERT behind the same web stack: the same form body
``POST``-ed through every middleware to a minimal view that only runs that INSERT and answers
204. The full stack against it is the cost of the registration itself (form, rules, service,
audit), not of Django's request handling, which both pay.

Every submission is a different person (a distinct valid resident ID number and mobile number).
The per-client rate limit (20 per minute) stays on and is counted for every request; each
request comes from a different ``REMOTE_ADDR``, as a province's residents would.

    .venv/bin/python benchmarks/bench_arrivals.py [--postgres] [--size small|large] [--seconds 2] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import datetime
import itertools
import platform
import pstats
import time

from _django import rate, setup


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--size", default="small", choices=("small", "large"))
    parser.add_argument("--seconds", type=float, default=2.0)
    parser.add_argument("--profile", action="store_true", help="also profile 200 submissions of service and stack")
    args = parser.parse_args()
    setup(postgres=args.postgres, size=args.size)

    from django.core import signing
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import timezone

    from xuanchuan.arrivals import services
    from xuanchuan.arrivals.forms import community_queryset
    from xuanchuan.arrivals.models import Registration, RiskArea
    from xuanchuan.core.pii.validators import id_check_character
    from xuanchuan.core.public import _SALT

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

    # --- full stack: POST /arrivals/register/ -------------------------------------------------
    client = Client()
    url = reverse("arrivals:register")
    started = signing.dumps(time.time() - 10, salt=_SALT)  # a form served 10 s ago (valid for 2 h)
    form = {
        "hp_started": started, "hp_website": "", "name": "张三", "document_type": "resident_id",
        "origin_province": "420000", "origin_city": "420100", "origin_county": "420102",
        "transport": "train", "trip_number": "g1234", "arrival_date": arrival_date.isoformat(),
        "community": str(community.pk), "address": "幸福小区3栋2单元", "health_status": "healthy",
        "symptoms": "", "travel_notes": "", "consent": "on",
    }  # fmt: skip

    def full_stack() -> None:
        n, id_number, phone = person()
        address = f"10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}"  # one client per submission:
        client.cookies.clear()  # its own address, and no cookies (or unread messages) of the last one
        response = client.post(url, {**form, "id_number": id_number, "phone": phone}, REMOTE_ADDR=address)
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

    bench_urls = types.ModuleType("bench_arrivals_urls")
    bench_urls.urlpatterns = [path("bench/insert-only/", insert_only), path("", include("xuanchuan.urls"))]
    sys.modules[bench_urls.__name__] = bench_urls

    def web_baseline() -> None:
        n, id_number, phone = person()
        client.cookies.clear()
        body = {**form, "id_number": id_number, "phone": phone}
        response = client.post("/bench/insert-only/", body, REMOTE_ADDR=f"10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}")
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

    base = rate(baseline, seconds=args.seconds)
    with override_settings(ROOT_URLCONF=bench_urls.__name__):
        web = rate(web_baseline, seconds=args.seconds)
    print(f"{'case':<44}{'per second':>12}{'vs INSERT':>12}{'vs web INSERT':>15}")
    print(f"{'baseline: one plain INSERT':<44}{base:>12.0f}{1:>11.2f}x{base / web:>14.2f}x")
    print(f"{'baseline: the INSERT behind the web stack':<44}{web:>12.0f}{base / web:>11.2f}x{1:>14.2f}x")
    for name, function in (
        ("service: register_arrival()", service),
        ("full stack: POST /arrivals/register/", full_stack),
    ):
        value = rate(function, seconds=args.seconds)
        print(f"{name:<44}{value:>12.0f}{base / value:>11.2f}x{web / value:>14.2f}x")

    for name, function in (("service", service), ("full stack", full_stack)) if args.profile else ():
        print(f"\n# profile of 200 submissions: {name}")
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(200):
            function()
        profile.disable()
        stats = pstats.Stats(profile)
        stats.sort_stats("cumulative").print_stats(50)
        stats.sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    main()
