"""POST /hardpy/api/v1/test_report: stored once, read back through the public API."""

from __future__ import annotations

import json
import uuid
from concurrent.futures import ThreadPoolExecutor

import anyio
import httpx
import sqlalchemy as sa

from tiemeasureflow.kit.db import unit_of_work
from tiemeasureflow.models import HardpyReport

from ..fixtures.app import make_settings
from .conftest import BASE_TIME, HARDPY, hardpy_report


def test_upload_answers_201_and_the_run_reads_back(uploader, reader):
    report = hardpy_report("PCB-1", failed_case=True, status="failed")
    res = uploader(report)
    assert res.status_code == 201, res.text
    run_id = res.json()["test_run_id"]
    run = reader(f"/test_run/{run_id}").json()
    assert run["source"] == "hardpy" and run["status"] == "fail" and run["marginal"] is False
    assert (run["part_number"], run["serial_number"]) == ("PCB-7", "PCB-1")
    assert run["test_plan_name"] == "PCB-7 functional test"
    assert (run["test_stand_name"], run["test_stand_hw_id"]) == ("EOL stand 1", "hw-0001")
    assert run["test_stand_info"]["location"] == "Line B" and run["test_stand_info"]["timezone"] == "Europe/Rome"
    assert run["dut_info"] == {"firmware_version": "1.2.3", "batch": 7, "lot_number": "BATCH-9"}
    assert run["test_run_artifact"] == {"firmware_image": "fw.bin"}
    assert (run["start_time"], run["stop_time"]) == ("2026-01-01T10:00:00Z", "2026-01-01T10:01:00Z")
    assert (run["duration"], run["duration_seconds"]) == ("PT1M", 60.0)
    assert run["number_of_attempt"] == 1


def test_failed_hardpy_cases_with_measurements(uploader, reader):
    run_id = uploader(hardpy_report("PCB-2", failed_case=True, status="failed")).json()["test_run_id"]
    [case] = reader(f"/test_run/{run_id}/failed_case").json()
    assert case["case_id"] == "test_power::test_current" and case["module"] == "Power"
    assert case["name"] == "Quiescent current" and case["status"] == "fail"
    assert case["assertion_msg"] == "Iq 12.5 mA above 10 mA" and case["attempt"] == 2
    assert case["artifact"] == {"log": "iq.txt"} and case["start_time"] == "2026-01-01T10:00:03Z"
    numeric, string = case["measurements"]
    assert numeric == {"type": "numeric", "name": "Iq", "value": 12.5, "unit": "mA", "operation": "gele",
                       "comparison_value": None, "lower_limit": 0.0, "upper_limit": 10.0, "result": False}
    assert string["type"] == "string" and string["value"] == "1.2.3" and string["comparison_value"] == "1.2.4"
    assert string["casesensitive"] is True


def test_same_report_twice_is_one_run(uploader, reader, app):
    report = hardpy_report("PCB-3")
    first, second = uploader(report), uploader(report)
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert len(reader("/test_run", serial_number="PCB-3").json()) == 1
    [dut] = reader("/tested_dut", serial_number="PCB-3").json()
    assert dut["attempt_count"] == 1
    # A retry after a sync carries another revision of the stand's document: still the same run.
    assert uploader({**report, "rev": "4-def"}).json() == first.json()


def test_concurrent_uploads_of_one_report_make_one_run(app, stand_key, reader):
    report = hardpy_report("PCB-RACE")

    async def upload_six_at_once():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            results = []

            async def post():
                results.append(await http.post(f"{HARDPY}/test_report", json=report,
                                               headers={"Authorization": f"Bearer {stand_key}"}))

            async with anyio.create_task_group() as group:
                for _ in range(6):
                    group.start_soon(post)
            return results

    # In a thread of its own: the session may already run an event loop in this one (browser tests).
    with ThreadPoolExecutor(1) as pool:
        results = pool.submit(anyio.run, upload_six_at_once).result()
    assert [r.status_code for r in results] == [201] * 6
    assert len({r.json()["test_run_id"] for r in results}) == 1
    assert len(reader("/test_run", serial_number="PCB-RACE").json()) == 1
    assert reader("/tested_dut", serial_number="PCB-RACE").json()[0]["attempt_count"] == 1


def test_unknown_fields_are_kept_in_the_original_report(uploader, app):
    report = hardpy_report("PCB-4", future_field={"x": 1})
    report["dut"]["new_dut_field"] = "kept"
    report["modules"]["test_power"]["cases"]["test_voltage"]["measurements"][0]["tolerance_class"] = "A"
    run_id = uuid.UUID(uploader(report).json()["test_run_id"])
    # The original report has no public route yet: it is checked where it is kept.
    with unit_of_work(app.state.sessionmaker, write=False) as session:
        stored = session.scalar(sa.select(HardpyReport.report).where(HardpyReport.run_id == run_id))
    assert stored == json.loads(json.dumps(report))


