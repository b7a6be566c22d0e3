"""Pages of publications and the review: write, submit, the queue, claim, approve and return,
who holds it and since when, versions and their diff, attachments; outsiders get 404."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from xuanchuan.publishing.models import Attachment, Publication, PublicationStatus, ReviewNotice, ReviewTask
from xuanchuan.publishing.services import review
from xuanchuan.publishing.tests.scoping_review import news_site, publication, reviewers

pytestmark = pytest.mark.django_db

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture
def people(district, bob):
    return {"bob": bob, **reviewers(district)}


@pytest.fixture(autouse=True)
def _no_findings(monkeypatch):
    monkeypatch.setattr(review, "proofread", lambda text, publication=None: [])


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
    return tmp_path


def test_an_author_writes_cleans_and_submits(client, district, people):
    site = news_site(district)
    client.force_login(people["bob"])
    response = client.post(
        reverse("publishing:publication_create"),
        {
            "title": "东城街道举办邻里节",
            "body": '<p>邻里节<script>alert(1)</script><a href="javascript:x()" onclick="y()">链接</a></p>',
            "outlets": [site.pk],
            "urgency": "normal",
            "then": "submit",
        },
    )
    item = Publication.objects.get(title="东城街道举办邻里节")
    assert response.status_code == 302 and response["Location"] == item.get_absolute_url()
    assert "<script" not in item.body and "javascript" not in item.body and "onclick" not in item.body
    assert item.body_text == "邻里节链接"
    assert item.status == PublicationStatus.IN_REVIEW
    page = client.get(item.get_absolute_url()).content.decode()
    assert "已提交（待初审）" in page


def test_bad_input_gives_a_chinese_error_not_a_500(client, district, people):
    client.force_login(people["bob"])
    response = client.post(reverse("publishing:publication_create"), {"title": "", "urgency": "x", "outlets": ["abc"]})
    assert response.status_code == 200
    assert "这个字段是必填项" in response.content.decode() or "必填" in response.content.decode()


def test_queue_claim_detail_shows_who_and_since_when_then_approve_and_return(client, district, people):
    item = publication(people["bob"], district)
    review.submit(item, by=people["bob"])
    client.force_login(people["shen1"])
    queue = client.get(reverse("publishing:review_queue")).content.decode()
    assert item.title in queue and "待领取" in queue
    task = review.active_task(item)
    client.post(reverse("publishing:task_claim", args=[task.pk]))
    page = client.get(item.get_absolute_url()).content.decode()
    assert "初审员 自" in page and "起审核" in page
    client.post(reverse("publishing:task_approve", args=[task.pk]), {"comment": "文字通顺"})
    item.refresh_from_db()
    assert item.current_step == "second"
    # 复审 returns without a reason: refused with a Chinese message; with one: returned.
    client.force_login(people["shen2"])
    second = review.active_task(item)
    client.post(reverse("publishing:task_claim", args=[second.pk]))
    response = client.post(reverse("publishing:task_return", args=[second.pk]), {"reason": ""}, follow=True)
    assert "请填写退回理由" in response.content.decode()
    client.post(reverse("publishing:task_return", args=[second.pk]), {"reason": "数据需核实"})
    item.refresh_from_db()
    assert item.status == PublicationStatus.RETURNED
    client.force_login(people["bob"])
    notices = client.get(reverse("publishing:notice_list")).content.decode()
    assert "数据需核实" in notices


def test_the_author_sees_no_review_buttons_on_their_own_item(client, district, people):
    item = publication(people["bob"], district)
    review.submit(item, by=people["bob"])
    client.force_login(people["bob"])
    page = client.get(item.get_absolute_url()).content.decode()
    assert "claim-button" not in page and "withdraw-button" in page
    task = review.active_task(item)
    client.post(reverse("publishing:task_approve", args=[task.pk]))
    assert ReviewTask.objects.get(pk=task.pk).status == "in_progress"


def test_an_outsider_gets_404_everywhere(client, district, people, charlie, media):
    item = publication(people["bob"], district)
    review.submit(item, by=people["bob"])
    attachment = Attachment.objects.create(
        publication=item, kind="image", stored_name="x.png", original_name="a.png", content_type="image/png", size=1
    )
    task = review.active_task(item)
    client.force_login(charlie)
    for name in ("publication_detail", "publication_edit", "publication_diff"):
        assert client.get(reverse(f"publishing:{name}", args=[item.pk])).status_code == 404
    for name in ("publication_submit", "publication_withdraw", "publication_take_down", "attachment_upload"):
        assert client.post(reverse(f"publishing:{name}", args=[item.pk])).status_code == 404
    for name in ("task_claim", "task_approve", "task_return", "task_release"):
        assert client.post(reverse(f"publishing:{name}", args=[task.pk])).status_code == 404
    assert client.get(reverse("publishing:attachment_download", args=[attachment.pk])).status_code == 404
    assert item.title not in client.get(reverse("publishing:publication_list")).content.decode()
    assert item.title not in client.get(reverse("publishing:review_queue")).content.decode()


def test_versions_and_a_readable_diff(client, district, people):
    from xuanchuan.publishing.services.publications import update_publication

    item = publication(people["bob"], district, body="<p>参与群众达三千余人。</p>")
    update_publication(
        item, by=people["bob"], title=item.title, body="<p>参与群众达五千余人。</p>", outlets=[news_site(district)]
    )
    client.force_login(people["bob"])
    page = client.get(reverse("publishing:publication_diff", args=[item.pk])).content.decode()
    assert "参与群众达<del>三</del><ins>五</ins>千余人。" in page
    assert client.get(reverse("publishing:publication_diff", args=[item.pk]), {"a": "9"}).status_code == 404


def test_attachments_are_sniffed_and_served_only_to_those_who_see_it(client, district, people, media):
    item = publication(people["bob"], district)
    client.force_login(people["bob"])
    url = reverse("publishing:attachment_upload", args=[item.pk])
    fake = SimpleUploadedFile("photo.png", b"MZ\x90\x00 not an image", content_type="image/png")
    response = client.post(url, {"file": fake}, follow=True)
    assert "不支持的文件类型" in response.content.decode()
    client.post(url, {"file": SimpleUploadedFile("照片.jpg", PNG, content_type="image/jpeg")})
    attachment = item.attachments.get()
    assert attachment.content_type == "image/png" and attachment.stored_name.endswith(".png")
    assert "照片" not in attachment.file.name
    response = client.get(reverse("publishing:attachment_download", args=[attachment.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == PNG
    client.post(reverse("publishing:attachment_delete", args=[attachment.pk]))
    assert not item.attachments.exists()


def test_take_down_from_the_page(verified_client, district, people, alice):
    item = publication(people["bob"], district)
    review.submit(item, by=people["bob"])
    for name in ("shen1", "shen2", "shen3"):
        review.approve(review.active_task(item), by=people[name])
    client = verified_client(alice)
    assert "takedown-modal" in client.get(item.get_absolute_url()).content.decode()
    client.post(reverse("publishing:publication_take_down", args=[item.pk]), {"reason": "内容过时"})
    item.refresh_from_db()
    assert item.status == PublicationStatus.TAKEN_DOWN and item.takedown_reason == "内容过时"
    assert ReviewNotice.objects.filter(publication=item, recipient=people["bob"], text__contains="下架").exists()


def test_pages_have_query_caps(client, district, people, django_assert_max_num_queries):
    for number in range(12):
        item = publication(people["bob"], district, title=f"稿件{number}")
        review.submit(item, by=people["bob"])
    client.force_login(people["shen1"])
    with django_assert_max_num_queries(20):
        assert client.get(reverse("publishing:review_queue")).status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get(reverse("publishing:publication_list")).status_code == 200
    with django_assert_max_num_queries(30):
        assert client.get(item.get_absolute_url()).status_code == 200


def test_export_of_the_list(client, district, people):
    publication(people["bob"], district, title="导出的稿件")
    client.force_login(people["bob"])
    response = client.get(reverse("publishing:publication_list"), {"export": "xlsx"})
    assert response.status_code == 200
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content))
    assert any("导出的稿件" in str(cell) for row in book.active.iter_rows(values_only=True) for cell in row)


def test_editing_a_returned_piece_keeps_a_version_and_resubmits(client, district, people):
    site = news_site(district)
    item = publication(people["bob"], district, body="<p>原来的正文。</p>")
    review.submit(item, by=people["bob"])
    review.return_to_author(review.active_task(item), by=people["shen1"], reason="请补充时间")
    client.force_login(people["bob"])
    assert 'name="note"' in client.get(reverse("publishing:publication_edit", args=[item.pk])).content.decode()
    assert 'name="note"' not in client.get(reverse("publishing:publication_create")).content.decode()
    client.post(
        reverse("publishing:publication_edit", args=[item.pk]),
        {
            "title": item.title,
            "body": "<p>12月3日的正文。</p>",
            "outlets": [site.pk],
            "urgency": "normal",
            "note": "补充时间",
            "then": "submit",
        },  # fmt: skip
    )
    item.refresh_from_db()
    assert item.status == PublicationStatus.IN_REVIEW and item.versions.count() == 2
    assert item.versions.get(number=2).note == "补充时间"
    # In review the author may not edit (refused, nothing changed).
    response = client.post(reverse("publishing:publication_edit", args=[item.pk]), {"title": "x", "urgency": "normal"})
    assert response.status_code == 403
    item.refresh_from_db()
    assert item.title != "x"
