"""AS9102 Rev C Forms 1-3 as PDF (reportlab): fields 1-4 on every page, Form 3 one row per balloon, drawings last."""

from __future__ import annotations

import io
from datetime import datetime
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from ..reports.layout import (
    FONT,
    FONT_BOLD,
    GRID,
    HEAD_BG,
    LIGHT_BG,
    RESULT_TEXT_COLOURS,
    numbered_canvas,
    register_fonts,
)
from .content import FaiContent
from .drawing import Sheet, SheetFlowable

PAGE = landscape(A4)
MARGIN = 1.2 * cm
HEAD = 3.0 * cm  # title line and the fields 1-4 band
TITLES = {
    "form1": "Form 1 – Part Number Accountability",
    "form2": "Form 2 – Product Accountability: Materials, Special Processes and Functional Testing",
    "form3": "Form 3 – Characteristic Accountability, Verification and Compatibility Evaluation",
    "drawing": "Ballooned drawing",
}
FORM3_HEAD = ("5. Char. No.", "6. Reference Location", "7. Characteristic Designator", "8. Requirement",
              "9. Results", "10. Designed / Qualified Tooling", "11. Nonconformance Number",
              "12. Additional Data / Comments")
FORM3_WIDTHS = (1.7, 4.6, 2.0, 3.6, 4.0, 4.0, 3.0, 4.4)  # the page's 27.3 cm; results fit a full double
FORM2_HEAD = ("5. Material or Process Name", "6. Specification Number", "7. Code", "8. Supplier",
              "9. Customer Approval Verification", "10. Certificate of Conformance Number",
              "11. Functional Test Procedure Number", "12. Acceptance Report Number", "13. Comments")
FORM2_FIELDS = ("material_or_process", "specification", "code", "supplier", "customer_approval",
                "certificate_number", "functional_test", "acceptance_report", "comments")
FORM2_WIDTHS = (3.4, 3.0, 2.2, 2.8, 2.8, 2.9, 2.9, 2.9, 4.4)  # the page's 27.3 cm


def _styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    cell = ParagraphStyle("cell", fontName=FONT, fontSize=7.5, leading=9)
    return {"cell": cell, "head": ParagraphStyle("head", parent=cell, fontName=FONT_BOLD, fontSize=7, leading=8.5,
                                                 textColor=colors.white),
            "label": ParagraphStyle("label", parent=cell, fontSize=6.5, leading=8, textColor=colors.HexColor("#555555")),
            "value": ParagraphStyle("value", parent=cell, fontName=FONT_BOLD, fontSize=8.5, leading=10.5)}


def _decorator(forms: FaiContent):
    """Title, fields 1-4 and the page count on every page, drawn once the count is known."""
    fields = (("1. Part Number", forms.part_number), ("2. Part Name", forms.part_name),
              ("3. Serial Number", forms.serial_number), ("4. FAIR Identifier", forms.report_number))

    def decorate(canvas, page: int, pages: int) -> None:
        width, height = PAGE
        top = height - MARGIN
        canvas.setFillColor(HEAD_BG)
        canvas.setFont(FONT_BOLD, 11)
        canvas.drawString(MARGIN, top - 0.4 * cm, "AS9102 Rev C · " + TITLES[getattr(canvas, "fai_form", "form1")])
        canvas.setFont(FONT, 8)
        canvas.setFillColor(colors.black)
        canvas.drawRightString(width - MARGIN, top - 0.4 * cm, f"{forms.organisation}   Page {page} of {pages}".strip())
        box_top, box_h = top - 0.7 * cm, 1.3 * cm
        cell_w = (width - 2 * MARGIN) / 4
        canvas.setStrokeColor(GRID)
        for i, (label, value) in enumerate(fields):
            x = MARGIN + i * cell_w
            canvas.setFillColor(LIGHT_BG)
            canvas.rect(x, box_top - box_h, cell_w, box_h, stroke=1, fill=1)
            canvas.setFillColor(colors.HexColor("#555555"))
            canvas.setFont(FONT, 7)
            canvas.drawString(x + 0.2 * cm, box_top - 0.38 * cm, label)
            canvas.setFillColor(colors.black)
            canvas.setFont(FONT_BOLD, 10)
            canvas.drawString(x + 0.2 * cm, box_top - 0.95 * cm, value[:60])

    return decorate


def _mark(form: str):
    def on_page(canvas, doc) -> None:
        canvas.fai_form = form  # kept with the page's state; the decorator reads it at save
    return on_page


def _grid(rows, widths, style_extra=(), header_rows=1) -> Table:
    table = Table(rows, colWidths=[w * cm for w in widths], repeatRows=header_rows, hAlign="LEFT")
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.4, GRID), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("BACKGROUND", (0, 0), (-1, header_rows - 1), HEAD_BG), *style_extra]))
    return table


def _field(st, label: str, value: str):
    return [Paragraph(escape(label), st["label"]), Paragraph(escape(value) or "&nbsp;", st["value"])]


def _when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC") if moment else ""


