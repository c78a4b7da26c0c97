"""The per-part inspection report: the part, every characteristic in balloon order, corrections, the drawing."""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import cm
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

from .i18n import Translator
from .layout import (
    FONT,
    FONT_BOLD,
    GRID,
    HEAD_BG,
    LIGHT_BG,
    RESULT_COLOURS,
    RESULT_TEXT_COLOURS,
    content_width,
    numbered_canvas,
    page_decorator,
    report_document,
    styles,
)
from .part_data import PartReport, PartRow
from .part_drawing import DrawingImage, ballooned

CONTENT_WIDTH = content_width(A4)
# (heading key, width in cm, right-aligned)
COLUMNS = (("balloon", 1.4, False), ("characteristic", 3.7, False), ("nominal", 1.7, True), ("lower", 1.7, True),
           ("upper", 1.7, True), ("value", 1.8, True), ("deviation", 1.6, True), ("result", 2.1, False),
           ("gauge", 1.9, False))
RESULT_COLUMN = 7
FONT_SIZE = 7.5


def render_part_report(report: PartReport, upload_root: Path) -> bytes:
    """The report as PDF bytes (A4 portrait; one page for a part with a dozen characteristics and a drawing)."""
    t = Translator(report.context.language)
    st = styles()
    zone = _zone(report.zone)
    buffer = io.BytesIO()
    title = t("part_title")
    subtitle = f"{report.part_number} · {t('serial')} {report.serial}"
    doc = report_document(buffer, A4, f"{title} {report.part_number} {report.serial}", title,
                          report.context.generated_by)
    story = [Paragraph(_esc(f"{title}: {report.part_number} / {report.serial}"), st["h1"]),
             _info(report, t, st, zone), Paragraph(_esc(t("times_in", zone=report.zone)), st["small"]),
             Paragraph(t("characteristics" if report.version is not None else "test_cases"), st["h2"]),
             _table(report.rows, t, st)]
    corrected = [(row, c) for row in report.rows for c in row.corrections]
    if corrected:
        story.append(Paragraph(t("corrections"), st["h2"]))
        story += [Paragraph(_esc(t("part_correction", balloon=row.balloon, old=t.number(c.superseded_value),
                                   new=t.number(c.value), who=c.by or "–", when=_when(c.at, zone, t),
                                   why=c.reason or "–")), st["small"]) for row, c in corrected]
    for page in report.drawings:
        image = ballooned(upload_root, page)
        if image is not None:
            story += [Paragraph(_esc(f"{t('drawing')}: {page.title}"), st["h2"]), Spacer(1, 0.1 * cm),
                      DrawingImage(image)]
    doc.build(story, canvasmaker=numbered_canvas(page_decorator(report.context, title, subtitle, t)))
    return buffer.getvalue()


