"""The works part's staff pages: lists (filters, search, Excel masked, bounded queries), a call's
page and its actions behind confirmations, the review queue and a work's page (author masked, the
reveal logged), deciding, images only in scope, to-dos; the outsider gets 404 everywhere."""

from __future__ import annotations

import io

import pytest
from django.core.cache import cache
from django.urls import reverse
from openpyxl import load_workbook

from xuanchuan.conftest import make_person, verified_login
from xuanchuan.core.models import PersonalDataAccess
from xuanchuan.culture.models import CallForWorks, CallStatus, Submission, SubmissionStatus
from xuanchuan.culture.tests.factories_works import make_call, make_submission
from xuanchuan.culture.todos_works import todos
from xuanchuan.org.models import RoleCode

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clean():
    cache.clear()
    yield
    cache.clear()


def sheet_text(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    book = load_workbook(io.BytesIO(content))
    return "\n".join(" ".join(str(c) for c in row if c is not None) for row in book.active.iter_rows(values_only=True))


@pytest.fixture
def east(district):
    call = make_call(district.east, title="东城剪纸征集")
    work = make_submission(call, title="东城窗花")
    return call, work


# --- Lists --------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["culture:call_list", "culture:submission_queue"])
def test_lists_have_bounded_queries(client, district, bob, name, django_assert_max_num_queries):
    for n in range(6):
        call = make_call(district.east, title=f"征集{n}")
        make_submission(call, title=f"作品{n}")
        make_submission(call, title=f"作品{n}b", status=SubmissionStatus.ACCEPTED)
    client.force_login(bob)
    with django_assert_max_num_queries(20):
        response = client.get(reverse(name))
    assert response.status_code == 200


def test_call_list_filters_search_and_counts(client, district, bob):
    call = make_call(district.east, title="书画征集")
    make_submission(call)
    make_submission(call, status=SubmissionStatus.ACCEPTED)
    make_call(district.east, title="沙画征集", status=CallStatus.DRAFT)
    client.force_login(bob)
    body = client.get(reverse("culture:call_list"), {"status": "draft"}).content.decode()
    assert "沙画征集" in body and "书画征集" not in body
    body = client.get(reverse("culture:call_list"), {"q": "书画征集"}).content.decode()
    assert "书画征集" in body and "沙画征集" not in body
    rows = client.get(reverse("culture:call_list")).context["rows"]
    values = {row.title: value for row, value in rows}
    assert values["书画征集"][6:9] == [2, 1, 1]  # received, pending, accepted


def test_queue_opens_on_pending_and_filters(client, district, bob, east):
    call, work = east
    done = make_submission(call, title="已入选的作品", status=SubmissionStatus.ACCEPTED)
    client.force_login(bob)
    body = client.get(reverse("culture:submission_queue")).content.decode()
    assert "东城窗花" in body and "已入选的作品" not in body
    assert reverse("culture:submission_thumb", args=[work.pk, work.images.get().pk]) in body
    body = client.get(reverse("culture:submission_queue"), {"status": ""}).content.decode()
    assert "东城窗花" in body and "已入选的作品" in body
    body = client.get(reverse("culture:submission_queue"), {"status": "accepted", "q": done.reference}).content.decode()
    assert "已入选的作品" in body and "东城窗花" not in body
    other = make_call(district.east, title="另一征集")
    make_submission(other, title="另一作品")
    body = client.get(reverse("culture:submission_queue"), {"call": call.pk}).content.decode()
    assert "东城窗花" in body and "另一作品" not in body


def test_exports_mask_the_author(client, district, bob, east):
    client.force_login(bob)
    text = sheet_text(client.get(reverse("culture:submission_queue"), {"export": "xlsx", "status": ""}))
    assert "东城窗花" in text and "巧手红" in text
    assert "王小红" not in text and "13912345678" not in text and "5678" in text
    text = sheet_text(client.get(reverse("culture:call_list"), {"export": "xlsx"}))
    assert "东城剪纸征集" in text


def test_outsider_sees_nothing_and_gets_404(client, district, charlie, east):
    call, work = east
    image = work.images.get()
    make_call(district.west, title="西城征集")
    client.force_login(charlie)
    body = client.get(reverse("culture:call_list")).content.decode()
    assert "西城征集" in body and "东城剪纸征集" not in body
    assert "东城窗花" not in client.get(reverse("culture:submission_queue"), {"status": ""}).content.decode()
    for name, args in (
        ("culture:call_detail", [call.pk]),
        ("culture:call_edit", [call.pk]),
        ("culture:call_open", [call.pk]),
        ("culture:call_close", [call.pk]),
        ("culture:call_exhibition", [call.pk]),
        ("culture:submission_detail", [work.pk]),
        ("culture:submission_image", [work.pk, image.pk]),
        ("culture:submission_thumb", [work.pk, image.pk]),
    ):
        assert client.get(reverse(name, args=args)).status_code == 404, name
    assert client.post(reverse("culture:submission_decide", args=[work.pk]), {"decision": "accept"}).status_code == 404
    work.refresh_from_db()
    assert work.status == SubmissionStatus.PENDING


def test_role_is_needed(client, district, dora, east):
    call, _work = east
    verified_login(client, dora)  # a community worker of 东城: sees the unit, does not review works
    assert client.get(reverse("culture:call_list")).status_code == 403
    assert client.get(reverse("culture:call_detail", args=[call.pk])).status_code == 403
    client.logout()
    assert client.get(reverse("culture:call_list")).status_code == 302


# --- Calls --------------------------------------------------------------------------------------


def call_form(district, **changes) -> dict:
    data = {
        "unit": district.east.pk,
        "title": "书法作品征集",
        "art_forms": "书法、篆刻",
        "opens_at": "2026-01-01T09:00",
        "closes_at": "2030-01-31T18:00",
        "theme": "翰墨迎春",
        "consent_text": "说明",
    }
    data.update(changes)
    return data


def test_create_prefills_consent_and_keeps_input_on_error(client, district, bob):
    client.force_login(bob)
    page = client.get(reverse("culture:call_create"))
    assert "只用于本次征集的工作人员核对作品" in page.content.decode()
    response = client.post(reverse("culture:call_create"), call_form(district, closes_at="2025-12-01T09:00"))
    assert response.status_code == 400
    body = response.content.decode()
    assert "截止时间应晚于开始时间" in body and "翰墨迎春" in body and "书法作品征集" in body
    response = client.post(reverse("culture:call_create"), call_form(district))
    call = CallForWorks.objects.get()
    assert response.status_code == 302 and call.status == CallStatus.DRAFT


def test_edit_call(client, district, bob):
    call = make_call(district.east)
    client.force_login(bob)
    assert client.get(reverse("culture:call_edit", args=[call.pk])).status_code == 200
    response = client.post(reverse("culture:call_edit", args=[call.pk]), call_form(district, title="改后的名称"))
    assert response.status_code == 302
    call.refresh_from_db()
    assert call.title == "改后的名称"


def test_open_close_and_exhibition_ask_first(client, district, bob):
    call = make_call(district.east, status=CallStatus.DRAFT)
    client.force_login(bob)
    url = reverse("culture:call_open", args=[call.pk])
    page = client.get(url)
    assert page.status_code == 200 and "发布征集" in page.content.decode()
    call.refresh_from_db()
    assert call.status == CallStatus.DRAFT
    assert client.post(url).status_code == 302
    call.refresh_from_db()
    assert call.status == CallStatus.OPEN
    client.post(reverse("culture:call_close", args=[call.pk]))
    call.refresh_from_db()
    assert call.status == CallStatus.CLOSED
    url = reverse("culture:call_exhibition", args=[call.pk])
    assert "公开展示" in client.get(url).content.decode()
    client.post(url)
    call.refresh_from_db()
    assert call.exhibition_open
    assert "关闭网上展览" in client.get(url).content.decode()
    client.post(url)
    call.refresh_from_db()
    assert not call.exhibition_open


def test_call_detail_shows_counts_and_waiting_works(client, district, bob, east):
    call, work = east
    client.force_login(bob)
    body = client.get(reverse("culture:call_detail", args=[call.pk])).content.decode()
    assert "东城窗花" in body and reverse("culture:submission_detail", args=[work.pk]) in body


# --- Review -------------------------------------------------------------------------------------


def test_submission_page_masks_the_author_and_the_reveal_is_logged(client, district, bob, alice, east):
    from django.contrib.contenttypes.models import ContentType

    _call, work = east
    content_type = ContentType.objects.get_for_model(Submission).pk
    reveal = reverse("core:pii_reveal", args=[content_type, work.pk, "author_phone"])
    client.force_login(bob)  # a street's reporter reviews works but may not read personal data in full
    body = client.get(reverse("culture:submission_detail", args=[work.pk])).content.decode()
    assert "13912345678" not in body and "王小红" not in body and "巧手红" in body and "5678" in body
    assert reveal not in body
    verified_login(client, alice)
    body = client.get(reverse("culture:submission_detail", args=[work.pk])).content.decode()
    assert "13912345678" not in body and reveal in body
    assert "13912345678" in client.post(reveal).content.decode()
    assert PersonalDataAccess.objects.filter(field="author_phone").count() == 1


def test_decide_on_the_page_rejection_needs_a_note(client, district, bob, east):
    call, work = east
    second = make_submission(call, title="第二件")
    client.force_login(bob)
    url = reverse("culture:submission_decide", args=[work.pk])
    response = client.post(url, {"decision": "reject", "note": ""})
    assert response.status_code == 400 and "不入选时请填写审核意见" in response.content.decode()
    work.refresh_from_db()
    assert work.status == SubmissionStatus.PENDING
    response = client.post(url, {"decision": "accept", "next": "1"})
    assert response.status_code == 302 and response["Location"] == reverse(
        "culture:submission_detail", args=[second.pk]
    )
    work.refresh_from_db()
    assert work.status == SubmissionStatus.ACCEPTED and work.decided_by == bob
    response = client.post(
        reverse("culture:submission_decide", args=[second.pk]), {"decision": "reject", "note": "模糊"}
    )
    assert response.status_code == 302 and "submissions/?call=" in response["Location"]
    assert client.get(reverse("culture:submission_decide", args=[second.pk])).status_code == 405


def test_staff_images_any_status_in_scope(client, district, bob, east):
    _call, work = east
    image = work.images.get()
    client.force_login(bob)
    response = client.get(reverse("culture:submission_image", args=[work.pk, image.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"].startswith("private")
    assert client.get(reverse("culture:submission_thumb", args=[work.pk, image.pk])).status_code == 200
    other = make_submission(make_call(district.east, title="其他"))
    assert client.get(reverse("culture:submission_image", args=[other.pk, image.pk])).status_code == 404


def test_missing_thumbnail_is_made_again(client, district, bob, east):
    from django.core.files.storage import default_storage

    from xuanchuan.culture.services.works import thumbnail_name

    _call, work = east
    image = work.images.get()
    default_storage.delete(thumbnail_name(image.image.name))
    client.force_login(bob)
    assert client.get(reverse("culture:submission_thumb", args=[work.pk, image.pk])).status_code == 200
    assert default_storage.exists(thumbnail_name(image.image.name))


# --- To-dos -------------------------------------------------------------------------------------


def test_todos_count_pending_works_in_scope(district, bob, charlie, dora, alice, east):
    call, _work = east
    make_submission(call, title="第二件")
    make_submission(call, title="已审", status=SubmissionStatus.ACCEPTED)
    [todo] = todos(bob)
    assert todo.label == "待审核的征集作品" and todo.count == 2 and "status=pending" in todo.url
    assert todos(alice)[0].count == 2
    assert list(todos(charlie)) == [] and list(todos(dora)) == []
    reporter = make_person("erin", district.west_community, RoleCode.UNIT_REPORTER)
    assert list(todos(reporter)) == []


def test_detail_pages_have_bounded_queries(client, district, bob, east, django_assert_max_num_queries):
    call, work = east
    for n in range(5):
        make_submission(call, title=f"作品{n}")
    client.force_login(bob)
    for url in (reverse("culture:call_detail", args=[call.pk]), reverse("culture:submission_detail", args=[work.pk])):
        with django_assert_max_num_queries(20):
            assert client.get(url).status_code == 200
