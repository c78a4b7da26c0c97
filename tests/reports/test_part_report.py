"""The per-part inspection report: balloon order, limits, signed deviations, gauges, corrections, plant time."""

from __future__ import annotations

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pypdfium2 as pdfium
from PIL import Image, ImageDraw

from tests.measurements.helpers import call
from tests.reports.conftest import read_pdf

# Balloon 3 is listed first in the payload: the report follows the balloons, not the payload.
CHARACTERISTICS = [
    {"marker_number": 3, "description": "Thread pitch", "measurement_type": "length",
     "nominal": 1.5, "utl": 1.55, "ltl": 1.45, "unit": "mm"},
    {"marker_number": 1, "description": "Bore diameter", "measurement_type": "diameter",
     "nominal": 10.0, "utl": 10.5, "uwl": 10.2, "lwl": 9.8, "ltl": 9.5, "unit": "mm"},
    {"marker_number": 2, "description": "Overall length", "measurement_type": "length",
     "nominal": 50.0, "utl": 50.4, "ltl": 49.6, "unit": "mm"},
]


FAIL_FILL, PASS_FILL = (255, 199, 206), (198, 239, 206)


def around(bitmap, x: float, y: float) -> set:
    """The colours within 8 pixels of a point given as fractions of the image."""
    cx, cy = round(bitmap.width * x), round(bitmap.height * y)
    return {bitmap.getpixel((cx + dx, cy + dy)) for dx in range(-8, 9) for dy in range(-8, 9)}


def drawing_png() -> bytes:
    """A small drawing: a shaft outline on white."""
    image = Image.new("RGB", (800, 400), "white")
    ImageDraw.Draw(image).rectangle((100, 150, 700, 250), outline="black", width=4)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def build_part(client, maker, operator, metrologist, admin, plans):
    """A ballooned plan measured once: a warning, a correction with a gauge, a fail."""
    call(client, admin, "PUT", "/settings/", 200, json={"plant_timezone": "Europe/Rome"})
    call(client, metrologist, "POST", "/gauges", 201, json={"code": "CAL-7", "name": "Caliper", "kind": "caliper"})
    stored = client.post("/api/files/upload", headers=maker.headers,
                         files={"file": ("shaft.png", drawing_png(), "image/png")})
    assert stored.status_code == 200, stored.text
    recipe = call(client, maker, "POST", "/recipes", 201, json={"code": "SHAFT-9", "name": "Drive shaft"}).json()
    balloons = [{"marker_number": 1, "x": 0.2, "y": 0.3}, {"marker_number": 2, "x": 0.5, "y": 0.7},
                {"marker_number": 3, "x": 0.8, "y": 0.3}]
    task = call(client, maker, "POST", f"/recipes/{recipe['id']}/tasks", 201, json={
        "title": "Turning", "file_id": stored.json()["id"], "file_type": "image", "annotations_json": balloons,
        "subtasks": CHARACTERISTICS}).json()
    ids = {s["marker_number"]: s["id"] for s in task["subtasks"]}
    # A second task numbers its balloons from 1 again: the plan labels its balloon 4.
    call(client, maker, "POST", f"/recipes/{recipe['id']}/tasks", 201, json={"title": "Grinding", "subtasks": [
        {"marker_number": 1, "description": "Surface finish", "measurement_type": "length", "utl": 0.8,
         "unit": "um"}]})
    station = plans.station("ST-R")
    run = call(client, operator, "POST", "/runs", 201, json={
        "recipe_id": recipe["id"], "serial_number": "SN-77", "lot_number": "L-5", "station_code": station}).json()
    url = f"/runs/{run['id']}/measurements"
    call(client, operator, "POST", url, 201, json={"subtask_id": ids[1], "value": 10.3, "gauge_code": "CAL-7"})
    call(client, operator, "POST", url, 201, json={"subtask_id": ids[1], "value": 10.25, "gauge_code": "CAL-7",
                                                  "reason": "Caliper slipped"})
    call(client, operator, "POST", url, 201, json={"subtask_id": ids[2], "value": 50.5})
    call(client, operator, "POST", url, 201, json={"subtask_id": ids[3], "value": 1.52})
    finished = call(client, operator, "POST", f"/runs/{run['id']}/finish", 200,
                    json={"allow_incomplete": True}).json()
    return recipe, finished


