"""AS9102 Rev C Forms 1-3 as a workbook (openpyxl): one sheet per form, fields 1-4 at the top of each."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .content import FaiContent
from .forms_pdf import FORM2_FIELDS, FORM2_HEAD, FORM3_HEAD, TITLES

BOLD = Font(bold=True)
HEAD_FILL = PatternFill("solid", fgColor="1F4E79")
HEAD_FONT = Font(bold=True, color="FFFFFF")
NC_FILL = PatternFill("solid", fgColor="FFC7CE")


def _header(ws, forms: FaiContent, title: str) -> None:
    """Title in row 1, fields 1-4 labels in row 2 and values in row 3, identical on every sheet."""
    ws.append([f"AS9102 Rev C · {title}"])
    ws["A1"].font = Font(bold=True, size=12)
    ws.append(["1. Part Number", "2. Part Name", "3. Serial Number", "4. FAIR Identifier"])
    ws.append([forms.part_number, forms.part_name, forms.serial_number, forms.report_number])
    for cell in ws[3]:
        cell.font = BOLD
    ws.append([])


def _table(ws, head: tuple[str, ...], rows: list[list[str]], widths: tuple[int, ...]) -> int:
    ws.append(list(head))
    head_row = ws.max_row
    for cell in ws[head_row]:
        cell.fill, cell.font = HEAD_FILL, HEAD_FONT
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        ws.append(row)
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    return head_row


def render(forms: FaiContent, signature: dict | None) -> bytes:
    """The workbook's bytes."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Form 1"
    _header(ws, forms, TITLES["form1"])
    partial = forms.kind == "partial"
    signed = (f"{signature['name']} ({signature['meaning']})", signature["signed_at"].strftime("%Y-%m-%d %H:%M UTC")
              ) if signature else ("", "")
    verified = bool(signature) and signature["meaning"] == "Verified"
    for label, value in (
        ("5. Part Revision Level", ""), ("6. Drawing Number", forms.drawing_number),
        ("7. Drawing Revision Level", forms.drawing_revision), ("8. Additional Changes", ""),
        ("9. Manufacturing Process Reference", forms.manufacturing_reference),
        ("10. Organization Name", forms.organisation), ("11. Supplier Code", ""), ("12. P.O. Number", forms.po_number),
        ("13. Detail FAI / Assembly FAI", "Detail FAI"),
        ("14. Full FAI / Partial FAI", f"Partial FAI (baseline revision {forms.baseline_revision})" if partial
         else "Full FAI"),
        ("Reason", forms.reason),
        ("15.–18. Index of part numbers", "Not applicable: detail part"),
        ("19. Documented nonconformance", "Yes" if any(r.verdict == "fail" for r in forms.rows) else "No"),
        ("20. FAIR Verified By", signed[0] if verified else ""), ("21. Date", signed[1] if verified else ""),
        ("22. FAIR Reviewed / Approved By", "" if verified else signed[0]),
        ("23. Date", "" if verified else signed[1]), ("24. Customer Approval", ""), ("25. Date", ""),
        ("26. Comments", "\n".join(x for x in (
            forms.comments, "Characteristics in scope: " + ", ".join(r.number for r in forms.rows) if partial else "",
            f"Signed content SHA-256: {signature['content_sha256']}" if signature else "") if x)),
    ):
        ws.append([label, value])
        ws.cell(ws.max_row, 1).font = BOLD
    ws.column_dimensions["A"].width, ws.column_dimensions["B"].width = 36, 60
    ws.column_dimensions["C"].width, ws.column_dimensions["D"].width = 20, 20

    ws = wb.create_sheet("Form 2")
    _header(ws, forms, TITLES["form2"])
    _table(ws, FORM2_HEAD, [[e[f] for f in FORM2_FIELDS] for e in forms.form2], (24, 20, 10, 20, 20, 20, 20, 20, 30))

    ws = wb.create_sheet("Form 3")
    _header(ws, forms, TITLES["form3"])
    head_row = _table(ws, FORM3_HEAD, [[r.number, r.location, r.designator, r.requirement, r.results, r.tooling,
                                        r.nc_number, r.comment] for r in forms.rows], (10, 30, 14, 18, 18, 24, 16, 30))
    for offset, r in enumerate(forms.rows, start=1):
        if r.verdict == "fail":
            ws.cell(head_row + offset, 5).fill = NC_FILL
    ws.freeze_panes = ws.cell(head_row + 1, 1)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
