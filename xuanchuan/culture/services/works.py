"""Writes of the works part: calls for works (征集: drafted, opened, closed; their online exhibition
opened and closed), residents' submissions from the public phone page (1–6 images, checked and
re-encoded without EXIF, a thumbnail each; the author's name and phone encrypted; the consent
kept with its time), and staff's review (accepted, or rejected with a note).

Every staff service checks the role first (``may_manage_works``), then the unit scope of the call,
and writes in one transaction with the row locked where two people may act on it at once. The
public ``submit_work`` has no user: the call's own state decides.

Retention (``register_retention``): the authors' names and phones are erased
``CULTURE_AUTHOR_RETENTION_DAYS`` after their call closed; ``purge_rejected_images`` deletes the
images of rejected works after the same time.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from xuanchuan.core.photos import clean_photo
from xuanchuan.core.pii import normalize_mobile, validate_mobile
from xuanchuan.core.pii import register_retention as register_pii_retention
from xuanchuan.core.services import ServiceError, require
from xuanchuan.culture.models import CallForWorks, CallStatus, Submission, SubmissionImage, SubmissionStatus
from xuanchuan.culture.permissions import may_manage_works
from xuanchuan.org.models import Unit, User
from xuanchuan.org.scoping import require_visible_unit

MAX_IMAGES = 6
IMAGE_MAX_MB = 10
IMAGE_MAX_SIDE = 1600
THUMB_SIDE = 480
IMAGE_FORMATS = {"JPEG", "MPO", "PNG", "WEBP"}
IMAGE_FORMATS_LABEL = "JPEG、PNG、WEBP"
DEFAULT_CONSENT = (
    "您填写的姓名和手机号码只用于本次征集的工作人员核对作品、与您联系（如通知入选、寄送证书），不会公开；"
    "网上展览只显示作品和您填写的展示署名（可以是笔名）。工作人员查看时默认隐去部分号码，查看全文留有记录；"
    "征集截止后一段时间内，姓名和手机号码将自动删除，未入选作品的图片同时删除。"
    "提交即表示作品为本人原创，同意主办单位在宣传展示中使用（署展示署名）。"
)


def retention_days() -> int:
    """Days after a call closed that its authors' names and phones (and rejected images) are kept."""
    return int(getattr(settings, "CULTURE_AUTHOR_RETENTION_DAYS", 180))


def register_retention() -> None:
    """Erase the author's name and phone of every work ``CULTURE_AUTHOR_RETENTION_DAYS`` after its
    call closed (``call__closes_at``); the work stays with its public name for the exhibition and
    the figures."""
    register_pii_retention(
        Submission,
        days=retention_days,
        date_field="call__closes_at",
        action="erase",
        fields=("author_name", "author_phone"),
        label="作品征集投稿人的个人信息",
    )


def _manage(by: User, unit: Unit) -> None:
    require(may_manage_works(by))
    require_visible_unit(by, unit)


def _text(value: Any) -> str:
    return (value or "").strip()


# --- Images and thumbnails ----------------------------------------------------------------------


def thumbnail_name(image_name: str) -> str:
    """Where the thumbnail of a stored image lives (next to it: ``<name>.thumb.jpg``)."""
    return f"{image_name.rsplit('.', 1)[0]}.thumb.jpg"


def make_thumbnail(data: bytes) -> ContentFile:
    """A square ``THUMB_SIDE`` px JPEG of the (already cleaned) image, for the galleries."""
    with Image.open(io.BytesIO(data)) as image:
        square = ImageOps.fit(image.convert("RGB"), (THUMB_SIDE, THUMB_SIDE), Image.Resampling.LANCZOS)
        out = io.BytesIO()
        square.save(out, format="JPEG", quality=80, optimize=True)
    return ContentFile(out.getvalue())


def ensure_thumbnail(item: SubmissionImage) -> str:
    """The stored name of ``item``'s thumbnail, made now if it is missing (e.g. an old file)."""
    name = thumbnail_name(item.image.name)
    if not default_storage.exists(name):
        with item.image.open("rb") as handle:
            default_storage.save(name, make_thumbnail(handle.read()))
    return name


def _delete_files(item: SubmissionImage) -> None:
    for name in (item.image.name, thumbnail_name(item.image.name)):
        if name and default_storage.exists(name):
            default_storage.delete(name)


# --- Calls --------------------------------------------------------------------------------------


@dataclass
class CallInput:
    """What the call form gives a service (checked again here)."""

    unit: Unit
    title: str
    theme: str
    art_forms: str
    opens_at: datetime
    closes_at: datetime
    consent_text: str = DEFAULT_CONSENT


def art_form_list(call: CallForWorks) -> list[str]:
    """The call's art forms as a list (written 剪纸、沙画，书画 or with spaces)."""
    text = call.art_forms
    for separator in ("，", ",", "；", ";", "/", " ", "\u3000"):
        text = text.replace(separator, "、")
    return [item for item in (part.strip() for part in text.split("、")) if item]


