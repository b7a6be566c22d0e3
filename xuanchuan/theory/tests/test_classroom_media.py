"""The classroom's media and poster views: public for a published item, staff-in-scope only for
a draft or withdrawn one (404 to everyone else), ranges answered, nginx hand-off."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from xuanchuan.conftest import verified_login
from xuanchuan.theory.models import ItemStatus
from xuanchuan.theory.tests.factories import DEMO_MEDIA, make_category, make_item

pytestmark = pytest.mark.django_db


@pytest.fixture
def category(district):
    return make_category(district.east)


def media_url(item) -> str:
    return reverse("theory:m_item_media", args=[item.pk])


def poster_url(item) -> str:
    return reverse("theory:m_item_poster", args=[item.pk])


def content(response) -> bytes:
    """The body (the test client closes a streamed response once it is read to the end)."""
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_a_published_item_is_played_to_anyone_with_ranges(client, category):
    item = make_item(category)
    whole = (DEMO_MEDIA / "lecture-a.mp4").read_bytes()
    response = client.get(media_url(item))
    assert response.status_code == 200
    assert response["Content-Type"] == "video/mp4"
    assert "public" in response["Cache-Control"] and "max-age=" in response["Cache-Control"]
    assert content(response) == whole
    response = client.get(media_url(item), headers={"Range": "bytes=0-99"})
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes 0-99/{len(whole)}"
    assert content(response) == whole[:100]
    response = client.get(media_url(item), headers={"Range": f"bytes={len(whole)}-"})
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{len(whole)}"
    assert client.head(media_url(item)).status_code == 200


@pytest.mark.parametrize("status", [ItemStatus.DRAFT, ItemStatus.WITHDRAWN])
def test_an_unpublished_item_is_404_to_anonymous_and_outsiders(client, category, charlie, status):
    item = make_item(category, published=False)
    item.status = status
    item.save()
    assert client.get(media_url(item)).status_code == 404
    verified_login(client, charlie)
    assert client.get(media_url(item)).status_code == 404


def test_an_unpublished_item_is_played_to_staff_in_scope_not_cached(client, verified_client, category, bob, alice):
    item = make_item(category, published=False)
    for user in (bob, alice):
        verified_client(user)
        response = client.get(media_url(item), headers={"Range": "bytes=0-9"})
        assert response.status_code == 206
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
        content(response)


def test_a_user_without_a_unit_gets_404_for_a_draft(client, category, django_user_model):
    item = make_item(category, published=False)
    client.force_login(django_user_model.objects.create_user(username="nounit", password="x" * 12))
    assert client.get(media_url(item)).status_code == 404


def test_poster_404_without_one_and_served_with_one(client, category):
    item = make_item(category)
    assert client.get(poster_url(item)).status_code == 404
    item.poster.save("p.jpg", ContentFile((DEMO_MEDIA / "lecture-a.jpg").read_bytes()))
    response = client.get(poster_url(item))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert content(response)[:2] == b"\xff\xd8"


def test_unknown_and_huge_pk_are_404(client, category):
    assert client.get("/theory/m/classroom/999999/media").status_code == 404
    assert client.get("/theory/m/classroom/99999999999999999999999/media").status_code == 404


def test_post_is_refused(client, category):
    item = make_item(category)
    assert client.post(media_url(item)).status_code == 405


def test_with_the_accel_prefix_nginx_sends_the_bytes(client, category, settings):
    settings.THEORY_MEDIA_ACCEL_PREFIX = "/_protected_media/"
    item = make_item(category)
    response = client.get(media_url(item), headers={"Range": "bytes=0-9"})
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == "/_protected_media/" + item.media.name
    assert response["Content-Type"] == "video/mp4"
    assert "public" in response["Cache-Control"]
    assert response.content == b""
