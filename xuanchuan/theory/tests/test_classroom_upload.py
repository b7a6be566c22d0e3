"""Resumable uploads: chunks at the server's offset (409 otherwise), size refused before any byte,
type checked by content on the last byte (a refused file leaves nothing behind), resume, purge."""

from __future__ import annotations

import json
import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from xuanchuan.conftest import verified_login
from xuanchuan.theory.models import ClassItem, Upload
from xuanchuan.theory.services import classroom as services
from xuanchuan.theory.tests.factories import DEMO_MEDIA, make_category

pytestmark = pytest.mark.django_db
VIDEO = (DEMO_MEDIA / "lecture-a.mp4").read_bytes()
VIDEO_SIZE = len(VIDEO)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200


@pytest.fixture
def staff(client, bob):
    return verified_login(client, bob)


def start(client, name="lecture-a.mp4", size=VIDEO_SIZE, kind="video/mp4"):
    return client.post(
        reverse("theory:upload_start"),
        json.dumps({"filename": name, "size": size, "type": kind}),
        content_type="application/json",
    )


def put(client, url, data, offset):
    return client.put(f"{url}?offset={offset}", data, content_type="application/octet-stream")


def uploads_folder() -> Path:
    return services.upload_folder()


def leftovers() -> list[Path]:
    folder = uploads_folder()
    return list(folder.iterdir()) if folder.exists() else []


def test_happy_path_in_three_chunks_then_the_item(staff, district, bob):
    category = make_category(district.east)
    response = start(staff)
    assert response.status_code == 201
    state = response.json()
    upload = Upload.objects.get(pk=state["id"])
    assert upload.received == 0 and upload.created_by == bob and upload.unit == district.east
    third = len(VIDEO) // 3 + 1
    offset = 0
    for _ in range(3):
        chunk = VIDEO[offset : offset + third]
        response = put(staff, state["url"], chunk, offset)
        assert response.status_code == 200, response.content
        offset = response.json()["received"]
        assert response["Upload-Offset"] == str(offset)
    final = response.json()
    assert final["done"] is True and final["received"] == len(VIDEO)
    assert final["next"] == reverse("theory:item_create", args=[upload.pk])
    assert staff.get(final["next"]).status_code == 200
    response = staff.post(
        final["next"],
        {"title": "微宣讲", "category": category.pk, "speaker": "王宣讲", "duration": "0:20", "description": ""},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    item = ClassItem.objects.get()
    assert item.status == "draft" and item.content_type == "video/mp4" and item.kind == "video"
    assert item.size == len(VIDEO)
    assert Path(item.media.path).read_bytes() == VIDEO
    assert not Upload.objects.exists()
    assert leftovers() == []


def test_a_chunk_at_another_offset_is_409_with_the_servers_offset_and_resumes(staff):
    state = start(staff).json()
    assert put(staff, state["url"], VIDEO[:1000], 0).status_code == 200
    # The client lost the reply and sends the first chunk again.
    response = put(staff, state["url"], VIDEO[:1000], 0)
    assert response.status_code == 409
    assert response.json()["received"] == 1000
    assert response["Upload-Offset"] == "1000"
    # A client ahead of the server is told too.
    assert put(staff, state["url"], VIDEO[5000:6000], 5000).json()["received"] == 1000
    # After a reload the script asks where the server is and goes on from there.
    status = staff.get(state["url"])
    assert status.status_code == 200 and status.json()["received"] == 1000
    assert staff.head(state["url"])["Upload-Offset"] == "1000"
    response = put(staff, state["url"], VIDEO[1000:], 1000)
    assert response.status_code == 200 and response.json()["done"] is True
    assert (uploads_folder() / f"{state['id']}.part").read_bytes() == VIDEO


def test_content_range_header_gives_the_offset(staff):
    state = start(staff).json()
    response = staff.put(
        state["url"],
        VIDEO[:100],
        content_type="application/octet-stream",
        headers={"Content-Range": f"bytes 0-99/{len(VIDEO)}"},
    )
    assert response.status_code == 200 and response.json()["received"] == 100
    response = staff.put(
        state["url"], VIDEO[:100], content_type="application/octet-stream", headers={"Content-Range": "bytes x"}
    )
    assert response.status_code == 400


def test_oversize_is_refused_before_any_byte(staff, settings):
    settings.THEORY_UPLOAD_MAX_MB = 1
    response = start(staff, size=1024 * 1024 + 1)
    assert response.status_code == 400
    assert "超过 1 MB" in response.json()["error"]
    assert not Upload.objects.exists()
    assert leftovers() == []


def test_a_chunk_over_the_chunk_size_is_refused(staff, settings):
    settings.THEORY_UPLOAD_CHUNK_MB = 1
    state = start(staff, size=3 * 1024 * 1024).json()
    response = put(staff, state["url"], b"\x00" * (1024 * 1024 + 1), 0)
    assert response.status_code == 413
    assert Upload.objects.get().received == 0


def test_more_bytes_than_announced_are_refused(staff):
    state = start(staff, size=100).json()
    response = put(staff, state["url"], VIDEO[:101], 0)
    assert response.status_code == 400
    assert Upload.objects.get().received == 0


@pytest.mark.parametrize("content", [PNG, "这不是视频，只是一段文字。".encode() * 20, b"\x00" * 300])
def test_wrong_type_by_content_is_refused_and_leaves_nothing(staff, content):
    state = start(staff, name="lecture.mp4", size=len(content)).json()
    response = put(staff, state["url"], content, 0)
    assert response.status_code == 400
    body = response.json()
    assert "不是 MP4 视频、M4A 或 MP3 音频" in body["error"] and body["gone"] is True
    assert not Upload.objects.exists()
    assert leftovers() == []


def test_an_obviously_wrong_name_is_refused_at_the_start(staff):
    response = start(staff, name="photo.png", kind="image/png")
    assert response.status_code == 400
    assert not Upload.objects.exists()


@pytest.mark.parametrize(
    ("name", "kind"), [("talk.m4a", "audio/mp4"), ("talk.mp3", "audio/mpeg"), ("lecture-b.mp4", "video/mp4")]
)
def test_audio_and_video_are_accepted(staff, name, kind):
    data = (DEMO_MEDIA / name).read_bytes()
    state = start(staff, name=name, size=len(data), kind=kind).json()
    assert put(staff, state["url"], data, 0).json()["done"] is True


def test_cancel_deletes_row_and_bytes(staff):
    state = start(staff).json()
    put(staff, state["url"], VIDEO[:100], 0)
    assert staff.delete(state["url"]).status_code == 200
    assert not Upload.objects.exists()
    assert leftovers() == []


def test_endpoints_refuse_anonymous_outsiders_and_roles(client, staff, charlie, dora):
    state = start(staff).json()
    staff.logout()
    assert start(client).status_code == 403
    assert put(client, state["url"], VIDEO[:10], 0).status_code == 403
    verified_login(client, dora)  # a community worker: no classroom role
    assert start(client).status_code == 403
    assert client.get(reverse("theory:item_upload")).status_code == 403
    client.logout()
    verified_login(client, charlie)
    assert client.get(state["url"]).status_code == 404
    assert put(client, state["url"], VIDEO[:10], 0).status_code == 404
    assert Upload.objects.get().received == 0


def test_csrf_is_required(bob, district):
    from django.test import Client

    client = verified_login(Client(enforce_csrf_checks=True), bob)
    response = start(client)
    assert response.status_code == 403
    assert not Upload.objects.exists()


def test_purge_deletes_old_uploads_and_their_bytes(staff, settings):
    settings.THEORY_UPLOAD_EXPIRY_HOURS = 24
    old = start(staff).json()
    put(staff, old["url"], VIDEO[:100], 0)
    new = start(staff).json()
    Upload.objects.filter(pk=old["id"]).update(created_at=timezone.now() - timedelta(hours=25))
    stray = uploads_folder() / "0123.part"
    stray.write_bytes(b"x")
    import os

    stamp = (timezone.now() - timedelta(hours=30)).timestamp()
    os.utime(stray, (stamp, stamp))
    from xuanchuan.theory.tasks_classroom import purge_unfinished_uploads

    assert purge_unfinished_uploads() == 1
    assert list(Upload.objects.values_list("pk", flat=True)) == [Upload.objects.get(pk=new["id"]).pk]
    assert [path.name for path in leftovers()] == [f"{new['id']}.part"]


@pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="ffmpeg is not installed")
def test_item_takes_length_and_poster_with_ffmpeg(staff, district):
    category = make_category(district.east)
    state = start(staff).json()
    done = put(staff, state["url"], VIDEO, 0).json()
    response = staff.post(done["next"], {"title": "有封面", "category": category.pk})
    assert response.status_code == 302
    item = ClassItem.objects.get()
    assert item.duration_seconds == 20
    assert item.poster and Path(item.poster.path).read_bytes()[:2] == b"\xff\xd8"
    poster = staff.get(reverse("theory:m_item_poster", args=[item.pk]))
    assert poster.status_code == 200