def form1(forms: FaiContent, signature: dict | None, st) -> list:
    """Form 1: the part, the drawing, full or partial, and the signature that locks the report."""
    box = lambda on: "☒" if on else "☐"  # noqa: E731
    partial = forms.kind == "partial"
    scope = ", ".join(r.number for r in forms.rows)
    kind = (f"{box(not partial)} Full FAI   {box(partial)} Partial FAI"
            + (f" (baseline revision {forms.baseline_revision})" if partial else ""))
    nc = any(r.verdict == "fail" for r in forms.rows)
    signer = f"{signature['name']} ({signature['meaning']})" if signature else ""
    verified = signature and signature["meaning"] == "Verified"
    sign_date = _when(signature["signed_at"]) if signature else ""
    comments = "\n".join(x for x in (forms.comments, f"Characteristics in scope: {scope}" if partial else "",
                                     f"Signed content SHA-256: {signature['content_sha256']}" if signature else "") if x)
    w = (PAGE[0] - 2 * MARGIN) / cm / 4
    rows = [
        [_field(st, "5. Part Revision Level", ""), _field(st, "6. Drawing Number", forms.drawing_number),
         _field(st, "7. Drawing Revision Level", forms.drawing_revision), _field(st, "8. Additional Changes", "")],
        [_field(st, "9. Manufacturing Process Reference", forms.manufacturing_reference),
         _field(st, "10. Organization Name", forms.organisation), _field(st, "11. Supplier Code", ""),
         _field(st, "12. P.O. Number", forms.po_number)],
        [_field(st, "13. Detail FAI / Assembly FAI", "☒ Detail FAI   ☐ Assembly FAI"),
         _field(st, "14. Full FAI / Partial FAI", kind), "", ""],
        [_field(st, "Reason for partial FAI" if partial else "Reason", forms.reason), "", "", ""],
        [_field(st, "15.–18. Index of part numbers or sub-assembly numbers", "Not applicable: detail part"), "", "", ""],
        [_field(st, "19. Does the FAIR contain a documented nonconformance?", "Yes" if nc else "No"),
         _field(st, "20. FAIR Verified By", signer if verified else ""),
         _field(st, "21. Date", sign_date if verified else ""),
         _field(st, "22. FAIR Reviewed / Approved By", "" if verified else signer)],
        [_field(st, "23. Date", "" if verified else sign_date), _field(st, "24. Customer Approval", ""),
         _field(st, "25. Date", ""), _field(st, "Status", "Complete" if signature else "Open: not signed")],
        [[Paragraph("26. Comments", st["label"]),
          Paragraph(escape(comments).replace("\n", "<br/>") or "&nbsp;", st["cell"])], "", "", ""],
    ]
    table = Table(rows, colWidths=[w * cm] * 4)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.4, GRID), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("SPAN", (1, 2), (3, 2)), ("SPAN", (0, 3), (3, 3)), ("SPAN", (0, 4), (3, 4)),
                               ("SPAN", (0, 7), (3, 7)), ("BOTTOMPADDING", (0, 0), (-1, -1), 5)]))
    return [table]


def form2(forms: FaiContent, st) -> list:
    """Form 2: the user's entries, then blank rows up to five."""
    rows = [[Paragraph(h, st["head"]) for h in FORM2_HEAD]]
    for entry in forms.form2:
        rows.append([Paragraph(escape(entry[f]), st["cell"]) for f in FORM2_FIELDS])
    rows += [[""] * len(FORM2_HEAD) for _ in range(max(0, 5 - len(forms.form2)))]
    return [_grid(rows, FORM2_WIDTHS, [("ROWHEIGHT", (0, 1), (-1, -1), 0.8 * cm)])]


def form3(forms: FaiContent, st) -> list:
    """Form 3: one row per characteristic in balloon order; nonconforming results in red."""
    rows = [[Paragraph(h, st["head"]) for h in FORM3_HEAD]]
    extra = []
    for i, r in enumerate(forms.rows, start=1):
        cells = (r.number, r.location, r.designator, r.requirement, r.results or "no result", r.tooling, r.nc_number,
                 r.comment)
        rows.append([Paragraph(escape(c), st["cell"]) for c in cells])
        if r.verdict == "fail":
            extra.append(("BACKGROUND", (4, i), (4, i), colors.HexColor("#ffc7ce")))
        elif r.verdict is None:
            extra.append(("TEXTCOLOR", (4, i), (4, i), RESULT_TEXT_COLOURS["warning"]))
    return [_grid(rows, FORM3_WIDTHS, extra)]


def render(forms: FaiContent, signature: dict | None, sheets: list[Sheet]) -> bytes:
    """The whole report: Form 1, Form 2, Form 3, then the ballooned drawing pages."""
    st = _styles()
    buffer = io.BytesIO()
    width, height = PAGE
    frame = Frame(MARGIN, MARGIN, width - 2 * MARGIN, height - 2 * MARGIN - HEAD, id="body",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc = BaseDocTemplate(buffer, pagesize=PAGE, title=f"FAIR {forms.report_number}", author=forms.organisation,
                          pageTemplates=[PageTemplate(id=f, frames=[frame], onPage=_mark(f)) for f in TITLES])
    story: list = [*form1(forms, signature, st), NextPageTemplate("form2"), PageBreak(), *form2(forms, st),
                   NextPageTemplate("form3"), PageBreak(), *form3(forms, st)]
    for sheet in sheets:
        story += [NextPageTemplate("drawing"), PageBreak(), Paragraph(escape(sheet.title), st["value"]),
                  Spacer(1, 0.2 * cm), SheetFlowable(sheet, frame._width, frame._height - 0.8 * cm)]
    doc.build(story, canvasmaker=numbered_canvas(_decorator(forms)))
    return buffer.getvalue()
