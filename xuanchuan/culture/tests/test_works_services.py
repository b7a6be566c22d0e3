"""The works part's services: calls (create, edit, publish, close, the exhibition), the public
submission (open only, consent, images checked and re-encoded, thumbnails, personal data
encrypted), the review (a rejection needs a note), retention of authors' data and rejected images."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.db import connection
from django.utils import timezone
from PIL import Image

from xuanchuan.core.pii import purge_expired
from xuanchuan.core.pii.retention import unregister_retention
from xuanchuan.core.services import ServiceError
from xuanchuan.culture.models import CallForWorks, CallStatus, Submission, SubmissionImage, SubmissionStatus
from xuanchuan.culture.services import works as services
from xuanchuan.culture.tests.factories_works import image_upload, make_call, make_submission, submission_input

pytestmark = pytest.mark.django_db


def call_input(unit, **changes) -> services.CallInput:
    now = timezone.now()
    values = {
        "unit": unit,
        "title": "沙画作品征集",
        "theme": "讲好家乡故事",
        "art_forms": "沙画、剪纸",
        "opens_at": now,
        "closes_at": now + timedelta(days=30),
    }
    values.update(changes)
    return services.CallInput(**values)


# --- Calls --------------------------------------------------------------------------------------


def test_create_call_is_a_draft_with_the_default_consent(district, bob):
    call = services.create_call(call_input(district.east), by=bob)
    assert call.status == CallStatus.DRAFT and not call.exhibition_open
    assert call.consent_text == services.DEFAULT_CONSENT and call.created_by == bob


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": " "}, "征集名称"),
        ({"theme": ""}, "主题"),
        ({"art_forms": ""}, "门类"),
        ({"consent_text": " "}, "个人信息使用说明"),
        ({"closes_at": timezone.now() - timedelta(days=1)}, "截止时间应晚于开始时间"),
    ],
)
def test_create_call_refuses_bad_input_in_chinese(district, bob, changes, message):
    with pytest.raises(ServiceError) as error:
        services.create_call(call_input(district.east, **changes), by=bob)
    assert message in str(error.value.messages)


def test_calls_need_the_role_and_the_scope(district, bob, charlie, dora):
    with pytest.raises(PermissionDenied):
        services.create_call(call_input(district.east), by=dora)  # community worker: not a reviewer
    with pytest.raises(PermissionDenied):
        services.create_call(call_input(district.east), by=charlie)  # another street
    call = make_call(district.east)
    for action in (services.open_call, services.close_call):
        with pytest.raises(PermissionDenied):
            action(call, by=charlie)
    with pytest.raises(PermissionDenied):
        services.set_exhibition(call, open=True, by=charlie)


def test_open_close_and_reopen(district, bob):
    call = services.create_call(call_input(district.east), by=bob)
    call = services.open_call(call, by=bob)
    assert call.status == CallStatus.OPEN
    with pytest.raises(ServiceError, match="已经发布"):
        services.open_call(call, by=bob)
    closed = services.close_call(call, by=bob)
    assert closed.status == CallStatus.CLOSED
    assert closed.closes_at <= timezone.now()  # closed early: the close is now (retention counts from it)
    with pytest.raises(ServiceError, match="只能截止"):
        services.close_call(closed, by=bob)
    with pytest.raises(ServiceError, match="截止时间已过"):
        services.open_call(closed, by=bob)


def test_exhibition_not_for_a_draft_and_not_twice(district, bob):
    call = make_call(district.east, status=CallStatus.DRAFT)
    with pytest.raises(ServiceError, match="尚未发布"):
        services.set_exhibition(call, open=True, by=bob)
    call = make_call(district.east, status=CallStatus.CLOSED)
    assert services.set_exhibition(call, open=True, by=bob).exhibition_open
    with pytest.raises(ServiceError, match="已经开放"):
        services.set_exhibition(call, open=True, by=bob)
    assert not services.set_exhibition(call, open=False, by=bob).exhibition_open


def test_update_call_keeps_the_consent_and_unit_once_works_arrived(district, bob, alice):
    call = make_call(district.east)
    changed = services.update_call(call, call_input(district.east, title="新名称", consent_text="新说明"), by=bob)
    assert changed.title == "新名称" and changed.consent_text == "新说明"
    make_submission(changed)
    with pytest.raises(ServiceError, match="不能修改个人信息使用说明"):
        services.update_call(changed, call_input(district.east, consent_text="再改说明"), by=bob)
    with pytest.raises(ServiceError, match="其他单位"):
        services.update_call(changed, call_input(district.west, consent_text="新说明"), by=alice)
    with pytest.raises(PermissionDenied):
        services.update_call(changed, call_input(district.west, consent_text="新说明"), by=bob)


def test_art_form_list_reads_any_separator(district):
    call = make_call(district.east, art_forms="剪纸，沙画 书画;  摄影")
    assert services.art_form_list(call) == ["剪纸", "沙画", "书画", "摄影"]


# --- Public submission --------------------------------------------------------------------------


def test_submit_stores_encrypted_author_consent_time_and_images_with_thumbnails(district):
    call = make_call(district.east)
    big = image_upload("big.png", size=(2400, 1200), fmt="PNG")
    work = services.submit_work(call, submission_input(images=[image_upload(), big], author_phone="+86 139-1234-5678"))
    assert work.status == SubmissionStatus.PENDING and len(work.reference) == 10
    assert work.consented_at is not None and work.created_at == work.consented_at
    assert work.author_phone == "13912345678"
    with connection.cursor() as cursor:
        cursor.execute("SELECT author_name, author_phone FROM culture_submission WHERE id = %s", [work.pk])
        raw = " ".join(str(value) for value in cursor.fetchone())
    assert "王小红" not in raw and "13912345678" not in raw
    images = list(work.images.all())
    assert [image.order for image in images] == [0, 1]
    with images[1].image.open("rb") as handle, Image.open(handle) as stored:
        assert stored.format == "JPEG" and max(stored.size) == services.IMAGE_MAX_SIDE
        assert not stored.getexif()
    thumb = services.thumbnail_name(images[1].image.name)
    assert default_storage.exists(thumb)
    with default_storage.open(thumb, "rb") as handle, Image.open(handle) as small:
        assert small.size == (services.THUMB_SIDE, services.THUMB_SIDE)


def test_submit_removes_exif(district):
    call = make_call(district.east)
    out = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "SecretCamera"  # Make
    Image.new("RGB", (40, 40), "green").save(out, format="JPEG", exif=exif)
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("exif.jpg", out.getvalue(), content_type="image/jpeg")
    work = services.submit_work(call, submission_input(images=[upload]))
    with work.images.get().image.open("rb") as handle:
        assert b"SecretCamera" not in handle.read()


@pytest.mark.parametrize(
    ("opens", "closes", "status", "message"),
    [
        (1, 5, CallStatus.OPEN, "尚未开始"),
        (-5, -1, CallStatus.OPEN, "已经截止"),
        (-5, 5, CallStatus.CLOSED, "已经截止"),
        (-5, 5, CallStatus.DRAFT, "尚未发布"),
    ],
)
def test_submit_refused_unless_the_call_takes_works(district, opens, closes, status, message):
    now = timezone.now()
    call = make_call(
        district.east, status=status, opens_at=now + timedelta(days=opens), closes_at=now + timedelta(days=closes)
    )
    with pytest.raises(ServiceError, match=message):
        services.submit_work(call, submission_input())
    assert not Submission.objects.exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"consent": False}, "同意个人信息使用说明"),
        ({"images": []}, "1 到 6 张"),
        ({"images": [image_upload() for _n in range(7)]}, "1 到 6 张"),
        ({"author_phone": "12345"}, "手机号码"),
        ({"art_form": "油画"}, "剪纸、沙画、书画"),
        ({"title": " "}, "作品名称"),
        ({"author_name": ""}, "作者姓名"),
    ],
)
def test_submit_refuses_bad_input(district, changes, message):
    call = make_call(district.east)
    with pytest.raises(ServiceError, match=message):
        services.submit_work(call, submission_input(**changes))
    assert not Submission.objects.exists()


def test_submit_refuses_what_is_not_an_image(district):
    from django.core.files.uploadedfile import SimpleUploadedFile

    call = make_call(district.east)
    fake = SimpleUploadedFile("x.jpg", b"%PDF-1.4 not an image", content_type="image/jpeg")
    with pytest.raises(ServiceError, match="不是可以识别的图片"):
        services.submit_work(call, submission_input(images=[image_upload(), fake]))
    assert not Submission.objects.exists() and not SubmissionImage.objects.exists()
    gif = io.BytesIO()
    Image.new("RGB", (10, 10)).save(gif, format="GIF")
    upload = SimpleUploadedFile("a.gif", gif.getvalue(), content_type="image/gif")
    with pytest.raises(ServiceError, match="JPEG、PNG、WEBP"):
        services.submit_work(call, submission_input(images=[upload]))


def test_submit_accepts_webp(district):
    call = make_call(district.east)
    work = services.submit_work(call, submission_input(images=[image_upload("a.webp", fmt="WEBP")]))
    assert work.images.count() == 1


# --- Review -------------------------------------------------------------------------------------


def test_accept_and_reject_with_a_note(district, bob):
    call = make_call(district.east)
    work = make_submission(call)
    with pytest.raises(ServiceError, match="审核意见"):
        services.decide(work, accept=False, note=" ", by=bob)
    accepted = services.decide(work, accept=True, by=bob)
    assert accepted.status == SubmissionStatus.ACCEPTED and accepted.decided_by == bob and accepted.decided_at
    with pytest.raises(ServiceError, match="已经是"):
        services.decide(accepted, accept=True, by=bob)
    rejected = services.decide(accepted, accept=False, note="与主题不符", by=bob)
    assert rejected.status == SubmissionStatus.REJECTED and rejected.note == "与主题不符"


def test_decide_needs_the_role_and_the_scope(district, charlie, dora):
    work = make_submission(make_call(district.east))
    for user in (charlie, dora):
        with pytest.raises(PermissionDenied):
            services.decide(work, accept=True, by=user)
    work.refresh_from_db()
    assert work.status == SubmissionStatus.PENDING


def test_decide_many(district, bob):
    call = make_call(district.east)
    works = [make_submission(call, title=f"作品{n}") for n in range(3)]
    assert services.decide_many(works, accept=True, by=bob) == 3
    assert Submission.objects.filter(status=SubmissionStatus.ACCEPTED).count() == 3


# --- Retention ----------------------------------------------------------------------------------


@pytest.fixture
def retention(settings):
    settings.CULTURE_AUTHOR_RETENTION_DAYS = 30
    services.register_retention()
    yield
    unregister_retention("作品征集投稿人的个人信息")


def _age(call: CallForWorks, *, closed_days_ago: int) -> None:
    now = timezone.now()
    CallForWorks.objects.filter(pk=call.pk).update(
        status=CallStatus.CLOSED,
        opens_at=now - timedelta(days=closed_days_ago + 20),
        closes_at=now - timedelta(days=closed_days_ago),
    )
    Submission.objects.filter(call=call).update(created_at=now - timedelta(days=closed_days_ago + 10))


def test_authors_erased_the_set_days_after_the_call_closed(district, retention):
    old, recent = make_call(district.east, title="旧"), make_call(district.east, title="新")
    gone = make_submission(old, status=SubmissionStatus.ACCEPTED)
    kept = make_submission(recent)
    _age(old, closed_days_ago=31)
    _age(recent, closed_days_ago=29)  # submitted 39 days ago, but its call closed only 29 days ago
    result = purge_expired()
    assert result["作品征集投稿人的个人信息"] == 1
    gone.refresh_from_db()
    kept.refresh_from_db()
    assert gone.author_name == "" and gone.author_phone == "" and gone.public_name == "巧手红"
    assert gone.status == SubmissionStatus.ACCEPTED and gone.images.count() == 1
    assert kept.author_name == "王小红" and kept.author_phone == "13912345678"


def test_rejected_images_deleted_after_the_same_time(district, settings):
    settings.CULTURE_AUTHOR_RETENTION_DAYS = 30
    old, recent = make_call(district.east, title="旧"), make_call(district.east, title="新")
    rejected = make_submission(old, status=SubmissionStatus.REJECTED)
    accepted = make_submission(old, status=SubmissionStatus.ACCEPTED)
    young = make_submission(recent, status=SubmissionStatus.REJECTED)
    _age(old, closed_days_ago=31)
    _age(recent, closed_days_ago=29)
    name = rejected.images.get().image.name
    assert default_storage.exists(name)
    assert services.purge_rejected_images() == 1
    assert not rejected.images.exists() and Submission.objects.filter(pk=rejected.pk).exists()
    assert not default_storage.exists(name) and not default_storage.exists(services.thumbnail_name(name))
    assert accepted.images.count() == 1 and young.images.count() == 1


def test_the_daily_task_purges_rejected_images(district, settings):
    from xuanchuan.culture.tasks_works import purge_rejected_work_images

    settings.CULTURE_AUTHOR_RETENTION_DAYS = 30
    call = make_call(district.east)
    make_submission(call, status=SubmissionStatus.REJECTED)
    _age(call, closed_days_ago=40)
    assert purge_rejected_work_images.apply().get() == 1
    assert not SubmissionImage.objects.exists()
