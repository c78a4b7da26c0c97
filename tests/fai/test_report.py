"""The AS9102 forms read back: Form 3's rows from the PDF and the XLSX against the plan, fields 1-4 on every page."""

from __future__ import annotations

import io

import openpyxl
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen.canvas import Canvas

from . import pdftext
from .conftest import measure, subtasks

FORM3_HEADERS = ["5.", "6.", "7.", "8.", "9.", "10.", "11.", "12."]  # field numbers head Form 3's columns
VALUES = [24.99, 12.08, 0.012]  # the shoulder (balloon 2) is 0.03 over its 12.05 limit


def drawing_pdf() -> bytes:
    """A two-sheet drawing of our own: a shaft outline on sheet 1, a detail on sheet 2."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=landscape(A4))
    canvas.rect(100, 200, 600, 120)
    canvas.drawString(110, 340, "DRIVE SHAFT SH-100")
    canvas.showPage()
    canvas.circle(400, 300, 80)
    canvas.drawString(110, 340, "DETAIL A")
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def ballooned(engineer, client, shaft: dict) -> dict:
    """Attach the drawing to Turning with balloon 1 on sheet 1 and balloon 2 on sheet 2."""
    upload = client.post("/api/files/upload", headers=engineer.user.headers,
                         files={"file": ("sh100.pdf", drawing_pdf(), "application/pdf")},
                         data={"recipe_id": str(shaft["id"])})
    assert upload.status_code == 200, upload.text
    turning = shaft["current_version"]["tasks"][0]
    engineer.call("PUT", f"/tasks/{turning['id']}", 200, json={
        "file_id": upload.json()["id"], "file_type": "pdf",
        "annotations_json": [{"marker_number": 1, "x": 0.3, "y": 0.4}, {"marker_number": 2, "x": 0.7, "y": 0.2, "page": 2}]})
    return engineer.call("GET", f"/recipes/{shaft['id']}", 200).json()


def expected_rows(recipe: dict, values: list[float] = VALUES) -> list[list[str]]:
    """Form 3 as the plan says it: requirement as drawn, value with unit, gauge, NC number on the failing row."""
    # ISO 8x6 zones: (0.3, 0.4) lies in column 3, row C; (0.7, 0.2) in column 6, row B.
    locations = ["Turning / zone C3", "Turning / sheet 2 zone B6", "Grinding"]
    designators = {"critical": "Critical", "major": "Major", None: ""}
    requirement = {"Bearing seat": "Ø25 h7", "Shoulder length": "12.000 ±0.050", "Face flatness": "max 0.02"}
    rows = []
    for sub, location, value in zip(subtasks(recipe), locations, values, strict=False):
        failing = not (sub["ltl"] is None or sub["ltl"] <= value) or not (sub["utl"] is None or value <= sub["utl"])
        rows.append([sub["label"], location, designators[sub["characteristic_class"]], requirement[sub["description"]],
                     f"{value!r} {sub['unit']}", "CAL-07 Digital caliper 150", "NCR-0042" if failing else "",
                     "Shoulder long, MRB" if failing else ""])
    return rows


def signed_fai(engineer, client, operator, shaft, values: list[float] = VALUES) -> tuple[dict, dict]:
    recipe = ballooned(engineer, client, shaft)
    bearing = subtasks(recipe)[0]
    assert (bearing["nominal"], bearing["ltl"], bearing["utl"]) == (25.0, 24.979, 25.0)  # ISO 286-2: h7, 18-30 mm
    fai = engineer.call("POST", "/fai", 201, json={"recipe_id": recipe["id"], "version_number": 1,
                                                   "serial_number": "SN-100", "po_number": "PO-88"}).json()
    measure(client, operator, recipe, values, "SN-100", gauge="CAL-07")
    for sub in subtasks(recipe):  # a number on a conforming row is kept but never printed
        engineer.call("PUT", f"/fai/{fai['id']}/characteristics/{sub['characteristic_id']}", 200,
                      json={"nc_number": "NCR-0042", "comment": "Shoulder long, MRB"}
                      if sub["description"] == "Shoulder length" else {"nc_number": "NCR-IGNORED"})
    engineer.call("POST", f"/fai/{fai['id']}/form2", 201, json={"material_or_process": "42CrMo4 bar",
                                                                "specification": "EN 10083-3"})
    engineer.call("POST", f"/fai/{fai['id']}/complete", 200, json={"password": "correct-horse-battery",
                                                                   "meaning": "Approved"})
    return recipe, engineer.call("GET", f"/fai/{fai['id']}", 200).json()


def test_pdf_form3_rows_match_the_plan_and_fields_1_to_4_repeat(engineer, client, operator, shaft, admin):
    client.put("/api/settings", json={"company_name": "Officine Rossi"}, headers=admin.headers)
    recipe, fai = signed_fai(engineer, client, operator, shaft)
    res = engineer.call("GET", f"/fai/{fai['id']}/report.pdf", 200)
    assert res.headers["content-type"] == "application/pdf"
    texts = pdftext.pages(res.content)
    assert len(texts) == 5  # Forms 1, 2, 3 and the drawing's two sheets
    for text in texts:
        for field in ("1. Part Number", "SH-100", "2. Part Name", "Drive shaft", "3. Serial Number", "SN-100",
                      "4. FAIR Identifier", fai["report_number"]):
            assert field in text
    assert "Form 1" in texts[0] and "Officine Rossi" in texts[0] and "PO-88" in texts[0]
    assert "Quality (Approved)" in texts[0] and fai["signature"]["content_sha256"] in texts[0].replace("\r\n", "")
    assert "Form 2" in texts[1] and "42CrMo4 bar" in texts[1] and "EN 10083-3" in texts[1]
    assert "Form 3" in texts[2]
    assert pdftext.table(res.content, 2, FORM3_HEADERS) == expected_rows(recipe)
    assert "NCR-IGNORED" not in "".join(texts)
    # The drawing's sheets come as images; the balloons on them are text.
    assert "Turning, sheet 1 of 2\r\n1\r\n" in texts[3] and "Turning, sheet 2 of 2\r\n2\r\n" in texts[4]


def test_form3_prints_an_unrounded_result_whole_on_one_line(engineer, client, operator, shaft):
    # Values as a CMM computes them: every digit of the stored double, not broken across lines.
    values = [24.989876543210123, 12.080123456789012, 0.011987654321098765]
    recipe, fai = signed_fai(engineer, client, operator, shaft, values)
    pdf = engineer.call("GET", f"/fai/{fai['id']}/report.pdf", 200).content
    assert pdftext.table(pdf, 2, FORM3_HEADERS) == expected_rows(recipe, values)


def test_xlsx_holds_the_same_forms(engineer, client, operator, shaft):
    recipe, fai = signed_fai(engineer, client, operator, shaft)
    res = engineer.call("GET", f"/fai/{fai['id']}/report.xlsx", 200)
    assert res.headers["content-disposition"].endswith('.xlsx"')
    book = openpyxl.load_workbook(io.BytesIO(res.content))
    assert book.sheetnames == ["Form 1", "Form 2", "Form 3"]
    for sheet in book:
        assert [c.value for c in sheet[2]][:4] == ["1. Part Number", "2. Part Name", "3. Serial Number",
                                                   "4. FAIR Identifier"]
        assert [c.value for c in sheet[3]][:4] == ["SH-100", "Drive shaft", "SN-100", fai["report_number"]]
    form1 = {row[0]: row[1] for row in book["Form 1"].iter_rows(min_row=5, values_only=True)}
    assert form1["7. Drawing Revision Level"] == "1" and form1["19. Documented nonconformance"] == "Yes"
    assert form1["22. FAIR Reviewed / Approved By"] == "Quality (Approved)"
    rows = [[v or "" for v in row] for row in book["Form 3"].iter_rows(min_row=6, values_only=True)]
    assert [c.value for c in book["Form 3"][5]][0] == "5. Char. No."
    assert rows == expected_rows(recipe)
    form2 = list(book["Form 2"].iter_rows(min_row=6, values_only=True))
    assert form2[0][:2] == ("42CrMo4 bar", "EN 10083-3")


def test_an_open_fai_prints_what_it_has(engineer, client, shaft):
    fai = engineer.call("POST", "/fai", 201, json={"recipe_id": shaft["id"], "version_number": 1,
                                                   "serial_number": "SN-5"}).json()
    texts = pdftext.pages(engineer.call("GET", f"/fai/{fai['id']}/report.pdf", 200).content)
    assert len(texts) == 3 and "Open: not signed" in texts[0] and texts[2].count("no result") == 3
