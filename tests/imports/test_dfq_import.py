"""AQDEF DFQ files (and DFD/DFX pairs) imported over HTTP: runs and judged values, idempotent, all or nothing."""

from __future__ import annotations

from tests.measurements.helpers import add, call, start_run

from .helpers import file_bytes, upload


def test_a_dfq_file_becomes_judged_runs(client, operator, metrologist):
    answer = upload(client, operator, "dfq", file_bytes("housing.dfq"), "housing.dfq").json()
    assert answer["format"] == "dfq" and answer["recipe"]["code"] == "HOUSING-CMM"
    assert answer["characteristics"]["created"] == ["1", "2", "3"]
    runs = {r["serial_number"]: r for r in answer["runs"]}
    # H-100: bore distance 85.06 beyond 85 + 0.05 (K2113); H-101 inside every limit.
    assert (runs["H-100"]["status"], runs["H-101"]["status"]) == ("fail", "pass")
    assert runs["H-100"]["lot_number"] == "LOT-44" and runs["H-100"]["started_at"].startswith("2026-03-02T07:30")
    recipe = call(client, operator, "GET", f"/recipes/{answer['recipe']['id']}", 200).json()
    subtasks = {s["label"]: s for t in recipe["current_version"]["tasks"] for s in t["subtasks"]}
    assert (subtasks["2"]["ltl"], subtasks["2"]["utl"], subtasks["2"]["description"]) == (84.95, 85.05, "Bore distance")
    rows = call(client, metrologist, "GET", f"/measurements/?run_id={runs['H-101']['id']}", 200).json()["items"]
    assert {r["input_method"] for r in rows} == {"dfq"} and sorted(r["value"] for r in rows) == [0.018, 61.995, 84.99]
    again = upload(client, operator, "dfq", file_bytes("housing.dfq")).json()
    assert again["duplicate"] is True and again["runs"] == answer["runs"]


def test_a_dfd_with_its_dfx_values(client, operator):
    answer = upload(client, operator, "dfq", file_bytes("pin.dfd"), "pin.dfd", expected=None)
    # The description alone is a plan: a draft for a Maker, not an operator.
    assert answer.status_code == 403
    res = client.post("/api/imports/dfq", headers=operator.headers, files={
        "file": ("pin.dfd", file_bytes("pin.dfd"), "text/plain"),
        "values_file": ("pin.dfx", file_bytes("pin.dfx"), "text/plain")})
    assert res.status_code == 200, res.text
    answer = res.json()
    assert answer["recipe"]["code"] == "PIN-CMM" and len(answer["runs"]) == 2
    # Comma decimals (7,99) read as numbers; the value flagged 255 is left out and said so.
    statuses = sorted((r["values"], r["status"]) for r in answer["runs"])
    assert statuses == [(1, "fail"), (2, "pass")]  # 8.013 is beyond 8.01
    assert answer["skipped"] == [{"what": "value 2 of 2", "reason": "the file marks the value invalid (attribute 255/256)"}]


def test_an_exported_dfq_imports_back(client, plans, operator, metrologist):
    plan = plans.recipe([{"nominal": 10.0, "ltl": 9.9, "utl": 10.1}, {"nominal": 20.0, "ltl": 19.5, "utl": 20.5}])
    station = plans.station("ST-1")
    run = start_run(client, operator, plan, station, serial="SN-E", lot="L-E")
    add(client, operator, run["id"], plan.subtask_ids[0], 10.05)
    add(client, operator, run["id"], plan.subtask_ids[1], 20.7)
    body = call(client, metrologist, "GET", f"/measurements/export/dfq?recipe_id={plan.recipe_id}", 200).content
    answer = upload(client, operator, "dfq", body, recipe_code="COPY-DFQ").json()
    assert [(r["serial_number"], r["lot_number"], r["status"]) for r in answer["runs"]] == [("SN-E", "L-E", "fail")]
    copy = call(client, operator, "GET", f"/recipes/{answer['recipe']['id']}", 200).json()
    limits = [(s["nominal"], s["ltl"], s["utl"]) for t in copy["current_version"]["tasks"] for s in t["subtasks"]]
    assert limits == [(10.0, 9.9, 10.1), (20.0, 19.5, 20.5)]


