"""Photos of problems: real images pass (resized, upright, without EXIF, location read); anything
else is refused with a Chinese message."""

from __future__ import annotations

import io
import struct

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from xuanchuan.civility.services.photos import check_photo, check_photos
from xuanchuan.core.services import ServiceError


def jpeg(width: int = 800, height: int = 600, *, gps: tuple[float, float] | None = None, orientation: int = 0) -> bytes:
    image = Image.new("RGB", (width, height), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "TestCam"  # Make
    exif[0x0131] = "secret-software"
    if orientation:
        exif[0x0112] = orientation
    if gps:
        lat, lon = gps

        def dms(value: float) -> tuple[float, float, float]:
            value = abs(value)
            d = int(value)
            m = int((value - d) * 60)
            s = round(((value - d) * 60 - m) * 60, 4)
            return (float(d), float(m), s)

        exif.get_ifd(0x8825).update(
            {1: "N" if lat >= 0 else "S", 2: dms(lat), 3: "E" if lon >= 0 else "W", 4: dms(lon)}
        )
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


def upload(data: bytes, name: str = "p.jpg", content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def test_a_photo_is_resized_and_stored_without_exif():
    checked = check_photo(upload(jpeg(4000, 3000)))
    assert (checked.width, checked.height) == (1600, 1200)
    stored = Image.open(io.BytesIO(checked.content.read()))
    assert stored.format == "JPEG"
    assert stored.size == (1600, 1200)
    assert not stored.getexif()
    assert b"TestCam" not in checked.content.file.getvalue()
    assert (checked.latitude, checked.longitude) == (None, None)


def test_the_gps_location_is_read_before_it_is_stripped():
    checked = check_photo(upload(jpeg(gps=(39.904211, -116.407395))))
    assert float(checked.latitude) == pytest.approx(39.904211, abs=1e-5)
    assert float(checked.longitude) == pytest.approx(-116.407395, abs=1e-5)
    stored = Image.open(io.BytesIO(checked.content.file.getvalue()))
    assert not stored.getexif().get_ifd(0x8825)


def test_orientation_is_applied():
    checked = check_photo(upload(jpeg(800, 600, orientation=6)))  # rotate 90° on display
    assert (checked.width, checked.height) == (600, 800)


def test_png_with_transparency_is_accepted():
    out = io.BytesIO()
    Image.new("RGBA", (50, 40), (0, 0, 0, 0)).save(out, format="PNG")
    checked = check_photo(upload(out.getvalue(), "a.png", "image/png"))
    assert (checked.width, checked.height) == (50, 40)


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF", "photo.jpg"),
        (b"PK\x03\x04" + b"\x00" * 100, "photo.jpg"),
        (b"hello, not an image", "photo.png"),
        (jpeg()[:200], "truncated.jpg"),
    ],
)
def test_files_that_are_not_images_are_refused(data, name):
    with pytest.raises(ServiceError, match="不是可以识别的图片"):
        check_photo(upload(data, name))


def test_a_declared_decompression_bomb_is_refused():
    # A 1×1 GIF whose header declares 60,000 × 60,000 pixels.
    out = io.BytesIO()
    Image.new("P", (1, 1)).save(out, format="GIF")
    data = bytearray(out.getvalue())
    data[6:10] = struct.pack("<HH", 60000, 60000)
    with pytest.raises(ServiceError, match="像素过多"):
        check_photo(upload(bytes(data), "bomb.gif", "image/gif"))


def test_pillows_warning_limit_counts_too(monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)
    with pytest.raises(ServiceError, match="像素过多"):
        check_photo(upload(jpeg(40, 30)))


def test_too_large_and_empty_files_are_refused(settings):
    settings.CIVILITY_PHOTO_MAX_MB = 1
    with pytest.raises(ServiceError, match="超过 1 MB"):
        check_photo(upload(b"\xff" * (1024 * 1024 + 1)))
    with pytest.raises(ServiceError, match="空文件"):
        check_photo(upload(b""))


def test_the_number_of_photos_is_bounded(settings):
    settings.CIVILITY_PHOTO_MAX_COUNT = 3
    with pytest.raises(ServiceError, match="最多 3 张"):
        check_photos([upload(jpeg(10, 10)) for _ in range(4)])
    assert len(check_photos([upload(jpeg(10, 10)) for _ in range(3)])) == 3


def test_the_longest_side_is_a_setting(settings):
    settings.CIVILITY_PHOTO_MAX_SIDE = 400
    assert check_photo(upload(jpeg(800, 600))).width == 400
