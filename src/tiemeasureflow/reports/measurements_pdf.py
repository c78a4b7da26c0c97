"""The measurement table report: summary first, then every row with a header repeated on each page."""

from __future__ import annotations

import io

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import cm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

from .data import MeasurementRow, MeasurementsReport
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
from .paged_table import PagedTable
from .summary_table import characteristics_table

PAGE = landscape(A4)
CONTENT_WIDTH = content_width(PAGE)
TABLE_FONT_SIZE = 7.5
CELL_PADDING = 3
# (heading key, width in cm, right-aligned)
COLUMNS = (
    ("ID", 1.4, True), ("time", 3.2, False), ("serial", 2.5, False), ("lot", 2.2, False),
    ("characteristic", 4.5, False), ("value", 2.0, True), ("unit", 1.1, False), ("deviation", 1.8, True),
    ("result", 2.5, False), ("operator", 2.3, False), ("station", 2.0, False), ("Ver.", 0.8, True),
)
RESULT_COLUMN = 8
MAX_DESCRIPTION = 160


def render_measurements_report(report: MeasurementsReport) -> bytes:
    """The report as PDF bytes (A4 landscape)."""
    t = Translator(report.context.language)
    st = styles()
    buffer = io.BytesIO()
    title = t("measurements_title")
    subtitle = f"{report.recipe_code} – {report.recipe_name}"
    doc = report_document(buffer, PAGE, f"{title} {report.recipe_code}", title, report.context.generated_by)
    story = [
        Paragraph(f"{_esc(title)}: {_esc(subtitle)}", st["h1"]),
        _info(report, t, st),
        Spacer(1, 0.3 * cm),
        Paragraph(t("summary"), st["h2"]),
        _summary(report, t),
    ]
    if report.characteristics:
        story += [Paragraph(t("by_characteristic"), st["h2"]), characteristics_table(report.characteristics, t, st),
                  Paragraph(_esc(t("cpk_note")), st["small"])]
    if not report.detail:
        story.append(Paragraph(_esc(t("detail_off", limit=report.detail_limit)), st["small"]))
        doc.build(story, canvasmaker=numbered_canvas(page_decorator(report.context, title, subtitle, t)))
        return buffer.getvalue()
    notes = []
    if len(report.rows) < report.total:
        notes.append(t("detail_limit", limit=report.detail_limit, shown=len(report.rows), total=report.total))
    if any(row.corrected for row in report.rows):
        notes.append(f"* {t('corrected')}")
    story += [Paragraph(t("measurements"), st["h2"])]
    story += [Paragraph(_esc(note), st["small"]) for note in notes]
    story += [_table(report.rows, t, st)]
    corrected = [row for row in report.rows if row.corrected]
    if corrected:  # what was replaced, by whom and why, under the table
        story.append(Paragraph(t("corrections"), st["h2"]))
        story += [Paragraph(_esc(t("correction_line", id=row.id, serial=row.serial or "–", marker=row.marker_number,
                                   old=t.number(row.superseded_value), new=t.number(row.value),
                                   who=row.operator or "–", why=row.correction_reason or "–")), st["small"])
                  for row in corrected]
    doc.build(story, canvasmaker=numbered_canvas(page_decorator(report.context, title, subtitle, t)))
    return buffer.getvalue()


def _esc(text: str | None) -> str:
    return (text or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _info(report: MeasurementsReport, t: Translator, st) -> Table:
    cell = st["cell"]
    filters = t.filters(report.filters)
    period = f"{t.when(report.period[0])} – {t.when(report.period[1])} UTC"
    rows = [
        [Paragraph(f"<b>{t('recipe')}</b>", cell),
         Paragraph(_esc(f"{report.recipe_code} – {report.recipe_name}"), cell)],
        [Paragraph(f"<b>{t('period')}</b>", cell), Paragraph(_esc(period), cell)],
        [Paragraph(f"<b>{t('filters')}</b>", cell), Paragraph(_esc(filters), cell)],
    ]
    table = Table(rows, colWidths=[3.0 * cm, CONTENT_WIDTH - 3.0 * cm])
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.4, GRID), ("BACKGROUND", (0, 0), (0, -1), LIGHT_BG),
                               ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]))
    return table


