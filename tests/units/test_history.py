"""A device's history: every run in time order from stations and HardPy stands, agreeing with tested_dut."""

from __future__ import annotations

from urllib.parse import quote

from tests.measurements.helpers import call
from tests.public_api.conftest import hardpy_report


def measured_device(station_runs, uploader, operator, client):
    """SN-9 of one recipe: a HardPy test (earliest), a failed station run, then a corrected passing one."""
    plan = station_runs.plan(code="SHAFT-42")
    station = station_runs.station("Bench U")
    failed = station_runs.run(plan, station, "SN-9", (10.7, 20.0))
    second = station_runs.run(plan, station, "SN-9", (10.3, 20.1), finish=False)
    call(client, operator, "POST", f"/runs/{second['id']}/measurements", 201,
         json={"subtask_id": plan.subtask_ids[0], "value": 10.1, "reason": "Burr removed"})
    passed = call(client, operator, "POST", f"/runs/{second['id']}/finish", 200, json={}).json()
    stand = uploader(hardpy_report("SN-9", part_number="SHAFT-42", status="failed", failed_case=True))
    assert stand.status_code == 201, stand.text
    return plan, failed, passed, stand.json()["test_run_id"]


def test_the_history_lists_every_run_in_time_order(client, station_runs, uploader, operator, metrologist, reader):
    plan, failed, passed, stand_run = measured_device(station_runs, uploader, operator, client)
    history = call(client, metrologist, "GET", "/units/SHAFT-42/SN-9", 200).json()
    runs = history["runs"]
    assert [r["id"] for r in runs] == [stand_run, failed["id"], passed["id"]]
    assert [r["source"] for r in runs] == ["hardpy", "station", "station"]
    assert [r["status"] for r in runs] == ["fail", "fail", "pass"]
    # The failure of each run: a characteristic out of tolerance, a HardPy case.
    assert [(f["balloon"], f["value"], f["utl"]) for f in runs[1]["failed"]] == [("1", 10.7, 10.5)]
    assert runs[0]["failed"][0]["name"] == "Quiescent current"
    assert runs[0]["failed"][0]["message"] == "Iq 12.5 mA above 10 mA"
    assert runs[2]["failed"] == []
    # The correction of the second station run and the alarm of the failed one.
    [fix] = runs[2]["corrections"]
    assert (fix["balloon"], fix["superseded_value"], fix["value"], fix["reason"]) == ("1", 10.3, 10.1, "Burr removed")
    assert fix["corrected_by"] == "Operator"
    assert [a["kind"] for a in runs[1]["alarms"]] and runs[2]["alarms"] == [] and runs[0]["alarms"] == []
    assert runs[1]["recipe_code"] == "SHAFT-42" and runs[1]["station"] and runs[0]["station"] == "EOL stand 1"
    assert all(r["report_url"] == f"/api/runs/{r['id']}/report.pdf" for r in runs)
    assert history["fais"] == [] and history["last_status"] == "pass"
    for run in runs:  # every linked report answers
        assert client.get(run["report_url"], headers=metrologist.headers).status_code == 200


def test_attempts_agree_with_the_public_api(client, station_runs, uploader, operator, metrologist, reader):
    measured_device(station_runs, uploader, operator, client)
    history = call(client, operator, "GET", "/units/SHAFT-42/SN-9", 200).json()
    [dut] = reader("/tested_dut", part_number="SHAFT-42", serial_number="SN-9").json()
    assert history["attempt_count"] == dut["attempt_count"] == 3
    for run in history["runs"]:
        assert run["attempt"] == reader(f"/test_run/{run['id']}").json()["number_of_attempt"]
    assert sorted(r["attempt"] for r in history["runs"]) == [1, 2, 3]


def test_a_serial_finds_its_devices_and_odd_serials_work(client, station_runs, uploader, operator, metrologist):
    plan = station_runs.plan(code="SHAFT-43")
    station = station_runs.station("Bench V")
    station_runs.run(plan, station, "A/7 x", (10.0, 20.0))
    uploader(hardpy_report("A/7 x", part_number="PCB-7"))
    found = call(client, metrologist, "GET", "/units", 200, params={"serial_number": "A/7 x"}).json()
    assert sorted(d["part_number"] for d in found) == ["PCB-7", "SHAFT-43"]
    assert all(d["attempt_count"] == 1 for d in found)
    history = call(client, metrologist, "GET", f"/units/SHAFT-43/{quote('A/7 x', safe='')}", 200).json()
    assert history["serial_number"] == "A/7 x" and len(history["runs"]) == 1
    assert call(client, metrologist, "GET", "/units", 200, params={"serial_number": "nobody"}).json() == []


def test_unknown_devices_and_roles(client, station_runs, uploader, operator, maker, metrologist):
    missing = call(client, metrologist, "GET", "/units/SHAFT-42/none", 404).json()
    assert missing["detail"] == "No run of this part number and serial number"
    call(client, maker, "GET", "/units/SHAFT-42/none", 403)
    call(client, None, "GET", "/units/SHAFT-42/none", 401)
    call(client, metrologist, "GET", "/units", 422)