def test_a_file_that_is_not_aqdef_is_refused(client, operator):
    assert "not a K-field" in upload(client, operator, "dfq", b"K0100 1\r\nKXYZ nonsense\r\n", expected=422).json()["detail"]
    assert "neither a K-field" in upload(client, operator, "dfq", b"hello world\r\n", expected=422).json()["detail"]
    bad = file_bytes("housing.dfq").replace(b"K0001/3 0.018", b"K0001/3 abc")
    assert "'abc' is not a number" in upload(client, operator, "dfq", bad, expected=422).json()["detail"]
    assert call(client, operator, "GET", "/recipes?search=HOUSING", 200).json()["total"] == 0


def test_a_file_of_several_parts_lands_each_part_on_its_recipe(client, operator, metrologist):
    answer = upload(client, operator, "dfq", file_bytes("gearbox_parts.dfq"), "gearbox_parts.dfq").json()
    parts = {p["recipe"]["code"]: p for p in answer["parts"]}
    assert sorted(parts) == ["COVER-CMM", "SHAFT-CMM"] and answer["recipe"]["code"] == "SHAFT-CMM"
    assert (parts["SHAFT-CMM"]["measurements"], parts["COVER-CMM"]["measurements"]) == (4, 2)
    runs = {r["serial_number"]: r for r in answer["runs"]}
    # SH-2's bearing seat 35.02 is beyond 35.01; the cover's values are inside its limits.
    assert {s: (r["status"], r["values"]) for s, r in runs.items()} == {
        "SH-1": ("pass", 2), "SH-2": ("fail", 2), "CV-1": ("pass", 2)}
    assert set(parts["COVER-CMM"]["run_ids"]) == {runs["CV-1"]["id"]} and answer["measurements"] == 6
    cover = call(client, operator, "GET", f"/recipes/{parts['COVER-CMM']['recipe']['id']}", 200).json()
    subtasks = {s["label"]: s for t in cover["current_version"]["tasks"] for s in t["subtasks"]}
    # Characteristics 3 and 4 of the file are the cover's 1 and 2; K2142/0 gave both their unit.
    assert {k: (s["description"], s["ltl"], s["utl"], s["unit"]) for k, s in subtasks.items()} == {
        "1": ("Bore", 71.98, 72.03, "mm"), "2": ("Flange thickness", 7.9, 8.1, "mm")}
    rows = call(client, metrologist, "GET", f"/measurements/?run_id={runs['CV-1']['id']}", 200).json()["items"]
    assert sorted(r["value"] for r in rows) == [8.05, 72.01]
    again = upload(client, operator, "dfq", file_bytes("gearbox_parts.dfq")).json()
    assert again["duplicate"] is True and again["runs"] == answer["runs"]
    # One recipe cannot take the parts of two: naming one is refused and stores nothing.
    named = file_bytes("gearbox_parts.dfq").replace(b"SH-1", b"SH-9")
    assert "2 parts" in upload(client, operator, "dfq", named, recipe_code="SHAFT-CMM", expected=422).json()["detail"]


def test_a_dfd_of_several_parts_with_its_dfx_values(client, operator):
    res = client.post("/api/imports/dfq", headers=operator.headers, files={
        "file": ("parts.dfd", file_bytes("parts.dfd"), "text/plain"),
        "values_file": ("parts.dfx", file_bytes("parts.dfx"), "text/plain")})
    assert res.status_code == 200, res.text
    answer = res.json()
    parts = {p["recipe"]["code"]: p for p in answer["parts"]}
    assert sorted(parts) == ["SLEEVE-CMM", "WASHER-CMM"]
    assert (parts["SLEEVE-CMM"]["measurements"], parts["WASHER-CMM"]["measurements"]) == (4, 2)
    by_part = {code: sorted(r["status"] for r in answer["runs"] if r["id"] in p["run_ids"]) for code, p in parts.items()}
    # The second sleeve's bore 20.03 is beyond 20.02; both washers are inside 2.95..3.05.
    assert by_part == {"SLEEVE-CMM": ["fail", "pass"], "WASHER-CMM": ["pass", "pass"]}
    assert {r["lot_number"] for r in answer["runs"]} == {"LOT-S"}