def test_without_ffmpeg_the_length_is_asked_for(staff, district, settings):
    settings.THEORY_FFMPEG = ""
    category = make_category(district.east)
    state = start(staff).json()
    done = put(staff, state["url"], VIDEO, 0).json()
    page = staff.get(done["next"])
    assert "未安装 ffmpeg" in page.content.decode()
    response = staff.post(done["next"], {"title": "无时长", "category": category.pk})
    assert response.status_code == 400
    assert "请填写时长" in response.content.decode()
    assert not ClassItem.objects.exists() and Upload.objects.exists()
    response = staff.post(done["next"], {"title": "有时长", "category": category.pk, "duration": "1:05"})
    assert response.status_code == 302
    item = ClassItem.objects.get()
    assert item.duration_seconds == 65 and not item.poster


def test_a_poster_may_be_uploaded_and_a_bad_one_is_refused(staff, district, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.THEORY_FFMPEG = ""
    category = make_category(district.east)
    state = start(staff).json()
    done = put(staff, state["url"], VIDEO, 0).json()
    bad = SimpleUploadedFile("p.jpg", b"not an image", content_type="image/jpeg")
    response = staff.post(done["next"], {"title": "t", "category": category.pk, "duration": "0:20", "poster": bad})
    assert response.status_code == 400
    assert not ClassItem.objects.exists()
    good = SimpleUploadedFile("p.jpg", (DEMO_MEDIA / "lecture-b.jpg").read_bytes(), content_type="image/jpeg")
    response = staff.post(done["next"], {"title": "t", "category": category.pk, "duration": "0:20", "poster": good})
    assert response.status_code == 302
    assert ClassItem.objects.get().poster
