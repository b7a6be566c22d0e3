"""Writes of the classroom part: categories, resumable uploads, items (publish, withdraw, delete a
draft) and the purge of uploads nobody finished.

An upload is sent in chunks, each at the server's offset ``Upload.received``: a chunk at another
offset is refused with that offset (``UploadConflict``, 409 on the wire) so a client that lost its
connection, or a second tab, resumes from where the server is, and two chunks never interleave (the
row is locked while a chunk is written). The size limit is checked before any byte is taken; when
the last byte is in, the type is read from the content (``media_probe.sniff``): a file that is no
MP4 video, M4A or MP3 audio is deleted with its row and refused, leaving nothing behind. A finished
upload becomes an item's media (``create_item``), which moves the file into the media folder.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xuanchuan.core.services import ServiceError, require
from xuanchuan.org.models import Unit, User
from xuanchuan.org.scoping import require_visible_unit
from xuanchuan.theory import media_probe
from xuanchuan.theory.models import Category, ClassItem, ItemStatus, Lecture, MediaKind, Upload
from xuanchuan.theory.permissions import may_manage_classroom

UPLOAD_FOLDER = Path("theory") / "uploads"
POSTER_MAX_MB = 10
POSTER_MAX_SIDE = 1280
MAX_DURATION_SECONDS = 24 * 3600


class UploadConflict(ServiceError):
    """A chunk sent at an offset other than the server's: the client resumes from ``received``."""

    def __init__(self, received: int) -> None:
        super().__init__(_("上传位置不一致，请从第 %(received)d 字节继续。") % {"received": received})
        self.received = received


def max_upload_bytes() -> int:
    return settings.THEORY_UPLOAD_MAX_MB * 1024 * 1024


def max_chunk_bytes() -> int:
    return settings.THEORY_UPLOAD_CHUNK_MB * 1024 * 1024


def upload_folder() -> Path:
    return Path(settings.MEDIA_ROOT) / UPLOAD_FOLDER


def part_path(upload: Upload) -> Path:
    """Where an upload's bytes gather: ``MEDIA_ROOT/theory/uploads/<uuid>.part`` (the name is the
    row's random key, never the uploader's file name)."""
    return upload_folder() / f"{upload.pk}.part"


