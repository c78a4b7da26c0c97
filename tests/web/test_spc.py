"""The metrologist's screens against the real statistics, reports and export routes."""

from __future__ import annotations

import io
import json
import re
import time

import pytest
from pypdf import PdfReader

from .helpers import assign, make_recipe

VALUES = [10.0, 10.1, 9.9, 10.05, 9.95, 10.3, 9.6, 10.02, 9.98, 10.6]


@pytest.fixture
def measured(client, maker, admin, operator):
    """A recipe whose first characteristic was measured on ten parts."""
    recipe = make_recipe(client, maker.headers, code="SPC-1", per_task=2, drawing=False)
    assign(client, admin.headers, recipe["id"])
    subtask = recipe["current_version"]["tasks"][0]["subtasks"][0]
    for n, value in enumerate(VALUES):
        run = client.post("/api/runs", json={"recipe_id": recipe["id"], "serial_number": f"SN{n}", "lot_number": "L1",
                                             "station_code": "ST-DEFAULT"}, headers=operator.headers).json()
        stored = client.post(f"/api/runs/{run['id']}/measurements", json={"subtask_id": subtask["id"], "value": value},
                             headers=operator.headers)
        assert stored.status_code == 201, stored.text
    return recipe, subtask


@pytest.fixture
def metro_web(signed_in, metrologist):
    return signed_in(metrologist)


def embedded(page: str, element_id: str) -> dict:
    return json.loads(re.search(rf'<script type="application/json" id="{element_id}">(.*?)</script>', page, re.S).group(1))


def test_dashboard_shows_kpis_capability_and_chart_data(metro_web, measured):
    recipe, subtask = measured
    page = metro_web.get(f"/spc/?recipe_id={recipe['id']}&subtask_id={subtask['id']}").get_data(as_text=True)
    assert 'data-testid="kpi-count">10<' in page
    assert 'id="capability"' in page and "cap-" in page
    data = embedded(page, "spc-data")
    assert len(data["control"]["points"]) == len(VALUES)
    assert [p["y"] for p in data["control"]["points"]] == VALUES
    assert sum(data["histogram"]["frequencies"]) == len(VALUES)
    assert "/static/vendor/plotly.min.js" in page


def test_dashboard_filters_by_serial_and_chart_kind(metro_web, measured):
    recipe, subtask = measured
    page = metro_web.get(f"/spc/?recipe_id={recipe['id']}&subtask_id={subtask['id']}&serial_number=SN3").get_data(as_text=True)
    assert 'data-testid="kpi-count">1<' in page
    xbar = metro_web.get(f"/spc/?recipe_id={recipe['id']}&subtask_id={subtask['id']}&chart=xbar_r&subgroup_size=2")
    data = embedded(xbar.get_data(as_text=True), "spc-data")
    assert data["control"]["chart"] == "xbar_r" and len(data["control"]["points"]) == 5


def test_bad_filter_shows_readable_error(metro_web, measured):
    recipe, subtask = measured
    response = metro_web.get(f"/spc/?recipe_id={recipe['id']}&subtask_id={subtask['id']}&n_bins=1000")
    assert response.status_code == 422
    assert "banner error" in response.get_data(as_text=True)


def test_downloads_stream_from_the_api(metro_web, measured):
    recipe, subtask = measured
    query = f"recipe_id={recipe['id']}&subtask_id={subtask['id']}"
    csv = metro_web.get(f"/spc/download/measurements.csv?{query}")
    assert csv.status_code == 200 and "text/csv" in csv.headers["Content-Type"]
    assert csv.data.decode("utf-8-sig").count("\n") == len(VALUES) + 1
    xlsx = metro_web.get(f"/spc/download/measurements.xlsx?{query}")
    assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"
    pdf = metro_web.get(f"/spc/download/measurements.pdf?{query}")
    assert pdf.status_code == 200 and pdf.data[:5] == b"%PDF-"
    assert "attachment" in pdf.headers["Content-Disposition"]
    summary_pages = PdfReader(io.BytesIO(pdf.data)).pages
    detailed = metro_web.get(f"/spc/download/measurements-detail.pdf?{query}")
    assert detailed.status_code == 200
    detailed_text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(detailed.data)).pages)
    assert "Serial" in detailed_text and "Serial" not in "".join(page.extract_text() for page in summary_pages)
    report = metro_web.get(f"/spc/download/spc.pdf?{query}&chart=imr")
    assert report.status_code == 200 and report.data[:5] == b"%PDF-"


