"""The works part's phone pages for residents: the calls, a call's submission form (consent, images,
refusals that keep the input, rate limit, CSRF, a call not taking works), the reference shown only
to the browser that sent the work, the status look-up, and the online exhibition whose pages and
images show only accepted works of open exhibitions — never the author's name or phone."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from xuanchuan.core.public import human_check_token
from xuanchuan.culture.models import CallStatus, Submission, SubmissionStatus
from xuanchuan.culture.tests.factories_works import image_upload, make_call, make_submission

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clean():
    cache.clear()
    yield
    cache.clear()


def work_data(**changes) -> dict:
    data = {
        "title": "福字窗花",
        "art_form": "剪纸",
        "description": "红纸剪成",
        "public_name": "巧手红",
        "author_name": "王小红",
        "author_phone": "139 1234 5678",
        "author_org": "幸福社区",
        "consent": "on",
        "images": [image_upload("a.jpg"), image_upload("b.png", "blue", fmt="PNG")],
        "hp_started": human_check_token(timezone.now().timestamp() - 30),
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_calls_page_lists_open_calls_and_exhibitions_never_drafts(client, district):
    make_call(district.east, title="正在征集的剪纸")
    make_call(district.east, title="未发布的征集", status=CallStatus.DRAFT)
    make_call(district.east, title="已截止的征集", status=CallStatus.CLOSED)
    make_call(district.east, title="展览中的征集", status=CallStatus.CLOSED, exhibition_open=True)
    body = client.get(reverse("culture:m_calls")).content.decode()
    assert "正在征集的剪纸" in body and "展览中的征集" in body
    assert "未发布的征集" not in body and "已截止的征集" not in body


def test_submit_shows_the_reference_only(client, district):
    call = make_call(district.east)
    page = client.get(reverse("culture:m_call", args=[call.pk]))
    body = page.content.decode()
    assert page.status_code == 200 and "迎新春主题创作" in body and "只用于本次征集的工作人员核对作品" in body
    response = client.post(reverse("culture:m_call", args=[call.pk]), work_data())
    work = Submission.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("culture:m_submitted", args=[work.reference])
    assert work.images.count() == 2 and work.author_phone == "13912345678" and work.consented_at
    done = client.get(response["Location"]).content.decode()
    assert work.reference in done
    assert "王小红" not in done and "13912345678" not in done and "巧手红" not in done


def test_the_reference_page_only_for_the_browser_that_sent_it(client, district):
    work = make_submission(make_call(district.east))
    assert client.get(reverse("culture:m_submitted", args=[work.reference])).status_code == 404


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"consent": None}, "请先阅读并同意个人信息使用说明"),
        ({"images": None}, "请选择作品图片"),
        ({"images": [image_upload(f"{n}.jpg") for n in range(7)]}, "最多上传 6 张作品图片"),
        ({"author_phone": "1234"}, "手机号码"),
        ({"art_form": "油画"}, "选择"),
    ],
)
def test_refused_form_keeps_the_fields_and_says_images_go_again(client, district, changes, message):
    call = make_call(district.east)
    response = client.post(reverse("culture:m_call", args=[call.pk]), work_data(**changes))
    body = response.content.decode()
    assert response.status_code == 400 and message in body
    assert "福字窗花" in body and "巧手红" in body and "红纸剪成" in body
    assert "作品图片需要重新选择" in body
    assert not Submission.objects.exists()


def test_not_an_image_refused_by_the_service_keeps_the_fields(client, district):
    from django.core.files.uploadedfile import SimpleUploadedFile

    call = make_call(district.east)
    fake = SimpleUploadedFile("x.jpg", b"not an image at all", content_type="image/jpeg")
    response = client.post(reverse("culture:m_call", args=[call.pk]), work_data(images=[fake]))
    body = response.content.decode()
    assert response.status_code == 400 and "不是可以识别的图片" in body and "福字窗花" in body
    assert not Submission.objects.exists()


@pytest.mark.parametrize(
    ("opens", "closes", "status", "message"),
    [
        (1, 5, CallStatus.OPEN, "征集尚未开始"),
        (-5, -1, CallStatus.OPEN, "已经截止"),
        (-5, 5, CallStatus.CLOSED, "已经截止"),
    ],
)
def test_a_call_not_taking_works_says_why_and_refuses(client, district, opens, closes, status, message):
    now = timezone.now()
    call = make_call(
        district.east, status=status, opens_at=now + timedelta(days=opens), closes_at=now + timedelta(days=closes)
    )
    page = client.get(reverse("culture:m_call", args=[call.pk])).content.decode()
    assert message in page and 'id="work-form"' not in page
    response = client.post(reverse("culture:m_call", args=[call.pk]), work_data())
    assert response.status_code == 400 and not Submission.objects.exists()


def test_a_draft_or_missing_call_is_404(client, district):
    call = make_call(district.east, status=CallStatus.DRAFT)
    assert client.get(reverse("culture:m_call", args=[call.pk])).status_code == 404
    assert client.get(reverse("culture:m_call", args=[call.pk + 100])).status_code == 404
    assert client.get("/culture/m/works/99999999999999999999/").status_code == 404


def test_submission_is_rate_limited(client, district):
    call = make_call(district.east)
    for _n in range(20):
        client.post(reverse("culture:m_call", args=[call.pk]), work_data(title=""))
    response = client.post(reverse("culture:m_call", args=[call.pk]), work_data())
    assert response.status_code == 429 and not Submission.objects.exists()


def test_submission_needs_csrf(district):
    call = make_call(district.east)
    response = Client(enforce_csrf_checks=True).post(reverse("culture:m_call", args=[call.pk]), work_data())
    assert response.status_code == 403 and not Submission.objects.exists()


def test_a_robot_filling_the_honeypot_is_refused(client, district):
    call = make_call(district.east)
    response = client.post(reverse("culture:m_call", args=[call.pk]), work_data(hp_website="http://spam"))
    assert response.status_code == 400 and not Submission.objects.exists()


def test_status_lookup_shows_the_status_only(client, district, bob):
    work = make_submission(make_call(district.east))
    url = reverse("culture:m_status")
    assert client.get(url).status_code == 200
    body = client.get(url, {"reference": work.reference.lower()}).content.decode()
    assert "待审核" in body and "王小红" not in body and "13912345678" not in body and "福字窗花" not in body
    Submission.objects.filter(pk=work.pk).update(status=SubmissionStatus.REJECTED, note="秘密的审核意见")
    body = client.get(url, {"reference": work.reference}).content.decode()
    assert "未入选" in body and "秘密的审核意见" not in body
    response = client.get(url, {"reference": "ABCDEF1234"})
    assert response.status_code == 404 and "没有找到" in response.content.decode()
    assert "10 位" in client.get(url, {"reference": "abc"}).content.decode()


def test_status_lookup_is_rate_limited(client, district):
    for _n in range(30):
        client.get(reverse("culture:m_status"), {"reference": "ABCDEF1234"})
    assert client.get(reverse("culture:m_status"), {"reference": "ABCDEF1234"}).status_code == 429


# --- The online exhibition ----------------------------------------------------------------------


@pytest.fixture
def shown(district):
    call = make_call(district.east, status=CallStatus.CLOSED, exhibition_open=True)
    accepted = make_submission(call, title="入选窗花", status=SubmissionStatus.ACCEPTED)
    pending = make_submission(call, title="待审窗花")
    rejected = make_submission(call, title="落选窗花", status=SubmissionStatus.REJECTED)
    return call, accepted, pending, rejected


def test_exhibition_shows_accepted_works_with_the_public_name_only(client, district, shown):
    call, accepted, pending, rejected = shown
    body = client.get(reverse("culture:m_exhibition", args=[call.pk])).content.decode()
    assert "入选窗花" in body and "待审窗花" not in body and "落选窗花" not in body
    assert "巧手红" in body and "王小红" not in body and "13912345678" not in body
    image = accepted.images.get()
    assert reverse("culture:m_work_thumb", args=[image.pk]) in body
    assert 'loading="lazy"' in body and 'width="480"' in body
    work = client.get(reverse("culture:m_work", args=[call.pk, accepted.pk])).content.decode()
    assert "入选窗花" in work and "巧手红" in work and "王小红" not in work and "13912345678" not in work
    assert reverse("culture:m_work_image", args=[image.pk]) in work and 'width="64"' in work
    for other in (pending, rejected):
        assert client.get(reverse("culture:m_work", args=[call.pk, other.pk])).status_code == 404


def test_a_work_without_public_name_is_anonymous(client, district):
    call = make_call(district.east, status=CallStatus.CLOSED, exhibition_open=True)
    make_submission(call, status=SubmissionStatus.ACCEPTED, public_name="")
    body = client.get(reverse("culture:m_exhibition", args=[call.pk])).content.decode()
    assert "佚名" in body and "王小红" not in body


def test_public_images_only_for_accepted_works_of_open_exhibitions(client, district, shown):
    call, accepted, pending, rejected = shown
    image = accepted.images.get()
    response = client.get(reverse("culture:m_work_image", args=[image.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert client.get(reverse("culture:m_work_thumb", args=[image.pk])).status_code == 200
    for other in (pending, rejected):
        other_image = other.images.get()
        assert client.get(reverse("culture:m_work_image", args=[other_image.pk])).status_code == 404
        assert client.get(reverse("culture:m_work_thumb", args=[other_image.pk])).status_code == 404
    assert client.get(reverse("culture:m_work_image", args=[image.pk + 1000])).status_code == 404
    call.exhibition_open = False
    call.save(update_fields=["exhibition_open"])
    assert client.get(reverse("culture:m_work_image", args=[image.pk])).status_code == 404
    assert client.get(reverse("culture:m_exhibition", args=[call.pk])).status_code == 404
    assert client.get(reverse("culture:m_work", args=[call.pk, accepted.pk])).status_code == 404


def test_a_work_of_another_call_is_404_in_this_exhibition(client, district, shown):
    call, accepted, _pending, _rejected = shown
    other = make_call(district.east, title="另一个展览", status=CallStatus.CLOSED, exhibition_open=True)
    assert client.get(reverse("culture:m_work", args=[other.pk, accepted.pk])).status_code == 404


def test_exhibition_is_paginated(client, district):
    call = make_call(district.east, status=CallStatus.CLOSED, exhibition_open=True)
    for n in range(26):
        make_submission(call, title=f"作品{n:02d}", status=SubmissionStatus.ACCEPTED)
    first = client.get(reverse("culture:m_exhibition", args=[call.pk])).content.decode()
    second = client.get(reverse("culture:m_exhibition", args=[call.pk]), {"page": 2}).content.decode()
    assert "作品00" in first and "作品25" not in first and "作品25" in second and "1 / 2" in first


def test_public_pages_have_bounded_queries(client, district, django_assert_max_num_queries):
    call = make_call(district.east, status=CallStatus.CLOSED, exhibition_open=True)
    for n in range(10):
        make_submission(call, title=f"作品{n}", status=SubmissionStatus.ACCEPTED)
    make_call(district.east, title="正在征集")
    for url in (reverse("culture:m_calls"), reverse("culture:m_exhibition", args=[call.pk])):
        with django_assert_max_num_queries(6):
            assert client.get(url).status_code == 200
