"""What a classroom upload really is: its type read from the first bytes (not from its name or
the type the browser declared), and, where ffmpeg is installed, its length and a poster frame.

The allowed types are few on purpose: every phone plays MP4 (H.264/AAC) video, AAC audio in an
MP4 container (.m4a) and MP3. The sniffing needs no program; ``probe`` and ``poster_frame`` use
``ffprobe``/``ffmpeg`` when ``THEORY_FFMPEG`` names one that is installed and return ``None``
otherwise (the item form then asks for the length; the item has no poster until one is uploaded).
Both run with a timeout and never through a shell.
"""

from __future__ import annotations

import json
import shutil
import subprocess  # noqa: S404 (fixed argument lists, no shell)
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

VIDEO_MP4 = "video/mp4"
AUDIO_MP4 = "audio/mp4"
AUDIO_MPEG = "audio/mpeg"
ALLOWED_TYPES = (VIDEO_MP4, AUDIO_MP4, AUDIO_MPEG)
EXTENSIONS = {VIDEO_MP4: ".mp4", AUDIO_MP4: ".m4a", AUDIO_MPEG: ".mp3"}
# Bytes ``sniff`` reads: the ``ftyp`` box or an ID3 header and the first MPEG frame header.
SNIFF_BYTES = 64
TIMEOUT_SECONDS = 60
_AUDIO_BRANDS = (b"M4A ", b"M4B ", b"M4P ", b"F4A ", b"F4B ")


def _mpeg_frame(header: bytes) -> bool:
    """Whether ``header`` starts with a plausible MPEG audio frame header (sync, a known version
    and layer, a usable bitrate and sample rate)."""
    if len(header) < 4 or header[0] != 0xFF or header[1] & 0xE0 != 0xE0:
        return False
    version = (header[1] >> 3) & 0x03
    layer = (header[1] >> 1) & 0x03
    bitrate = header[2] >> 4
    rate = (header[2] >> 2) & 0x03
    return version != 0b01 and layer != 0b00 and bitrate not in (0b0000, 0b1111) and rate != 0b11


def sniff(head: bytes, declared: str = "") -> str | None:
    """The allowed content type the first bytes ``head`` show, or ``None`` (not an allowed type).

    An MP4 container's ``ftyp`` box names its brand: ``M4A `` and kin are audio; other brands
    (``isom``, ``mp42``, ``avc1`` …) are video unless the uploader declared audio/mp4 (an audio-only
    MP4 may carry a video brand); ``probe`` corrects it where ffprobe exists. MP3 starts with an
    ID3 tag or directly with a frame header."""
    if len(head) >= 12 and head[4:8] == b"ftyp":
        if head[8:12] in _AUDIO_BRANDS or declared == AUDIO_MP4:
            return AUDIO_MP4
        return VIDEO_MP4
    if head[:3] == b"ID3" and len(head) >= 10 and head[3] in (2, 3, 4):
        return AUDIO_MPEG
    if _mpeg_frame(head):
        return AUDIO_MPEG
    return None


def _tool(name: str) -> str | None:
    """The path of ``ffmpeg`` (as configured) or of the ``ffprobe`` beside it, if installed."""
    configured = settings.THEORY_FFMPEG
    if not configured:
        return None
    ffmpeg = shutil.which(configured)
    if ffmpeg is None:
        return None
    if name == "ffmpeg":
        return ffmpeg
    beside = Path(ffmpeg).with_name("ffprobe")
    return str(beside) if beside.exists() else shutil.which("ffprobe")


def available() -> bool:
    """Whether posters and lengths can be taken (ffmpeg and ffprobe installed and configured)."""
    return _tool("ffmpeg") is not None and _tool("ffprobe") is not None


@dataclass
class Probe:
    """What ffprobe found: the length in whole seconds (rounded up) and whether there is video."""

    duration_seconds: int | None
    has_video: bool
    has_audio: bool


def probe(path: str | Path) -> Probe | None:
    """Read the length and the kinds of streams of a media file with ffprobe, or ``None`` where
    ffprobe is missing or cannot read the file (a damaged upload)."""
    ffprobe = _tool("ffprobe")
    if ffprobe is None:
        return None
    command = [
        ffprobe,
        "-v",
        "error",
        "-show_entries",
        "format=duration:stream=codec_type",
        "-of",
        "json",
        str(path),
    ]
    try:
        done = subprocess.run(command, capture_output=True, timeout=TIMEOUT_SECONDS, check=False)  # noqa: S603
    except (OSError, subprocess.TimeoutExpired):
        return None
    if done.returncode != 0:
        return None
    try:
        data = json.loads(done.stdout or b"{}")
        kinds = {stream.get("codec_type") for stream in data.get("streams", [])}
        raw = data.get("format", {}).get("duration")
        seconds = float(raw) if raw not in (None, "N/A") else None
    except (ValueError, TypeError, AttributeError):
        return None
    duration = None if seconds is None or seconds <= 0 else int(-(-seconds // 1))
    return Probe(duration_seconds=duration, has_video="video" in kinds, has_audio="audio" in kinds)


def poster_frame(path: str | Path, duration_seconds: int | None = None) -> bytes | None:
    """A JPEG of the video's frame at 1 s (or at a tenth of a shorter video), at most 640 pixels
    wide; ``None`` where ffmpeg is missing or takes no frame."""
    ffmpeg = _tool("ffmpeg")
    if ffmpeg is None:
        return None
    at = 1.0 if not duration_seconds or duration_seconds >= 10 else duration_seconds / 10
    for seek in (at, 0.0):
        command = [
            ffmpeg,
            "-nostdin",
            "-v",
            "error",
            "-ss",
            f"{seek:.2f}",
            "-i",
            str(path),
            "-frames:v",
            "1",
            "-vf",
            "scale='min(640,iw)':-2",
            "-f",
            "image2",
            "-c:v",
            "mjpeg",
            "-q:v",
            "4",
            "pipe:1",
        ]
        try:
            done = subprocess.run(command, capture_output=True, timeout=TIMEOUT_SECONDS, check=False)  # noqa: S603
        except (OSError, subprocess.TimeoutExpired):
            return None
        if done.returncode == 0 and done.stdout[:2] == b"\xff\xd8":
            return done.stdout
    return None
