"""The changing check-in code of an activity, shown on the organiser's screen as a QR code and in
text.

The code of time window ``w`` (``w = floor(now / VOLUNTEERS_CHECKIN_CODE_SECONDS)``) is
HMAC-SHA256 of ``"<activity pk>:<w>"`` under the activity's ``checkin_secret``, shortened to 8
characters of Crockford's base-32 alphabet (digits and capitals without I, L, O and U), so a code
read off the screen and typed cannot be mistyped as a look-alike: typing is case-insensitive and
O/I/L are read as 0/1/1. It cannot be worked out beforehand without the secret, so a code sent round
the day before is useless; a code is accepted in its own window and in the next one only, so a
volunteer who scanned just before the change still gets in.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import time
from dataclasses import dataclass

import segno
from django.conf import settings
from django.urls import reverse

CODE_LENGTH = 8
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_TYPED = str.maketrans({"O": "0", "I": "1", "L": "1", " ": None, "-": None})


def window(at: float | None = None) -> int:
    """The number of the time window ``at`` (seconds since the epoch; now by default) falls in."""
    seconds = time.time() if at is None else at
    return int(seconds // settings.VOLUNTEERS_CHECKIN_CODE_SECONDS)


def code_for(activity, w: int) -> str:
    """The code of ``activity`` in window ``w``: 8 characters of ``ALPHABET`` (40 bits)."""
    digest = hmac.new(activity.checkin_secret.encode(), f"{activity.pk}:{w}".encode(), hashlib.sha256).digest()
    number = int.from_bytes(digest[:5], "big")
    return "".join(ALPHABET[(number >> (5 * i)) & 31] for i in reversed(range(CODE_LENGTH)))


def normalise(code: str) -> str:
    """A code as typed or scanned, in the alphabet's form (``ab-cd o1l2`` → ``ABCD0112``)."""
    return (code or "").strip().upper().translate(_TYPED)


def current_code(activity, at: float | None = None) -> str:
    return code_for(activity, window(at))


def seconds_left(at: float | None = None) -> int:
    """Seconds until the code changes (at least 1, so a countdown never shows 0 for a full second)."""
    seconds = time.time() if at is None else at
    period = settings.VOLUNTEERS_CHECKIN_CODE_SECONDS
    return max(1, int(period - (seconds % period)))


def is_valid(activity, code: str, at: float | None = None) -> bool:
    """Whether ``code`` is the code of the current or the previous window. Both are compared in
    constant time (and both always), so the answer's timing tells nothing about the code."""
    given = normalise(code)[:64].encode()
    w = window(at)
    ok = False
    for candidate in (code_for(activity, w), code_for(activity, w - 1)):
        ok |= hmac.compare_digest(given, candidate.encode())
    return ok


@dataclass(frozen=True)
class ScreenCode:
    code: str
    url: str
    svg: str
    seconds_left: int


def scan_path(activity, code: str) -> str:
    return reverse("volunteers:scan", args=[activity.pk, code])


def screen_code(activity, request, at: float | None = None) -> ScreenCode:
    """What the organiser's screen shows now: the code, the absolute URL of the scan page the QR
    holds, the QR as inline SVG (no external asset), and the seconds until it changes."""
    code = current_code(activity, at)
    url = request.build_absolute_uri(scan_path(activity, code))
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="svg", scale=8, border=2, xmldecl=False, svgns=True, omitsize=True)
    return ScreenCode(code=code, url=url, svg=buffer.getvalue().decode(), seconds_left=seconds_left(at))
