"""Publications: write, edit (every change of title or body kept as a version), attach images
and files. The review itself is in ``services.review``.

Bodies come from the rich-text editor as HTML and are cleaned with nh3 on every save; ``body_text``
is their plain text (what proofreading and the diff read).
"""

from __future__ import annotations

import html
import re
import secrets
from collections.abc import Iterable
from datetime import datetime
from typing import IO, Any

import nh3
from django.db import transaction
from django.db.models import Max, Q, QuerySet
from django.utils.translation import gettext as _

from xuanchuan.core.services import ServiceError, require
from xuanchuan.core.uploads import check_archive
from xuanchuan.org.models import User
from xuanchuan.org.scoping import user_sees_all_units
from xuanchuan.publishing.models import Column, Outlet
from xuanchuan.publishing.models.outlets import OutletStatus
from xuanchuan.publishing.models.publications import (
    Attachment,
    AttachmentKind,
    Publication,
    PublicationStatus,
    PublicationVersion,
    Urgency,
)
from xuanchuan.publishing.permissions import may_write

# --- Rich text ------------------------------------------------------------------------------------

ALLOWED_TAGS = {
    "p", "br", "strong", "b", "em", "i", "u", "s", "sub", "sup", "h2", "h3", "h4", "blockquote",
    "ol", "ul", "li", "a", "img", "span", "table", "thead", "tbody", "tr", "th", "td", "hr", "pre",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
    "*": {"class"},
}
# Quill marks alignment and indentation with classes; nothing else may come through.
ALLOWED_CLASS = re.compile(r"^ql-(align|indent|size)-[a-z0-9]+$")
BLOCK_END = re.compile(r"</(p|h[1-6]|li|blockquote|tr|pre)>|<br\s*/?>|<hr\s*/?>", re.IGNORECASE)
TAG = re.compile(r"<[^>]+>")


def _keep_class(tag: str, attribute: str, value: str) -> str | None:
    if attribute != "class":
        return value
    kept = " ".join(name for name in value.split() if ALLOWED_CLASS.match(name))
    return kept or None


def clean_body(raw: str) -> str:
    """The body as safe HTML: only the editor's tags, links only http(s)/mailto, images only
    http(s) or our own attachment URLs (relative), no scripts, styles or event handlers."""
    return nh3.clean(
        raw or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        attribute_filter=_keep_class,
        link_rel="noopener noreferrer",
    ).strip()


def body_text(clean_html: str) -> str:
    """Plain text of a cleaned body: one line per paragraph, entities decoded."""
    text = BLOCK_END.sub("\n", clean_html or "")
    text = html.unescape(TAG.sub("", text))
    lines = [line.strip() for line in text.replace("\xa0", " ").splitlines()]
    return "\n".join(line for line in lines if line)


# --- What an author may target --------------------------------------------------------------------


def allowed_outlets(user: User) -> QuerySet[Outlet]:
    """The active outlets ``user`` may target: the news site and the accounts of the unit running
    it (the department) for everyone, a unit's own accounts (and those below it) for that unit."""
    outlets = Outlet.objects.filter(status=OutletStatus.ACTIVE)  # scoping: allowed (choices, see docstring)
    if user_sees_all_units(user):
        return outlets
    department = Outlet.objects.filter(is_news_site=True).values("unit_id")  # scoping: allowed (the news site)
    condition = Q(is_news_site=True) | Q(unit_id__in=department)
    if getattr(user, "unit_path", None):
        condition |= Q(unit__path__startswith=user.unit_path)
    return outlets.filter(condition)


def allowed_columns(user: User) -> QuerySet[Column]:
    return Column.objects.filter(  # scoping: allowed (the columns of the outlets above)
        is_active=True, outlet__in=allowed_outlets(user)
    ).select_related("outlet")


