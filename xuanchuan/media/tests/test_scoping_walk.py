"""The project's outsider walk (``xuanchuan/tests/test_url_scoping.py``) over this app's pages and
its API (``/api/media/``) only: charlie (西城街道) sees nothing of 东城街道's outreach records."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from xuanchuan.tests import test_url_scoping as walk


@pytest.fixture
def only_media_routes(monkeypatch) -> None:
    every = walk.all_routes

    def media_routes() -> list[walk.Route]:
        routes = [r for r in every() if r.name.startswith(("media:", "api:media_"))]
        assert any(r.name == "api:media_campaign_totals" for r in routes)
        assert any(r.name == "media:campaign_detail" for r in routes)
        return routes

    monkeypatch.setattr(walk, "all_routes", media_routes)


@pytest.mark.django_db
def test_outsider_walk_over_media(only_media_routes, client, district, alice, bob, charlie, dora) -> None:
    walk.test_outsider_sees_nothing_of_a_sibling_unit(client, district, alice, bob, charlie, dora)


def test_media_views_read_only_through_the_scoping_rule() -> None:
    """The project's lint over this app's views and API: no ``Model.objects.`` without visible_to."""
    app = Path(__file__).resolve().parents[1]
    offenders = [
        f"{path.name}:{number}: {line.strip()}"
        for path in (app / "views.py", app / "api.py")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"\b[A-Z]\w+\.objects\.(?!visible_to\b)", line) and "scoping: allowed" not in line
    ]
    assert not offenders
