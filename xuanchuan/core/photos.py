"""Photos uploaded by staff, checked and cleaned the way civility's problem photos are: opened with
Pillow only if they are an image of an accepted format, refused above a byte size or Pillow's
decompression-bomb pixel limit (its warning is a refusal too), turned upright, shrunk to a longest
side and written again as a fresh JPEG, which leaves every EXIF block (GPS, camera, owner) behind.

The one implementation of these steps: civility's problem photos
(``xuanchuan/civility/services/photos.py``, which also reads the GPS location through ``on_open``)
and theory's lecture photos and classroom posters call ``clean_photo``.
"""

from __future__ import annotations

import io
import uuid
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from xuanchuan.core.services import ServiceError

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF", "MPO"}


@dataclass
class CleanPhoto:
    """An upload that passed the checks: the JPEG to store and its size in pixels."""

    content: ContentFile
    width: int
    height: int


def clean_photo(
    upload: Any,
    *,
    max_mb: int,
    max_side: int,
    formats: set[str] | None = None,
    formats_label: str | None = None,
    on_open: Callable[[Image.Image], None] | None = None,
) -> CleanPhoto:
    """Check one uploaded file and return the EXIF-free JPEG to store; ``ServiceError`` (Chinese)
    when it is too large, empty, not an accepted image, or declares too many pixels.

    ``formats_label`` is the list of formats named in the refusal (by default the accepted formats,
    sorted); ``on_open`` sees the loaded original, EXIF and all, before it is turned and cleaned."""
    formats = formats or ACCEPTED_FORMATS
    max_bytes = max_mb * 1024 * 1024
    name = getattr(upload, "name", "") or _("照片")
    too_large = ServiceError(_("照片“%(name)s”超过 %(mb)d MB，请压缩后再上传。") % {"name": name, "mb": max_mb})
    size = getattr(upload, "size", None)
    if size is None or size > max_bytes:
        raise too_large
    if size == 0:
        raise ServiceError(_("照片“%(name)s”是空文件。") % {"name": name})
    shown = formats_label or "、".join(sorted({"JPEG" if f == "MPO" else f for f in formats}))
    refused = ServiceError(_("“%(name)s”不是可以识别的图片（支持 %(formats)s）。") % {"name": name, "formats": shown})
    bomb = ServiceError(_("图片“%(name)s”的像素过多，无法处理。") % {"name": name})
    upload.seek(0)
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise too_large
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                if probe.format not in formats:
                    raise refused
                probe.verify()
            image = Image.open(io.BytesIO(data))
            if image.width * image.height > Image.MAX_IMAGE_PIXELS:
                raise bomb
            image.load()
            if on_open is not None:
                on_open(image)
            image = ImageOps.exif_transpose(image)
            if image.mode not in ("RGB", "L"):
                background = Image.new("RGB", image.size, "white")
                rgba = image.convert("RGBA")
                background.paste(rgba, mask=rgba.getchannel("A"))
                image = background
            image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
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
    return CleanPhoto(
        content=ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.jpg"), width=clean.width, height=clean.height
    )
