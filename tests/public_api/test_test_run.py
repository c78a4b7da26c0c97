"""GET /integration/api/v1/test_run and test_run/{id}: station runs in StandCloud's shape."""

from __future__ import annotations

import re
import uuid

from .conftest import INTEGRATION


def test_station_run_fields(station_runs, reader):
    plan = station_runs.plan("Shaft 42", code="SHAFT-42")
    station = station_runs.station("Gauge bench A")
    made = station_runs.run(plan, station, "SN-1", (10.0, 20.0), lot="LOT-7")
    res = reader(f"/test_run/{made['id']}")
    assert res.status_code == 200, res.text
    run = res.json()
    assert run["test_run_id"] == made["id"]
    assert run["test_plan_name"] == "Shaft 42 v1"
    assert run["part_number"] == "SHAFT-42" and run["serial_number"] == "SN-1"
    assert run["status"] == "pass" and run["marginal"] is False
    assert run["number_of_attempt"] == 1
    assert run["test_stand_name"] == "Gauge bench A" and run["test_stand_hw_id"] == station
    assert run["test_stand_info"] == {"location": "Test bay"}
    assert run["dut_info"] == {"lot_number": "LOT-7"}
    assert run["test_run_artifact"] == {} and run["source"] == "station"
    assert run["start_time"].endswith("Z") and run["stop_time"].endswith("Z")
    assert re.fullmatch(r"PT(\d+H)?(\d+M)?(\d+(\.\d+)?S)?", run["duration"])
    assert run["duration_seconds"] >= 0


def test_warning_run_is_a_marginal_pass_and_fail_is_fail(station_runs, reader):
    plan, station = station_runs.plan(), station_runs.station()
    warned = station_runs.run(plan, station, "SN-W", (10.3, 20.0))
    failed = station_runs.run(plan, station, "SN-F", (10.0, 22.0))
    assert reader(f"/test_run/{warned['id']}").json()[ "status"] == "pass"
    assert reader(f"/test_run/{warned['id']}").json()["marginal"] is True
    assert reader(f"/test_run/{failed['id']}").json()["status"] == "fail"
    assert [r["serial_number"] for r in reader("/test_run", status="pass").json()] == ["SN-W"]
    assert [r["serial_number"] for r in reader("/test_run", status="fail").json()] == ["SN-F"]


def test_in_progress_runs_are_hidden_and_aborted_runs_shown(station_runs, reader, client, operator):
    plan, station = station_runs.plan(), station_runs.station()
    open_run = station_runs.run(plan, station, "SN-OPEN", finish=False)
    assert reader(f"/test_run/{open_run['id']}").status_code == 404
    assert reader("/test_run").json() == []
    res = client.post(f"/api/runs/{open_run['id']}/abort", headers=operator.headers)
    assert res.status_code == 200, res.text
    shown = reader(f"/test_run/{open_run['id']}").json()
    assert shown["status"] == "aborted"
    assert [r["status"] for r in reader("/test_run", status="aborted").json()] == ["aborted"]


def test_lists_and_totals_leave_out_in_progress_runs(station_runs, reader, client, operator):
    plan, station = station_runs.plan(), station_runs.station()
    station_runs.run(plan, station, "SN-DONE", (10.0, 20.0))
    open_run = station_runs.run(plan, station, "SN-BUSY", finish=False)
    res = reader("/test_run")
    assert res.headers["X-Total-Count"] == "1" and [r["serial_number"] for r in res.json()] == ["SN-DONE"]
    assert [r["serial_number"] for r in reader("/test_run", status="pass").json()] == ["SN-DONE"]
    assert client.post(f"/api/runs/{open_run['id']}/abort", headers=operator.headers).status_code == 200
    res = reader("/test_run")
    assert res.headers["X-Total-Count"] == "2" and len(res.json()) == 2


def test_attempts_count_per_device(station_runs, reader):
    plan, station = station_runs.plan(), station_runs.station()
    for values in ((10.0, 22.0), (10.0, 20.0)):
        station_runs.run(plan, station, "SN-R", values)
    runs = reader("/test_run", serial_number="SN-R").json()
    assert [(r["number_of_attempt"], r["status"]) for r in runs] == [(1, "fail"), (2, "pass")]
    assert [r["number_of_attempt"] for r in reader("/test_run", number_of_attempt=2).json()] == [2]


def test_filters(station_runs, reader):
    plan_a, plan_b = station_runs.plan("A", code="PN-A"), station_runs.plan("B", code="PN-B")
    bench, lathe = station_runs.station("Bench"), station_runs.station("Lathe")
    first = station_runs.run(plan_a, bench, "S1", lot="L1")
    station_runs.run(plan_b, lathe, "S2", lot="L2")
    assert [r["serial_number"] for r in reader("/test_run", part_number="PN-B").json()] == ["S2"]
    assert [r["serial_number"] for r in reader("/test_run", test_stand_name="Bench").json()] == ["S1"]
    assert [r["serial_number"] for r in reader("/test_run", test_stand_hw_id=lathe).json()] == ["S2"]
    assert [r["serial_number"] for r in reader("/test_run", lot_number="L2").json()] == ["S2"]
    assert [r["serial_number"] for r in reader("/test_run", serial_number="S1").json()] == ["S1"]
    # dut_info keys: a station run's dut_info holds its lot number.
    assert reader("/test_run", firmware_version="1.0").json() == []
    start = first["started_at"]
    assert len(reader("/test_run", start_time_from=start).json()) == 2
    assert reader("/test_run", start_time_to=start).json() == []
    assert len(reader("/test_run", start_time_from="2000-01-01T00:00:00").json()) == 2


def test_bad_documented_parameters_get_422(reader):
    for params in ({"limit": 0}, {"limit": 1001}, {"offset": -1}, {"status": "passed"},
                   {"number_of_attempt": "two"}, {"number_of_attempt": 0}, {"start_time_from": "yesterday"},
                   {"cursor": "not-a-cursor"}, {"order": "up"}):
        res = reader("/test_run", **params)
        assert res.status_code == 422, params
        assert "detail" in res.json()
    assert reader("/test_run/not-a-uuid").status_code == 422


def test_unknown_run_is_404(reader):
    res = reader(f"/test_run/{uuid.uuid4()}")
    assert res.status_code == 404 and res.json() == {"detail": "Test run not found"}
    assert reader(f"/test_run/{uuid.uuid4()}/failed_case").status_code == 404


def test_only_get(client, integration_key):
    headers = {"X-API-KEY": integration_key}
    for method in ("POST", "PUT", "PATCH", "DELETE"):
        for path in ("/test_run", f"/test_run/{uuid.uuid4()}", f"/test_run/{uuid.uuid4()}/failed_case",
                     "/tested_dut", "/healthcheck"):
            res = client.request(method, f"{INTEGRATION}{path}", headers=headers)
            assert res.status_code == 405, (method, path)


def test_start_time_must_be_iso_text(reader):
    assert reader("/test_run", start_time_to="0.5").status_code == 422
    assert reader("/tested_dut", start_time_from="1767261600").status_code == 422
    assert reader("/test_run", start_time_from="2026-01-01").status_code == 200