def _check_targets(by: User, outlets: Iterable[Outlet], columns: Iterable[Column]) -> tuple[list, list]:
    outlets, columns = list(outlets), list(columns)
    allowed = set(allowed_outlets(by).values_list("pk", flat=True))
    if any(outlet.pk not in allowed for outlet in outlets):
        raise ServiceError(_("所选发布平台中有您不能使用的平台。"))
    for column in columns:
        if column.outlet_id not in allowed or not column.is_active:
            raise ServiceError(_("所选栏目中有您不能使用的栏目。"))
    chosen = {outlet.pk for outlet in outlets}
    for column in columns:
        if column.outlet_id not in chosen:
            outlets.append(column.outlet)
            chosen.add(column.outlet_id)
    return outlets, columns


# --- Writing --------------------------------------------------------------------------------------

EDITABLE = (PublicationStatus.DRAFT, PublicationStatus.RETURNED, PublicationStatus.WITHDRAWN)


def may_edit(user: User, publication: Publication) -> bool:
    """Authors of the publication's own unit (or above it) edit it while it is not in review."""
    if not may_write(user) or publication.status not in EDITABLE:
        return False
    return user_sees_all_units(user) or publication.unit.path.startswith(getattr(user, "unit_path", None) or "\0")


def _clean_fields(title: str, body: str) -> tuple[str, str, str]:
    title = (title or "").strip()
    if not title:
        raise ServiceError(_("请填写标题。"))
    if len(title) > 120:
        raise ServiceError(_("标题不能超过120个字。"))
    cleaned = clean_body(body)
    return title, cleaned, body_text(cleaned)


def _new_version(publication: Publication, *, by: User, note: str = "") -> PublicationVersion:
    last = publication.versions.aggregate(last=Max("number"))["last"] or 0
    return PublicationVersion.objects.create(
        publication=publication,
        number=last + 1,
        title=publication.title,
        body=publication.body,
        body_text=publication.body_text,
        note=note[:200],
        created_by=by,
    )


def create_publication(
    *,
    by: User,
    title: str,
    body: str = "",
    summary: str = "",
    author_name: str = "",
    source: str = "",
    outlets: Iterable[Outlet] = (),
    columns: Iterable[Column] = (),
    urgency: str = Urgency.NORMAL,
    planned_at: datetime | None = None,
) -> Publication:
    """A new draft of the author's unit, with its first version."""
    require(may_write(by))
    if by.unit_id is None:
        raise ServiceError(_("您没有所属单位，不能撰写稿件。"))
    title, cleaned, text = _clean_fields(title, body)
    outlets, columns = _check_targets(by, outlets, columns)
    with transaction.atomic():
        publication = Publication.objects.create(
            unit=by.unit,
            created_by=by,
            title=title,
            body=cleaned,
            body_text=text,
            summary=summary.strip()[:300],
            author_name=(author_name.strip() or by.full_name or by.username)[:60],
            source=source.strip()[:100],
            urgency=Urgency(urgency),
            planned_at=planned_at,
            search_text=f"{title}\n{text}",
        )
        publication.outlets.set(outlets)
        publication.columns.set(columns)
        _new_version(publication, by=by, note=_("新建"))
    return publication


def update_publication(
    publication: Publication,
    *,
    by: User,
    title: str,
    body: str,
    summary: str = "",
    author_name: str = "",
    source: str = "",
    outlets: Iterable[Outlet] = (),
    columns: Iterable[Column] = (),
    urgency: str = Urgency.NORMAL,
    planned_at: datetime | None = None,
    note: str = "",
) -> Publication:
    """Save the author's changes; a change of title or body is kept as a new version."""
    require(may_write(by))
    require(may_edit_scope(by, publication))
    title, cleaned, text = _clean_fields(title, body)
    outlets, columns = _check_targets(by, outlets, columns)
    with transaction.atomic():
        publication = Publication.objects.select_for_update().get(pk=publication.pk)
        if publication.status not in EDITABLE:
            raise ServiceError(_("稿件正在审核或已发布，不能修改；如需修改请先撤回。"))
        changed = (title, cleaned) != (publication.title, publication.body)
        publication.title, publication.body, publication.body_text = title, cleaned, text
        publication.summary = summary.strip()[:300]
        publication.author_name = author_name.strip()[:60] or publication.author_name
        publication.source = source.strip()[:100]
        publication.urgency = Urgency(urgency)
        publication.planned_at = planned_at
        publication.search_text = f"{title}\n{text}"
        publication.save()
        publication.outlets.set(outlets)
        publication.columns.set(columns)
        if changed:
            _new_version(publication, by=by, note=note.strip() or _("修改"))
    return publication