def _check_call(data: CallInput) -> None:
    if not _text(data.title):
        raise ServiceError(_("请填写征集名称。"))
    if not _text(data.theme):
        raise ServiceError(_("请填写征集主题与要求。"))
    if not _text(data.art_forms):
        raise ServiceError(_("请填写作品门类，如：剪纸、沙画、书画。"))
    if data.opens_at is None or data.closes_at is None:
        raise ServiceError(_("请填写开始时间和截止时间。"))
    if data.closes_at <= data.opens_at:
        raise ServiceError(_("截止时间应晚于开始时间。"))
    if not _text(data.consent_text):
        raise ServiceError(_("请填写个人信息使用说明，投稿人须同意后才能提交。"))


def create_call(data: CallInput, *, by: User) -> CallForWorks:
    """A new call of ``data.unit``, not yet published (draft)."""
    _manage(by, data.unit)
    _check_call(data)
    with transaction.atomic():
        return CallForWorks.objects.create(
            unit=data.unit,
            title=_text(data.title),
            theme=_text(data.theme),
            art_forms=_text(data.art_forms),
            opens_at=data.opens_at,
            closes_at=data.closes_at,
            consent_text=_text(data.consent_text),
            created_by=by,
        )


def update_call(call: CallForWorks, data: CallInput, *, by: User) -> CallForWorks:
    """Change a call's texts and dates. Once works have been received, its unit stays and the
    consent text stays (the submitters agreed to that text)."""
    _manage(by, call.unit)
    _manage(by, data.unit)
    _check_call(data)
    with transaction.atomic():
        locked = CallForWorks.objects.select_for_update().get(pk=call.pk)
        received = Submission.objects.filter(call=locked).exists()
        if received and data.unit.pk != locked.unit_id:
            raise ServiceError(_("已收到作品的征集不能改到其他单位。"))
        if received and _text(data.consent_text) != locked.consent_text:
            raise ServiceError(_("已收到作品的征集不能修改个人信息使用说明（投稿人同意的是原来的说明）。"))
        locked.unit = data.unit
        locked.title, locked.theme, locked.art_forms = _text(data.title), _text(data.theme), _text(data.art_forms)
        locked.opens_at, locked.closes_at, locked.consent_text = data.opens_at, data.closes_at, _text(data.consent_text)
        locked.save()
    return locked


def open_call(call: CallForWorks, *, by: User) -> CallForWorks:
    """Publish a draft call (or reopen a closed one whose closing time is still ahead): the
    phone page takes works from its opening time to its closing time."""
    _manage(by, call.unit)
    with transaction.atomic():
        locked = CallForWorks.objects.select_for_update().get(pk=call.pk)
        if locked.status == CallStatus.OPEN:
            raise ServiceError(_("该征集已经发布。"))
        if locked.closes_at <= timezone.now():
            raise ServiceError(_("截止时间已过，请先修改截止时间再发布。"))
        locked.status = CallStatus.OPEN
        locked.save(update_fields=["status", "updated_at"])
    return locked


def close_call(call: CallForWorks, *, by: User) -> CallForWorks:
    """Stop taking works now; a closing time still ahead becomes now (retention counts from it)."""
    _manage(by, call.unit)
    now = timezone.now()
    with transaction.atomic():
        locked = CallForWorks.objects.select_for_update().get(pk=call.pk)
        if locked.status != CallStatus.OPEN:
            raise ServiceError(_("只能截止正在征集的活动。"))
        locked.status = CallStatus.CLOSED
        fields = ["status", "updated_at"]
        if locked.opens_at < now < locked.closes_at:
            locked.closes_at = now
            fields.append("closes_at")
        locked.save(update_fields=fields)
    return locked


def set_exhibition(call: CallForWorks, *, open: bool, by: User) -> CallForWorks:
    """Open (or close) the public online exhibition of the call's accepted works."""
    _manage(by, call.unit)
    with transaction.atomic():
        locked = CallForWorks.objects.select_for_update().get(pk=call.pk)
        if open and locked.status == CallStatus.DRAFT:
            raise ServiceError(_("尚未发布的征集不能开放网上展览。"))
        if locked.exhibition_open == open:
            raise ServiceError(_("网上展览已经开放。") if open else _("网上展览已经关闭。"))
        locked.exhibition_open = open
        locked.save(update_fields=["exhibition_open", "updated_at"])
    return locked


# --- Submissions (public) -----------------------------------------------------------------------


@dataclass
class SubmissionInput:
    """What the public submission form gives (validated there; checked again here)."""

    title: str
    art_form: str
    author_name: str
    author_phone: str
    consent: bool
    images: list[Any] = field(default_factory=list)
    description: str = ""
    public_name: str = ""
    author_org: str = ""


def taking_works(call: CallForWorks, now: datetime | None = None) -> bool:
    """Whether the call takes works now: published and between its opening and closing times."""
    now = now or timezone.now()
    return call.status == CallStatus.OPEN and call.opens_at <= now < call.closes_at


