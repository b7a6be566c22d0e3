"""Two submissions of the same person, arrival and phone at the same moment make one record;
with different phones each is a record and exactly one holds the day.

Meaningful on PostgreSQL, where the two transactions really run side by side and the unique
``dedupe_key`` decides; SQLite takes a database-wide write lock (``BEGIN IMMEDIATE``), so the
submissions cannot overlap there and the test is skipped.
"""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.utils import timezone

from xuanchuan.arrivals import services
from xuanchuan.arrivals.models import Registration

THREADS = 6


@pytest.mark.django_db(transaction=True)
def test_concurrent_duplicate_submissions_make_one_record(district) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises every write transaction: concurrent inserts cannot race there")
    data = {
        "name": "赵六", "document_type": "resident_id", "id_number": "11010119900307109X",
        "phone": "13812345678", "origin_code": "420102", "via_codes": "", "travel_notes": "",
        "transport": "car", "trip_number": "", "arrival_date": timezone.localdate() - timedelta(days=1),
        "address": "幸福小区", "health_status": "healthy", "symptoms": "",
    }  # fmt: skip
    barrier = threading.Barrier(THREADS)
    results: list[services.Submission] = []
    errors: list[BaseException] = []

    def submit() -> None:
        try:
            barrier.wait()
            results.append(services.register_arrival(data, community=district.east_community))
        except BaseException as error:  # reported below, in the test's thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert not errors, errors
    assert Registration.objects.count() == 1
    assert sum(result.created for result in results) == 1
    assert {result.registration.receipt_code for result in results} == {Registration.objects.get().receipt_code}


@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_with_different_phones_hold_the_day_once(district) -> None:
    """The same document number and day from six phones at once: six records, one of them holds
    the day key, the other five are the possible duplicates."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises every write transaction: concurrent inserts cannot race there")
    data = {
        "name": "赵六", "document_type": "resident_id", "id_number": "11010119900307109X",
        "origin_code": "420102", "via_codes": "", "travel_notes": "", "transport": "car", "trip_number": "",
        "arrival_date": timezone.localdate() - timedelta(days=1), "address": "幸福小区",
        "health_status": "healthy", "symptoms": "",
    }  # fmt: skip
    barrier = threading.Barrier(THREADS)
    results: list[services.Submission] = []
    errors: list[BaseException] = []

    def submit(number: int) -> None:
        try:
            barrier.wait()
            phone = f"1381234560{number}"
            results.append(services.register_arrival({**data, "phone": phone}, community=district.east_community))
        except BaseException as error:  # reported below, in the test's thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit, args=(number,)) for number in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert not errors, errors
    assert all(result.created for result in results) and Registration.objects.count() == THREADS
    assert Registration.objects.filter(day_key__isnull=False).count() == 1
    assert sum(row.possible_duplicate for row in Registration.objects.all()) == THREADS - 1


@pytest.mark.django_db(transaction=True)
def test_two_opposite_merges_cannot_both_succeed(district) -> None:
    """X into Y and Y into X at the same moment: one merges, the other is refused, never both."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises every write transaction: concurrent merges cannot race there")
    from xuanchuan.arrivals.models import FollowUpStatus
    from xuanchuan.arrivals.tests.scoping import make_registration
    from xuanchuan.conftest import make_person
    from xuanchuan.org.models import RoleCode

    worker = make_person("merger", district.east_community, RoleCode.COMMUNITY_WORKER)
    first = make_registration(district.east_community, id_number="E55555555")
    second = make_registration(
        district.east_community, id_number="E55555555", arrival_date=timezone.localdate() - timedelta(days=4)
    )
    barrier = threading.Barrier(2)
    outcomes: list[str] = []
    errors: list[BaseException] = []

    def merge(keep_pk: int, duplicate_pk: int) -> None:
        try:
            keep, duplicate = Registration.objects.get(pk=keep_pk), Registration.objects.get(pk=duplicate_pk)
            barrier.wait()
            services.merge_registrations(keep, duplicate, by=worker)
            outcomes.append("merged")
        except services.ServiceError:
            outcomes.append("refused")
        except BaseException as error:  # reported below, in the test's thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=merge, args=(first.pk, second.pk)),
        threading.Thread(target=merge, args=(second.pk, first.pk)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert not errors, errors
    assert sorted(outcomes) == ["merged", "refused"]
    statuses = sorted(
        Registration.objects.filter(pk__in=[first.pk, second.pk]).values_list("follow_up_status", flat=True)
    )
    assert statuses.count(FollowUpStatus.MERGED) == 1
