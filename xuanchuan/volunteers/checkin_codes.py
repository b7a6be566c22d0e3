"""The changing check-in code of an activity, shown on the organiser's screen as a QR code and in
text.

The code of time window ``w`` (``w = floor(now / VOLUNTEERS_CHECKIN_CODE_SECONDS)``) is
HMAC-SHA256 of ``"<activity pk>:<w>"`` under the activity's ``checkin_secret``, 8 characters of
the look-alike-free alphabet of ``core.screen_codes`` (which does the work; this module binds it to
an activity and the check-in settings). It cannot be worked out beforehand without the secret, so a code sent round
the day before is useless; a code is accepted in its own window and in the next one only, so a
volunteer who scanned just before the change still gets in.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse

from xuanchuan.core import screen_codes
from xuanchuan.core.screen_codes import ALPHABET, normalise

__all__ = ["ALPHABET", "CODE_LENGTH", "normalise"]

CODE_LENGTH = 8


def _period() -> int:
    return settings.VOLUNTEERS_CHECKIN_CODE_SECONDS


def window(at: float | None = None) -> int:
    """The number of the time window ``at`` (seconds since the epoch; now by default) falls in."""
    return screen_codes.window(_period(), at)


def code_for(activity, w: int) -> str:
    """The code of ``activity`` in window ``w``: 8 characters of ``ALPHABET`` (40 bits)."""
    return screen_codes.window_code(activity.checkin_secret, str(activity.pk), w, CODE_LENGTH)


def current_code(activity, at: float | None = None) -> str:
    return code_for(activity, window(at))


def seconds_left(at: float | None = None) -> int:
    """Seconds until the code changes (at least 1, so a countdown never shows 0 for a full second)."""
    return screen_codes.seconds_left(_period(), at)


def is_valid(activity, code: str, at: float | None = None) -> bool:
    """Whether ``code`` is the activity's code of the current or the previous window."""
    return screen_codes.is_current(activity.checkin_secret, str(activity.pk), code, _period(), at, CODE_LENGTH)


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
    return ScreenCode(code=code, url=url, svg=screen_codes.qr_svg(url), seconds_left=seconds_left(at))
