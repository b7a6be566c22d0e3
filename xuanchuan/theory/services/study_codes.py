"""The changing attendance code of a study session, shown on the organiser's screen as a QR code and
in text (8 characters), exactly as volunteers' activity check-in does: ``core.screen_codes`` does
the work (HMAC of ``"study:<pk>:<window>"`` under the session's ``checkin_secret``; the code of the
current and of the previous window accepted), this module binds it to a session and to
``THEORY_CHECKIN_CODE_SECONDS``. A code sent round beforehand is useless: it cannot be worked out
without the secret and is stale a window later."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse

from xuanchuan.core import screen_codes

CODE_LENGTH = 8


def _period() -> int:
    return settings.THEORY_CHECKIN_CODE_SECONDS


def _context(session) -> str:
    return f"study:{session.pk}"


def window(at: float | None = None) -> int:
    return screen_codes.window(_period(), at)


def code_for(session, w: int) -> str:
    return screen_codes.window_code(session.checkin_secret, _context(session), w, CODE_LENGTH)


def current_code(session, at: float | None = None) -> str:
    return code_for(session, window(at))


def is_valid(session, code: str, at: float | None = None) -> bool:
    """Whether ``code`` is the session's code of the current or the previous window."""
    return screen_codes.is_current(session.checkin_secret, _context(session), code, _period(), at, CODE_LENGTH)


@dataclass(frozen=True)
class ScreenCode:
    code: str
    url: str
    svg: str
    seconds_left: int


def screen_code(session, request, at: float | None = None) -> ScreenCode:
    """What the screen shows now: the code, the absolute URL of the member's check-in page the QR
    holds, the QR as inline SVG, the seconds until it changes."""
    code = current_code(session, at)
    url = request.build_absolute_uri(reverse("theory:session_checkin", args=[session.pk, code]))
    return ScreenCode(
        code=code, url=url, svg=screen_codes.qr_svg(url), seconds_left=screen_codes.seconds_left(_period(), at)
    )
