"""The project-wide URL walk (``xuanchuan/tests/test_url_scoping.py``) over this part's routes
only, so the review's pages and API are proven scoped whatever the other parts' state."""

from __future__ import annotations

import pytest

from xuanchuan.tests import test_url_scoping as walk

MINE = (
    "publishing:publication_",
    "publishing:task_",
    "publishing:attachment_",
    "publishing:review_queue",
    "publishing:notice_list",
    "api:publishing_review_",
)


@pytest.mark.django_db
def test_the_review_part_leaks_nothing_to_an_outsider(monkeypatch, client, district, alice, bob, charlie, dora):
    routes = [route for route in walk.all_routes() if route.name.startswith(MINE)]
    assert len(routes) >= 16
    monkeypatch.setattr(walk, "all_routes", lambda: routes)
    walk.test_outsider_sees_nothing_of_a_sibling_unit(client, district, alice, bob, charlie, dora)
