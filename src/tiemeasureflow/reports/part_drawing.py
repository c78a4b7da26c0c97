"""The ballooned drawing on the per-part report: the stored image with each balloon coloured by its verdict."""

from __future__ import annotations

import logging
from functools import cache
from pathlib import Path

import matplotlib
from PIL import Image, ImageDraw, ImageFont
from reportlab.lib.units import cm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import Flowable

from ..files.storage import resolve_inside
from .part_data import DrawingPage

log = logging.getLogger("tiemeasureflow")

# Longest side of the embedded image: sharp on paper at A4, small enough to keep the PDF light and quick.
EMBED_PIXELS = 1400
FILL = {"pass": (198, 239, 206), "warning": (255, 230, 153), "fail": (255, 199, 206), None: (235, 235, 235)}
EDGE = {"pass": (30, 107, 48), "warning": (122, 82, 0), "fail": (156, 0, 6), None: (90, 90, 90)}


@cache
def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans-Bold.ttf"), size)


def ballooned(root: Path, page: DrawingPage) -> Image.Image | None:
    """The drawing with its balloons drawn on, or None when the file is missing or unreadable."""
    try:
        with Image.open(resolve_inside(root, page.path)) as source:
            image = source.convert("RGB")
    except Exception as exc:  # a lost drawing must not cost the report: the table is what counts
        log.warning("drawing %s not usable in a part report: %s", page.path, exc)
        return None
    image.thumbnail((EMBED_PIXELS, EMBED_PIXELS), Image.Resampling.LANCZOS)
    draw = ImageDraw.Draw(image)
    radius = max(10, round(max(image.size) * 0.018))
    font = _font(round(radius * 1.1))
    for label, x, y, result in page.balloons:
        cx, cy = x * image.width, y * image.height
        draw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), fill=FILL.get(result, FILL[None]),
                     outline=EDGE.get(result, EDGE[None]), width=max(2, radius // 5))
        draw.text((cx, cy), label, fill=EDGE.get(result, EDGE[None]), font=font, anchor="mm")
    return image


class DrawingImage(Flowable):
    """A drawing scaled to the room left on the page (at least `min_cm` high, else it starts a new page)."""

    def __init__(self, image: Image.Image, min_cm: float = 7.0, max_cm: float = 16.0):
        super().__init__()
        self.image = image
        self.min_height, self.max_height = min_cm * cm, max_cm * cm
        self.width = self.height = 0.0

    def wrap(self, avail_width, avail_height):
        """Fit within the width and the height left, keeping the aspect ratio."""
        w, h = self.image.size
        room = max(self.min_height, min(self.max_height, avail_height - 2))
        scale = min(avail_width / w, room / h)
        self.width, self.height = w * scale, h * scale
        return self.width, self.height

    def draw(self):
        """Place the image."""
        self.canv.drawImage(ImageReader(self.image), 0, 0, self.width, self.height)
