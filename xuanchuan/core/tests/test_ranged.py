"""``core.ranged``: a stored file served with HTTP Range (RFC 9110 §14) or handed to nginx."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.core import signals
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.db import close_old_connections
from django.test import RequestFactory
from django.utils.http import http_date

from xuanchuan.core.ranged import IGNORE, UNSATISFIABLE, parse_range, ranged_file_response

DATA = bytes(range(256)) * 4  # 1024 bytes, each position recognisable


@pytest.fixture
def stored(tmp_path):
    storage = FileSystemStorage(location=tmp_path)
    name = storage.save("theory/classroom/a b.mp4", ContentFile(DATA))
    return SimpleNamespace(storage=storage, name=name)


def get(stored, method="get", **headers):
    request = getattr(RequestFactory(), method)("/media", headers=headers)
    return ranged_file_response(request, stored, content_type="video/mp4")


def body(response) -> bytes:
    """The response's bytes; then it is closed (its file too) as a WSGI server would, without the
    database clean-up a finished request triggers (as Django's test client does)."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    signals.request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        signals.request_finished.connect(close_old_connections)
    return content


def test_no_range_is_the_whole_file_streamed(stored):
    response = get(stored)
    assert response.status_code == 200
    assert response.streaming
    assert response["Accept-Ranges"] == "bytes"
    assert response["Content-Length"] == "1024"
    assert response["Content-Type"] == "video/mp4"
    assert response["ETag"].startswith('"')
    assert "GMT" in response["Last-Modified"]
    assert body(response) == DATA


@pytest.mark.parametrize(
    ("header", "start", "end"),
    [
        ("bytes=0-99", 0, 99),
        ("bytes=100-", 100, 1023),
        ("bytes=-10", 1014, 1023),
        ("bytes=-5000", 0, 1023),
        ("bytes=1000-99999999999999999999999", 1000, 1023),
        ("bytes=1023-1023", 1023, 1023),
        (" bytes = 5 - 6 ", 5, 6),
        ("BYTES=5-6", 5, 6),
    ],
)
def test_a_single_range_is_206_with_only_that_slice(stored, header, start, end):
    response = get(stored, Range=header)
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes {start}-{end}/1024"
    assert response["Content-Length"] == str(end - start + 1)
    assert response["Accept-Ranges"] == "bytes"
    assert body(response) == DATA[start : end + 1]


@pytest.mark.parametrize(
    "header",
    [
        "bytes=1024-",
        "bytes=5000-6000",
        "bytes=99999999999999999999999999-",
        "bytes=-0",
        "bytes=5-2",
        "bytes=abc",
        "bytes=--5",
        "bytes=-",
        "bytes=",
        "bytes=-5-",
        "bytes=1.5-2",
        "bytes=1-2\n",
        "bytes=0x10-",
        "bytes=٣-٤",  # Arabic-Indic digits are not ASCII digits
    ],
)
def test_unsatisfiable_or_malformed_is_416_with_the_size(stored, header):
    response = get(stored, Range=header)
    assert response.status_code == 416
    assert response["Content-Range"] == "bytes */1024"
    assert response["Accept-Ranges"] == "bytes"


@pytest.mark.parametrize(
    "header",
    [
        "bytes=0-1,5-6",
        "bytes=" + ",".join(["0-0"] * 500),
        "bytes=,,,,,,,,,,",
        "items=0-5",
        "0-5",
        "bytes" + "=" * 300,
        "x" * 10000,
    ],
)
def test_several_ranges_other_units_and_huge_headers_get_the_whole_file(stored, header):
    response = get(stored, Range=header)
    assert response.status_code == 200
    assert body(response) == DATA


def test_head_has_the_headers_and_no_body(stored):
    response = get(stored, method="head")
    assert response.status_code == 200
    assert response["Content-Length"] == "1024"
    assert response["Accept-Ranges"] == "bytes"
    assert body(response) == b""
    response = get(stored, method="head", Range="bytes=10-19")
    assert response.status_code == 206
    assert response["Content-Range"] == "bytes 10-19/1024"
    assert response["Content-Length"] == "10"
    assert body(response) == b""


def test_if_range_with_the_current_etag_or_date_is_206_else_200(stored):
    etag = get(stored)["ETag"]
    modified = get(stored)["Last-Modified"]
    assert get(stored, Range="bytes=0-9", **{"If-Range": etag}).status_code == 206
    assert get(stored, Range="bytes=0-9", **{"If-Range": modified}).status_code == 206
    stale = get(stored, Range="bytes=0-9", **{"If-Range": '"other"'})
    assert stale.status_code == 200
    assert body(stale) == DATA
    assert get(stored, Range="bytes=0-9", **{"If-Range": f"W/{etag}"}).status_code == 200
    assert get(stored, Range="bytes=0-9", **{"If-Range": http_date(0)}).status_code == 200
    assert get(stored, Range="bytes=0-9", **{"If-Range": "garbage"}).status_code == 200


def test_if_none_match_is_304(stored):
    etag = get(stored)["ETag"]
    response = get(stored, **{"If-None-Match": etag})
    assert response.status_code == 304
    assert response["ETag"] == etag


def test_a_replaced_file_gets_another_etag(stored):
    before = get(stored)["ETag"]
    with open(stored.storage.path(stored.name), "ab") as handle:
        handle.write(b"more")
    assert get(stored)["ETag"] != before


def test_accel_hands_the_quoted_storage_name_to_nginx(stored):
    request = RequestFactory().get("/media", headers={"Range": "bytes=0-9"})
    response = ranged_file_response(
        request, stored, content_type="video/mp4", filename="讲座.mp4", accel_prefix="/_protected_media/"
    )
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == "/_protected_media/theory/classroom/a%20b.mp4"
    assert response["Content-Type"] == "video/mp4"
    assert "filename*=utf-8''" in response["Content-Disposition"]
    assert response.content == b""


def test_an_empty_file(tmp_path):
    storage = FileSystemStorage(location=tmp_path)
    stored = SimpleNamespace(storage=storage, name=storage.save("empty.mp4", ContentFile(b"")))
    assert get(stored).status_code == 200
    assert get(stored, Range="bytes=0-").status_code == 416
    assert get(stored, Range="bytes=-1").status_code == 416


def test_parse_range_directly():
    assert parse_range(None, 10) == IGNORE
    assert parse_range("bytes=0-", 10) == (0, 9)
    assert parse_range("bytes=10-", 10) == UNSATISFIABLE
    assert parse_range("bytes=-3", 10) == (7, 9)
