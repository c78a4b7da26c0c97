"""The ballooned drawing sheets of an FAI: each drawing page with its balloons, as a PDF flowable."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PIL import Image
from reportlab.lib import colors
from reportlab.lib.utils import ImageReader
from reportlab.platypus import Flowable

from ..models import RecipeVersion
from ..reports.layout import FONT, FONT_BOLD
from .scope import ordered_subtasks

BALLOON = colors.HexColor("#c00000")
IMAGE_TYPES = ("image/png", "image/jpeg", "image/webp", "image/gif", "image/bmp", "image/tiff")


@dataclass
class Sheet:
    """One drawing page: the image, its task, and balloons (label, x, y fractions, in the FAI's scope)."""

    title: str
    image: Path
    balloons: list[tuple[str, float, float, bool]]


def sheets(version: RecipeVersion, scope: list[int], upload_dir: Path) -> list[Sheet]:
    """Every drawing page of the tasks that hold a characteristic in scope, in task order."""
    wanted = set(scope)
    root = upload_dir.resolve()
    labels = {(t.id, s.marker_number): (s.label or str(s.marker_number), s.characteristic_id in wanted)
              for t, s in ordered_subtasks(version)}
    found: list[Sheet] = []
    for task in sorted(version.tasks, key=lambda t: (t.order_index, t.id)):
        if task.file is None or not any(s.characteristic_id in wanted for s in task.subtasks):
            continue
        pages = task.file.page_paths or ([task.file.path] if task.file.content_type in IMAGE_TYPES else [])
        for number, relative in enumerate(pages, start=1):
            path = (root / relative).resolve()
            if not path.is_relative_to(root) or not path.is_file():
                continue
            marks = [(*labels[(task.id, b["marker_number"])], b["x"], b["y"])
                     for b in task.annotations_json or []
                     if b.get("page", 1) == number and (task.id, b["marker_number"]) in labels]
            suffix = f", sheet {number} of {len(pages)}" if len(pages) > 1 else ""
            found.append(Sheet(f"{task.title}{suffix}", path, [(m[0], m[2], m[3], m[1]) for m in marks]))
    return found


class SheetFlowable(Flowable):
    """A drawing page scaled into the frame, with numbered balloons where the plan placed them."""

    def __init__(self, sheet: Sheet, width: float, height: float):
        super().__init__()
        with Image.open(sheet.image) as img:
            img.thumbnail((2400, 2400))
            self.reader = ImageReader(img.convert("RGB"))
        iw, ih = self.reader.getSize()
        scale = min(width / iw, height / ih)
        self.sheet, self.width, self.height = sheet, iw * scale, ih * scale

    def wrap(self, avail_width, avail_height):
        """The scaled image's size."""
        return self.width, self.height

    def draw(self):
        """The image, then each balloon: a circle with its label (filled when in the FAI's scope)."""
        canvas = self.canv
        canvas.drawImage(self.reader, 0, 0, self.width, self.height)
        canvas.setStrokeColor(colors.grey)
        canvas.rect(0, 0, self.width, self.height)
        radius = max(7.0, min(self.width, self.height) * 0.018)
        for label, x, y, in_scope in self.sheet.balloons:
            cx, cy = x * self.width, (1 - y) * self.height
            canvas.setStrokeColor(BALLOON)
            canvas.setLineWidth(1.2)
            canvas.setFillColor(BALLOON if in_scope else colors.white)
            canvas.circle(cx, cy, radius, stroke=1, fill=1)
            canvas.setFillColor(colors.white if in_scope else BALLOON)
            canvas.setFont(FONT_BOLD if in_scope else FONT, radius * 1.05)
            canvas.drawCentredString(cx, cy - radius * 0.37, label)
