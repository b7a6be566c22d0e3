"""Phones for the benchmarks that play many residents at once over plain HTTP (``bench_checkin``,
``bench_classroom``): a pool of threads, each with one keep-alive connection (a phone's browser
keeps its connection open), per-phase latencies and their percentiles, and the printed report with
the ratio to the phase run first in the same process (the baseline)."""

from __future__ import annotations

import http.client
import re
import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from email.message import Message

HOST = "127.0.0.1"
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class Phase:
    label: str
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def percentile(self, p: float) -> float:
        if not self.latencies:
            return 0.0
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))] * 1000


_local = threading.local()


def connection(port: int) -> http.client.HTTPConnection:
    """One keep-alive connection per thread."""
    found = getattr(_local, "connection", None)
    if found is None:
        found = http.client.HTTPConnection(HOST, port, timeout=30)
        _local.connection = found
    return found


def request(
    port: int, method: str, path: str, headers: dict[str, str], body: str | bytes = ""
) -> tuple[int, Message, bytes]:
    """One request on this thread's connection (reconnecting once if the server closed it): the
    status, the headers (``get_all("Set-Cookie")`` gives every cookie) and the body as bytes."""
    payload = body.encode() if isinstance(body, str) else body
    for attempt in range(2):
        conn = connection(port)
        try:
            conn.request(method, path, body=payload or None, headers=headers)
            response = conn.getresponse()
            body = response.read()
            return response.status, response.headers, body
        except (http.client.HTTPException, OSError):
            conn.close()
            _local.connection = None
            if attempt:
                raise
    raise RuntimeError("unreachable")


def base_headers(port: int) -> dict[str, str]:
    return {"Host": f"{HOST}:{port}", "X-Forwarded-Proto": "https", "Accept-Encoding": "identity"}


def form_headers(port: int, cookies: str, referer: str) -> dict[str, str]:
    """Headers of a form POST from a page of the server (CSRF: cookie, origin, referer)."""
    return {
        **base_headers(port),
        "Cookie": cookies,
        "Content-Type": "application/x-www-form-urlencoded",
        "Origin": f"https://{HOST}:{port}",
        "Referer": f"https://{HOST}:{port}{referer}",
    }


def cookies_set(headers: Message) -> dict[str, str]:
    """The cookies a response sets, by name."""
    found = {}
    for header in headers.get_all("Set-Cookie") or []:
        name, _, rest = header.partition("=")
        found[name.strip()] = rest.split(";", 1)[0]
    return found


def timed(phase: Phase, port: int, method: str, path: str, headers: dict[str, str], body: str = "") -> tuple:
    """``request`` with its latency added to ``phase``."""
    started = time.perf_counter()
    answer = request(port, method, path, headers, body)
    phase.latencies.append(time.perf_counter() - started)
    return answer


def run(label: str, jobs: list, concurrency: int, spread: float = 0.0) -> Phase:
    """Run ``jobs`` (each called with the phase) on ``concurrency`` threads: all at once (``spread``
    0), or the i-th job not before ``i * spread / len(jobs)`` seconds (phones arriving in a queue)."""
    phase = Phase(label)
    _local.connection = None
    started = time.perf_counter()

    def paced(index: int, job) -> None:
        delay = started + index * spread / len(jobs) - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        job(phase)

    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        for future in [pool.submit(paced, index, job) for index, job in enumerate(jobs)]:
            future.result()
    phase.seconds = time.perf_counter() - started
    return phase


def report(phase: Phase, base: Phase | None, people: int) -> None:
    count = len(phase.latencies)
    rate = count / phase.seconds if phase.seconds else 0
    ratio = ""
    if base is not None and base is not phase:
        ratio = f"; p50 {phase.percentile(50) / max(base.percentile(50), 0.001):.1f}× the baseline's"
    mean = statistics.mean(phase.latencies) * 1000 if phase.latencies else 0
    print(
        f"\n{phase.label}: {people} phones in {phase.seconds:.2f} s; {count} requests, {rate:,.0f} req/s; "
        f"p50 {phase.percentile(50):.1f} ms, p90 {phase.percentile(90):.1f} ms, p99 {phase.percentile(99):.1f} ms, "
        f"max {max(phase.latencies) * 1000 if phase.latencies else 0:.1f} ms, mean {mean:.1f} ms; "
        f"errors {len(phase.errors)}{ratio}"
    )
    if phase.errors:
        print("  first errors:", phase.errors[:5])


def table(phases: list[Phase], people: int) -> None:
    """The phases as the Markdown table of benchmarks/README.md."""
    print("\n| phase | phones | total | req/s | p50 | p90 | p99 | max | errors |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for phase in phases:
        count = len(phase.latencies)
        print(f"| {phase.label} | {people} | {phase.seconds:.2f} s | {count / phase.seconds:,.0f} "
              f"| {phase.percentile(50):.1f} ms | {phase.percentile(90):.1f} ms | {phase.percentile(99):.1f} ms "
              f"| {max(phase.latencies) * 1000:.1f} ms | {len(phase.errors)} |")  # fmt: skip
