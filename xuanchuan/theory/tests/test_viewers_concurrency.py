"""Races of the viewers part on PostgreSQL: two beacons of one viewer at the same moment both land
(their buckets merged, none lost); two presses of play at once make one play; two first beacons
of a viewer without a progress row make one row."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.db import connections
from django.utils import timezone

from xuanchuan.theory.models import Play, ViewerProgress
from xuanchuan.theory.services import viewers as services
from xuanchuan.theory.tests.factories import VIDEO_A, make_category, make_item, viewer_id

pytestmark = [
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="concurrent beacons are tested on PostgreSQL (DATABASE_URL=postgres://…)",
    ),
    pytest.mark.django_db(transaction=True),
]


def race(*calls: Callable[[], Any]) -> list[Any]:
    """Run ``calls`` at the same moment in threads; what each returned or raised, in order."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(index: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            results[index] = call()
        except Exception as exc:  # noqa: BLE001 (the outcome is what the test looks at)
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.fixture
def item(district):
    return make_item(make_category(district.east), media=VIDEO_A)


def test_two_beacons_at_once_both_land(item):
    viewer = viewer_id()
    start = timezone.now() - timedelta(minutes=1)
    services.record_play(item, viewer, start)
    for _round in range(5):
        ViewerProgress.objects.update(watched=b"", watched_seconds=0, last_at=start)
        Play.objects.update(watched_seconds=0)
        results = race(
            lambda: services.record_progress(item, viewer, position=10, watched_from=0, watched_to=10),
            lambda: services.record_progress(item, viewer, position=20, watched_from=10, watched_to=20),
        )
        assert not [result for result in results if isinstance(result, Exception)], results
        row = ViewerProgress.objects.get()
        assert row.watched_seconds == 20
        assert [services.is_set(row.watched, index) for index in range(4)] == [True] * 4
        assert Play.objects.get().watched_seconds == 20


def test_two_presses_at_once_make_one_play(item):
    for _round in range(5):
        viewer = viewer_id()
        press = lambda viewer=viewer: services.record_play(item, viewer)  # noqa: E731
        results = race(press, press)
        assert not [result for result in results if isinstance(result, Exception)], results
        assert Play.objects.filter(viewer=viewer).count() == 1
        assert ViewerProgress.objects.filter(viewer=viewer).count() == 1
        assert sorted(created for _play, created in results) == [False, True]


def test_first_beacons_at_once_make_one_progress_row(item):
    viewer = viewer_id()
    results = race(*[lambda: services.record_progress(item, viewer, position=3) for _ in range(3)])
    assert not [result for result in results if isinstance(result, Exception)], results
    assert ViewerProgress.objects.filter(viewer=viewer).count() == 1
