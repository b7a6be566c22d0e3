"""Staff pages of the classroom part's uploads: the resumable upload page, its JSON endpoints
(start, chunks) and the form that makes an item of a finished upload.

The upload endpoints speak JSON to ``static/theory/upload.js`` and are ordinary session views, so
Django's CSRF check applies (the script sends ``X-CSRFToken``). The page needs JavaScript: a
browser cannot send a file in resumable chunks without it, and the page says so in a
``<noscript>``."""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from xuanchuan.core.services import refusal_text, run_service
from xuanchuan.core.views import visible_or_404
from xuanchuan.theory import media_probe
from xuanchuan.theory.forms.classroom import (
    ItemForm,
    UploadStartForm,
)
from xuanchuan.theory.models import Upload
from xuanchuan.theory.permissions import may_manage_classroom
from xuanchuan.theory.queries import classroom as queries
from xuanchuan.theory.services import classroom as services
from xuanchuan.theory.views.classroom import _form_page, _item_context, _require_manager

_CONTENT_RANGE = re.compile(r"bytes ([0-9]{1,19})-([0-9]{1,19})/([0-9]{1,19}|\*)")


def _json_error(message: str, status: int, **extra: Any) -> JsonResponse:
    return JsonResponse({"error": message, **extra}, status=status, json_dumps_params={"ensure_ascii": False})


def _upload_state(upload: Upload) -> dict[str, Any]:
    state: dict[str, Any] = {
        "id": str(upload.pk),
        "filename": upload.filename,
        "size": upload.size,
        "received": upload.received,
        "done": upload.completed_at is not None,
        "chunk_bytes": services.max_chunk_bytes(),
        "url": reverse("theory:upload_chunk", args=[upload.pk]),
    }
    if upload.completed_at is not None:
        state["next"] = reverse("theory:item_create", args=[upload.pk])
    return state


def _json_staff(request: HttpRequest) -> JsonResponse | None:
    """The refusal of an upload endpoint for someone not signed in or not a manager (JSON, not a
    login page the script could not follow)."""
    if not request.user.is_authenticated:
        return _json_error(_("请先登录。"), 403)
    if not may_manage_classroom(request.user):
        return _json_error(_("您没有上传课程的权限。"), 403)
    return None


@login_required
def item_upload(request: HttpRequest) -> HttpResponse:
    """上传课程: choose a video or audio file; the script sends it in chunks with a progress bar
    and resumes after a lost connection or a reload (from the server's offset)."""
    _require_manager(request)
    unfinished = queries.uploads(request.user).filter(created_by=request.user).order_by("-created_at")[:10]
    return render(
        request,
        "theory/classroom/upload.html",
        {
            "title": _("上传课程"),
            "max_mb": services.max_upload_bytes() // (1024 * 1024),
            "chunk_bytes": services.max_chunk_bytes(),
            "unfinished": unfinished,
            "ffmpeg": media_probe.available(),
        },
    )


@require_POST
def upload_start(request: HttpRequest) -> JsonResponse:
    """Begin an upload: ``filename``, ``size`` and ``type`` (form fields or JSON); 201 with the
    upload's id, offset and chunk size, or 400 with the reason (too large, not video or audio)."""
    refused = _json_staff(request)
    if refused is not None:
        return refused
    data: Any = request.POST
    if request.content_type == "application/json":
        import json

        try:
            data = json.loads(request.body or b"{}")
        except (ValueError, UnicodeDecodeError):
            return _json_error(_("请求格式不正确。"), 400)
        if not isinstance(data, dict):
            return _json_error(_("请求格式不正确。"), 400)
    form = UploadStartForm(data)
    if not form.is_valid():
        return _json_error(_("请选择要上传的文件。"), 400, fields=form.errors.get_json_data())
    clean = form.cleaned_data
    try:
        upload = services.start_upload(
            unit=request.user.unit,
            filename=clean["filename"],
            size=clean["size"],
            declared_type=clean["type"],
            by=request.user,
        )
    except (PermissionDenied, ValidationError) as exc:
        return _json_error(refusal_text(exc), 403 if isinstance(exc, PermissionDenied) else 400)
    return JsonResponse(_upload_state(upload), status=201)


