"""GET /integration/api/v1/test_run/{id}/failed_case for station runs."""

from __future__ import annotations


def test_failed_characteristic_with_limits_and_message(station_runs, reader):
    plan, station = station_runs.plan(), station_runs.station()
    run = station_runs.run(plan, station, "SN-F", (10.0, 22.25))
    res = reader(f"/test_run/{run['id']}/failed_case")
    assert res.status_code == 200, res.text
    [case] = res.json()
    assert case["status"] == "fail" and case["name"] == "Dimension 2" and case["module"] == "Task 1"
    assert case["case_id"] == f"characteristic-{plan.characteristic_ids[1]}"
    assert case["assertion_msg"] == ("Dimension 2 (balloon 2): 22.25 mm is above the upper tolerance limit 21 mm "
                                     "(nominal 20, deviation +2.25 mm)")
    [m] = case["measurements"]
    assert m["value"] == 22.25 and m["unit"] == "mm" and m["result"] is False
    assert (m["operation"], m["lower_limit"], m["upper_limit"]) == ("gele", 19.0, 21.0)
    assert (m["nominal"], m["lower_warning_limit"], m["upper_warning_limit"]) == (20.0, 19.5, 20.5)
    assert m["deviation"] == 2.25
    assert case["start_time"].endswith("Z")


def test_below_lower_limit_and_passing_run_has_none(station_runs, reader):
    plan, station = station_runs.plan(), station_runs.station()
    low = station_runs.run(plan, station, "SN-L", (9.0, 20.0))
    good = station_runs.run(plan, station, "SN-G", (10.0, 20.0))
    [case] = reader(f"/test_run/{low['id']}/failed_case").json()
    assert "9 mm is below the lower tolerance limit 9.5 mm" in case["assertion_msg"]
    assert reader(f"/test_run/{good['id']}/failed_case").json() == []


def test_a_corrected_value_decides(station_runs, reader, client, operator):
    plan, station = station_runs.plan(), station_runs.station()
    run = station_runs.run(plan, station, "SN-C", (10.0, 20.0), finish=False)
    detail = client.get(f"/api/runs/{run['id']}", headers=operator.headers).json()
    first = next(m for m in detail["measurements"] if m["subtask_id"] == plan.subtask_ids[0])
    res = client.post(f"/api/measurements/{first['id']}/corrections", headers=operator.headers,
                      json={"value": 11.0, "reason": "re-measured after cleaning"})
    assert res.status_code == 201, res.text
    client.post(f"/api/runs/{run['id']}/finish", json={}, headers=operator.headers)
    [case] = reader(f"/test_run/{run['id']}/failed_case").json()
    assert case["measurements"][0]["value"] == 11.0
    assert case["attempt"] == 2  # the original value and its correction
