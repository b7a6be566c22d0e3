"""The viewers part of the API (/api/theory/viewers/): the public items (published only, by
category and words; no viewer ids, no pending questions) and the staff list of questions in scope."""

from __future__ import annotations

import pytest
from django.urls import reverse

from xuanchuan.theory.services import viewers as services
from xuanchuan.theory.tests.factories import make_category, make_item, viewer_id

pytestmark = pytest.mark.django_db


@pytest.fixture
def items(district):
    east = make_category(district.east, name="党的创新理论")
    west = make_category(district.west, name="身边故事")
    shown = make_item(east, title="微宣讲：全国两会精神")
    other = make_item(west, title="身边的好党员", speaker="李书记")
    make_item(east, title="草稿课程", published=False)
    return shown, other


def test_public_items_list_and_filters(client, items):
    shown, other = items
    services.record_play(shown, viewer_id())
    rows = client.get(reverse("api:theory_viewers_item_list")).json()["items"]
    assert [row["title"] for row in rows] == ["身边的好党员", "微宣讲：全国两会精神"]
    assert rows[1]["plays"] == 1
    assert "viewer" not in str(rows)
    by_category = client.get(reverse("api:theory_viewers_item_list"), {"category": other.category_id}).json()
    assert [row["title"] for row in by_category["items"]] == ["身边的好党员"]
    found = client.get(reverse("api:theory_viewers_item_list"), {"q": "李书记"}).json()
    assert [row["title"] for row in found["items"]] == ["身边的好党员"]


def test_public_item_detail_shows_only_shown_questions(client, items, bob):
    shown, _other = items
    asker = viewer_id()
    hidden = services.ask_question(shown, asker, text="这是一个待审核的问题")
    public = services.ask_question(shown, asker, text="这是一个已公开的问题")
    services.approve_question(public, by=bob)
    services.answer_question(public, answer="解答内容", by=bob)
    body = client.get(reverse("api:theory_viewers_item_detail", kwargs={"item_id": shown.pk})).json()
    assert [q["text"] for q in body["questions"]] == ["这是一个已公开的问题"]
    assert body["questions"][0]["answer"] == "解答内容"
    assert asker not in str(body) and hidden.text not in str(body)


def test_unpublished_and_missing_items_are_404(client, district, items):
    draft = make_item(make_category(district.east, name="草稿"), published=False)
    for pk in (draft.pk, 999999):
        assert client.get(reverse("api:theory_viewers_item_detail", kwargs={"item_id": pk})).status_code == 404


def test_bad_parameters_are_4xx(client, items):
    url = reverse("api:theory_viewers_item_list")
    for params in ({"category": "x"}, {"category": "0"}, {"q": "长" * 51}, {"limit": "0"}):
        assert 400 <= client.get(url, params).status_code < 500


def test_staff_questions_in_scope(client, items, bob, charlie, dora):
    shown, other = items
    services.ask_question(shown, viewer_id(), text="东城的一个待审核问题")
    services.ask_question(other, viewer_id(), text="西城的一个待审核问题")
    url = reverse("api:theory_viewers_question_list")
    assert client.get(url).status_code in (401, 403)
    client.force_login(charlie)
    texts = [row["text"] for row in client.get(url).json()["items"]]
    assert texts == ["西城的一个待审核问题"]
    client.force_login(bob)
    rows = client.get(url, {"status": "pending"}).json()["items"]
    assert [row["text"] for row in rows] == ["东城的一个待审核问题"]
    assert "viewer" not in rows[0]
    client.force_login(dora)
    assert client.get(url).status_code == 403
