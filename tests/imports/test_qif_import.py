"""QIF 3.0 results and plans imported over HTTP: runs judged by our rules, idempotent, all or nothing."""

from __future__ import annotations

from sqlalchemy import func, select

from tests.measurements.helpers import call
from tiemeasureflow.models import ImportRecord, Measurement, Run

from .helpers import file_bytes, upload


def _count(app, model) -> int:
    with app.state.sessionmaker() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_results_become_one_judged_run_per_part(client, operator):
    answer = upload(client, operator, "qif", file_bytes("flange_results.qif"), "flange.qif").json()
    assert answer["kind"] == "results" and answer["duplicate"] is False
    assert answer["recipe"]["code"] == "FLANGE-CMM" and answer["recipe"]["created"] is True
    # The hole measured twice on each part is two characteristics, 6 and 6#2.
    assert answer["characteristics"]["created"] == ["1", "3", "5", "6", "6#2", "7"]
    runs = {r["serial_number"]: r for r in answer["runs"]}
    assert set(runs) == {"SN-Q1", "SN-Q2"} and answer["measurements"] == 12
    # SN-Q1: 6#2 = 11.15 beyond 11 + 0.1; SN-Q2: 1 = 110.2 beyond 110 + 0.15.
    assert runs["SN-Q1"]["status"] == "fail" and runs["SN-Q2"]["status"] == "fail"
    # The file called SN-Q2's flatness 0.03 a pass; its zone is 0.02, so our rules say fail.
    assert answer["disagreements"] == [{"serial_number": "SN-Q2", "label": "5", "value": 0.03,
                                        "file_status": "pass", "judgment": "fail"}]
    recipe = call(client, operator, "GET", f"/recipes/{answer['recipe']['id']}", 200).json()
    subtasks = {s["label"]: s for t in recipe["current_version"]["tasks"] for s in t["subtasks"]}
    assert (subtasks["1"]["nominal"], subtasks["1"]["ltl"], subtasks["1"]["utl"]) == (110.0, 109.85, 110.15)
    assert (subtasks["3"]["ltl"], subtasks["3"]["utl"]) == (11.95, 12.05)  # given as limits
    assert (subtasks["5"]["measurement_type"], subtasks["5"]["ltl"], subtasks["5"]["utl"]) == ("flatness", None, 0.02)
    assert (subtasks["7"]["unit"], subtasks["7"]["measurement_type"]) == ("°", "angle")
    run = call(client, operator, "GET", f"/runs/{runs['SN-Q1']['id']}", 200).json()
    assert run["source"] == "qif" and run["status"] == "fail"


def test_values_are_stored_with_the_qif_input_method(client, operator, metrologist):
    answer = upload(client, operator, "qif", file_bytes("flange_results.qif")).json()
    run_id = {r["serial_number"]: r["id"] for r in answer["runs"]}["SN-Q1"]
    rows = call(client, metrologist, "GET", f"/measurements/?run_id={run_id}", 200).json()["items"]
    assert {r["input_method"] for r in rows} == {"qif"}
    assert sorted(r["value"] for r in rows) == sorted([110.05, 12.02, 0.015, 11.02, 11.15, 45.2])
    judged = {r["value"]: r["pass_fail"] for r in rows}
    assert judged[11.15] == "fail" and judged[11.02] == "pass"


def test_the_same_file_twice_stores_nothing_new(client, operator):
    first = upload(client, operator, "qif", file_bytes("flange_results.qif")).json()
    before = _count(client.app, Measurement), _count(client.app, Run)
    again = upload(client, operator, "qif", file_bytes("flange_results.qif")).json()
    assert again["duplicate"] is True and again["runs"] == first["runs"]
    assert again["import_id"] == first["import_id"]
    assert (_count(client.app, Measurement), _count(client.app, Run)) == before


def test_a_second_file_for_the_part_lands_on_the_same_recipe(client, operator):
    first = upload(client, operator, "qif", file_bytes("flange_results.qif")).json()
    other = file_bytes("flange_results.qif").replace(b"5d1f7a8e-3c0b-4c51-9a55-1f2e6b7c8d90",
                                                    b"0b7e9d3c-1a2f-4e6d-8c5b-9a8f7e6d5c4b")
    second = upload(client, operator, "qif", other).json()
    assert second["recipe"] == {**first["recipe"], "created": False}
    assert second["characteristics"] == {"created": [], "matched": ["1", "3", "5", "6", "6#2", "7"]}
    # The same serials again: their second attempts.
    assert {r["attempt"] for r in second["runs"]} == {2}