def may_edit_scope(user: User, publication: Publication) -> bool:
    """The publication belongs to the user's unit line (outlet owners who only see it may not edit)."""
    return user_sees_all_units(user) or publication.unit.path.startswith(getattr(user, "unit_path", None) or "\0")


def current_version(publication: Publication) -> PublicationVersion:
    version = publication.versions.order_by("-number").first()
    if version is None:
        version = _new_version(publication, by=publication.created_by)
    return version


# --- Attachments ----------------------------------------------------------------------------------

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
# (magic bytes, content type, kind, extension); ZIP containers are told apart below.
SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "image/png", AttachmentKind.IMAGE, "png"),
    (b"\xff\xd8\xff", "image/jpeg", AttachmentKind.IMAGE, "jpg"),
    (b"GIF87a", "image/gif", AttachmentKind.IMAGE, "gif"),
    (b"GIF89a", "image/gif", AttachmentKind.IMAGE, "gif"),
    (b"%PDF-", "application/pdf", AttachmentKind.FILE, "pdf"),
)
OOXML = {
    "word/": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    "xl/": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "ppt/": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx"),
}


def sniff(head: bytes, upload: IO[bytes]) -> tuple[str, str, str]:
    """(content type, kind, extension) of an upload by its content, never its name."""
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "image/webp", AttachmentKind.IMAGE, "webp"
    for magic, content_type, kind, extension in SIGNATURES:
        if head.startswith(magic):
            return content_type, kind, extension
    if head.startswith(b"PK\x03\x04"):
        import zipfile

        upload.seek(0)
        try:
            check_archive(upload)
            upload.seek(0)
            names = zipfile.ZipFile(upload).namelist()
        except (zipfile.BadZipFile, ValueError, ServiceError):
            names = []
        for prefix, (content_type, extension) in OOXML.items():
            if any(name.startswith(prefix) for name in names):
                return content_type, AttachmentKind.FILE, extension
    raise ServiceError(_("不支持的文件类型：只能上传图片（PNG、JPEG、GIF、WebP）、PDF 或 Office 文档。"))


def add_attachment(publication: Publication, upload: Any, *, by: User) -> Attachment:
    """Attach an uploaded image or file (checked by its content, stored under a random name)."""
    require(may_write(by))
    require(may_edit_scope(by, publication))
    if publication.status not in EDITABLE:
        raise ServiceError(_("稿件正在审核或已发布，不能修改附件。"))
    size = getattr(upload, "size", None) or 0
    if size <= 0:
        raise ServiceError(_("文件是空的。"))
    if size > MAX_ATTACHMENT_BYTES:
        raise ServiceError(_("文件不能超过10MB。"))
    upload.seek(0)
    head = upload.read(16)
    content_type, kind, extension = sniff(head, upload)
    upload.seek(0)
    stored = f"{secrets.token_hex(16)}.{extension}"
    original = (getattr(upload, "name", "") or stored).rsplit("/", 1)[-1][:200]
    attachment = Attachment(
        publication=publication,
        kind=kind,
        stored_name=stored,
        original_name=original,
        content_type=content_type,
        size=size,
        uploaded_by=by,
    )
    attachment.file.save(stored, upload, save=False)
    attachment.save()
    return attachment


def delete_attachment(attachment: Attachment, *, by: User) -> None:
    publication = attachment.publication
    require(may_write(by))
    require(may_edit_scope(by, publication))
    if publication.status not in EDITABLE:
        raise ServiceError(_("稿件正在审核或已发布，不能修改附件。"))
    with transaction.atomic():
        if publication.cover_id == attachment.pk:
            Publication.objects.filter(pk=publication.pk).update(cover=None)
        attachment.file.delete(save=False)
        attachment.delete()
