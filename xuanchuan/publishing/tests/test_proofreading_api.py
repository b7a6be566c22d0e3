"""``POST /api/publishing/proofreading/check``: findings of a text for signed-in staff."""

from __future__ import annotations

import pytest

from xuanchuan.publishing import proofreading
from xuanchuan.publishing.models import Publication
from xuanchuan.publishing.services import lexicons

pytestmark = pytest.mark.django_db
URL = "/api/publishing/proofreading/check"


@pytest.fixture(autouse=True)
def _fresh_checker():
    proofreading.CHECKER.forget()
    proofreading.SITE_ALLOW.forget()


def post(client, payload):
    return client.post(URL, payload, content_type="application/json")


def test_findings_of_a_text(client, bob) -> None:
    client.force_login(bob)
    response = post(client, {"text": "第一行\n坚持扫H除E工作,好。"})
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == len(data["findings"]) >= 2
    first = data["findings"][0]
    assert first["text"] == "扫H除E" and first["suggestion"] == "扫黑除恶" and first["severity"] == "high"
    assert (first["start"], first["end"], first["line"], first["column"]) == (6, 10, 2, 3)
    assert first["kind_label"] == "规范表述"
    assert data["blocking"] >= 1


def test_signed_in_only_and_bounded(client, bob) -> None:
    assert post(client, {"text": "好"}).status_code == 401
    client.force_login(bob)
    assert post(client, {"text": "字" * (proofreading.MAX_TEXT_CHARS + 1)}).status_code == 422
    assert post(client, {}).status_code == 422
    assert post(client, {"text": "a\x00b"}).status_code == 400
    assert post(client, {"text": "好", "publication": 0}).status_code == 422


def test_a_publication_allow_list_applies_and_another_units_is_404(client, district, bob, charlie) -> None:
    theirs = Publication.objects.create(unit=district.east, title="东城稿件", created_by=bob)
    lexicons.allow_finding(kind="placeholder", text="XX", publication=theirs, by=bob)
    client.force_login(bob)
    texts = [f["text"] for f in post(client, {"text": "共XX人。", "publication": theirs.pk}).json()["findings"]]
    assert "XX" not in texts
    assert "XX" in [f["text"] for f in post(client, {"text": "共XX人。"}).json()["findings"]]
    client.force_login(charlie)
    assert post(client, {"text": "共XX人。", "publication": theirs.pk}).status_code == 404
