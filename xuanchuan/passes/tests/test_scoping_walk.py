"""The project's outsider walk over this app's pages and its API (``/api/passes/``).

``xuanchuan/tests/test_url_scoping.py`` walks every URL of the project as the sibling street's
reporter; these tests run the same walk over the pass system's routes only, and once more as the
sibling street's checkpoint guard, who may use the checkpoint page and API but sees nothing of 东城.
"""

from __future__ import annotations

import pytest

from xuanchuan.tests import test_url_scoping as walk


@pytest.fixture
def only_passes_routes(monkeypatch) -> None:
    every = walk.all_routes

    def passes_routes() -> list[walk.Route]:
        routes = [r for r in every() if r.name.startswith(("passes:", "api:passes_"))]
        assert any(r.name == "api:passes_pass_detail" for r in routes)
        return routes

    monkeypatch.setattr(walk, "all_routes", passes_routes)


@pytest.mark.django_db
def test_outsider_walk_over_passes(only_passes_routes, client, district, alice, bob, charlie, dora) -> None:
    walk.test_outsider_sees_nothing_of_a_sibling_unit(client, district, alice, bob, charlie, dora)


@pytest.mark.django_db
def test_outsider_guard_walk_over_passes(only_passes_routes, client, district, alice, bob, oscar, dora) -> None:
    """A checkpoint guard of the sibling street sees its own checkpoint page but nothing of 东城."""
    walk.test_outsider_sees_nothing_of_a_sibling_unit(client, district, alice, bob, oscar, dora)
