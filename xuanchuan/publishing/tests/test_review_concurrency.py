"""Transitions racing on PostgreSQL: two reviewers approving the same step at once, two submits
of one draft — one wins, the other is refused; the "one in progress" constraints hold."""

from __future__ import annotations

import threading

import pytest
from django.db import IntegrityError, connection, connections, transaction

from xuanchuan.conftest import make_person
from xuanchuan.core.services import ServiceError
from xuanchuan.org.models import RoleCode
from xuanchuan.publishing.models import ReviewRound, ReviewTask, TaskStatus
from xuanchuan.publishing.services import review
from xuanchuan.publishing.tests.scoping_review import publication, reviewers

pytestmark = pytest.mark.django_db(transaction=True)


def race(*calls):
    """Run the calls at the same moment in threads of their own; what each returned or raised."""
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


@pytest.fixture
def postgres():
    if connection.vendor != "postgresql":
        pytest.skip("row locks are tested on PostgreSQL (DATABASE_URL=postgres://…)")


@pytest.fixture
def people(district, bob, monkeypatch):
    monkeypatch.setattr(review, "proofread", lambda text, publication=None: [])
    return {"bob": bob, **reviewers(district)}


def test_two_reviewers_approving_one_step_at_once(postgres, district, people):
    other = make_person("shen1b", district.publicity, RoleCode.REVIEWER_FIRST)
    item = publication(people["bob"], district)
    review.submit(item, by=people["bob"])
    task = review.active_task(item)
    results = race(lambda: review.approve(task, by=people["shen1"]), lambda: review.approve(task, by=other))
    assert sum(isinstance(result, ReviewTask) for result in results) == 1
    assert sum(isinstance(result, ServiceError) for result in results) == 1
    tasks = ReviewTask.objects.filter(round__publication=item)
    assert list(tasks.order_by("started_at").values_list("step", "status")) == [
        ("first", TaskStatus.APPROVED),
        ("second", TaskStatus.IN_PROGRESS),
    ]


def test_two_submits_of_one_draft_at_once(postgres, district, people):
    item = publication(people["bob"], district)
    results = race(lambda: review.submit(item, by=people["bob"]), lambda: review.submit(item, by=people["bob"]))
    assert sum(isinstance(result, ReviewRound) for result in results) == 1
    assert ReviewRound.objects.filter(publication=item).count() == 1


def test_the_database_holds_one_active_round_and_task(district, people):
    item = publication(people["bob"], district)
    first_round = review.submit(item, by=people["bob"])
    with pytest.raises(IntegrityError), transaction.atomic():
        ReviewRound.objects.create(publication=item, version=first_round.version)
    task = review.active_task(item)
    with pytest.raises(IntegrityError), transaction.atomic():
        ReviewTask.objects.create(round=first_round, step="second", version=task.version, due_at=task.due_at)
