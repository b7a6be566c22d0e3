"""QR codes of pass texts (segno), as PNG bytes or a ``data:`` URI for pages and print-outs."""

from __future__ import annotations

import io

import segno


def png(text: str, *, scale: int = 6) -> bytes:
    """The QR code of ``text`` (error correction Q, as the DCC) as PNG bytes."""
    buffer = io.BytesIO()
    segno.make(text, error="q", micro=False).save(buffer, kind="png", scale=scale, border=4)
    return buffer.getvalue()


def data_uri(text: str, *, scale: int = 6) -> str:
    return segno.make(text, error="q", micro=False).png_data_uri(scale=scale, border=4)
