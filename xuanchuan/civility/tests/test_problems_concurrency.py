"""A report sent twice at the same moment (the phone's queue and a retry, an Open311 client's
retry) is stored once on PostgreSQL: both sends answer the same problem."""

from __future__ import annotations

import threading

import pytest
from django.conf import settings
from django.db import connections

from xuanchuan.civility.models import ApiClient, Category, Problem
from xuanchuan.civility.services import problems as services
from xuanchuan.civility.tests.standard import restore_default_standard
from xuanchuan.conftest import make_person
from xuanchuan.org.models import RoleCode

# Skipped before any database set-up elsewhere: a transactional test flushes the tables (and with
# them the standard's categories of the data migration) for the tests after it.
pytestmark = [
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="concurrent sends are tested on PostgreSQL (DATABASE_URL=postgres://…)",
    ),
    # Not serialized_rollback: reloading the serialized rows collides with content types another
    # transactional test left behind; the migrated standard is brought back by ``_standard``.
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture(autouse=True)
def _standard(db):
    """The default standard of the data migration, again where a transactional test flushed it."""
    restore_default_standard()


def race(*calls):
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index, call):
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


def test_two_sends_of_one_report_at_once_store_it_once(district):
    inspector = make_person("ducha", district.publicity, RoleCode.CIVILITY_INSPECTOR)
    category = Category.objects.filter(standard__is_current=True).first()
    key = "0c8f4e0e-3a53-4a7c-9a43-3f0e5d1f7b21"

    def send():
        return services.record_problem(
            by=inspector, category=category, address="东城路 1 号", description="同时发送", client_key=key
        )

    for _ in range(3):
        results = race(send, send)
        assert all(isinstance(result, Problem) for result in results), results
        assert results[0].pk == results[1].pk
    assert Problem.objects.filter(client_key=key).count() == 1


def test_two_sends_of_one_citizens_report_at_once_store_it_once(district):
    client = ApiClient.objects.create(unit=district.publicity, name="热线", key_prefix="k", key_hash="y" * 64)
    category = Category.objects.filter(standard__is_current=True).first()

    def send():
        return services.report_from_client(
            client=client, category=category, description="路灯不亮", address="西路", client_key="open311-42"
        )

    results = race(send, send)
    assert all(isinstance(result, Problem) for result in results), results
    assert results[0].pk == results[1].pk
    assert Problem.objects.filter(client_key="open311-42").count() == 1