def test_dut_info_holding_nul_is_kept_in_the_report_but_not_filterable(uploader, reader, app):
    """PostgreSQL text cannot hold NUL: such entries stay in the stored report, out of the filter index."""
    report = hardpy_report("PCB-NUL")
    report["dut"]["info"].update({"a\x00key": 1.5, "note": "a\x00b", "station_hint": "plain"})
    res = uploader(report)
    assert res.status_code == 201, res.text
    run_id = res.json()["test_run_id"]
    assert reader(f"/test_run/{run_id}").json()["dut_info"]["note"] == "a\x00b"
    assert [r["test_run_id"] for r in reader("/test_run", station_hint="plain").json()] == [run_id]
    with unit_of_work(app.state.sessionmaker, write=False) as session:
        stored = session.scalar(sa.select(HardpyReport.report).where(HardpyReport.run_id == uuid.UUID(run_id)))
    assert stored["dut"]["info"]["a\x00key"] == 1.5


def test_a_sparse_report_of_an_older_hardpy_is_accepted(uploader, reader):
    old = {"_id": "current_test", "_rev": "7-x", "name": "Smoke", "status": "passed", "start_time": BASE_TIME,
           "stop_time": None, "test_stand": {"name": "Bench 0"}, "dut": {"serial_number": "OLD-1"},
           "modules": {"test_a": {"status": "passed", "name": None, "start_time": None, "stop_time": None,
                                  "cases": {"test_1": {"status": "passed", "name": None}}}}}
    res = uploader(old)
    assert res.status_code == 201, res.text
    run = reader(f"/test_run/{res.json()['test_run_id']}").json()
    assert (run["part_number"], run["serial_number"], run["status"]) == ("unknown", "OLD-1", "pass")
    assert run["stop_time"] is None and run["duration"] is None and run["test_stand_hw_id"] is None
    assert run["dut_info"] == {} and run["test_stand_info"] == {}


def test_statuses_and_underscore_ids(uploader, reader):
    stopped = uploader(hardpy_report("PCB-5", status="stopped")).json()["test_run_id"]
    assert reader(f"/test_run/{stopped}").json()["status"] == "aborted"
    report = hardpy_report("PCB-6")
    report["_id"], report["_rev"] = report.pop("id"), report.pop("rev")
    assert uploader(report).status_code == 201


def test_malformed_reports_get_readable_422(uploader, client, stand_key, reader):
    missing_serial = hardpy_report()
    del missing_serial["dut"]["serial_number"]
    res = uploader(missing_serial)
    assert res.status_code == 422
    assert {"loc": ["body", "dut", "serial_number"], "msg": "Field required", "type": "missing"} in res.json()["detail"]
    bad_status = uploader(hardpy_report(status="great"))
    assert bad_status.status_code == 422 and bad_status.json()["detail"][0]["loc"] == ["body", "status"]
    no_time = uploader(hardpy_report(start_time=None, stop_time=None))
    # Schema-valid but unplaceable in time: a conflict with what a run needs, not a malformed body.
    assert no_time.status_code == 409 and "start_time" in no_time.json()["detail"]
    wrong_value = hardpy_report()
    wrong_value["modules"]["test_power"]["cases"]["test_voltage"]["measurements"][0]["value"] = "high"
    # Each field is valid alone; together they contradict each other.
    res = uploader(wrong_value)
    assert res.status_code == 409 and res.json()["detail"] == (
        "modules.test_power.cases.test_voltage.measurements[0]: a numeric measurement needs a number as value")
    numeric_string = hardpy_report(failed_case=True)
    numeric_string["modules"]["test_power"]["cases"]["test_current"]["measurements"][1]["value"] = 1.2
    res = uploader(numeric_string)
    assert res.status_code == 409 and res.json()["detail"] == (
        "modules.test_power.cases.test_current.measurements[1]: a string measurement needs a string as value")
    headers = {"Authorization": f"Bearer {stand_key}", "Content-Type": "application/json"}
    for body in (b"{not json", b"[]", b'{"status": NaN}'):
        res = client.post(f"{HARDPY}/test_report", content=body, headers=headers)
        assert res.status_code == 422 and isinstance(res.json()["detail"], str), body
    assert reader("/test_run").json() == []


def test_size_limit(database_url, tmp_path, factory):
    from fastapi.testclient import TestClient

    from tiemeasureflow.app import create_app

    app = create_app(make_settings(database_url, tmp_path / "small", hardpy_max_report_mb=1))
    key = factory.key("stand")
    report = hardpy_report("PCB-BIG", artifact={"blob": "x" * (1024 * 1024)})
    with TestClient(app) as small:
        res = small.post(f"{HARDPY}/test_report", json=report, headers={"X-API-KEY": key})
        assert res.status_code == 413 and "1 MiB" in res.json()["detail"]
        chunked = small.post(f"{HARDPY}/test_report", content=iter([json.dumps(report).encode()]),
                             headers={"X-API-KEY": key, "Content-Type": "application/json"})
        assert chunked.status_code == 413
        assert small.post(f"{HARDPY}/test_report", json=hardpy_report("PCB-OK"),
                          headers={"X-API-KEY": key}).status_code == 201
    app.state.engine.dispose()


def test_healthchecks_answer_empty_object(client):
    for path in (f"{HARDPY}/healthcheck", "/integration/api/v1/healthcheck"):
        res = client.get(path)
        assert res.status_code == 200 and res.text == "{}"
