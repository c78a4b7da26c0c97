"""Technical-looking drawings of the demo parts, made with Pillow (no committed binaries)."""

from __future__ import annotations

import io
from pathlib import Path

import matplotlib
from PIL import Image, ImageDraw, ImageFont

from .catalog import Char

WIDTH, HEIGHT = 1200, 800
INK = (30, 45, 80)
BALLOON = (200, 30, 30)


def _font(size: int):
    # matplotlib ships DejaVu Sans, which has the drawing symbols (diameter, plus-minus).
    return ImageFont.truetype(str(Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"), size)


def _outline(draw: ImageDraw.ImageDraw, shape: str) -> None:
    """Draw the part's outline: a stepped shaft, a flange, a housing or a pin."""
    if shape == "SHAFT":
        steps = [(100, 300, 340, 500), (340, 260, 700, 540), (700, 320, 1100, 480)]
        for box in steps:
            draw.rectangle(box, outline=INK, width=4)
        draw.rectangle((820, 370, 980, 430), outline=INK, width=3)  # keyway
        draw.line((80, 400, 1120, 400), fill=INK, width=1)  # centre line
    elif shape == "FLANGE":
        draw.ellipse((300, 100, 900, 700), outline=INK, width=4)
        draw.ellipse((450, 250, 750, 550), outline=INK, width=4)
        for dx, dy in ((0, -240), (240, 0), (0, 240), (-240, 0)):
            draw.ellipse((600 + dx - 25, 400 + dy - 25, 600 + dx + 25, 400 + dy + 25), outline=INK, width=3)
    elif shape == "HOUSING":
        draw.rectangle((150, 150, 1050, 650), outline=INK, width=4)
        draw.ellipse((300, 220, 540, 460), outline=INK, width=4)
        draw.ellipse((640, 250, 840, 450), outline=INK, width=4)
    else:
        draw.rectangle((250, 330, 950, 470), outline=INK, width=4)
        draw.polygon([(950, 330), (990, 360), (990, 440), (950, 470)], outline=INK, width=4)
    draw.rectangle((10, 10, WIDTH - 10, HEIGHT - 10), outline=INK, width=2)


def _callout(char: Char) -> str:
    """The dimension text beside a balloon, as a drawing states it."""
    if char.one_sided:
        return f"{char.measurement_type} {char.tolerance:g}"
    symbol = "\u00d8" if char.measurement_type == "diameter" else ""
    return f"{symbol}{char.nominal:g} \u00b1{char.tolerance:g}"


def render(part_code: str, title: str, chars: tuple[Char, ...]) -> bytes:
    """A PNG drawing with the part outline, a title block and numbered balloons at each characteristic."""
    img = Image.new("RGB", (WIDTH, HEIGHT), "white")
    draw = ImageDraw.Draw(img)
    _outline(draw, part_code.split("-")[0])
    draw.rectangle((WIDTH - 420, HEIGHT - 110, WIDTH - 10, HEIGHT - 10), outline=INK, width=2)
    draw.text((WIDTH - 405, HEIGHT - 100), f"{part_code}  {title}", fill=INK, font=_font(22))
    draw.text((WIDTH - 405, HEIGHT - 60), "TieMeasureFlow demo - dimensions in mm", fill=INK, font=_font(16))
    for char in chars:
        cx, cy = char.x * WIDTH, char.y * HEIGHT
        draw.ellipse((cx - 26, cy - 26, cx + 26, cy + 26), outline=BALLOON, width=4, fill="white")
        label = str(char.marker)
        font = _font(28)
        box = draw.textbbox((0, 0), label, font=font)
        draw.text((cx - (box[2] - box[0]) / 2, cy - (box[3] - box[1]) / 2 - box[1]), label, fill=BALLOON, font=font)
        draw.text((cx + 34, cy - 10), _callout(char), fill=INK, font=_font(18))
    out = io.BytesIO()
    img.save(out, format="PNG", optimize=True)
    return out.getvalue()
