"""The classroom's staff pages: categories, items (list with filters, search, Excel and a bounded
number of queries; detail; edit; publish, withdraw and delete behind a confirmation), scope and
role, and the to-dos."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from xuanchuan.conftest import verified_login
from xuanchuan.theory.models import Category, ClassItem, ItemStatus
from xuanchuan.theory.tests.factories import AUDIO_MP3, make_category, make_item
from xuanchuan.theory.todos_classroom import todos

pytestmark = pytest.mark.django_db


def body_of(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def staff(client, bob):
    return verified_login(client, bob)


@pytest.fixture
def category(district):
    return make_category(district.east)


def test_category_create_edit_deactivate_activate(staff, district):
    response = staff.post(reverse("theory:category_create"), {"name": "政策解读", "order": 2})
    assert response.status_code == 302
    category = Category.objects.get(name="政策解读")
    assert category.unit == district.east and category.order == 2
    duplicate = staff.post(reverse("theory:category_create"), {"name": "政策解读", "order": 1})
    assert duplicate.status_code == 400
    assert "已有名为" in duplicate.content.decode()
    assert Category.objects.count() == 1
    response = staff.post(reverse("theory:category_edit", args=[category.pk]), {"name": "政策解读（新）", "order": 1})
    assert response.status_code == 302
    category.refresh_from_db()
    assert category.name == "政策解读（新）" and category.order == 1
    url = reverse("theory:category_deactivate", args=[category.pk])
    assert "停用类别" in staff.get(url).content.decode()
    category.refresh_from_db()
    assert category.active  # GET only asks
    staff.post(url)
    category.refresh_from_db()
    assert not category.active
    staff.post(reverse("theory:category_activate", args=[category.pk]))
    category.refresh_from_db()
    assert category.active


def test_empty_category_name_is_refused(staff):
    response = staff.post(reverse("theory:category_create"), {"name": "  ", "order": 0})
    assert response.status_code == 400
    assert not Category.objects.exists()


def test_category_list_scope_and_excel(staff, client, district, charlie, dora, django_assert_max_num_queries):
    make_category(district.east, "东城类别")
    make_category(district.west, "西城类别")
    for number in range(20):
        make_category(district.east_community, f"社区类别{number}", order=number)
    with django_assert_max_num_queries(14):
        page = staff.get(reverse("theory:category_list")).content.decode()
    assert "东城类别" in page and "西城类别" not in page
    export = staff.get(reverse("theory:category_list"), {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(body_of(export))).active
    cells = [cell for row in sheet.iter_rows(values_only=True) for cell in row]
    assert "东城类别" in cells and "西城类别" not in cells
    staff.logout()
    verified_login(client, charlie)
    assert (
        client.get(reverse("theory:category_edit", args=[Category.objects.get(name="东城类别").pk])).status_code == 404
    )
    client.logout()
    verified_login(client, dora)
    assert client.get(reverse("theory:category_list")).status_code == 403


def test_item_list_filters_search_and_bounded_queries(staff, district, category, django_assert_max_num_queries):
    other = make_category(district.east, "身边故事", order=1)
    for number in range(12):
        make_item(category if number % 2 else other, title=f"课程{number}", published=number % 3 == 0)
    make_item(other, title="音频一讲", media=AUDIO_MP3, published=False)
    make_item(make_category(district.west), title="西城的课")
    url = reverse("theory:item_list")
    with django_assert_max_num_queries(16):
        page = staff.get(url)
    body = page.content.decode()
    assert page.status_code == 200 and "课程11" in body and "西城的课" not in body
    assert "共 13 条" in body
    assert "音频一讲" in staff.get(url, {"kind": "audio"}).content.decode()
    assert "课程0" not in staff.get(url, {"kind": "audio"}).content.decode()
    drafts = staff.get(url, {"status": "draft"}).content.decode()
    assert "课程1<" in drafts and "课程0<" not in drafts
    assert "课程3" in staff.get(url, {"q": "课程3"}).content.decode()
    assert "课程4" not in staff.get(url, {"q": "课程3"}).content.decode()
    assert "课程0" not in staff.get(url, {"category": category.pk}).content.decode()
    export = staff.get(url, {"export": "xlsx", "kind": "audio"})
    sheet = load_workbook(io.BytesIO(body_of(export))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "标题"
    assert [row[0] for row in rows[1:]] == ["音频一讲"]


def test_item_detail_shows_a_player(staff, category):
    item = make_item(category)
    body = staff.get(reverse("theory:item_detail", args=[item.pk])).content.decode()
    assert reverse("theory:m_item_media", args=[item.pk]) in body
    assert "<video" in body and "0:20" in body


def test_publish_withdraw_and_republish(staff, category):
    item = make_item(category, published=False)
    url = reverse("theory:item_publish", args=[item.pk])
    assert "发布" in staff.get(url).content.decode()
    item.refresh_from_db()
    assert item.status == ItemStatus.DRAFT
    staff.post(url)
    item.refresh_from_db()
    assert item.status == ItemStatus.PUBLISHED and item.published_at is not None
    # The media is public now.
    staff.logout()
    assert staff.get(reverse("theory:m_item_media", args=[item.pk]), headers={"Range": "bytes=0-9"}).status_code == 206


def test_withdraw_hides_the_media_from_the_public(client, bob, category):
    item = make_item(category)
    verified_login(client, bob)
    client.post(reverse("theory:item_withdraw", args=[item.pk]))
    item.refresh_from_db()
    assert item.status == ItemStatus.WITHDRAWN
    client.logout()
    assert client.get(reverse("theory:m_item_media", args=[item.pk])).status_code == 404
    # Withdrawing twice is refused with a message, nothing changes.
    verified_login(client, bob)
    response = client.post(reverse("theory:item_withdraw", args=[item.pk]), follow=True)
    assert "只能撤下已发布的课程" in response.content.decode()


def test_publishing_into_a_stopped_category_is_refused(staff, category):
    item = make_item(category, published=False)
    Category.objects.filter(pk=category.pk).update(active=False)
    response = staff.post(reverse("theory:item_publish", args=[item.pk]), follow=True)
    assert "类别已停用" in response.content.decode()
    item.refresh_from_db()
    assert item.status == ItemStatus.DRAFT


def test_delete_a_draft_removes_its_files(staff, category, django_capture_on_commit_callbacks):
    item = make_item(category, published=False)
    path = Path(item.media.path)
    assert path.exists()
    url = reverse("theory:item_delete", args=[item.pk])
    assert "删除" in staff.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(url)
    assert response.status_code == 302
    assert not ClassItem.objects.exists()
    assert not path.exists()


def test_a_published_item_cannot_be_deleted(staff, category):
    item = make_item(category)
    staff.post(reverse("theory:item_delete", args=[item.pk]))
    assert ClassItem.objects.filter(pk=item.pk).exists()
    assert Path(item.media.path).exists()


def test_item_edit(staff, district, category):
    item = make_item(category, published=False)
    other = make_category(district.east, "身边故事")
    url = reverse("theory:item_edit", args=[item.pk])
    assert staff.get(url).status_code == 200
    response = staff.post(url, {"title": "新标题", "category": other.pk, "speaker": "李讲", "duration": "1:02:03"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.title, item.category, item.speaker, item.duration_seconds) == ("新标题", other, "李讲", 3723)
    bad = staff.post(url, {"title": "x", "category": other.pk, "duration": "abc"})
    assert bad.status_code == 400 and "分:秒" in bad.content.decode()
    west = make_category(district.west, "西城类别")
    foreign = staff.post(url, {"title": "x", "category": west.pk})
    assert foreign.status_code == 400
    item.refresh_from_db()
    assert item.category == other


def test_outsider_and_roles_on_item_pages(client, district, category, charlie, dora, alice):
    item = make_item(category, published=False)
    verified_login(client, charlie)
    for name in ("item_detail", "item_edit", "item_publish", "item_withdraw", "item_delete"):
        assert client.get(reverse(f"theory:{name}", args=[item.pk])).status_code == 404
        assert client.post(reverse(f"theory:{name}", args=[item.pk])).status_code == 404
    item.refresh_from_db()
    assert item.status == ItemStatus.DRAFT
    client.logout()
    verified_login(client, dora)  # sees theory work in her community, but may not manage the classroom
    assert client.get(reverse("theory:item_publish", args=[item.pk])).status_code in (403, 404)
    client.logout()
    verified_login(client, alice)
    assert client.get(reverse("theory:item_detail", args=[item.pk])).status_code == 200
    client.post(reverse("theory:item_publish", args=[item.pk]))
    item.refresh_from_db()
    assert item.status == ItemStatus.PUBLISHED


def test_anonymous_is_sent_to_login(client, category):
    item = make_item(category)
    for url in (
        reverse("theory:item_list"),
        reverse("theory:category_list"),
        reverse("theory:item_upload"),
        reverse("theory:item_detail", args=[item.pk]),
    ):
        assert client.get(url).status_code == 302


def test_upload_page_needs_js_and_lists_unfinished(staff):
    body = staff.get(reverse("theory:item_upload")).content.decode()
    assert "<noscript>" in body and "theory/upload.js" in body
    assert "<script>" not in body.replace('<script src="', "")


def test_todos(bob, charlie, category):
    old = make_item(category, title="旧草稿", published=False)
    ClassItem.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=8))
    make_item(category, title="新草稿", published=False)
    from xuanchuan.theory.models import Upload

    Upload.objects.create(unit=category.unit, created_by=bob, filename="a.mp4", size=10, created_at=timezone.now())
    found = {todo.label: todo.count for todo in todos(bob)}
    assert found == {"上传一周仍未发布的云课堂课程": 1, "未完成的课程上传": 1}
    assert list(todos(charlie)) == []