def test_download_without_recipe_is_explained(metro_web):
    response = metro_web.get("/spc/download/spc.pdf")
    assert response.status_code == 422


def test_measurement_table_filters(metro_web, measured):
    recipe, _ = measured
    page = metro_web.get(f"/spc/measurements?recipe_id={recipe['id']}&pass_fail=fail").get_data(as_text=True)
    rows = re.findall(r'<span class="tag fail">', page)
    assert len(rows) == 1 and "10.6" in page  # only 10.6 is beyond the tolerance 9.5..10.5
    all_rows = metro_web.get(f"/spc/measurements?recipe_id={recipe['id']}").get_data(as_text=True)
    assert all_rows.count("<tr><td class=\"nowrap\">") == len(VALUES)


def test_yield_and_pareto(metro_web, measured):
    page = metro_web.get("/spc/yield").get_data(as_text=True)
    data = embedded(page, "production-data")
    assert data["yields"]["total"]["devices"] == len(VALUES)
    assert 'id="chart-pareto"' in page


def test_dashboard_lists_the_characteristics_alarms_with_their_reaction(metro_web, measured, client, metrologist):
    recipe, subtask = measured
    found = client.get("/api/alarms", params={"subtask_id": subtask["id"], "kind": "tolerance"},
                       headers=metrologist.headers).json()["items"]
    assert found  # 10.6 is beyond the upper tolerance
    closed = client.post(f"/api/alarms/{found[0]['id']}/acknowledge", headers=metrologist.headers,
                         json={"cause": "tool_wear", "action": "Insert changed, offset corrected"})
    assert closed.status_code == 200, closed.text
    page = metro_web.get(f"/spc/?recipe_id={recipe['id']}&subtask_id={subtask['id']}").get_data(as_text=True)
    table = page.split('data-testid="alarm-table"')[1].split("</table>")[0]
    assert f"#{found[0]['id']}" in table and "Insert changed, offset corrected" in table
    assert "Tool wear" in table


def test_dashboard_shows_every_interval_and_the_chosen_distribution(metro_web, measured):
    recipe, subtask = measured
    query = f"recipe_id={recipe['id']}&subtask_id={subtask['id']}"
    page = metro_web.get(f"/spc/?{query}").get_data(as_text=True)
    intervals = re.search(r'<table id="intervals".*?</table>', page, re.S).group(0)
    for label in ("Cp", "Cpu", "Cpl", "Cpk", "Cpm", "Pp", "Ppu", "Ppl", "Ppk", "Ppm"):
        assert f"<td>{label}</td>" in intervals
    assert "One-sided lower 95%" in intervals and 'data-testid="sample-warning"' in page
    weibull = metro_web.get(f"/spc/?{query}&distribution=weibull").get_data(as_text=True)
    assert "Weibull (2-parameter)" in weibull and "ISO 22514-2" in weibull
    curve = embedded(weibull, "spc-data")["histogram"]["fitted_curve"]
    assert curve["distribution"] == "weibull" and len(curve["x"]) == len(curve["y"]) > 0


def test_dashboard_draws_a_short_run_family(metro_web, measured, client, operator):
    recipe, subtask = measured
    other = recipe["current_version"]["tasks"][0]["subtasks"][1]
    for n in range(4):
        run = client.post("/api/runs", json={"recipe_id": recipe["id"], "serial_number": f"FAM{n}",
                                             "station_code": "ST-DEFAULT"}, headers=operator.headers).json()
        stored = client.post(f"/api/runs/{run['id']}/measurements",
                             json={"subtask_id": other["id"], "value": other["nominal"] + 0.01 * n},
                             headers=operator.headers)
        assert stored.status_code == 201, stored.text
    page = metro_web.get(f"/spc/?recipe_id={recipe['id']}&subtask_id={subtask['id']}&chart=zmr"
                         f"&family={other['id']}").get_data(as_text=True)
    control = embedded(page, "spc-data")["control"]
    assert control["chart"] == "zmr" and control["points_total"] == len(VALUES) + 4
    assert {p["member_subtask_id"] for p in control["points"]} == {subtask["id"], other["id"]}
    assert 'data-testid="family"' in page


