"""Serving a stored file with HTTP Range requests (RFC 9110 §14), or handing it to nginx.

A video or audio player seeks by asking for a byte range (``Range: bytes=1048576-``); a server that
answers every request with the whole file makes seeking in a long lecture download everything
before the point sought. ``ranged_file_response`` answers:

- no ``Range`` (or one that is ignored, see below): 200 with the whole file, streamed;
- one range ``bytes=a-b``, ``bytes=a-`` or ``bytes=-n``: 206 with ``Content-Range: bytes a-b/size``
  and ``Content-Length``, streaming only that slice (the file is never read into memory whole);
- a range that is unsatisfiable (starts at or past the end, a zero suffix) or a malformed bytes
  range (``bytes=5-2``, ``bytes=abc``, a negative number): 416 with ``Content-Range: bytes */size``
  (RFC 9110 §14.2 lets a server reject an invalid ranges-specifier);
- more than one range (``bytes=0-1,5-6``): 200 with the whole file (RFC 9110 §14.2 lets a server
  ignore Range; multipart/byteranges is not worth its complexity for a player);
- another range unit, or ``If-Range`` naming another version (ETag or date): 200 whole;
- ``If-None-Match`` matching the ETag: 304.

Every answer carries ``Accept-Ranges: bytes``, ``ETag`` and ``Last-Modified`` (where the storage
knows the time). HEAD answers the same headers with no body.

With ``accel_prefix`` (production behind nginx) the platform only checks access and answers an
empty 200 with ``X-Accel-Redirect: <prefix><storage name>`` (URL-quoted) and the content type;
nginx then sends the bytes from an ``internal`` location and answers the ranges itself
(``docs/deploy/nginx.conf``). Headers such as ``Cache-Control`` and ``Content-Disposition`` set on
the response are passed on by nginx.

Malicious headers (huge numbers, many commas, garbage) never raise: the header is read with one
full-match regular expression of ASCII digits after a length check.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from typing import IO, Any
from urllib.parse import quote

from django.core.files.storage import Storage
from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header, http_date, parse_http_date_safe

# A single byte range, with optional whitespace the RFC allows around the list.
_SINGLE = re.compile(r"[ \t]*([0-9]*)[ \t]*-[ \t]*([0-9]*)[ \t]*")
_MAX_HEADER = 200
BLOCK = 64 * 1024

# What ``parse_range`` returns besides a (start, end) pair.
IGNORE = "ignore"
UNSATISFIABLE = "unsatisfiable"


def parse_range(header: str | None, size: int) -> tuple[int, int] | str:
    """The inclusive byte range ``(start, end)`` that ``header`` asks of a file of ``size`` bytes,
    or ``IGNORE`` (serve the whole file) or ``UNSATISFIABLE`` (416)."""
    if not header:
        return IGNORE
    if len(header) > _MAX_HEADER:
        # No player sends this; a whole answer is always allowed.
        return IGNORE
    unit, sep, spec = header.partition("=")
    if not sep or unit.strip().lower() != "bytes":
        return IGNORE
    if "," in spec:
        return IGNORE
    match = _SINGLE.fullmatch(spec)
    if match is None:
        return UNSATISFIABLE
    first, last = match.groups()
    if not first and not last:
        return UNSATISFIABLE
    if not first:
        # A suffix: the last n bytes.
        suffix = int(last)
        if suffix == 0 or size == 0:
            return UNSATISFIABLE
        return (max(size - suffix, 0), size - 1)
    start = int(first)
    end = int(last) if last else size - 1
    if last and end < start:
        return UNSATISFIABLE
    if start >= size:
        return UNSATISFIABLE
    return (start, min(end, size - 1))


def _validators(storage: Storage, name: str) -> tuple[int, float | None]:
    """The file's size and modification time (``None`` where the storage cannot tell)."""
    try:
        path = storage.path(name)
    except NotImplementedError:
        path = None
    if path is not None:
        stat = os.stat(path)
        return stat.st_size, stat.st_mtime
    size = storage.size(name)
    try:
        mtime = storage.get_modified_time(name).timestamp()
    except (NotImplementedError, AttributeError):
        mtime = None
    return size, mtime


