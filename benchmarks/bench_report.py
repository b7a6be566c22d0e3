"""The year-end report over a million records: every registered figure, this year and last.

The report engine computes each figure of its template through ``registry.compute(key, period,
unit)`` for the year and for the year before; that is what is timed here, over the large demo
(``seed_demo --size large``: about 1.05 million records, two years and more of them).

- **baseline**: the same numbers counted with hand-written SQL through the database cursor, in
  the same process (one ``COUNT(*)`` per counting figure and period; for the figures that are
  rates or the number of reports due, the one query their inputs need). Each baseline number is
  checked against the figure's, so the two count the same thing.
- **figures, district**: every registered figure through ``registry.compute`` for the full year and
  the previous year, the whole district (``unit=None``).
- **figures, street**: the same for the first street (scoped through the unit tree's path).
- **report job**: the whole default report as the 工作报告 page makes it — ``services.run_report``
  (every figure, progress updates, the stored snapshot) and the .docx made from the snapshot; see
  ``generate_default_report`` below.

Growth in records: with ``--scales 0.1,0.3,1`` each scale gets its own database, seeded with that
fraction of the large size, and the times are printed side by side per million records.

Each scale runs in a child process (Django is set up once per process). The databases are kept
(``--reuse`` measures them again without seeding): SQLite files under ``--sqlite-dir``, PostgreSQL
databases ``$BENCH_REPORT_DATABASE`` (default ``xuanchuan_bench_report``) plus a suffix per scale
on the server of ``BENCH_POSTGRES_URL`` — never ``xuanchuan_bench``, which the other benchmarks
drop and re-create.

    .venv/bin/python benchmarks/bench_report.py [--postgres] [--scales 1] [--repeat 5] [--reuse]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
POSTGRES_SERVER = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
DATABASE_NAME = os.environ.get("BENCH_REPORT_DATABASE", "xuanchuan_bench_report")
RESULT_PREFIX = "#RESULT "


# --- the parent: one child per scale, then the growth table ---------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--size", default="large", choices=("small", "large"))
    parser.add_argument("--scales", default="1", help="fractions of the large size, comma-separated (e.g. 0.1,0.3,1)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=5, help="timed runs of each case after the first")
    parser.add_argument("--reuse", action="store_true", help="measure an already seeded database again")
    parser.add_argument("--sqlite-dir", default=os.path.join(tempfile.gettempdir(), "xuanchuan-bench-report"))
    parser.add_argument("--child", type=float, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        run_one(args, args.child)
        return
    scales = [float(text) for text in args.scales.split(",") if text.strip()]
    if args.size == "small":
        scales = [1.0]
    results = []
    for scale in scales:
        command = [sys.executable, __file__, "--child", str(scale), "--size", args.size, "--seed", str(args.seed)]
        command += ["--repeat", str(args.repeat), "--sqlite-dir", args.sqlite_dir]
        command += ["--postgres"] * args.postgres + ["--reuse"] * args.reuse
        process = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=False)  # noqa: S603
        for line in process.stdout.splitlines():
            if line.startswith(RESULT_PREFIX):
                results.append(json.loads(line[len(RESULT_PREFIX) :]))
            else:
                print(line)
        if process.returncode:
            sys.exit(process.returncode)
    if len(results) > 1:
        print_growth(results)


def print_growth(results: list[dict[str, Any]]) -> None:
    print()
    print("# growth in records: warm medians, ms (and ms per million records)")
    columns = [f"{result['scale']:g}: {result['records']:,}" for result in results]
    print(f"{'case':<52}" + "".join(f"{column:>22}" for column in columns) + f"{'records x':>11}{'time x':>8}")
    first, last = results[0], results[-1]
    for name in results[0]["cases"]:
        cells = ""
        for result in results:
            seconds = result["cases"][name]
            cells += f"{seconds * 1000:>11.0f} ({seconds * 1000 / (result['records'] / 1e6):>6.0f})   "
        growth = last["records"] / first["records"]
        ratio = last["cases"][name] / first["cases"][name] if first["cases"][name] else float("nan")
        print(f"{name:<52}{cells}{growth:>10.1f}x{ratio:>7.1f}x")
    seeded = [result for result in results if result["seed_seconds"] is not None]
    if seeded:
        print("# seeding: " + ", ".join(f"{r['records']:,} records in {r['seed_seconds']:.0f} s" for r in seeded))


# --- the child: one database, seeded or reused, measured ----------------------------------------------


def setup(args: argparse.Namespace, scale: float) -> tuple[str, float | None]:
    """Settings and a seeded database for ``scale``; returns its description and the seeding time."""
    sys.path.insert(0, str(ROOT))
    os.environ["PYTHON_DOTENV_DISABLED"] = "1"
    os.environ.setdefault("XUANCHUAN_DEMO", "true")
    os.environ["DJANGO_SETTINGS_MODULE"] = "xuanchuan.settings"
    tag = f"{args.size}_{scale:g}".replace(".", "_") + f"_seed{args.seed}"
    fresh = not args.reuse
    if args.postgres:
        import psycopg

        name = f"{DATABASE_NAME}_{tag}"
        with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as connection:
            exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            if fresh or not exists:
                connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
                connection.execute(f'CREATE DATABASE "{name}"')
                fresh = True
        os.environ["DATABASE_URL"] = f"{POSTGRES_SERVER}/{name}"
        description = f"PostgreSQL, database {name}"
    else:
        folder = Path(args.sqlite_dir)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{tag}.sqlite3"
        if fresh or not path.exists():
            for stale in folder.glob(f"{tag}.sqlite3*"):
                stale.unlink()
            fresh = True
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
        description = f"SQLite (WAL), {path}"
    import django
    from django.core.management import call_command
    from django.db import connection

    django.setup()
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    if not fresh and time.perf_counter() - started > 1:
        print(f"# migrate (on the existing data) took {time.perf_counter() - started:.1f} s")
    seconds = None
    if fresh:
        from xuanchuan.core.demo import DemoContext, discover_parts, seed_all

        started = time.perf_counter()
        seed_all(DemoContext(seed=args.seed, size=args.size, scale=scale, write=lambda line: None), discover_parts())
        seconds = time.perf_counter() - started
    # What the database does after a bulk load: statistics for the planner, and on PostgreSQL the
    # visibility map that lets a count read an index alone (autovacuum does both soon after).
    started = time.perf_counter()
    maintenance = "VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE"
    with connection.cursor() as cursor:
        cursor.execute(maintenance)
    print(f"# {maintenance}: {time.perf_counter() - started:.1f} s")
    return description, seconds


def table_counts() -> dict[str, int]:
    from django.apps import apps
    from django.db import connection

    counts = {}
    with connection.cursor() as cursor:
        for app_config in apps.get_app_configs():
            if not app_config.name.startswith("xuanchuan."):
                continue
            for model in app_config.get_models(include_auto_created=True):
                if not model._meta.managed or model._meta.proxy:
                    continue
                table = model._meta.db_table
                cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
                count = cursor.fetchone()[0]
                if count:
                    counts[table] = count
    return counts


def timed(function: Callable[[], Any], repeat: int) -> tuple[float, float, Any]:
    """The first (cold) run's seconds, the median of ``repeat`` more, and the last result."""
    started = time.perf_counter()
    result = function()
    first = time.perf_counter() - started
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return first, statistics.median(times) if times else first, result