def _esc(text: str | None) -> str:
    return (text or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _zone(name: str):
    try:
        return ZoneInfo(name)
    except Exception:  # an unknown zone name in the settings: print UTC rather than fail
        return ZoneInfo("UTC")


def _when(moment: datetime | None, zone, t: Translator) -> str:
    """A time in the plant's zone with its abbreviation (CET, CEST, UTC...)."""
    if moment is None:
        return "–"
    local = moment.astimezone(zone)
    pattern = "%d/%m/%Y %H:%M:%S" if t.language == "it" else "%Y-%m-%d %H:%M:%S"
    return f"{local.strftime(pattern)} {local.tzname()}"


def _status(status: str, t: Translator) -> str:
    return t(status) if status in ("pass", "warning", "fail", "in_progress", "aborted") else status


def _info(report: PartReport, t: Translator, st, zone) -> Table:
    cell = st["cell"]
    pairs = [
        ("part_number", report.part_number), ("plan", report.plan),
        ("serial", report.serial), ("lot", report.lot or "–"),
        ("version", str(report.version) if report.version is not None else "–"), ("attempt", str(report.attempt)),
        ("operator", report.operator or "–"), ("station", report.station or "–"),
        ("started", _when(report.started_at, zone, t)), ("finished", _when(report.finished_at, zone, t)),
        ("run_status", _status(report.status, t)), ("run_id", report.run_id),
    ]
    if report.released:
        pairs += [("released", report.released), ("", "")]
    rows = []
    for i in range(0, len(pairs), 2):
        row = []
        for key, value in pairs[i:i + 2]:
            row += [Paragraph(f"<b>{_esc(t(key)) if key else ''}</b>", cell), Paragraph(_esc(value), cell)]
        rows.append(row)
    label, value = 2.6 * cm, CONTENT_WIDTH / 2 - 2.6 * cm
    table = Table(rows, colWidths=[label, value, label, value])
    style = [("GRID", (0, 0), (-1, -1), 0.4, GRID), ("BACKGROUND", (0, 0), (0, -1), LIGHT_BG),
             ("BACKGROUND", (2, 0), (2, -1), LIGHT_BG), ("TOPPADDING", (0, 0), (-1, -1), 2),
             ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]
    if report.status in RESULT_COLOURS:
        style += [("BACKGROUND", (1, 5), (1, 5), RESULT_COLOURS[report.status])]
    table.setStyle(TableStyle(style))
    return table


def _limits(row: PartRow, t: Translator) -> tuple[str, str, str]:
    return t.number(row.nominal), t.number(row.ltl), t.number(row.utl)


def _cells(row: PartRow, t: Translator, st) -> list:
    unit = f" [{row.unit}]" if row.unit else ""
    description = f"{row.description}{unit}"
    if row.text_limits:
        description += f" · {row.text_limits}"
    value = t.number(row.value)
    result = t.result(row.result) if row.result else t("not_measured")
    return [row.balloon, Paragraph(_esc(description[:300]), st["cell"]), *_limits(row, t),
            value + (" *" if row.corrections else ""), _deviation(row, value, t),
            result, Paragraph(_esc(row.gauge or "–"), st["cell"])]


def _deviation(row: PartRow, value: str, t: Translator) -> str:
    """Signed, to the decimals the value and nominal are shown with (so it reads as their difference, and fits)."""
    if row.deviation is None:
        return t.number(None)
    decimals = max(_decimals(value), _decimals(t.number(row.nominal)))
    text = t.number(row.deviation, decimals=decimals)
    return text if text.startswith("-") else "+" + text


def _decimals(text: str) -> int:
    """Digits after the decimal separator of a number as printed."""
    for separator in ".,":
        if separator in text:
            return len(text) - text.index(separator) - 1
    return 0


def _table(rows: list[PartRow], t: Translator, st) -> Table:
    header = [t(key) for key, _, _ in COLUMNS]
    style = [("FONT", (0, 0), (-1, -1), FONT, FONT_SIZE), ("FONT", (0, 0), (-1, 0), FONT_BOLD, FONT_SIZE),
             ("BACKGROUND", (0, 0), (-1, 0), HEAD_BG), ("TEXTCOLOR", (0, 0), (-1, 0), colors.white),
             ("GRID", (0, 0), (-1, -1), 0.4, GRID), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
             ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
             ("FONT", (0, 1), (0, -1), FONT_BOLD, FONT_SIZE)]
    style += [("ALIGN", (i, 1), (i, -1), "RIGHT") for i, (_, _, right) in enumerate(COLUMNS) if right]
    for position, row in enumerate(rows, start=1):
        if row.result in RESULT_COLOURS:
            cell = (RESULT_COLUMN, position)
            style += [("BACKGROUND", cell, cell, RESULT_COLOURS[row.result]),
                      ("TEXTCOLOR", cell, cell, RESULT_TEXT_COLOURS[row.result])]
    data = [header, *[_cells(row, t, st) for row in rows]]
    return Table(data, colWidths=[w * cm for _, w, _ in COLUMNS], repeatRows=1, style=TableStyle(style))
