"""GET /integration/api/v1/tested_dut: one entry per device, station and HardPy runs merged."""

from __future__ import annotations

from .conftest import BASE_TIME, hardpy_report


def test_station_and_hardpy_runs_of_one_device_share_history(station_runs, uploader, reader):
    plan = station_runs.plan("PCB housing", code="PCB-7")
    station = station_runs.station("CMM")
    measured = station_runs.run(plan, station, "SN-77", (10.0, 20.0))
    # The electrical test comes later than the dimensional check.
    uploaded = uploader(hardpy_report("SN-77", part_number="PCB-7", start=2_000_000_000)).json()["test_run_id"]
    history = reader("/test_run", part_number="PCB-7", serial_number="SN-77").json()
    assert [(r["source"], r["number_of_attempt"]) for r in history] == [("station", 1), ("hardpy", 2)]
    assert [r["test_run_id"] for r in history] == [measured["id"], uploaded]
    [dut] = reader("/tested_dut", serial_number="SN-77").json()
    assert dut["attempt_count"] == 2 and dut["test_run_id"] == uploaded and dut["source"] == "hardpy"
    assert dut["finish_time"] == "2033-05-18T03:34:20Z" and "stop_time" not in dut
    assert dut["number_of_attempt"] == 2


def test_a_late_upload_does_not_replace_the_newer_last_run(station_runs, uploader, reader):
    plan, station = station_runs.plan(code="PCB-8"), station_runs.station()
    measured = station_runs.run(plan, station, "SN-88")
    uploader(hardpy_report("SN-88", part_number="PCB-8", start=BASE_TIME - 86_400))
    [dut] = reader("/tested_dut", part_number="PCB-8").json()
    assert dut["test_run_id"] == measured["id"] and dut["attempt_count"] == 2


def test_filters_apply_to_the_last_run(uploader, reader):
    uploader(hardpy_report("D1", status="failed", stand="Stand X"))
    uploader(hardpy_report("D2", stand="Stand Y"))
    uploader(hardpy_report("D2", stand="Stand Y", start=BASE_TIME + 600))
    assert [d["serial_number"] for d in reader("/tested_dut", attempt_count=2).json()] == ["D2"]
    assert [d["serial_number"] for d in reader("/tested_dut", status="fail").json()] == ["D1"]
    assert [d["serial_number"] for d in reader("/tested_dut", test_stand_name="Stand Y").json()] == ["D2"]
    assert len(reader("/tested_dut", firmware_version="1.2.3", part_number="PCB-7").json()) == 2
    assert reader("/tested_dut", firmware_version="9.9").json() == []
    assert [d["serial_number"] for d in reader("/tested_dut", start_time_from="2026-01-01T10:05:00Z").json()] == ["D2"]
    assert reader("/tested_dut", attempt_count="many").status_code == 422


def test_dut_info_filters_on_hardpy_keys(uploader, reader):
    a = hardpy_report("F1")
    b = hardpy_report("F2")
    b["dut"]["info"] = {"firmware_version": "2.0.0", "batch": 8}
    uploader(a), uploader(b)
    assert [r["serial_number"] for r in reader("/test_run", firmware_version="2.0.0").json()] == ["F2"]
    assert [r["serial_number"] for r in reader("/test_run", batch="7").json()] == ["F1"]
    both = reader("/test_run", firmware_version=["1.2.3", "2.0.0"]).json()
    assert {r["serial_number"] for r in both} == {"F1", "F2"}
    assert reader("/test_run", firmware_version="2.0.0", batch="7").json() == []


def test_device_whose_last_run_is_in_progress_waits_until_it_ends(station_runs, reader, client, operator):
    plan, station = station_runs.plan(code="PCB-9"), station_runs.station()
    station_runs.run(plan, station, "SN-91")
    station_runs.run(plan, station, "SN-92")
    again = station_runs.run(plan, station, "SN-91", finish=False)
    listed = reader("/tested_dut", part_number="PCB-9")
    assert [d["serial_number"] for d in listed.json()] == ["SN-92"] and listed.headers["X-Total-Count"] == "1"
    assert reader("/tested_dut").headers["X-Total-Count"] == "1"
    client.post(f"/api/runs/{again['id']}/finish", json={"allow_incomplete": True}, headers=operator.headers)
    listed = reader("/tested_dut", part_number="PCB-9")
    assert [(d["serial_number"], d["attempt_count"]) for d in listed.json()] == [("SN-92", 1), ("SN-91", 2)]
    assert listed.headers["X-Total-Count"] == "2"
