"""PDF drawings rendered with PDFium (pypdfium2): one PNG per page for balloons, and a thumbnail of page 1."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image

from ..kit.errors import BadRequest
from ..models.file import page_paths
from .images import MAX_IMAGE_PIXELS, THUMBNAIL_SIZE

# Longest side of a rendered page: sharp enough to read dimensions on a tablet, small enough to send.
PAGE_PIXELS = 2000
MAX_PAGES = 50


def _save(image: Image.Image, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{uuid.uuid4().hex}.partial")
    try:
        image.save(partial, format="PNG")
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)


def render(source: Path, root: Path, relative: str, thumbnail: Path) -> list[Path]:
    """Render every page (up to MAX_PAGES) to PNG and page 1 as the thumbnail, thumbnail last.

    A PDF that PDFium cannot read, or that has no page, is stored as it is, without images ([]).
    """
    written: list[Path] = []
    try:
        document = pdfium.PdfDocument(source)
    except pdfium.PdfiumError:
        return []
    try:
        count = len(document)
        if count > MAX_PAGES:
            raise BadRequest(f"PDF has {count} pages; at most {MAX_PAGES} are accepted as a drawing")
        first = None
        for index, target in enumerate(page_paths(relative, count)):
            page = document[index]
            width, height = page.get_size()
            scale = PAGE_PIXELS / max(width, height, 1)
            if width * height * scale * scale > MAX_IMAGE_PIXELS:
                raise BadRequest("PDF page too large to render")
            image = page.render(scale=scale).to_pil().convert("RGB")
            page.close()
            _save(image, root / target)
            written.append(root / target)
            first = first or image
        if first is not None:
            first.thumbnail(THUMBNAIL_SIZE, Image.Resampling.LANCZOS)
            _save(first, thumbnail)
            written.append(thumbnail)
    except BadRequest:
        _remove(written)
        raise
    except pdfium.PdfiumError:
        _remove(written)
        return []
    finally:
        document.close()
    return written


def _remove(paths: list[Path]) -> None:
    for path in paths:
        path.unlink(missing_ok=True)
