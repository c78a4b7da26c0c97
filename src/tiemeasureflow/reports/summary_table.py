"""The measurement report's summary by characteristic: n, min, max, mean, Cpk and fails per balloon."""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.units import cm
from reportlab.platypus import Paragraph, Table, TableStyle

from .i18n import Translator
from .layout import BAND_COLOURS, FONT, FONT_BOLD, GRID, HEAD_BG, RESULT_COLOURS
from .spc_pdf import band

# (heading key or text, width in cm)
COLUMNS = (("balloon", 1.6), ("characteristic", 7.6), ("unit", 1.4), ("lower", 2.0), ("upper", 2.0), ("n", 1.6),
           ("minimum", 2.2), ("maximum", 2.2), ("mean", 2.2), ("Cpk", 1.6), ("fails", 1.8))
UNTRANSLATED = ("n", "Cpk")


def characteristics_table(figures: list, t: Translator, st) -> Table:
    """One row per characteristic; Cpk coloured by its band, fails highlighted."""
    header = [key if key in UNTRANSLATED else t(key) for key, _ in COLUMNS]
    rows = [header]
    style = [("FONT", (0, 0), (-1, -1), FONT, 7.5), ("FONT", (0, 0), (-1, 0), FONT_BOLD, 7.5),
             ("FONT", (0, 1), (0, -1), FONT_BOLD, 7.5),
             ("BACKGROUND", (0, 0), (-1, 0), HEAD_BG), ("TEXTCOLOR", (0, 0), (-1, 0), colors.white),
             ("GRID", (0, 0), (-1, -1), 0.4, GRID), ("ALIGN", (3, 1), (-1, -1), "RIGHT"),
             ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
             ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]
    for i, f in enumerate(figures, start=1):
        rows.append([f.label, Paragraph(_esc(f.description[:200]), st["cell"]), f.unit, t.number(f.ltl),
                     t.number(f.utl), str(f.n), t.number(f.minimum), t.number(f.maximum), t.number(f.mean),
                     t.number(f.cpk, 2), str(f.fails)])
        rating = band(f.cpk)
        if rating:
            style.append(("BACKGROUND", (9, i), (9, i), BAND_COLOURS[rating]))
        if f.fails:
            style.append(("BACKGROUND", (10, i), (10, i), RESULT_COLOURS["fail"]))
    table = Table(rows, colWidths=[w * cm for _, w in COLUMNS], repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle(style))
    return table


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