def rome(iso: str) -> str:
    """An API time as the report prints it in English, in the plant's zone."""
    local = datetime.fromisoformat(iso.replace("Z", "+00:00")).astimezone(ZoneInfo("Europe/Rome"))
    return f"{local:%Y-%m-%d %H:%M:%S} {local.tzname()}"


def test_the_report_lists_every_characteristic_in_balloon_order_with_its_verdict(
        client, maker, operator, metrologist, admin, plans):
    recipe, run = build_part(client, maker, operator, metrologist, admin, plans)
    call(client, metrologist, "PUT", "/auth/me", 200, json={"language_pref": "en"})
    res = client.get(f"/api/runs/{run['id']}/report.pdf", headers=metrologist.headers)
    pdf = read_pdf(res)
    assert len(pdf.pages) == 1
    text = " ".join(pdf.text.split())
    rows = ["1 Bore diameter", "2 Overall length", "3 Thread pitch", "4 Surface finish"]
    assert sorted(rows, key=text.index) == rows
    # Limits, value, signed deviation, verdict and gauge of each characteristic.
    assert "1 Bore diameter [mm] 10 9.5 10.5 10.25 * +0.25 Warning CAL-7" in text
    assert "2 Overall length [mm] 50 49.6 50.4 50.5 +0.5 Fail" in text
    assert "3 Thread pitch [mm] 1.5 1.45 1.55 1.52 +0.02 Pass" in text
    assert "4 Surface finish [µm] – – 0.8 – – not measured –" in text
    # The correction: superseded value, who, why.
    assert "Balloon 1: 10.3 replaced by 10.25, by" in text and "Caliper slipped" in text
    # Operator, station, times in the plant's zone, result.
    assert "ST-R" in text and "SN-77" in text and "L-5" in text and "Fail" in text
    assert rome(run["started_at"]) in text and rome(run["finished_at"]) in text
    assert "Times in the plant's time zone (Europe/Rome)." in text
    assert "Drawing: Turning" in text


def test_the_ballooned_drawing_is_drawn_with_the_verdict_colours(client, maker, operator, metrologist, admin, plans):
    _, run = build_part(client, maker, operator, metrologist, admin, plans)
    res = client.get(f"/api/runs/{run['id']}/report.pdf", headers=operator.headers)
    assert res.status_code == 200 and res.headers["content-disposition"].startswith("inline")
    document = pdfium.PdfDocument(res.content)
    page = document[0]
    images = [obj for obj in page.get_objects() if obj.type == pdfium.raw.FPDF_PAGEOBJ_IMAGE]
    assert len(images) == 1
    bitmap = images[0].get_bitmap().to_pil().convert("RGB")
    # Balloon 2 (failed) sits at 50 % / 70 % of the drawing: its fill is the fail colour; balloon 3 passed.
    assert FAIL_FILL in around(bitmap, 0.5, 0.7) and PASS_FILL not in around(bitmap, 0.5, 0.7)
    assert PASS_FILL in around(bitmap, 0.8, 0.3) and FAIL_FILL not in around(bitmap, 0.8, 0.3)


def test_the_report_is_in_italian_by_default_and_guarded(client, maker, operator, metrologist, admin, plans):
    _, run = build_part(client, maker, operator, metrologist, admin, plans)
    call(client, operator, "PUT", "/auth/me", 200, json={"language_pref": "it"})
    text = " ".join(read_pdf(client.get(f"/api/runs/{run['id']}/report.pdf", headers=operator.headers)).text.split())
    assert "Rapporto di collaudo" in text and "10,25 *" in text and "Non conforme" in text
    assert client.get(f"/api/runs/{run['id']}/report.pdf", headers=maker.headers).status_code == 403
    assert client.get(f"/api/runs/{run['id']}/report.pdf").status_code == 401
    missing = client.get("/api/runs/00000000-0000-4000-8000-000000000000/report.pdf", headers=operator.headers)
    assert missing.status_code == 404 and missing.json()["detail"] == "Run not found"