def _offset(request: HttpRequest) -> int | None:
    header = request.headers.get("Content-Range", "")
    if header:
        match = _CONTENT_RANGE.fullmatch(header.strip())
        return int(match.group(1)) if match else None
    raw = request.GET.get("offset", "")
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 19 else None


@require_http_methods(["GET", "HEAD", "PUT", "POST", "DELETE"])
def upload_chunk(request: HttpRequest, pk: Any) -> HttpResponse:
    """One upload: GET/HEAD its state (the offset to resume from, also in ``Upload-Offset``);
    PUT/POST a chunk (the raw bytes) at ``?offset=`` or ``Content-Range: bytes a-b/size``: 200
    with the new state, 409 with the server's offset when the offset is not the server's, 400
    when the content is refused (the upload is then gone); DELETE cancels it."""
    refused = _json_staff(request)
    if refused is not None:
        return refused
    upload = visible_or_404(queries.uploads(request.user), request.user, pk)
    if request.method in ("GET", "HEAD"):
        response = JsonResponse(_upload_state(upload))
        response["Upload-Offset"] = str(upload.received)
        response["Cache-Control"] = "no-store"
        return response
    if request.method == "DELETE":
        try:
            services.abandon_upload(upload, by=request.user)
        except PermissionDenied as exc:
            return _json_error(refusal_text(exc), 403)
        return JsonResponse({"deleted": True})
    offset = _offset(request)
    if offset is None:
        return _json_error(_("缺少上传位置（offset）。"), 400, received=upload.received)
    limit = services.max_chunk_bytes()
    try:
        declared = int(request.headers.get("Content-Length") or 0)
    except ValueError:
        declared = 0
    if declared > limit:
        return _json_error(_("每块最多 %(mb)d MB。") % {"mb": limit // (1024 * 1024)}, 413, received=upload.received)
    data = request.read(limit + 1)
    if len(data) > limit:
        return _json_error(_("每块最多 %(mb)d MB。") % {"mb": limit // (1024 * 1024)}, 413, received=upload.received)
    try:
        upload = services.append_chunk(upload, offset=offset, data=data, by=request.user)
    except services.UploadConflict as exc:
        response = _json_error(refusal_text(exc), 409, received=exc.received)
        response["Upload-Offset"] = str(exc.received)
        return response
    except PermissionDenied as exc:
        return _json_error(refusal_text(exc), 403)
    except ValidationError as exc:
        gone = not Upload.objects.filter(pk=upload.pk).exists()  # scoping: allowed (the upload in hand)
        return _json_error(refusal_text(exc), 400, gone=gone)
    response = JsonResponse(_upload_state(upload))
    response["Upload-Offset"] = str(upload.received)
    return response


@login_required
@require_http_methods(["GET", "POST"])
def item_create(request: HttpRequest, pk: Any) -> HttpResponse:
    """Describe a finished upload (title, category, speaker …): it becomes a draft item."""
    _require_manager(request)
    upload = visible_or_404(queries.uploads(request.user), request.user, pk, completed_at__isnull=False)
    form = ItemForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        item = run_service(
            request,
            lambda: services.create_item(
                upload,
                title=data["title"],
                category=data["category"],
                speaker=data["speaker"],
                description=data["description"],
                lecture=data["lecture"],
                duration_seconds=data["duration"],
                poster=data["poster"],
                by=request.user,
            ),
            success=_("课程已保存为未发布，检查无误后请发布。"),
        )
        if item is not None:
            return redirect("theory:item_detail", pk=item.pk)
    if not form.is_bound:
        form.initial["title"] = upload.filename.rsplit(".", 1)[0][:120]
    return _form_page(
        request,
        _item_context(
            form,
            title=_("填写课程信息：%s") % upload.filename,
            back=reverse("theory:item_upload"),
            ffmpeg=media_probe.available(),
        ),
    )