def test_dashboard_speaks_italian_about_distributions_and_intervals(signed_in, client, metrologist, measured):
    recipe, subtask = measured
    client.put("/api/auth/me", json={"language_pref": "it", "display_name": "Maria Bianchi"},
               headers=metrologist.headers)
    page = signed_in(metrologist).get(f"/spc/?recipe_id={recipe['id']}&subtask_id={subtask['id']}",
                                      headers={"Accept-Language": "it"}).get_data(as_text=True)
    assert "Distribuzione" in page and "Inferiore unilaterale 95%" in page


def test_italian_dashboard_says_why_figures_are_missing_in_italian(metro_web, client, maker, admin, operator):
    # Three equal values: no normality test (fewer than 8), no capability index (zero spread).
    recipe = make_recipe(client, maker.headers, code="SPC-IT", per_task=1, drawing=False)
    assign(client, admin.headers, recipe["id"])
    subtask = recipe["current_version"]["tasks"][0]["subtasks"][0]
    for n in range(3):
        run = client.post("/api/runs", json={"recipe_id": recipe["id"], "serial_number": f"IT{n}",
                                             "station_code": "ST-DEFAULT"}, headers=operator.headers).json()
        stored = client.post(f"/api/runs/{run['id']}/measurements", json={"subtask_id": subtask["id"], "value": 10.0},
                             headers=operator.headers)
        assert stored.status_code == 201, stored.text
    metro_web.post("/preferences", {"lang": "it", "back": "/spc/"})
    page = metro_web.get(f"/spc/?recipe_id={recipe['id']}&subtask_id={subtask['id']}").get_data(as_text=True)
    assert "richiede almeno 8 valori, ricevuti 3" in page
    assert 'title="dispersione nulla: tutti i valori sono uguali"' in page
    shown = re.sub(r'<script type="application/json".*?</script>', "", page, flags=re.S)
    assert "needs at least" not in shown and "zero spread" not in shown


def test_italian_pages_word_alarms_in_italian(metro_web, client, maker, admin, operator, metrologist):
    recipe = make_recipe(client, maker.headers, code="SPC-ALARM-IT", per_task=1, drawing=False)
    assign(client, admin.headers, recipe["id"])
    version = recipe["current_version"]
    subtask = version["tasks"][0]["subtasks"][0]
    low, high = subtask["ltl"], subtask["utl"]
    middle = (low + high) / 2
    # A steady series, then a value inside the tolerance far beyond 3 sigma (a run rule), then one outside it.
    values = [middle + (high - low) * 0.002 * ((i * 7) % 5 - 2) for i in range(30)]
    values += [middle + (high - low) * 0.3, high + (high - low)]
    for i, value in enumerate(values):
        sent = client.post("/api/measurements/batch", headers=operator.headers, json={"measurements": [{
            "subtask_id": subtask["id"], "version_id": version["id"], "value": value, "serial_number": f"AL-{i}"}]})
        assert sent.status_code == 200, sent.text
    for _ in range(100):
        found = client.get("/api/alarms", params={"subtask_id": subtask["id"]}, headers=metrologist.headers).json()
        if {a["kind"] for a in found["items"]} >= {"tolerance", "rule"}:
            break
        time.sleep(0.1)
    assert {a["kind"] for a in found["items"]} >= {"tolerance", "rule"}, found
    outside = next(a for a in found["items"] if a["kind"] == "tolerance")["value"]
    metro_web.post("/preferences", {"lang": "it", "back": "/spc/"})
    page = metro_web.get(f"/spc/?recipe_id={recipe['id']}&subtask_id={subtask['id']}").get_data(as_text=True)
    table = page.split('data-testid="alarm-table"')[1].split("</table>")[0]
    assert f"Valore {outside:g} fuori tolleranza".replace(".", ",") in table
    assert "Regola 1: 1 punto a più di 3 sigma dalla linea centrale" in table
    assert "out of tolerance" not in table and "sigma from the centre line" not in table
    listed = metro_web.get("/alarms").get_data(as_text=True)
    assert "Regola 1: 1 punto a più di 3 sigma" in listed and "Fuori tolleranza" in listed