def drawing_pdf() -> bytes:
    """A two-page PDF drawing: a title page, then the part."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=landscape(A4))
    page.drawString(100, 400, "Title sheet")
    page.showPage()
    page.rect(100, 150, 600, 200)
    page.showPage()
    page.save()
    return buffer.getvalue()


def test_a_pdf_drawing_shows_the_page_that_carries_the_balloons(client, maker, operator, metrologist, plans):
    stored = client.post("/api/files/upload", headers=maker.headers,
                         files={"file": ("shaft.pdf", drawing_pdf(), "application/pdf")})
    assert stored.status_code == 200, stored.text
    recipe = call(client, maker, "POST", "/recipes", 201, json={"code": "PDF-1", "name": "Drawn shaft"}).json()
    task = call(client, maker, "POST", f"/recipes/{recipe['id']}/tasks", 201, json={
        "title": "Turning", "file_id": stored.json()["id"], "file_type": "pdf",
        "annotations_json": [{"marker_number": 1, "x": 0.5, "y": 0.5, "page": 2}],
        "subtasks": [CHARACTERISTICS[1]]}).json()
    assert len(task["file_pages"]) == 2
    run = call(client, operator, "POST", "/runs", 201, json={
        "recipe_id": recipe["id"], "serial_number": "P-1", "station_code": plans.station("ST-P")}).json()
    call(client, operator, "POST", f"/runs/{run['id']}/measurements", 201,
         json={"subtask_id": task["subtasks"][0]["id"], "value": 10.6})
    res = client.get(f"/api/runs/{run['id']}/report.pdf", headers=metrologist.headers)
    text = " ".join(read_pdf(res).text.split())
    assert "Drawing: Turning (2/2)" in text and "(1/2)" not in text
    page = pdfium.PdfDocument(res.content)[0]
    [image] = [obj for obj in page.get_objects() if obj.type == pdfium.raw.FPDF_PAGEOBJ_IMAGE]
    bitmap = image.get_bitmap().to_pil().convert("RGB")
    # The run is in progress and its one value failed: the balloon in the middle of page 2 is red.
    assert FAIL_FILL in around(bitmap, 0.5, 0.5)


def test_a_deviation_is_printed_to_the_decimals_of_its_value(client, maker, operator, metrologist, plans):
    # A CMM's unrounded value: the value shows six significant digits, the deviation the same decimals.
    recipe = call(client, maker, "POST", "/recipes", 201, json={"code": "FL-1", "name": "Flange"}).json()
    task = call(client, maker, "POST", f"/recipes/{recipe['id']}/tasks", 201, json={"title": "Faces", "subtasks": [
        {"marker_number": 1, "description": "Outer diameter", "measurement_type": "length", "nominal": 110.0,
         "utl": 110.15, "ltl": 109.85, "unit": "mm"},
        {"marker_number": 2, "description": "Bore", "measurement_type": "length", "nominal": 50.125,
         "utl": 50.2, "ltl": 50.0, "unit": "mm"}]}).json()
    ids = [s["id"] for s in sorted(task["subtasks"], key=lambda s: s["marker_number"])]
    run = call(client, operator, "POST", "/runs", 201, json={
        "recipe_id": recipe["id"], "serial_number": "SN-8", "station_code": plans.station("ST-F")}).json()
    for subtask, value in zip(ids, (110.03443355382058, 50.1), strict=True):
        call(client, operator, "POST", f"/runs/{run['id']}/measurements", 201, json={"subtask_id": subtask, "value": value})
    call(client, metrologist, "PUT", "/auth/me", 200, json={"language_pref": "en"})
    text = " ".join(read_pdf(client.get(f"/api/runs/{run['id']}/report.pdf", headers=metrologist.headers)).text.split())
    assert "1 Outer diameter [mm] 110 109.85 110.15 110.034 +0.034 Pass" in text
    # The nominal's decimals count too: 50.1 - 50.125 reads -0.025, not -0.03.
    assert "2 Bore [mm] 50.125 50 50.2 50.1 -0.025 Pass" in text
