"""The review's API: the same rules as the pages (403 for a permission, 400 for a rule, 404 for
another unit's record), bounded input."""

from __future__ import annotations

import pytest

from xuanchuan.publishing.models import PublicationStatus
from xuanchuan.publishing.services import review
from xuanchuan.publishing.tests.scoping_review import publication, reviewers
from xuanchuan.tests.test_api_fuzz import api_schema  # noqa: F401 (the fixture, used by name)

pytestmark = pytest.mark.django_db
API = "/api/publishing"


@pytest.fixture
def people(district, bob, monkeypatch):
    monkeypatch.setattr(review, "proofread", lambda text, publication=None: [])
    return {"bob": bob, **reviewers(district)}


def test_queue_claim_approve_and_return_through_the_api(client, district, people):
    item = publication(people["bob"], district)
    review.submit(item, by=people["bob"])
    client.force_login(people["shen1"])
    queue = client.get(f"{API}/review/queue").json()
    assert queue["count"] == 1 and queue["items"][0]["holder"] is None
    task_id = queue["items"][0]["id"]
    claimed = client.post(f"{API}/review/tasks/{task_id}/claim", content_type="application/json").json()
    assert claimed["holder"] == "初审员"
    detail = client.get(f"{API}/publications/{item.pk}").json()
    assert detail["holder"] == "初审员" and detail["claimed_at"] and detail["status_label"] == "初审中"
    response = client.post(f"{API}/review/tasks/{task_id}/approve", {"comment": "好"}, content_type="application/json")
    assert response.status_code == 200
    client.force_login(people["shen2"])
    second = client.get(f"{API}/review/queue").json()["items"][0]["id"]
    response = client.post(f"{API}/review/tasks/{second}/return", {"reason": ""}, content_type="application/json")
    assert response.status_code == 400 and "退回理由" in response.json()["detail"]
    response = client.post(f"{API}/review/tasks/{second}/return", {"reason": 5}, content_type="application/json")
    assert response.status_code == 422
    response = client.post(f"{API}/review/tasks/{second}/return", {"reason": "核实"}, content_type="application/json")
    assert response.status_code == 200
    item.refresh_from_db()
    assert item.status == PublicationStatus.RETURNED
    client.force_login(people["bob"])
    notices = client.get(f"{API}/notices", {"unread": "true"}).json()
    assert any("核实" in notice["text"] for notice in notices["items"])


def test_refusals_are_403_and_400(client, district, people):
    item = publication(people["bob"], district)
    review.submit(item, by=people["bob"])
    task = review.active_task(item)
    client.force_login(people["shen2"])
    assert client.post(f"{API}/review/tasks/{task.pk}/claim").status_code == 403
    review.approve(task, by=people["shen1"])
    client.force_login(people["shen1"])
    response = client.post(f"{API}/review/tasks/{task.pk}/approve", {}, content_type="application/json")
    assert response.status_code == 400 and "已经办理" in response.json()["detail"]


def test_outsider_gets_404_and_an_empty_list(client, district, people, charlie):
    item = publication(people["bob"], district)
    review.submit(item, by=people["bob"])
    client.force_login(charlie)
    assert client.get(f"{API}/publications/{item.pk}").status_code == 404
    assert client.get(f"{API}/publications").json()["count"] == 0
    assert client.get(f"{API}/publications", {"status": "nonsense"}).status_code == 422


def test_the_review_endpoints_survive_fuzzing(district, bob, people, request):
    """The project's schemathesis fuzzing (``xuanchuan/tests/test_api_fuzz.py``) over this part's
    operations only, with a publication in review to find."""
    from xuanchuan.tests import test_api_fuzz as fuzzing

    item = publication(people["bob"], district)
    review.submit(item, by=people["bob"])
    schema = request.getfixturevalue("api_schema")
    operations = [
        result.ok()
        for result in schema.get_all_operations()
        if result.ok().path.startswith(
            ("/api/publishing/publications", "/api/publishing/review", "/api/publishing/notices")
        )
    ]
    assert len(operations) == 7
    failures = {}
    for operation in operations:
        for case in fuzzing.boundary_cases(operation):
            if case.call().status_code >= 500:
                failures[operation.label] = f"path={case.path_parameters} query={case.query}"
        try:
            fuzzing.fuzz(operation)
        except Exception as exc:  # noqa: BLE001 (every operation tried, failures reported together)
            failures[operation.label] = str(exc)[:2000]
    assert not failures, failures