def test_a_malformed_or_foreign_file_is_refused_and_nothing_is_stored(client, operator):
    broken = file_bytes("flange_results.qif")[:-40]
    assert "not well-formed" in upload(client, operator, "qif", broken, expected=422).json()["detail"]
    foreign = b'<?xml version="1.0"?><Report xmlns="urn:other"><Value>1</Value></Report>'
    assert "not a QIF 3 document" in upload(client, operator, "qif", foreign, expected=422).json()["detail"]
    bomb = (b'<?xml version="1.0"?><!DOCTYPE q [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
            b'<QIFDocument xmlns="http://qifstandards.org/xsd/qif3">&b;</QIFDocument>')
    assert upload(client, operator, "qif", bomb, expected=422).status_code == 422
    # A value that is not a number, deep inside an otherwise good file: the whole import is refused.
    bad_value = file_bytes("flange_results.qif").replace(b"<Value>10.95</Value>", b"<Value>ten</Value>")
    assert "'ten' is not a number" in upload(client, operator, "qif", bad_value, expected=422).json()["detail"]
    assert (_count(client.app, Run), _count(client.app, ImportRecord)) == (0, 0)
    assert call(client, operator, "GET", "/recipes?search=FLANGE-CMM", 200).json()["total"] == 0


def test_an_upload_may_name_its_recipe(client, operator, plans):
    plan = plans.recipe()  # balloons 1 and 2
    answer = upload(client, operator, "qif", file_bytes("flange_results.qif"), recipe_id=plan.recipe_id).json()
    assert answer["recipe"] == {"id": plan.recipe_id, "code": plan.code, "created": False}
    assert answer["characteristics"] == {"created": [], "matched": ["1"]}
    skipped = {s["what"] for s in answer["skipped"]}
    assert {"SN-Q1: 3", "SN-Q1: 6#2", "SN-Q2: 7"} <= skipped
    assert all("no characteristic" in s["reason"] for s in answer["skipped"])
    assert answer["measurements"] == 2
    named = upload(client, operator, "qif", file_bytes("flange_results.qif").replace(b"5d1f7a8e", b"6d1f7a8e"),
                   recipe_code="CMM-FLANGE-B").json()
    assert named["recipe"]["code"] == "CMM-FLANGE-B" and named["recipe"]["created"] is True
    assert upload(client, operator, "qif", file_bytes("flange_results.qif").replace(b"5d1f7a8e", b"7d1f7a8e"),
                  recipe_id=999_999,
                  expected=404).json()["detail"] == "Recipe not found"


def test_roles(client, factory):
    nobody = factory.user()
    upload(client, nobody, "qif", file_bytes("flange_results.qif"), expected=403)


def test_imported_runs_are_filterable_by_source(client, factory, operator, plans):
    upload(client, operator, "qif", file_bytes("flange_results.qif"))
    upload(client, operator, "dfq", file_bytes("housing.dfq"))
    station_plan = plans.recipe()
    run = call(client, operator, "POST", "/runs", 201, json={
        "recipe_id": station_plan.recipe_id, "serial_number": "SN-S", "station_code": plans.station("ST-S")}).json()
    call(client, operator, "POST", f"/runs/{run['id']}/measurements", 201,
         json={"subtask_id": station_plan.subtask_ids[0], "value": 10.0})
    serials = {source: sorted(r["serial_number"] for r in call(client, operator, "GET", f"/runs?source={source}", 200)
                              .json()["items"]) for source in ("qif", "dfq", "station")}
    assert serials == {"qif": ["SN-Q1", "SN-Q2"], "dfq": ["H-100", "H-101"], "station": ["SN-S"]}
    key = factory.key("integration")
    public = client.get("/integration/api/v1/test_run", params={"source": "qif"}, headers={"X-API-KEY": key})
    assert public.status_code == 200, public.text
    items = public.json()
    assert sorted(r["serial_number"] for r in items) == ["SN-Q1", "SN-Q2"] and {r["source"] for r in items} == {"qif"}
    assert {r["status"] for r in items} == {"fail"}
    duts = client.get("/integration/api/v1/tested_dut", params={"source": "dfq"},
                      headers={"X-API-KEY": key}).json()
    assert sorted(d["serial_number"] for d in duts) == ["H-100", "H-101"]
    h100 = next(d for d in duts if d["serial_number"] == "H-100")
    failed = client.get(f"/integration/api/v1/test_run/{h100['test_run_id']}/failed_case", headers={"X-API-KEY": key})
    assert failed.status_code == 200, failed.text
    # H-100's bore distance 85.06 is beyond 85.05: its one failed case.
    assert [(c["status"], c["measurements"][0]["value"], c["measurements"][0]["upper_limit"])
            for c in failed.json()] == [("fail", 85.06, 85.05)]


def test_an_idempotency_key_replays_the_first_answer(client, operator):
    first = upload(client, operator, "qif", file_bytes("flange_results.qif"), headers={"Idempotency-Key": "cmm-1"})
    again = upload(client, operator, "qif", file_bytes("flange_results.qif"), headers={"Idempotency-Key": "cmm-1"})
    assert again.headers.get("Idempotent-Replayed") == "true" and again.json() == first.json()
    other = file_bytes("flange_results.qif").replace(b"5d1f7a8e", b"8d1f7a8e")
    upload(client, operator, "qif", other, headers={"Idempotency-Key": "cmm-1"}, expected=409)
