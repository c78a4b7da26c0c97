"""Thumbnails: decoded with a pixel budget, EXIF orientation applied, re-encoded without metadata."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

from PIL import Image, ImageOps

from ..kit.errors import BadRequest
from .kinds import FileKind

THUMBNAIL_SIZE = (200, 200)
# Largest image decoded (about 8000 x 8000): an A3 drawing scanned at 600 dpi fits, a decompression bomb does not.
MAX_IMAGE_PIXELS = 64_000_000
# Modes each format can write as they are; anything else is converted first.
# Pillow's own guard, for every image opened anywhere in the process: warns past this, refuses past twice.
Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
_WRITABLE_MODES = {"JPEG": ("RGB", "L"), "PNG": ("RGB", "RGBA", "L", "LA"), "GIF": ("P", "L"), "WEBP": ("RGB", "RGBA")}


def write_thumbnail(source: Path, kind: FileKind, target: Path) -> None:
    """Write a thumbnail fitting THUMBNAIL_SIZE in the same format; 400 for unreadable images and bombs."""
    thumbnail = _decode_thumbnail(source, kind)
    target.parent.mkdir(exist_ok=True)
    # A short random name: the final one may already use the whole 255 characters.
    partial = target.with_name(f".{uuid.uuid4().hex}.partial")
    try:
        thumbnail.save(partial, format=kind.pillow_format, **({"quality": 85} if kind.pillow_format == "JPEG" else {}))
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)


def _decode_thumbnail(source: Path, kind: FileKind) -> Image.Image:
    try:
        with Image.open(source, formats=[kind.pillow_format]) as image:
            width, height = image.size
            # Checked from the header, before any pixel is decoded.
            if width * height > MAX_IMAGE_PIXELS:
                raise BadRequest(f"Image too large: {width}x{height} pixels, more than {MAX_IMAGE_PIXELS} (decompression bomb)")
            if kind.pillow_format == "JPEG" and image.mode == "RGB":
                # Decode at the smallest DCT scale still at least the thumbnail size.
                image.draft("RGB", THUMBNAIL_SIZE)
            if image.mode in ("1", "P"):
                # Palette images resample only by nearest neighbour: convert first (they are small as a rule).
                image = image.convert("RGB" if kind.pillow_format == "JPEG" else "RGBA")
            # Shrunk in place before anything else: one full-size copy of the pixels in memory, never two.
            image.thumbnail(THUMBNAIL_SIZE, Image.Resampling.LANCZOS)
            upright = ImageOps.exif_transpose(image)
            if upright.mode not in _WRITABLE_MODES[kind.pillow_format]:
                upright = upright.convert("RGB" if kind.pillow_format == "JPEG" else "RGBA")
            return upright
    except BadRequest:
        raise
    except Image.DecompressionBombError:
        raise BadRequest(f"Image too large: more than {MAX_IMAGE_PIXELS} pixels (decompression bomb)") from None
    except Exception:  # Pillow raises many types for hostile or broken images; all mean the same to the client
        raise BadRequest(f"Invalid image: the file cannot be read as {kind.pillow_format}") from None