def _percent(count: int, total: int, t: Translator) -> str:
    return f"{t.number(100.0 * count / total if total else 0.0, 1)} %"


def _summary(report: MeasurementsReport, t: Translator) -> Table:
    """Counts and percentages of pass, warning and fail over the whole selection."""
    rows = [[t("result"), t("count"), t("percentage")]]
    style = []
    for i, judgment in enumerate(("pass", "warning", "fail"), start=1):
        count = report.counts.get(judgment, 0)
        rows.append([t(judgment), str(count), _percent(count, report.total, t)])
        style += [("BACKGROUND", (0, i), (0, i), RESULT_COLOURS[judgment]),
                  ("TEXTCOLOR", (0, i), (0, i), RESULT_TEXT_COLOURS[judgment])]
    rows.append([t("total"), str(report.total), _percent(report.total, report.total, t)])
    table = Table(rows, colWidths=[4.0 * cm, 2.5 * cm, 2.5 * cm], hAlign="LEFT")
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), FONT, 8), ("FONT", (0, 0), (-1, 0), FONT_BOLD, 8),
        ("FONT", (0, -1), (-1, -1), FONT_BOLD, 8), ("FONT", (0, 1), (0, -2), FONT_BOLD, 8),
        ("BACKGROUND", (0, 0), (-1, 0), HEAD_BG), ("TEXTCOLOR", (0, 0), (-1, 0), colors.white),
        ("GRID", (0, 0), (-1, -1), 0.4, GRID), ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
        ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2), *style,
    ]))
    return table


def _fit(text: str | None, width_cm: float, st):
    """A plain string when it fits on one line (fast), else a wrapping paragraph (never cut off)."""
    text = text or "–"
    if stringWidth(text, FONT, TABLE_FONT_SIZE) <= width_cm * cm - 2 * CELL_PADDING:
        return text
    return Paragraph(_esc(text), st["cell"])


def _row_cells(row: MeasurementRow, t: Translator, st) -> list:
    widths = [w for _, w, _ in COLUMNS]
    description = row.description or ""
    if len(description) > MAX_DESCRIPTION:  # a row must never outgrow a page
        description = description[:MAX_DESCRIPTION].rstrip() + "…"
    characteristic = f"#{row.marker_number} {description}".strip()
    value = t.number(row.value) + (" *" if row.corrected else "")
    return [
        str(row.id), t.when(row.measured_at), _fit(row.serial, widths[2], st), _fit(row.lot, widths[3], st),
        _fit(characteristic, widths[4], st), value, row.unit or "", t.number(row.deviation),
        t.result(row.result), _fit(row.operator, widths[9], st), _fit(row.station, widths[10], st),
        str(row.version_number) if row.version_number is not None else "–",
    ]


def _table(rows: list[MeasurementRow], t: Translator, st) -> PagedTable:
    """The rows over as many pages as needed, the header row repeated on each."""
    header = [key if key in ("ID", "Ver.") else t(key) for key, _, _ in COLUMNS]
    style = [
        ("FONT", (0, 0), (-1, -1), FONT, TABLE_FONT_SIZE), ("FONT", (0, 0), (-1, 0), FONT_BOLD, TABLE_FONT_SIZE),
        ("BACKGROUND", (0, 0), (-1, 0), HEAD_BG), ("TEXTCOLOR", (0, 0), (-1, 0), colors.white),
        ("GRID", (0, 0), (-1, -1), 0.3, GRID), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING), ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("FONT", (RESULT_COLUMN, 1), (RESULT_COLUMN, -1), FONT_BOLD, TABLE_FONT_SIZE),
    ]
    style += [("ALIGN", (i, 0), (i, -1), "RIGHT") for i, (_, _, right) in enumerate(COLUMNS) if right]

    def result_colours(index: int, position: int) -> list:
        result = rows[index].result
        if result not in RESULT_COLOURS:
            return []
        cell = (RESULT_COLUMN, position)
        return [("BACKGROUND", cell, cell, RESULT_COLOURS[result]),
                ("TEXTCOLOR", cell, cell, RESULT_TEXT_COLOURS[result])]

    data = [_row_cells(row, t, st) for row in rows]
    return PagedTable(header, data, [w * cm for _, w, _ in COLUMNS], style, result_colours)
