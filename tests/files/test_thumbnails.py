"""Thumbnails: fit in 200x200, EXIF orientation applied, re-encoded in the original's format."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from . import samples
from .conftest import upload

FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/gif": "GIF", "image/webp": "WEBP"}


def thumbnail_of(client, user, name: str, data: bytes) -> Image.Image:
    body = upload(client, user, name, data).json()
    res = client.get(f"/api/files/{body['thumbnail_path']}", headers=user.headers)
    assert res.status_code == 200
    thumb = Image.open(io.BytesIO(res.content))
    assert thumb.format == FORMATS[body["file_type"]]
    return thumb


@pytest.mark.parametrize(("size", "expected"), [
    ((400, 300), (200, 150)),
    ((100, 500), (40, 200)),
    ((1000, 1000), (200, 200)),
    ((50, 30), (50, 30)),  # never enlarged
])
def test_thumbnail_fits_200_by_200_keeping_proportions(client, maker, size, expected):
    assert thumbnail_of(client, maker, "part.png", samples.image("PNG", size)).size == expected


@pytest.mark.parametrize("fmt", ["JPEG", "GIF", "WEBP"])
def test_thumbnail_of_every_image_type(client, maker, fmt):
    thumb = thumbnail_of(client, maker, f"part.{fmt.lower()}", samples.image(fmt, (640, 480)))
    assert thumb.size == (200, 150)


def test_exif_orientation_is_applied_and_dropped(client, maker):
    # Stored 300x100 with red on the left; displayed upright it is 100x300 with red on top.
    thumb = thumbnail_of(client, maker, "photo.jpg", samples.two_tone_jpeg_rotated()).convert("RGB")
    assert thumb.size == (67, 200)
    top, bottom = thumb.getpixel((33, 20)), thumb.getpixel((33, 180))
    assert top[0] > 200 and top[2] < 60, top
    assert bottom[2] > 200 and bottom[0] < 60, bottom
    # Re-encoded without the orientation tag, so no viewer rotates it a second time.
    assert 0x0112 not in thumb.getexif()


def test_original_is_kept_byte_for_byte(client, maker, upload_dir):
    data = samples.two_tone_jpeg_rotated()
    body = upload(client, maker, "photo.jpg", data).json()
    assert (upload_dir / body["file_path"]).read_bytes() == data
