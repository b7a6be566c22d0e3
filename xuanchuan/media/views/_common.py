"""What the media pages share: the entry check, form and confirmation pages, file responses."""

from __future__ import annotations

import mimetypes
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from xuanchuan.media.permissions import may_enter

MAX_IMPORT_BYTES = 10 * 1024 * 1024


def _require_enter(request: HttpRequest) -> None:
    if not may_enter(request.user):
        raise PermissionDenied


def _form_page(request: HttpRequest, form: Any, title: str, back: str, **extra: Any) -> HttpResponse:
    context = {"form": form, "title": title, "back": back, **extra}
    return render(request, "media/form.html", context)


def _confirm_page(request: HttpRequest, title: str, what: str, back: str) -> HttpResponse:
    return render(request, "media/confirm_delete.html", {"title": title, "what": what, "back": back})


def _file_response(field_file: Any, name: str) -> FileResponse:
    if not field_file:
        raise Http404
    try:
        handle = field_file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    content_type = mimetypes.guess_type(field_file.name)[0] or "application/octet-stream"
    response = FileResponse(handle, content_type=content_type, filename=name or field_file.name.rsplit("/", 1)[-1])
    response["X-Content-Type-Options"] = "nosniff"
    return response
