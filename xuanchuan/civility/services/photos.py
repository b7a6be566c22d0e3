"""Photos of problems: checked as images with Pillow, bounded in size and count, turned upright,
resized and stored as a fresh JPEG without any EXIF data. Where the original carried a GPS
location it is read first and kept on the ``Photo`` (and offered as the problem's coordinates).

Pillow's own decompression-bomb limit (``Image.MAX_IMAGE_PIXELS``) stays the limit: an image
declaring more pixels is refused, with its warning turned into a refusal too.
"""

from __future__ import annotations

import io
import uuid
import warnings
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from xuanchuan.core.services import ServiceError

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF", "MPO"}
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
    """Check one uploaded file and return the copy to store; ``ServiceError`` (Chinese) if refused."""
    max_bytes = settings.CIVILITY_PHOTO_MAX_MB * 1024 * 1024
    side = settings.CIVILITY_PHOTO_MAX_SIDE
    name = getattr(upload, "name", "") or _("照片")
    size = getattr(upload, "size", None)
    if size is None or size > max_bytes:
        raise ServiceError(
            _("照片“%(name)s”超过 %(mb)d MB，请压缩后再上传。") % {"name": name, "mb": settings.CIVILITY_PHOTO_MAX_MB}
        )
    if size == 0:
        raise ServiceError(_("照片“%(name)s”是空文件。") % {"name": name})
    refused = ServiceError(_("“%(name)s”不是可以识别的图片（支持 JPEG、PNG、WebP、GIF）。") % {"name": name})
    upload.seek(0)
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ServiceError(
            _("照片“%(name)s”超过 %(mb)d MB，请压缩后再上传。") % {"name": name, "mb": settings.CIVILITY_PHOTO_MAX_MB}
        )
    bomb = ServiceError(_("图片“%(name)s”的像素过多，无法处理。") % {"name": name})
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                if probe.format not in ACCEPTED_FORMATS:
                    raise refused
                probe.verify()
            image = Image.open(io.BytesIO(data))
            if image.width * image.height > Image.MAX_IMAGE_PIXELS:
                raise bomb
            image.load()
            latitude, longitude = gps_location(image)
            image = ImageOps.exif_transpose(image)
            if image.mode not in ("RGB", "L"):
                background = Image.new("RGB", image.size, "white")
                rgba = image.convert("RGBA")
                background.paste(rgba, mask=rgba.getchannel("A"))
                image = background
            image.thumbnail((side, side), Image.Resampling.LANCZOS)
            clean = Image.new(image.mode, image.size)
            clean.paste(image)
            out = io.BytesIO()
            clean.save(out, format="JPEG", quality=85, optimize=True)
    except ServiceError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise bomb from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError, MemoryError):
        raise refused from None
    return CheckedPhoto(
        content=ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.jpg"),
        width=clean.width,
        height=clean.height,
        latitude=latitude,
        longitude=longitude,
    )


def check_photos(uploads: list[Any], *, already: int = 0) -> list[CheckedPhoto]:
    """Check several uploads at once (the count limit counts the photos already there)."""
    if len(uploads) + already > max_photos():
        raise ServiceError(_("每个问题最多 %(n)d 张照片。") % {"n": max_photos()})
    return [check_photo(upload) for upload in uploads]
