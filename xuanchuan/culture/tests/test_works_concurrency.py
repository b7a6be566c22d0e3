"""The works part's rules hold when people act at the same moment, on PostgreSQL: two reviewers
deciding one work at once (the second same decision is refused in Chinese), a call closed while a
resident submits (the work is in before the close, or refused — never taken after it), and the
exhibition opened twice at once."""

from __future__ import annotations

import pytest

from xuanchuan.core.services import ServiceError
from xuanchuan.culture.models import CallForWorks, CallStatus, Submission, SubmissionStatus
from xuanchuan.culture.services import works as services
from xuanchuan.culture.tests.factories_works import make_call, make_submission, submission_input
from xuanchuan.volunteers.tests.races import postgresql_only, race

# Decided before any database set-up: the transactional tests below flush the tables.
pytestmark = [postgresql_only("concurrent changes"), pytest.mark.django_db(transaction=True)]


def test_accepted_twice_at_once(district, bob, alice):
    work = make_submission(make_call(district.east))
    results = race(
        lambda: services.decide(work, accept=True, by=bob),
        lambda: services.decide(work, accept=True, by=alice),
    )
    refused = [r for r in results if isinstance(r, ServiceError)]
    assert len(refused) == 1 and "已经是" in refused[0].messages[0], results
    work.refresh_from_db()
    assert work.status == SubmissionStatus.ACCEPTED and work.decided_by in (bob, alice)


def test_closed_while_a_work_is_submitted(district, bob):
    call = make_call(district.east)
    results = race(
        lambda: services.submit_work(call, submission_input()),
        lambda: services.close_call(call, by=bob),
    )
    call.refresh_from_db()
    assert call.status == CallStatus.CLOSED
    if isinstance(results[0], ServiceError):
        assert "已经截止" in results[0].messages[0] and not Submission.objects.exists()
    else:
        assert Submission.objects.get().created_at <= call.closes_at


def test_exhibition_opened_twice_at_once(district, bob, alice):
    call = make_call(district.east, status=CallStatus.CLOSED)
    results = race(
        lambda: services.set_exhibition(call, open=True, by=bob),
        lambda: services.set_exhibition(call, open=True, by=alice),
    )
    assert len([r for r in results if isinstance(r, ServiceError)]) == 1, results
    assert CallForWorks.objects.get(pk=call.pk).exhibition_open