def _remove(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        path.unlink()


def _require_manager(by: User, unit: Unit | None) -> None:
    require(may_manage_classroom(by))
    # A manager without a unit of their own has nowhere to upload or keep categories.
    require(unit is not None)
    require_visible_unit(by, unit)


# ---------------------------------------------------------------- categories


def _clean_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise ServiceError(_("请填写类别名称。"))
    return name


def create_category(*, unit: Unit, name: str, order: int = 0, by: User) -> Category:
    """A new category of ``unit``'s classroom; names are unique within a unit."""
    _require_manager(by, unit)
    name = _clean_name(name)
    try:
        with transaction.atomic():
            return Category.objects.create(unit=unit, name=name, order=order, created_by=by)
    except IntegrityError:
        raise ServiceError(_("本单位已有名为“%(name)s”的类别。") % {"name": name}) from None


def update_category(category: Category, *, name: str, order: int, by: User) -> Category:
    """Rename or reorder a category."""
    _require_manager(by, category.unit)
    name = _clean_name(name)
    try:
        with transaction.atomic():
            category = Category.objects.select_for_update().get(pk=category.pk)
            category.name = name
            category.order = order
            category.save(update_fields=["name", "order", "updated_at"])
    except IntegrityError:
        raise ServiceError(_("本单位已有名为“%(name)s”的类别。") % {"name": name}) from None
    return category


def set_category_active(category: Category, active: bool, *, by: User) -> Category:
    """Stop offering a category for new items (its items stay in it), or offer it again."""
    _require_manager(by, category.unit)
    with transaction.atomic():
        category = Category.objects.select_for_update().get(pk=category.pk)
        if category.active == active:
            raise ServiceError(_("该类别已经启用。") if active else _("该类别已经停用。"))
        category.active = active
        category.save(update_fields=["active", "updated_at"])
    return category


# ---------------------------------------------------------------- uploads


def _clean_filename(filename: str) -> str:
    name = os.path.basename((filename or "").replace("\\", "/")).strip().replace("\x00", "")
    return name[:200] or "upload"


def start_upload(*, unit: Unit, filename: str, size: int, declared_type: str = "", by: User) -> Upload:
    """Begin a resumable upload of ``size`` bytes. Refused before any byte is sent when the file is
    empty, larger than ``THEORY_UPLOAD_MAX_MB``, or obviously not video or audio by its name."""
    _require_manager(by, unit)
    name = _clean_filename(filename)
    if size <= 0:
        raise ServiceError(_("文件“%(name)s”是空文件。") % {"name": name})
    if size > max_upload_bytes():
        raise ServiceError(
            _("文件“%(name)s”超过 %(mb)d MB 的上限，请压缩或剪短后再上传。")
            % {"name": name, "mb": settings.THEORY_UPLOAD_MAX_MB}
        )
    extension = os.path.splitext(name)[1].lower()
    if extension not in (".mp4", ".m4a", ".mp3") and declared_type not in media_probe.ALLOWED_TYPES:
        raise ServiceError(_("只能上传 MP4 视频、M4A 或 MP3 音频，“%(name)s”不是。") % {"name": name})
    with transaction.atomic():
        upload = Upload.objects.create(unit=unit, created_by=by, filename=name, size=size, created_at=timezone.now())
        folder = upload_folder()
        folder.mkdir(parents=True, exist_ok=True)
        part_path(upload).touch()
    return upload


def _require_uploader(upload: Upload, by: User) -> None:
    _require_manager(by, upload.unit)


def append_chunk(upload: Upload, *, offset: int, data: bytes, by: User) -> Upload:
    """Write one chunk at ``offset``. ``UploadConflict`` (with the server's offset) when ``offset``
    is not where the upload stands; on the last byte the content is checked (``_check``): a refused
    file is deleted with its row before the refusal is raised."""
    _require_uploader(upload, by)
    if len(data) > max_chunk_bytes():
        raise ServiceError(_("每块最多 %(mb)d MB。") % {"mb": settings.THEORY_UPLOAD_CHUNK_MB})
    if not data:
        raise ServiceError(_("没有收到数据。"))
    refusal: ServiceError | None = None
    with transaction.atomic():
        try:
            upload = Upload.objects.select_for_update().get(pk=upload.pk)
        except Upload.DoesNotExist:
            raise ServiceError(_("这次上传已经失效，请重新选择文件上传。")) from None
        if upload.completed_at is not None:
            raise UploadConflict(upload.received)
        if offset != upload.received:
            raise UploadConflict(upload.received)
        if upload.received + len(data) > upload.size:
            raise ServiceError(_("收到的数据超过了文件大小，请重新上传。"))
        path = part_path(upload)
        try:
            with path.open("r+b") as handle:
                handle.seek(offset)
                handle.write(data)
                # Bytes beyond the offset from a request that failed before it was recorded.
                handle.truncate()
        except FileNotFoundError:
            upload.delete()
            raise ServiceError(_("这次上传已经失效，请重新选择文件上传。")) from None
        upload.received += len(data)
        fields = ["received"]
        if upload.received == upload.size:
            refusal = _check(upload, path)
            if refusal is None:
                upload.completed_at = timezone.now()
                fields.append("completed_at")
        if refusal is None:
            upload.save(update_fields=fields)
        else:
            upload.delete()
            transaction.on_commit(lambda: _remove(path))
    if refusal is not None:
        _remove(path)
        raise refusal
    return upload


def _check(upload: Upload, path: Path) -> ServiceError | None:
    """Why a complete upload is refused (type read from the content, size on disk), or ``None``."""
    with path.open("rb") as handle:
        head = handle.read(media_probe.SNIFF_BYTES)
    name = upload.filename
    if path.stat().st_size != upload.size:
        return ServiceError(_("文件“%(name)s”没有完整收到，请重新上传。") % {"name": name})
    if media_probe.sniff(head) is None:
        return ServiceError(
            _("文件“%(name)s”的内容不是 MP4 视频、M4A 或 MP3 音频（与文件名无关），已删除。") % {"name": name}
        )
    if media_probe.available():
        found = media_probe.probe(path)
        if found is None or not (found.has_video or found.has_audio):
            return ServiceError(_("文件“%(name)s”已损坏，无法播放，已删除。") % {"name": name})
    return None


def abandon_upload(upload: Upload, *, by: User) -> None:
    """Cancel an upload: its row and its bytes go."""
    _require_uploader(upload, by)
    with transaction.atomic():
        Upload.objects.filter(pk=upload.pk).delete()
    _remove(part_path(upload))


def purge_unfinished_uploads(*, now: datetime | None = None) -> int:
    """Delete uploads begun more than ``THEORY_UPLOAD_EXPIRY_HOURS`` ago (finished or not, none
    has become an item, which consumes its upload) with their bytes, and stray ``.part`` files as
    old as that without a row; the number of uploads deleted."""
    now = now or timezone.now()
    cutoff = now - timedelta(hours=settings.THEORY_UPLOAD_EXPIRY_HOURS)
    # scoping: allowed (a background job over every unit)
    stale = list(Upload.objects.filter(created_at__lt=cutoff).values_list("pk", flat=True))
    for key in stale:
        with transaction.atomic():
            Upload.objects.filter(pk=key, created_at__lt=cutoff).delete()
        _remove(upload_folder() / f"{key}.part")
    folder = upload_folder()
    if folder.is_dir():
        known = {f"{key}.part" for key in Upload.objects.values_list("pk", flat=True)}  # scoping: allowed
        for path in folder.glob("*.part"):
            if path.name not in known and path.stat().st_mtime < cutoff.timestamp():
                _remove(path)
    return len(stale)


# ---------------------------------------------------------------- items


def _media_type(path: Path) -> tuple[str, int | None]:
    """The content type of a finished upload (sniffed, corrected by ffprobe where it exists: an MP4
    without a video stream is audio) and its length if ffprobe tells."""
    with path.open("rb") as handle:
        content_type = media_probe.sniff(handle.read(media_probe.SNIFF_BYTES))
    if content_type is None:
        raise ServiceError(_("文件的内容不是 MP4 视频、M4A 或 MP3 音频。"))
    found = media_probe.probe(path)
    if found is None:
        return content_type, None
    if content_type == media_probe.VIDEO_MP4 and not found.has_video:
        content_type = media_probe.AUDIO_MP4
    return content_type, found.duration_seconds


def _check_fields(*, category: Category, lecture: Lecture | None, title: str, by: User) -> str:
    if not Category.objects.visible_to(by).filter(pk=category.pk).exists():
        raise ServiceError(_("请选择本单位的类别。"))
    if lecture is not None and not Lecture.objects.visible_to(by).filter(pk=lecture.pk).exists():
        raise ServiceError(_("所选宣讲活动不在您的管辖范围内。"))
    title = (title or "").strip()
    if not title:
        raise ServiceError(_("请填写标题。"))
    return title


def _clean_poster(poster: Any) -> ContentFile:
    from xuanchuan.core.photos import clean_photo

    return clean_photo(poster, max_mb=POSTER_MAX_MB, max_side=POSTER_MAX_SIDE).content


def _check_duration(duration_seconds: int | None) -> int:
    if not duration_seconds or duration_seconds <= 0:
        raise ServiceError(_("无法自动读取时长，请填写时长（分:秒）。"))
    if duration_seconds > MAX_DURATION_SECONDS:
        raise ServiceError(_("时长不能超过 24 小时。"))
    return duration_seconds


def create_item(
    upload: Upload,
    *,
    title: str,
    category: Category,
    speaker: str = "",
    description: str = "",
    lecture: Lecture | None = None,
    duration_seconds: int | None = None,
    poster: Any = None,
    by: User,
) -> ClassItem:
    """Make a finished upload an item (a draft): the file moves into the media folder, its type
    and (where ffprobe exists) length are read from it, a poster is taken from a video where
    ffmpeg exists unless one is uploaded (checked and cleaned like photos). The upload is used up."""
    _require_uploader(upload, by)
    title = _check_fields(category=category, lecture=lecture, title=title, by=by)
    if not category.active:
        raise ServiceError(_("该类别已停用，请选择其他类别。"))
    if upload.completed_at is None:
        raise ServiceError(_("文件还没有上传完。"))
    source = part_path(upload)
    if not source.exists():
        raise ServiceError(_("这次上传已经失效，请重新选择文件上传。"))
    content_type, probed = _media_type(source)
    duration = _check_duration(probed or duration_seconds)
    poster_content = _clean_poster(poster) if poster else None
    kind = MediaKind.VIDEO if content_type.startswith("video/") else MediaKind.AUDIO

    with transaction.atomic():
        try:
            upload = Upload.objects.select_for_update().get(pk=upload.pk)
        except Upload.DoesNotExist:
            raise ServiceError(_("这次上传已经失效，请重新选择文件上传。")) from None
        item = ClassItem(
            unit=upload.unit,
            category=category,
            lecture=lecture,
            title=title,
            speaker=(speaker or "").strip(),
            description=(description or "").strip(),
            kind=kind,
            content_type=content_type,
            size=upload.size,
            duration_seconds=duration,
            status=ItemStatus.DRAFT,
            created_by=by,
        )
        storage = item.media.storage
        name = item.media.field.generate_filename(item, f"{uuid.uuid4().hex}{media_probe.EXTENSIONS[content_type]}")
        name = storage.get_available_name(name, max_length=item.media.field.max_length)
        target = Path(storage.path(name))
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(source, target)
        item.media.name = name
        try:
            item.save()
            upload.delete()
        except Exception:
            os.replace(target, source)
            raise
    if poster_content is not None:
        item.poster.save(f"{item.pk}.jpg", poster_content, save=True)
    elif kind == MediaKind.VIDEO:
        take_poster(item)
    return item


def take_poster(item: ClassItem) -> bool:
    """Take the item's poster from its video with ffmpeg (where installed); whether one was taken."""
    if item.kind != MediaKind.VIDEO or not item.media:
        return False
    try:
        path = item.media.path
    except NotImplementedError:
        return False
    frame = media_probe.poster_frame(path, item.duration_seconds)
    if frame is None:
        return False
    old = item.poster.name if item.poster else ""
    item.poster.save(f"{item.pk}.jpg", ContentFile(frame), save=False)
    ClassItem.objects.filter(pk=item.pk).update(poster=item.poster.name)  # scoping: allowed (the item in hand)
    if old and old != item.poster.name:
        item.poster.storage.delete(old)
    return True


def update_item(
    item: ClassItem,
    *,
    title: str,
    category: Category,
    speaker: str = "",
    description: str = "",
    lecture: Lecture | None = None,
    duration_seconds: int | None = None,
    poster: Any = None,
    remove_poster: bool = False,
    by: User,
) -> ClassItem:
    """Change an item's description, category, length or poster (its media stays)."""
    _require_manager(by, item.unit)
    title = _check_fields(category=category, lecture=lecture, title=title, by=by)
    if not category.active and category.pk != item.category_id:
        raise ServiceError(_("该类别已停用，请选择其他类别。"))
    duration = _check_duration(duration_seconds or item.duration_seconds)
    poster_content = _clean_poster(poster) if poster else None
    old_poster = ""
    with transaction.atomic():
        item = ClassItem.objects.select_for_update().get(pk=item.pk)
        item.title = title
        item.category = category
        item.speaker = (speaker or "").strip()
        item.description = (description or "").strip()
        item.lecture = lecture
        item.duration_seconds = duration
        if (remove_poster or poster_content is not None) and item.poster:
            old_poster = item.poster.name
            item.poster = ""
        if poster_content is not None:
            item.poster.save(f"{item.pk}.jpg", poster_content, save=False)
        item.save()
        if old_poster and old_poster != item.poster.name:
            storage = item.poster.storage
            transaction.on_commit(lambda: storage.delete(old_poster))
    return item


def publish(item: ClassItem, *, by: User) -> ClassItem:
    """Put a draft or withdrawn item in the public classroom. ``published_at`` stays the first
    publication (the item has been online since, apart from the time it was withdrawn), and the
    withdrawal is over."""
    _require_manager(by, item.unit)
    with transaction.atomic():
        item = ClassItem.objects.select_for_update().get(pk=item.pk)
        if item.status == ItemStatus.PUBLISHED:
            raise ServiceError(_("该课程已经发布。"))
        if not item.category.active:
            raise ServiceError(_("该课程的类别已停用，请先换一个类别。"))
        item.status = ItemStatus.PUBLISHED
        item.published_at = item.published_at or timezone.now()
        item.withdrawn_at = None
        item.save(update_fields=["status", "published_at", "withdrawn_at", "updated_at"])
    return item


def withdraw(item: ClassItem, *, by: User) -> ClassItem:
    """Take a published item out of the public classroom (its plays and questions stay)."""
    _require_manager(by, item.unit)
    with transaction.atomic():
        item = ClassItem.objects.select_for_update().get(pk=item.pk)
        if item.status != ItemStatus.PUBLISHED:
            raise ServiceError(_("只能撤下已发布的课程。"))
        item.status = ItemStatus.WITHDRAWN
        item.withdrawn_at = timezone.now()
        item.save(update_fields=["status", "withdrawn_at", "updated_at"])
    return item


def delete_draft(item: ClassItem, *, by: User) -> None:
    """Delete an item never published, with its media and poster files (once the deletion is
    committed). A published or withdrawn item has plays and is withdrawn instead."""
    _require_manager(by, item.unit)
    with transaction.atomic():
        item = ClassItem.objects.select_for_update().get(pk=item.pk)
        if item.status != ItemStatus.DRAFT or item.published_at is not None:
            raise ServiceError(_("只能删除未发布过的课程；已发布的请撤下。"))
        files = [(field.storage, field.name) for field in (item.media, item.poster) if field]
        item.delete()

        def remove_files() -> None:
            for storage, name in files:
                storage.delete(name)

        transaction.on_commit(remove_files)
