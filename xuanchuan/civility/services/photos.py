"""Photos of problems: checked as images with Pillow, bounded in size and count, turned upright,
resized and stored as a fresh JPEG without any EXIF data (those steps are ``xuanchuan.core.photos``).
Where the original carried a GPS location it is read first and kept on the ``Photo`` (and offered
as the problem's coordinates).

Pillow's own decompression-bomb limit (``Image.MAX_IMAGE_PIXELS``) stays the limit: an image
declaring more pixels is refused, with its warning turned into a refusal too.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image

from xuanchuan.core.photos import ACCEPTED_FORMATS, clean_photo
from xuanchuan.core.services import ServiceError

GPS_IFD = 0x8825


@dataclass
class CheckedPhoto:
    """An upload that passed the checks: the stored copy and what was read from the original."""

    content: ContentFile
    width: int
    height: int
    latitude: Decimal | None
    longitude: Decimal | None


def _rational(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError, ZeroDivisionError):
        numerator, denominator = value
        return float(numerator) / float(denominator)


def _degrees(values: Any, ref: Any, positive: str, limit: float) -> Decimal | None:
    try:
        degrees, minutes, seconds = (_rational(v) for v in values)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    result = degrees + minutes / 60 + seconds / 3600
    if isinstance(ref, bytes):
        ref = ref.decode("ascii", "ignore")
    if str(ref or positive).strip().upper() != positive:
        result = -result
    if not -limit <= result <= limit or result != result:  # NaN check
        return None
    return Decimal(str(result)).quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP)


def gps_location(image: Image.Image) -> tuple[Decimal | None, Decimal | None]:
    """The (latitude, longitude) of an image's EXIF GPS block, or (None, None)."""
    try:
        gps = image.getexif().get_ifd(GPS_IFD)
    except Exception:  # a broken EXIF block is no location, not a refusal
        return None, None
    if not gps or 2 not in gps or 4 not in gps:
        return None, None
    latitude = _degrees(gps.get(2), gps.get(1), "N", 90)
    longitude = _degrees(gps.get(4), gps.get(3), "E", 180)
    if latitude is None or longitude is None:
        return None, None
    return latitude, longitude


def max_photos() -> int:
    """How many photos a problem may have (``CIVILITY_PHOTO_MAX_COUNT``)."""
    return settings.CIVILITY_PHOTO_MAX_COUNT


def check_photo(upload: Any) -> CheckedPhoto:
    """Check one uploaded file and return the copy to store; ``ServiceError`` (Chinese) if refused.
    The checking and cleaning are ``core.photos.clean_photo``'s; the GPS location is read from the
    original before its EXIF is dropped."""
    location: list[tuple[Decimal | None, Decimal | None]] = [(None, None)]

    def read_location(image: Image.Image) -> None:
        location[0] = gps_location(image)

    clean = clean_photo(
        upload,
        max_mb=settings.CIVILITY_PHOTO_MAX_MB,
        max_side=settings.CIVILITY_PHOTO_MAX_SIDE,
        formats=ACCEPTED_FORMATS,
        formats_label="JPEG、PNG、WebP、GIF",
        on_open=read_location,
    )
    latitude, longitude = location[0]
    return CheckedPhoto(
        content=clean.content, width=clean.width, height=clean.height, latitude=latitude, longitude=longitude
    )


def check_photos(uploads: list[Any], *, already: int = 0) -> list[CheckedPhoto]:
    """Check several uploads at once (the count limit counts the photos already there)."""
    if len(uploads) + already > max_photos():
        raise ServiceError(_("每个问题最多 %(n)d 张照片。") % {"n": max_photos()})
    return [check_photo(upload) for upload in uploads]
