"""What every report page shares: fonts, styles, the letterhead, the footer with "page X of Y"."""

from __future__ import annotations

import io
import logging
from collections.abc import Callable
from functools import cache
from pathlib import Path

import matplotlib
from PIL import Image
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, SimpleDocTemplate

from .data import ReportContext
from .i18n import Translator

log = logging.getLogger("tiemeasureflow")

FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
MARGIN = 1.5 * cm
HEADER_HEIGHT = 2.0 * cm
FOOTER_HEIGHT = 1.0 * cm
LOGO_MAX = (4.5 * cm, 1.4 * cm)
GRID = colors.HexColor("#b0b0b0")
HEAD_BG = colors.HexColor("#1f4e79")
LIGHT_BG = colors.HexColor("#eef3f8")
BAND_COLOURS = {
    "good": colors.HexColor("#c6efce"), "marginal": colors.HexColor("#ffe699"), "poor": colors.HexColor("#ffc7ce"),
}
RESULT_COLOURS = {
    "pass": colors.HexColor("#c6efce"), "warning": colors.HexColor("#ffe699"), "fail": colors.HexColor("#ffc7ce"),
}
RESULT_TEXT_COLOURS = {
    "pass": colors.HexColor("#1e6b30"), "warning": colors.HexColor("#7a5200"), "fail": colors.HexColor("#9c0006"),
}


@cache
def register_fonts() -> None:
    """DejaVu Sans (shipped with matplotlib) covers σ, ≥, X̄ and every Italian letter; the PDF base fonts do not."""
    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    pdfmetrics.registerFont(TTFont(FONT, str(folder / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(folder / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD)


def styles() -> dict[str, ParagraphStyle]:
    """The paragraph styles of the reports."""
    register_fonts()
    body = ParagraphStyle("body", fontName=FONT, fontSize=8.5, leading=11)
    return {
        "body": body,
        "small": ParagraphStyle("small", parent=body, fontSize=7, leading=9, textColor=colors.HexColor("#444444")),
        "cell": ParagraphStyle("cell", parent=body, fontSize=7.5, leading=9),
        "h1": ParagraphStyle("h1", parent=body, fontName=FONT_BOLD, fontSize=14, leading=18, spaceAfter=4),
        "h2": ParagraphStyle("h2", parent=body, fontName=FONT_BOLD, fontSize=10, leading=13,
                             spaceBefore=6, spaceAfter=3, textColor=HEAD_BG),
    }


def load_logo(path: Path | None) -> ImageReader | None:
    """The company logo as an image, or None when absent, SVG or unreadable (the name is shown instead)."""
    if path is None or path.suffix.lower() == ".svg" or not path.is_file():
        return None
    try:
        with Image.open(path) as img:
            img.thumbnail((800, 800))
            return ImageReader(img.convert("RGBA"))
    except Exception as exc:  # a broken logo must not cost the report
        log.warning("company logo %s not usable: %s", path, exc)
        return None


def ellipsize(text: str, font: str, size: float, width: float) -> str:
    """The text, cut with an ellipsis when it is wider than `width` points."""
    if stringWidth(text, font, size) <= width:
        return text
    low, high = 0, len(text)
    while low < high:  # the longest prefix that fits with the ellipsis
        mid = (low + high + 1) // 2
        if stringWidth(text[:mid] + "…", font, size) <= width:
            low = mid
        else:
            high = mid - 1
    return text[:low].rstrip() + "…"


def page_decorator(context: ReportContext, title: str, subtitle: str, t: Translator):
    """Draws the letterhead and the footer on a finished page, once the page count is known."""
    logo = load_logo(context.logo_path)

    def decorate(canvas: Canvas, page: int, pages: int) -> None:
        width, height = canvas._pagesize
        top = height - MARGIN
        x = MARGIN
        if logo is not None:
            iw, ih = logo.getSize()
            scale = min(LOGO_MAX[0] / iw, LOGO_MAX[1] / ih)
            canvas.drawImage(logo, x, top - ih * scale, iw * scale, ih * scale, mask="auto")
            x += iw * scale + 0.4 * cm
        right = width - MARGIN
        title_room = stringWidth(title, FONT_BOLD, 13) + 0.5 * cm
        if context.company_name:
            canvas.setFont(FONT_BOLD, 11)
            canvas.drawString(x, top - 0.55 * cm, ellipsize(context.company_name, FONT_BOLD, 11, right - title_room - x))
        canvas.setFont(FONT_BOLD, 13)
        canvas.drawRightString(right, top - 0.55 * cm, title)
        canvas.setFont(FONT, 8)
        canvas.drawRightString(right, top - 1.05 * cm, ellipsize(subtitle, FONT, 8, right - x - 0.3 * cm))
        canvas.setStrokeColor(HEAD_BG)
        canvas.setLineWidth(1)
        canvas.line(MARGIN, top - HEADER_HEIGHT + 0.3 * cm, width - MARGIN, top - HEADER_HEIGHT + 0.3 * cm)
        canvas.setStrokeColor(GRID)
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN, MARGIN + 0.5 * cm, width - MARGIN, MARGIN + 0.5 * cm)
        canvas.setFont(FONT, 7)
        canvas.setFillColor(colors.HexColor("#444444"))
        canvas.drawString(MARGIN, MARGIN, t("generated", at=t.when(context.generated_at) + " UTC",
                                            by=context.generated_by))
        canvas.drawRightString(width - MARGIN, MARGIN, t("page_of", page=page, pages=pages))

    return decorate


class FlexibleChart(Flowable):
    """A chart drawn as tall as the page has room for, between `min_cm` and `max_cm` (rendered when placed)."""

    def __init__(self, render: Callable[[float, float], bytes], width: float, min_cm: float, max_cm: float):
        super().__init__()
        self.render, self.width = render, width
        self.min_height, self.max_height = min_cm * cm, max_cm * cm
        self.height = self.max_height

    def wrap(self, avail_width, avail_height):
        """Take the room there is, within the bounds; below the minimum platypus moves it to the next page."""
        self.height = max(self.min_height, min(self.max_height, avail_height - 2))
        return self.width, self.height

    def draw(self):
        """Render the chart at its final size and place it."""
        png = self.render(self.width / cm, self.height / cm)
        self.canv.drawImage(ImageReader(io.BytesIO(png)), 0, 0, self.width, self.height)


def numbered_canvas(decorate):
    """A canvas class that holds pages back until the end, so each can say "page X of Y"."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self):
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                decorate(self, self._pageNumber, total)
                super().showPage()
            super().save()

    return NumberedCanvas


def frame_insets() -> tuple[float, float]:
    """Space the letterhead (top) and footer (bottom) take from the frame."""
    return MARGIN + HEADER_HEIGHT, MARGIN + FOOTER_HEIGHT


def content_width(pagesize: tuple[float, float]) -> float:
    """The width flowables get on a report's page: within the margins and the frame's own 6 pt padding each side."""
    return pagesize[0] - 2 * MARGIN - 12


def report_document(buffer: io.BytesIO, pagesize: tuple[float, float], title: str, subject: str,
                    author: str) -> SimpleDocTemplate:
    """A report's document: the margins that leave room for letterhead and footer, and the PDF's metadata."""
    top, bottom = frame_insets()
    return SimpleDocTemplate(buffer, pagesize=pagesize, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=top,
                             bottomMargin=bottom, title=title, author=author, subject=subject,
                             creator="TieMeasureFlow")