def not_taking_reason(call: CallForWorks, now: datetime | None = None) -> str:
    """Why the call does not take works now, in a sentence for the resident ("" if it does)."""
    now = now or timezone.now()
    if call.status == CallStatus.OPEN and now < call.opens_at:
        start = timezone.localtime(call.opens_at).strftime("%Y-%m-%d %H:%M")
        return _("征集尚未开始，%(start)s 起可以投稿。") % {"start": start}
    if call.status == CallStatus.CLOSED or now >= call.closes_at:
        return _("征集已经截止，不再接收作品。")
    if call.status != CallStatus.OPEN:
        return _("该征集尚未发布。")
    return ""


def _check_submission(call: CallForWorks, data: SubmissionInput) -> None:
    if not data.consent:
        raise ServiceError(_("请先阅读并同意个人信息使用说明。"))
    if not (_text(data.title) and _text(data.art_form) and _text(data.author_name) and _text(data.author_phone)):
        raise ServiceError(_("请填写作品名称、门类、作者姓名和手机号码。"))
    forms_offered = art_form_list(call)
    if forms_offered and _text(data.art_form) not in forms_offered:
        raise ServiceError(_("请从本次征集的门类中选择：%(forms)s。") % {"forms": "、".join(forms_offered)})
    try:
        validate_mobile(normalize_mobile(_text(data.author_phone)))
    except ValidationError:
        raise ServiceError(_("请填写正确的 11 位手机号码。")) from None
    if not 1 <= len(data.images) <= MAX_IMAGES:
        raise ServiceError(_("请上传 1 到 %(n)d 张作品图片。") % {"n": MAX_IMAGES})


def submit_work(call: CallForWorks, data: SubmissionInput) -> Submission:
    """A resident submits a work to an open call (no account): images re-encoded without EXIF and
    shrunk, a square thumbnail each; the consent time kept. The reference is what they are shown."""
    reason = not_taking_reason(call)
    if reason:
        raise ServiceError(reason)
    _check_submission(call, data)
    cleaned = [
        clean_photo(
            upload,
            max_mb=IMAGE_MAX_MB,
            max_side=IMAGE_MAX_SIDE,
            formats=IMAGE_FORMATS,
            formats_label=IMAGE_FORMATS_LABEL,
        )
        for upload in data.images
    ]
    now = timezone.now()
    with transaction.atomic():
        locked = CallForWorks.objects.select_for_update().get(pk=call.pk)
        reason = not_taking_reason(locked, now)
        if reason:  # closed by staff a moment ago
            raise ServiceError(reason)
        submission = Submission.objects.create(
            call=locked,
            title=_text(data.title)[:100],
            art_form=_text(data.art_form)[:30],
            description=_text(data.description),
            author_name=_text(data.author_name)[:50],
            author_phone=normalize_mobile(_text(data.author_phone)),
            public_name=_text(data.public_name)[:30],
            author_org=_text(data.author_org)[:120],
            consented_at=now,
            created_at=now,
        )
        for order, photo in enumerate(cleaned):
            data_bytes = photo.content.read()
            photo.content.seek(0)
            item = SubmissionImage.objects.create(submission=submission, image=photo.content, order=order)
            default_storage.save(thumbnail_name(item.image.name), make_thumbnail(data_bytes))
    return submission


# --- Review -------------------------------------------------------------------------------------


def decide(submission: Submission, *, accept: bool, note: str = "", by: User) -> Submission:
    """Accept a work for the exhibition, or reject it with a note (required). A decision may be
    changed (a rejected work accepted after all, or the other way), never to the same one; a work
    taken out of an open exhibition leaves it at once (the public pages show accepted works only)."""
    _manage(by, submission.call.unit)
    note = _text(note)
    if not accept and not note:
        raise ServiceError(_("不入选时请填写审核意见。"))
    status = SubmissionStatus.ACCEPTED if accept else SubmissionStatus.REJECTED
    with transaction.atomic():
        locked = Submission.objects.select_for_update().get(pk=submission.pk)
        if locked.status == status:
            raise ServiceError(_("该作品已经是“%(status)s”。") % {"status": locked.get_status_display()})
        locked.status, locked.note = status, note[:300]
        locked.decided_by, locked.decided_at = by, timezone.now()
        locked.save(update_fields=["status", "note", "decided_by", "decided_at"])
    return locked


def decide_many(submissions: Iterable[Submission], *, accept: bool, note: str = "", by: User) -> int:
    """Decide several works the same way (each checked as by ``decide``); how many were decided."""
    done = 0
    for submission in submissions:
        decide(submission, accept=accept, note=note, by=by)
        done += 1
    return done


def purge_rejected_images(now: datetime | None = None) -> int:
    """Delete the images (and thumbnails) of rejected works whose call closed more than
    ``CULTURE_AUTHOR_RETENTION_DAYS`` ago; the works stay as records. How many images went."""
    cutoff = (now or timezone.now()) - timedelta(days=retention_days())
    # scoping: allowed — a housekeeping task over every unit, run by the scheduler, not a user.
    expired = SubmissionImage.objects.filter(
        submission__status=SubmissionStatus.REJECTED, submission__call__closes_at__lt=cutoff
    ).order_by("pk")
    count = 0
    for item in expired.iterator(chunk_size=200):
        _delete_files(item)
        item.delete()
        count += 1
    return count
