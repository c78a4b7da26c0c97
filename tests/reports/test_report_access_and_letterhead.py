"""Who may download reports, the company letterhead, and the station filter."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image
from pypdf import PdfReader

from tests.fixtures.roles import check_route
from tests.reports.conftest import read_pdf

SVG_LOGO = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>'


@pytest.fixture
def measured(shop) -> dict:
    """A recipe with a few values of its first characteristic."""
    plan = shop.recipe()
    subtask = plan["subtasks"][0]
    shop.measure(plan["version_id"], subtask["id"], [10.0, 10.1, 9.9, 10.05, 9.95, 10.3])
    return {"recipe_id": plan["recipe_id"], "subtask_id": subtask["id"]}


@pytest.mark.parametrize("kind", ["spc", "measurements"])
def test_only_metrologists_download_reports(client, role_users, measured, kind):
    seen = check_route(client, role_users, "GET", f"/api/reports/{kind}", {"metrologist"}, params=measured)
    assert seen["metrologist"] == 200


def _png_logo() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (300, 100), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def _set_company(client, admin, name: str, logo: tuple[str, bytes, str] | None) -> None:
    res = client.put("/api/settings/", headers=admin.headers, json={"company_name": name})
    assert res.status_code == 200, res.text
    if logo:
        res = client.post("/api/settings/logo", headers=admin.headers, files={"file": logo})
        assert res.status_code == 200, res.text


def _images_on_first_page(response) -> int:
    return len(PdfReader(io.BytesIO(response.content)).pages[0].images)


def test_raster_logo_and_company_name_head_every_page(client, admin, shop, measured):
    _set_company(client, admin, "Officine Rossi S.p.A.", ("logo.png", _png_logo(), "image/png"))
    res = shop.report("measurements", recipe_id=measured["recipe_id"])
    pdf = read_pdf(res)
    assert "Officine Rossi S.p.A." in pdf.pages[0]
    assert _images_on_first_page(res) == 1  # the logo (this report has no charts)
    spc = read_pdf(shop.report("spc", **measured))
    assert all("Officine Rossi S.p.A." in page for page in spc.pages)


def test_svg_logo_shows_the_company_name_only(client, admin, shop, measured):
    _set_company(client, admin, "Officine Rossi S.p.A.", ("logo.svg", SVG_LOGO, "image/svg+xml"))
    res = shop.report("measurements", recipe_id=measured["recipe_id"])
    assert "Officine Rossi S.p.A." in read_pdf(res).pages[0]
    assert _images_on_first_page(res) == 0


def test_no_company_settings_still_gives_a_report(shop, measured):
    res = shop.report("measurements", recipe_id=measured["recipe_id"])
    assert "Measurement report" in read_pdf(res).pages[0]
    assert _images_on_first_page(res) == 0


def test_station_filter_selects_the_runs_taken_there(shop, plans, measured):
    plans.station("ST-LATHE", name="Lathe bay")
    run = shop.call(shop.operator, "POST", "/runs", 201, json={
        "recipe_id": measured["recipe_id"], "serial_number": "ST-PART-1", "lot_number": "LOT-9",
        "station_code": "ST-LATHE"})
    shop.call(shop.operator, "POST", f"/runs/{run['id']}/measurements", 201,
              json={"measurements": [{"subtask_id": measured["subtask_id"], "value": 10.02}]})
    pdf = read_pdf(shop.report("measurements", recipe_id=measured["recipe_id"], station_code="ST-LATHE", detail="true"))
    assert re.findall(r"(?:SN|ST-PART)-\d+", pdf.text) == ["ST-PART-1"]
    assert "Station: ST-LATHE – Lathe bay" in pdf.text
    assert re.search(r"Total\s+1\s+100\.0 %", pdf.text)
    spc = read_pdf(shop.report("spc", **measured, station_code="ST-LATHE"))
    assert "n = 1" in spc.pages[0] and "Station: ST-LATHE – Lathe bay" in spc.pages[0]
    assert shop.report("measurements", recipe_id=measured["recipe_id"], station_code="NOPE").status_code == 404