def make_etag(size: int, mtime: float | None) -> str:
    """A strong validator from the size and modification time: a replaced file gets a new one."""
    stamp = int((mtime or 0) * 1000)
    return f'"{size:x}-{stamp:x}"'


def _if_range_matches(value: str, etag: str, mtime: float | None) -> bool:
    """Whether ``If-Range`` names the version we have (strong ETag comparison, or the exact date)."""
    value = value.strip()
    if value.startswith(('"', "W/")):
        return value == etag  # a weak ETag never matches (RFC 9110 §13.1.5)
    date = parse_http_date_safe(value)
    return date is not None and mtime is not None and date == int(mtime)


def _none_match(header: str, etag: str) -> bool:
    tags = [tag.strip() for tag in header.split(",")]
    plain = etag
    return "*" in tags or any(tag == plain or tag == f"W/{plain}" for tag in tags)


class _Slice:
    """An iterator over ``length`` bytes of an open file from ``start``, in blocks; closed by
    Django when the response is done."""

    def __init__(self, handle: IO[bytes], start: int, length: int) -> None:
        self.handle = handle
        self.remaining = length
        handle.seek(start)

    def __iter__(self) -> Iterator[bytes]:
        while self.remaining > 0:
            block = self.handle.read(min(BLOCK, self.remaining))
            if not block:
                break
            self.remaining -= len(block)
            yield block

    def close(self) -> None:
        self.handle.close()


def ranged_file_response(
    request: HttpRequest,
    field_file: Any,
    *,
    content_type: str,
    filename: str | None = None,
    accel_prefix: str = "",
) -> HttpResponse:
    """The answer to a GET or HEAD of a stored file (``field_file`` is a ``FieldFile``: its
    ``storage`` and ``name`` are used), with ranges answered as the module docstring says.

    ``filename`` adds ``Content-Disposition: inline; filename=…``. ``accel_prefix`` (e.g.
    ``/_protected_media/``) hands the file to nginx instead of sending it. The caller has checked
    access and sets ``Cache-Control``."""
    storage: Storage = field_file.storage
    name: str = field_file.name
    if accel_prefix:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = accel_prefix.rstrip("/") + "/" + quote(name.lstrip("/"), safe="/")
        response["Accept-Ranges"] = "bytes"
        if filename:
            response["Content-Disposition"] = content_disposition_header(False, filename)
        return response

    size, mtime = _validators(storage, name)
    etag = make_etag(size, mtime)
    headers: dict[str, str] = {"Accept-Ranges": "bytes", "ETag": etag}
    if mtime is not None:
        headers["Last-Modified"] = http_date(mtime)
    if filename:
        headers["Content-Disposition"] = content_disposition_header(False, filename)

    if _none_match(request.headers.get("If-None-Match", ""), etag):
        response = HttpResponse(status=304)
        for key, value in headers.items():
            response[key] = value
        return response

    wanted = parse_range(request.headers.get("Range"), size)
    if_range = request.headers.get("If-Range")
    if wanted != IGNORE and if_range is not None and not _if_range_matches(if_range, etag, mtime):
        wanted = IGNORE

    if wanted == UNSATISFIABLE:
        response = HttpResponse(status=416, content_type="text/plain; charset=utf-8")
        response["Content-Range"] = f"bytes */{size}"
        for key, value in headers.items():
            response[key] = value
        return response

    head = request.method == "HEAD"
    if wanted == IGNORE:
        if head:
            response = HttpResponse(content_type=content_type)
        else:
            response = FileResponse(storage.open(name, "rb"), content_type=content_type)
        response["Content-Length"] = str(size)
    else:
        start, end = wanted  # type: ignore[misc]
        length = end - start + 1
        if head:
            response = HttpResponse(status=206, content_type=content_type)
        else:
            response = StreamingHttpResponse(
                _Slice(storage.open(name, "rb"), start, length), status=206, content_type=content_type
            )
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
        response["Content-Length"] = str(length)
    for key, value in headers.items():
        response[key] = value
    return response
