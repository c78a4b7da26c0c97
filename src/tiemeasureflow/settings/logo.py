"""The company logo: recognised by its bytes, stored under uploads/logos/."""

from __future__ import annotations

import io
from pathlib import Path

from defusedxml import ElementTree
from PIL import Image, UnidentifiedImageError

from ..kit.errors import BadRequest

RASTER_FORMATS = {"PNG": ("png", "image/png"), "JPEG": ("jpg", "image/jpeg"), "GIF": ("gif", "image/gif"),
                  "WEBP": ("webp", "image/webp")}
SVG_TYPE = ("svg", "image/svg+xml")
LOGO_DIR = "logos"
LOGO_STEM = "company_logo"
# Served with the logo so an SVG can never run script or load anything.
SVG_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox",
    "X-Content-Type-Options": "nosniff",
}


def detect_logo_type(data: bytes) -> tuple[str, str]:
    """(extension, content type) from the bytes; 400 for anything that is not an image or SVG."""
    try:
        with Image.open(io.BytesIO(data)) as img:
            img.verify()
            fmt = img.format
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        fmt = None
    if fmt in RASTER_FORMATS:
        return RASTER_FORMATS[fmt]
    if _is_svg(data):
        return SVG_TYPE
    raise BadRequest("Invalid file type: the logo must be a JPEG, PNG, GIF, WebP or SVG image")


def _is_svg(data: bytes) -> bool:
    try:
        root = ElementTree.fromstring(data, forbid_dtd=True)
    except Exception:  # defusedxml raises several types for hostile or broken XML
        return False
    return root.tag in ("svg", "{http://www.w3.org/2000/svg}svg")


def store_logo(upload_dir: Path, data: bytes, ext: str) -> str:
    """Write the logo, remove earlier logos of other types; returns the path relative to uploads."""
    folder = upload_dir / LOGO_DIR
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{LOGO_STEM}.{ext}"
    tmp = target.with_suffix(".tmp")
    tmp.write_bytes(data)
    tmp.replace(target)
    for old in folder.glob(f"{LOGO_STEM}.*"):
        if old != target:
            old.unlink(missing_ok=True)
    return f"{LOGO_DIR}/{target.name}"
