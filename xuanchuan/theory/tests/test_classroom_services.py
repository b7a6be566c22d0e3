"""Services of the classroom part: permissions, scope, content sniffing, ffprobe/ffmpeg where
installed, and two chunks racing for the same offset (PostgreSQL)."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import connections

from xuanchuan.core.services import ServiceError
from xuanchuan.theory import media_probe
from xuanchuan.theory.models import Upload
from xuanchuan.theory.services import classroom as services
from xuanchuan.theory.tests.factories import DEMO_MEDIA, make_category, make_item

HAS_FFMPEG = shutil.which("ffmpeg") is not None and shutil.which("ffprobe") is not None


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("lecture-a.mp4", "video/mp4"),
        ("lecture-b.mp4", "video/mp4"),
        ("talk.m4a", "audio/mp4"),
        ("talk.mp3", "audio/mpeg"),
        ("lecture-a.jpg", None),
        ("README.md", None),
    ],
)
def test_sniff_reads_the_content(name, expected):
    head = (DEMO_MEDIA / name).read_bytes()[: media_probe.SNIFF_BYTES]
    assert media_probe.sniff(head) == expected


def test_sniff_frame_sync_and_garbage():
    assert media_probe.sniff(b"\xff\xfb\x90\x64" + b"\x00" * 60) == "audio/mpeg"  # MPEG-1 layer III, 128 kbit/s
    assert media_probe.sniff(b"\xff\xff\xff\xff") is None  # bad bitrate and rate
    assert media_probe.sniff(b"\xff\xe0") is None
    assert media_probe.sniff(b"") is None
    assert media_probe.sniff(b"ID3") is None
    assert media_probe.sniff(b"\x00\x00\x00\x18ftypisom", declared="audio/mp4") == "audio/mp4"
    assert media_probe.sniff(b"\x89PNG\r\n\x1a\n" + b"\x00" * 56) is None


@pytest.mark.skipif(not HAS_FFMPEG, reason="ffmpeg/ffprobe are not installed")
def test_probe_and_poster_frame_with_ffmpeg():
    found = media_probe.probe(DEMO_MEDIA / "lecture-a.mp4")
    assert found is not None and found.has_video and found.duration_seconds == 20
    audio = media_probe.probe(DEMO_MEDIA / "talk.m4a")
    assert audio is not None and not audio.has_video and audio.has_audio
    assert media_probe.probe(DEMO_MEDIA / "README.md") is None
    frame = media_probe.poster_frame(DEMO_MEDIA / "lecture-b.mp4", 12)
    assert frame is not None and frame[:2] == b"\xff\xd8"
    assert media_probe.poster_frame(DEMO_MEDIA / "talk.m4a", 15) is None


def test_without_ffmpeg_nothing_is_probed(settings):
    settings.THEORY_FFMPEG = ""
    assert not media_probe.available()
    assert media_probe.probe(DEMO_MEDIA / "lecture-a.mp4") is None
    assert media_probe.poster_frame(DEMO_MEDIA / "lecture-a.mp4") is None
    settings.THEORY_FFMPEG = "/nonexistent/ffmpeg"
    assert not media_probe.available()


@pytest.mark.django_db
def test_roles_and_scope_are_checked(district, bob, charlie, dora):
    with pytest.raises(PermissionDenied):
        services.start_upload(unit=district.east, filename="a.mp4", size=10, by=charlie)
    with pytest.raises(PermissionDenied):
        services.start_upload(unit=district.east_community, filename="a.mp4", size=10, by=dora)
    with pytest.raises(PermissionDenied):
        services.create_category(unit=district.east, name="甲", by=charlie)
    item = make_item(make_category(district.east), published=False)
    with pytest.raises(PermissionDenied):
        services.publish(item, by=charlie)
    with pytest.raises(PermissionDenied):
        services.delete_draft(item, by=dora)
    services.publish(item, by=bob)
    with pytest.raises(ServiceError):
        services.publish(item, by=bob)
    bob.unit = None
    with pytest.raises(PermissionDenied):
        services.start_upload(unit=bob.unit, filename="a.mp4", size=10, by=bob)


def test_withdrawal_is_dated_and_publishing_again_keeps_the_first_publication(district, bob):
    """The report counts an item as online from its first publication until its withdrawal."""
    from xuanchuan.theory.models import ItemStatus

    item = make_item(make_category(district.east))
    first = item.published_at
    withdrawn = services.withdraw(item, by=bob)
    assert withdrawn.status == ItemStatus.WITHDRAWN and withdrawn.withdrawn_at is not None
    again = services.publish(withdrawn, by=bob)
    assert again.status == ItemStatus.PUBLISHED and again.withdrawn_at is None
    assert again.published_at == first


@pytest.mark.django_db
def test_a_damaged_mp4_is_refused_where_ffprobe_exists(district, bob):
    if not HAS_FFMPEG:
        pytest.skip("ffprobe is not installed")
    data = (DEMO_MEDIA / "lecture-a.mp4").read_bytes()[:64] + b"\x00" * 1000
    upload = services.start_upload(unit=district.east, filename="a.mp4", size=len(data), by=bob)
    with pytest.raises(ServiceError, match="已损坏"):
        services.append_chunk(upload, offset=0, data=data, by=bob)
    assert not Upload.objects.exists()
    assert list(services.upload_folder().iterdir()) == []


def _race(*calls: Callable[[], Any]) -> list[Any]:
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(index: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            results[index] = call()
        except Exception as exc:  # noqa: BLE001 (the outcome is what the test looks at)
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="two chunks at once are tested on PostgreSQL (DATABASE_URL=postgres://…)",
)
@pytest.mark.django_db(transaction=True)
def test_two_chunks_at_the_same_offset_one_wins_the_other_409(district, bob):
    import importlib

    from django.apps import apps

    data = (DEMO_MEDIA / "lecture-a.mp4").read_bytes()
    upload = services.start_upload(unit=district.east, filename="a.mp4", size=len(data), by=bob)
    first, second = data[:50_000], data[:60_000]
    for _ in range(3):
        results = _race(
            lambda: services.append_chunk(upload, offset=0, data=first, by=bob),
            lambda: services.append_chunk(upload, offset=0, data=second, by=bob),
        )
        won = [result for result in results if isinstance(result, Upload)]
        lost = [result for result in results if isinstance(result, services.UploadConflict)]
        assert len(won) == 1 and len(lost) == 1, results
        upload.refresh_from_db()
        assert lost[0].received == upload.received == won[0].received
        # The bytes on disk are exactly the winner's chunk, not a mix.
        written = services.part_path(upload).read_bytes()
        assert written == data[: upload.received]
        Upload.objects.filter(pk=upload.pk).update(received=0)
        services.part_path(upload).write_bytes(b"")
    importlib.import_module("xuanchuan.org.migrations.0002_default_roles").create_roles(apps, None)
