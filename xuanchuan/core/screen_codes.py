"""Short codes people read off a screen or a phone and type: one alphabet without look-alikes, and
codes that change with time.

- ``ALPHABET``: Crockford's base 32 (digits and capitals without I, L, O and U); ``normalise``
  reads a typed code in any case, with spaces or hyphens, O as 0 and I/L as 1.
- ``random_code(n)``: a code of ``n`` random characters (5 bits each), e.g. a redemption's.
- ``window_code(secret, context, w)``: the code of time window ``w`` (``window(period)`` of now):
  HMAC-SHA256 of ``"<context>:<w>"`` under a secret kept on the server, so nobody can work out the
  next code from the ones seen; ``is_current`` accepts the code of the current window and of the
  one before it (someone who read it just before it changed), comparing in constant time.
- ``qr_svg(text)``: a QR code as inline SVG (no image file, no external asset).

Used by volunteer check-in (the organiser's screen) and redemptions, and by any page that shows a
changing code to be scanned on the spot (study sessions' attendance).
"""

from __future__ import annotations

import hashlib
import hmac
import io
import secrets
import time

import segno

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_TYPED = str.maketrans({"O": "0", "I": "1", "L": "1", " ": None, "-": None})


def normalise(code: str) -> str:
    """A code as typed or scanned, in the alphabet's form (``ab-cd o1l2`` → ``ABCD0112``)."""
    return (code or "").strip().upper().translate(_TYPED)


def random_code(length: int) -> str:
    """``length`` characters drawn from ``ALPHABET`` by the system's secure generator."""
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def window(period: int, at: float | None = None) -> int:
    """The number of the ``period``-second window ``at`` (seconds since the epoch; now) falls in."""
    seconds = time.time() if at is None else at
    return int(seconds // period)


def seconds_left(period: int, at: float | None = None) -> int:
    """Seconds until the code changes (at least 1, so a countdown never shows 0 for a full second)."""
    seconds = time.time() if at is None else at
    return max(1, int(period - (seconds % period)))


def window_code(secret: str, context: str, w: int, length: int = 8) -> str:
    """The code of ``context`` in window ``w``: ``length`` characters (5 bits each, at most 12)."""
    digest = hmac.new(secret.encode(), f"{context}:{w}".encode(), hashlib.sha256).digest()
    number = int.from_bytes(digest[:8], "big") >> (64 - 5 * length)
    return "".join(ALPHABET[(number >> (5 * i)) & 31] for i in reversed(range(length)))


def is_current(secret: str, context: str, code: str, period: int, at: float | None = None, length: int = 8) -> bool:
    """Whether ``code`` is the code of the current or the previous window. Both are compared in
    constant time (and both always), so the answer's timing tells nothing about the code."""
    given = normalise(code)[:64].encode()
    w = window(period, at)
    ok = False
    for candidate in (window_code(secret, context, w, length), window_code(secret, context, w - 1, length)):
        ok |= hmac.compare_digest(given, candidate.encode())
    return ok


def qr_svg(text: str, scale: int = 8) -> str:
    """A QR code of ``text`` as inline SVG markup."""
    buffer = io.BytesIO()
    segno.make(text, error="m").save(
        buffer, kind="svg", scale=scale, border=2, xmldecl=False, svgns=True, omitsize=True
    )
    return buffer.getvalue().decode()