def run_one(args: argparse.Namespace, scale: float) -> None:
    description, seed_seconds = setup(args, scale)

    from django.conf import settings
    from django.db import connection
    from django.utils import timezone

    from xuanchuan.org.models import Unit, UnitType
    from xuanchuan.reports.registry import Period, all_figures, compute

    counts = table_counts()
    records = sum(counts.values())
    print(f"# {platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"# database: {description}; {connection.vendor} {server_version(connection)}")
    seeded = f"seeded in {seed_seconds:.1f} s" if seed_seconds is not None else "reused (not seeded this run)"
    print(f"# data: --size {args.size} --seed {args.seed} at scale {scale:g}; {seeded}")
    print(f"# {'table':<40}{'rows':>12}")
    for table, count in sorted(counts.items(), key=lambda item: -item[1]):
        print(f"  {table:<40}{count:>12,}")
    print(f"  {'total':<40}{records:>12,}")

    year = timezone.localdate().year
    periods = [Period.year(year), Period.year(year).previous_year()]
    street = Unit.objects.filter(unit_type=UnitType.STREET).order_by("path").first()
    figures = all_figures()
    print(
        f"# {len(figures)} figures x {len(periods)} periods ({', '.join(p.label for p in periods)}); street: {street}"
    )

    def every_figure(unit: Unit | None) -> Callable[[], dict[tuple[str, str], Any]]:
        def run() -> dict[tuple[str, str], Any]:
            return {
                (item.key, period.key): compute(item.key, period, unit).value for item in figures for period in periods
            }

        return run

    baseline = Baseline(connection, settings)
    rows = []
    checks = {}
    for name, unit in (("district", None), (f"street {street.code}", street)):
        base = timed(lambda unit=unit: baseline.all(periods, unit), args.repeat)
        orm = timed(every_figure(unit), args.repeat)
        checks[name] = compare(orm[2], base[2])
        rows.append((f"baseline SQL, {name}", base))
        rows.append((f"figures, {name}", orm))
    for name, unit in (("district", None), (f"street {street.code}", street)):
        label, function = generate_default_report(periods[0], unit)
        rows.append((f"{label}, {name}", timed(function, args.repeat)))

    print(f"{'case':<52}{'first run':>12}{'median':>12}{'vs baseline':>14}")
    baselines = {name.split(", ", 1)[1]: median for name, (_first, median, _result) in rows if name.startswith("base")}
    for name, (first, median, _result) in rows:
        reference = baselines.get(name.split(", ", 1)[-1])
        ratio = f"{median / reference:.2f}x" if reference else "—"
        print(f"{name:<52}{first * 1000:>9.0f} ms{median * 1000:>9.0f} ms{ratio:>14}")
    for name, mismatches in checks.items():
        if mismatches:
            print(f"# MISMATCH ({name}): figure vs baseline: {mismatches}")
        else:
            print(f"# {name}: every figure equals its hand-written count")
    slowest = per_figure(figures, periods, None) + per_figure(figures, periods, street)
    print("# slowest figure computations (ms, warm):")
    for seconds, key, period, unit in sorted(slowest, reverse=True)[:8]:
        print(f"  {seconds * 1000:8.1f}  {key} {period} {unit}")
    print(
        RESULT_PREFIX
        + json.dumps(
            {
                "scale": scale,
                "records": records,
                "seed_seconds": seed_seconds,
                "cases": {name: median for name, (_first, median, _result) in rows},
            }
        )
    )


def server_version(connection: Any) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT sqlite_version()" if connection.vendor == "sqlite" else "SHOW server_version")
        return str(cursor.fetchone()[0])


def per_figure(figures: list[Any], periods: list[Any], unit: Any) -> list[tuple[float, str, str, str]]:
    from xuanchuan.reports.registry import compute

    out = []
    for item in figures:
        for period in periods:
            compute(item.key, period, unit)
            started = time.perf_counter()
            compute(item.key, period, unit)
            out.append((time.perf_counter() - started, item.key, period.key, str(unit or "全区")))
    return out


def compare(figures: dict[tuple[str, str], Any], baseline: dict[tuple[str, str], Any]) -> dict[str, Any]:
    mismatches = {}
    for key, value in baseline.items():
        if key not in figures or figures[key] != value:
            mismatches[f"{key[0]}@{key[1]}"] = (figures.get(key), value)
    missing = sorted({key[0] for key in figures} - {key[0] for key in baseline})
    if missing:
        mismatches["no baseline for"] = missing
    return mismatches


# --- (d) the whole report ------------------------------------------------------------------------------


def generate_default_report(period: Any, unit: Any) -> tuple[str, Callable[[], Any]]:
    """The whole report job as the 工作报告 page runs it: a ``GeneratedReport`` of the default
    template computed by ``services.run_report`` (progress updates, the stored snapshot), then its .docx
    made from that snapshot, as the download does."""
    from xuanchuan.reports import services
    from xuanchuan.reports.generation import count_figure_computations
    from xuanchuan.reports.models import GeneratedReport

    template = services.default_template()
    owner = unit or services.district_root()

    def run() -> Any:
        report = GeneratedReport.objects.create(
            unit=owner, for_district=unit is None, template_name=template.name, body=template.body,
            variables=template.variables, period=period.key,
        )  # fmt: skip
        done = services.run_report(report.pk)
        return services.docx_bytes(services.rendered(done))

    return f"report job ({count_figure_computations(template.body)} figure values) + .docx", run


# --- (a) the baseline: hand-written SQL --------------------------------------------------------------


class Baseline:
    """Each counting figure as one hand-written ``COUNT(*)`` (scoped by a sub-select of the street's
    units); the rate figures from the same counts and the required units' dates."""

    def __init__(self, connection: Any, settings: Any) -> None:
        self.connection = connection
        self.like = "LIKE %s ESCAPE '\\'" if connection.vendor == "sqlite" else "LIKE %s"

    def _scope(self, column: str, unit: Any) -> tuple[str, list[Any]]:
        if unit is None:
            return "", []
        return f" AND {column} IN (SELECT id FROM org_unit WHERE path {self.like})", [unit.path + "%"]  # noqa: S608

    def _count(self, sql: str, params: list[Any]) -> int:
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone()[0]

    def _dt(self, value: Any) -> Any:
        return self.connection.ops.adapt_datetimefield_value(value)

    def _d(self, value: date) -> Any:
        return self.connection.ops.adapt_datefield_value(value)

    def all(self, periods: list[Any], unit: Any) -> dict[tuple[str, str], Any]:
        out: dict[tuple[str, str], Any] = {}
        for period in periods:
            for key, value in self.period(period, unit).items():
                out[(key, period.key)] = value
        return out

    def period(self, period: Any, unit: Any) -> dict[str, Any]:
        from xuanchuan.outbreak.queries import rate

        start, end = self._d(period.start), self._d(period.end)
        start_at, end_at = self._dt(period.start_datetime), self._dt(period.end_datetime)
        out: dict[str, Any] = {}

        # org: units active at the end of the period, people with an account then.
        scope, scope_params = self._scope("id", unit)
        active = "(established_on IS NULL OR established_on <= %s) AND (dissolved_on IS NULL OR dissolved_on > %s)"
        for key, types in (
            ("org.agency_units", ("party_dept", "gov_dept")),
            ("org.subdistricts", ("street", "town")),
            ("org.grassroots_units", ("community", "village")),
        ):
            sql = f"SELECT COUNT(*) FROM org_unit WHERE {active} AND unit_type IN (%s, %s){scope}"  # noqa: S608
            out[key] = self._count(sql, [end, end, *types, *scope_params])
        scope, scope_params = self._scope("unit_id", unit)
        out["org.platform_users"] = self._count(
            "SELECT COUNT(*) FROM org_user WHERE date_joined < %s"  # noqa: S608
            f" AND (deactivated_at IS NULL OR deactivated_at >= %s){scope}",
            [end_at, end_at, *scope_params],
        )

        # arrivals: registrations by arrival date, merged duplicates left out.
        live = f"SELECT COUNT(*) FROM arrivals_registration WHERE follow_up_status <> 'merged'{scope}"  # noqa: S608
        arrived = [*scope_params, start, end]
        out["arrivals.registrations"] = self._count(f"{live} AND arrival_date BETWEEN %s AND %s", arrived)
        out["arrivals.high_risk_registrations"] = self._count(
            f"{live} AND arrival_date BETWEEN %s AND %s AND risk_level IN ('high', 'medium')", arrived
        )
        out["arrivals.home_observations"] = self._count(
            f"{live} AND arrival_date BETWEEN %s AND %s AND plan = 'home_observation'", arrived
        )
        out["arrivals.follow_ups_completed"] = self._count(
            f"{live} AND follow_up_status = 'completed' AND completed_on BETWEEN %s AND %s", arrived
        )
        out["arrivals.under_follow_up"] = self._count(
            f"{live} AND plan <> 'none' AND follow_up_start <= %s"
            " AND (follow_up_status = 'active' OR (follow_up_status = 'completed' AND completed_on > %s))",
            [*scope_params, end, end],
        )

        # passes
        at = [*scope_params, start_at, end_at]
        out["passes.issued"] = self._count(
            "SELECT COUNT(*) FROM passes_pass WHERE status IN ('approved', 'revoked')"  # noqa: S608
            f"{scope} AND decided_at >= %s AND decided_at < %s",
            at,
        )
        out["passes.revoked"] = self._count(
            f"SELECT COUNT(*) FROM passes_pass WHERE revoked_at >= %s AND revoked_at < %s{scope}",  # noqa: S608
            [start_at, end_at, *scope_params],
        )
        out["passes.verifications"] = self._count(
            f"SELECT COUNT(*) FROM passes_verification WHERE checked_at >= %s AND checked_at < %s{scope}",  # noqa: S608
            [start_at, end_at, *scope_params],
        )
        out["passes.outings"] = self._count(
            "SELECT COUNT(*) FROM passes_movement WHERE direction = 'exit'"  # noqa: S608
            f"{scope} AND occurred_at >= %s AND occurred_at < %s",
            at,
        )

        # outbreak: reports by day; what was due from the required units' dates.
        reports = f"SELECT COUNT(*) FROM outbreak_dailyreport WHERE day BETWEEN %s AND %s{scope}"  # noqa: S608
        submitted = self._count(reports, [start, end, *scope_params])
        on_time = self._count(f"{reports} AND is_late = %s", [start, end, *scope_params, False])
        late = self._count(f"{reports} AND is_late = %s", [start, end, *scope_params, True])
        expected = self._expected(period, unit)
        out["outbreak.reports_submitted"] = submitted
        out["outbreak.reports_on_time"] = on_time
        out["outbreak.reports_late"] = late
        out["outbreak.reports_expected"] = expected
        out["outbreak.reporting_rate"] = rate(submitted, expected)
        out["outbreak.on_time_rate"] = rate(on_time, expected)
        return out

    def _expected(self, period: Any, unit: Any) -> int:
        from xuanchuan.outbreak.services import report_today

        scope, scope_params = self._scope("u.id", unit)
        sql = (
            "SELECT f.starts_on, f.ends_on, u.established_on, u.dissolved_on FROM outbreak_reportform f"  # noqa: S608
            " JOIN outbreak_reportform_required_units r ON r.reportform_id = f.id"
            f" JOIN org_unit u ON u.id = r.unit_id WHERE f.starts_on <= %s{scope}"
        )
        with self.connection.cursor() as cursor:
            cursor.execute(sql, [self._d(period.end), *scope_params])
            rows = cursor.fetchall()
        today, total = report_today(), 0
        for starts_on, ends_on, established_on, dissolved_on in rows:
            starts_on, ends_on = _as_date(starts_on), _as_date(ends_on)
            established_on, dissolved_on = _as_date(established_on), _as_date(dissolved_on)
            first = max(period.start, starts_on, established_on or period.start)
            last = min(period.end, today, ends_on or period.end)
            if dissolved_on is not None:
                last = min(last, date.fromordinal(dissolved_on.toordinal() - 1))
            total += max((last - first).days + 1, 0)
        return total


def _as_date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


if __name__ == "__main__":
    main()
