"""What the volunteers app's race tests share: running calls at the same moment in threads, the
PostgreSQL-only mark, and the migrated roles back after a transactional test.

A race needs real concurrent transactions, so these tests run only on PostgreSQL and are
transactional WITHOUT ``serialized_rollback`` (reloading the serialized rows collides with content
types another transactional test left behind; see civility's ``test_problems_concurrency``). The
flush after such a test removes the roles of the data migration; ``restore_roles`` makes them
again for the tests that need more than ``conftest.role`` gets or creates."""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.db import connections


def postgresql_only(what: str) -> pytest.MarkDecorator:
    """Skip where the database is not PostgreSQL, decided from the settings before any database
    set-up (a transactional test run elsewhere would only flush the tables of the tests after it).
    ``what`` names what is raced, for the reason shown."""
    return pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason=f"{what} are tested on PostgreSQL (DATABASE_URL=postgres://…)",
    )


def race(*calls: Callable[[], Any]) -> list[Any]:
    """Run ``calls`` at the same moment, each in a thread of its own released by one barrier, and
    return what each returned or raised, in order (the outcome is what the test looks at). Each
    thread closes its database connections, so none is left open for the flush after the test."""
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


def restore_roles() -> None:
    """The roles of the data migration, again where an earlier transactional test flushed them."""
    from django.apps import apps

    importlib.import_module("xuanchuan.org.migrations.0002_default_roles").create_roles(apps, None)
