"""Runs: starting on the current version, measuring value by value, finishing, aborting."""

from __future__ import annotations

import uuid

import pytest

from tests.measurements.helpers import add, audit_actions, call, count_rows, raw_json, start_run

DROP = object()


@pytest.fixture
def plan(plans):
    return plans.recipe()


@pytest.fixture
def station(plans):
    return plans.station("ST-A")


def test_start_run_on_the_recipes_current_version(client, plan, station, operator):
    run = start_run(client, operator, plan, station, serial="SN-9", lot="L-9")
    assert run["status"] == "in_progress" and run["finished_at"] is None
    assert run["version_id"] == plan.version_id and run["version_number"] == 1
    assert run["part_number"] == plan.code and run["recipe_id"] == plan.recipe_id
    assert run["station_code"] == "ST-A" and run["operator_id"] == operator.id
    assert (run["serial_number"], run["lot_number"], run["attempt"]) == ("SN-9", "L-9", 1)
    assert run["started_at"].endswith("Z")
    assert audit_actions(client.app, "run") == [("start", run["id"])]


def test_start_by_version_id_only_on_the_current_version(client, plans, station, operator):
    plan = plans.recipe(versions=2)
    old, current = plan.versions
    body = {"serial_number": "SN", "station_code": station}
    res = call(client, operator, "POST", "/runs", 409, json={**body, "version_id": old.id})
    assert "not the current version" in res.json()["detail"]
    run = call(client, operator, "POST", "/runs", 201, json={**body, "version_id": current.id}).json()
    assert run["version_id"] == current.id and run["version_number"] == 2


@pytest.mark.parametrize(("change", "status"), [
    ({"recipe_id": 999_999}, 404),
    ({"recipe_id": DROP, "version_id": 999_999}, 404),
    ({"recipe_id": DROP}, 422),
    ({"recipe_id": None}, 422),
    ({"recipe_id": 2**31}, 422),
    ({"recipe_id": "1"}, 422),
    ({"station_code": "NOPE"}, 404),
    ({"serial_number": ""}, 422),
    ({"serial_number": "A\nB"}, 422),
    ({"serial_number": None}, 422),
    ({"extra": 1}, 422),
])
def test_start_refusals(client, plan, station, operator, change, status):
    payload = {"recipe_id": plan.recipe_id, "serial_number": "SN", "station_code": station, **change}
    payload = {k: v for k, v in payload.items() if v is not DROP}
    call(client, operator, "POST", "/runs", status, json=payload)
    assert count_rows(client.app, "runs") == 0


def test_start_refused_on_inactive_station_or_recipe_or_mismatched_version(client, plans, operator):
    plan, other = plans.recipe(), plans.recipe()
    closed = plans.station(active=False)
    open_station = plans.station()
    assert "inactive" in start_run(client, operator, plan, closed, expected=409)["detail"]
    body = {"recipe_id": plan.recipe_id, "version_id": other.version_id, "serial_number": "S",
            "station_code": open_station}
    call(client, operator, "POST", "/runs", 422, json=body)
    plans.set_active(plan, False)
    assert "inactive" in start_run(client, operator, plan, open_station, expected=409)["detail"]


def test_an_open_run_for_the_same_part_must_be_resumed_or_aborted(client, plan, station, operator):
    first = start_run(client, operator, plan, station)
    res = start_run(client, operator, plan, station, expected=409)
    assert first["id"] in res["detail"]
    start_run(client, operator, plan, station, lot="OTHER-LOT")
    call(client, operator, "POST", f"/runs/{first['id']}/abort", 200)
    again = start_run(client, operator, plan, station)
    assert again["attempt"] == 3  # the serial's third run of this part number


def test_values_are_stored_one_or_many_and_a_second_value_supersedes(client, plan, station, operator):
    run = start_run(client, operator, plan, station)
    a, b = plan.subtask_ids
    first = add(client, operator, run["id"], a, 10.3)
    assert first["pass_fail"] == "warning" and first["run_id"] == run["id"] and first["supersedes_id"] is None
    assert first["serial_number"] == "SN-1" and first["lot_number"] == "LOT-1"
    many = call(client, operator, "POST", f"/runs/{run['id']}/measurements", 201, json={"measurements": [
        {"subtask_id": b, "value": 20.0, "input_method": "usb_caliper"},
        {"subtask_id": a, "value": 10.0, "reason": "Measured again"}]}).json()
    assert [m["pass_fail"] for m in many] == ["pass", "pass"]
    assert many[1]["supersedes_id"] == first["id"] and many[0]["input_method"] == "usb_caliper"
    detail = call(client, operator, "GET", f"/runs/{run['id']}", 200).json()
    assert sorted(m["id"] for m in detail["measurements"]) == sorted(m["id"] for m in many)
    assert detail["missing_subtask_ids"] == [] and detail["history"] is None
    history = call(client, operator, "GET", f"/runs/{run['id']}?include_history=true", 200).json()["history"]
    assert [m["id"] for m in history] == [first["id"], many[0]["id"], many[1]["id"]]
    assert history[0]["superseded_by_id"] == many[1]["id"]


def test_a_batch_into_a_run_is_all_or_nothing(client, plans, station, operator):
    plan, other = plans.recipe(), plans.recipe()
    run = start_run(client, operator, plan, station)
    body = {"measurements": [{"subtask_id": plan.subtask_ids[0], "value": 10.0},
                             {"subtask_id": other.subtask_ids[0], "value": 10.0}]}
    res = call(client, operator, "POST", f"/runs/{run['id']}/measurements", 400, json=body)
    assert res.json()["detail"].startswith("Item 1:")
    bad_value = {"measurements": [{"subtask_id": plan.subtask_ids[0], "value": 10.0},
                                  {"subtask_id": plan.subtask_ids[1], "value": float("nan")}]}
    call(client, operator, "POST", f"/runs/{run['id']}/measurements", 422, **raw_json(bad_value))
    assert count_rows(client.app, "measurements") == 0


@pytest.mark.parametrize(("values", "status"), [
    ((10.0, 20.0), "pass"),
    ((10.3, 20.0), "warning"),
    ((10.0, 21.5), "fail"),
    ((10.3, 21.5), "fail"),
    ((9.5, 21.0), "warning"),  # both exactly on a tolerance limit
])
def test_finish_takes_the_worst_latest_judgment(client, plan, station, operator, values, status):
    run = start_run(client, operator, plan, station)
    for subtask_id, value in zip(plan.subtask_ids, values, strict=True):
        add(client, operator, run["id"], subtask_id, value)
    finished = call(client, operator, "POST", f"/runs/{run['id']}/finish", 200, json={}).json()
    assert finished["status"] == status and finished["finished_at"] is not None
    assert audit_actions(client.app, "run")[-1] == ("finish", run["id"])


def test_a_re_measured_failure_no_longer_counts(client, plan, station, operator):
    run = start_run(client, operator, plan, station)
    add(client, operator, run["id"], plan.subtask_ids[0], 12.0)
    add(client, operator, run["id"], plan.subtask_ids[0], 10.0, reason="Measured again")
    add(client, operator, run["id"], plan.subtask_ids[1], 20.0)
    assert call(client, operator, "POST", f"/runs/{run['id']}/finish", 200).json()["status"] == "pass"


def test_missing_characteristics_refuse_finishing_unless_allowed(client, plan, station, operator):
    run = start_run(client, operator, plan, station)
    res = call(client, operator, "POST", f"/runs/{run['id']}/finish", 409)
    assert "no measurements" in res.json()["detail"]
    add(client, operator, run["id"], plan.subtask_ids[0], 10.0)
    res = call(client, operator, "POST", f"/runs/{run['id']}/finish", 409, json={"allow_incomplete": False})
    assert str(plan.subtask_ids[1]) in res.json()["detail"]
    detail = call(client, operator, "GET", f"/runs/{run['id']}", 200).json()
    assert detail["status"] == "in_progress" and detail["missing_subtask_ids"] == [plan.subtask_ids[1]]
    done = call(client, operator, "POST", f"/runs/{run['id']}/finish", 200, json={"allow_incomplete": True}).json()
    assert done["status"] == "pass"


def test_a_closed_run_takes_nothing_more(client, plan, station, operator, admin):
    run = start_run(client, operator, plan, station)
    for subtask_id in plan.subtask_ids:
        add(client, operator, run["id"], subtask_id, 10.0 if subtask_id == plan.subtask_ids[0] else 20.0)
    call(client, operator, "POST", f"/runs/{run['id']}/finish", 200)
    call(client, operator, "POST", f"/runs/{run['id']}/finish", 409)
    call(client, operator, "POST", f"/runs/{run['id']}/abort", 409)
    call(client, admin, "POST", f"/runs/{run['id']}/abort", 409)
    add(client, operator, run["id"], plan.subtask_ids[0], 10.0, expected=409)
    assert count_rows(client.app, "measurements") == 2


def test_only_the_runs_operator_writes_to_it_and_an_admin_may_abort(client, factory, plan, station, operator, admin):
    colleague = factory.user("MeasurementTec")
    run = start_run(client, operator, plan, station)
    add(client, colleague, run["id"], plan.subtask_ids[0], 10.0, expected=403)
    call(client, colleague, "POST", f"/runs/{run['id']}/finish", 403)
    call(client, colleague, "POST", f"/runs/{run['id']}/abort", 403)
    aborted = call(client, admin, "POST", f"/runs/{run['id']}/abort", 200).json()
    assert aborted["status"] == "aborted" and aborted["finished_at"] is not None
    assert audit_actions(client.app, "run") == [("start", run["id"]), ("abort", run["id"])]


def test_unknown_runs_are_404(client, operator):
    missing = uuid.uuid4()
    call(client, operator, "GET", f"/runs/{missing}", 404)
    call(client, operator, "POST", f"/runs/{missing}/finish", 404)
    call(client, operator, "POST", f"/runs/{missing}/abort", 404)
    add(client, operator, str(missing), 1, 1.0, expected=404)
    call(client, operator, "GET", "/runs/not-a-uuid", 404)


def test_a_run_keeps_its_version_when_a_new_one_becomes_current(client, plans, station, operator):
    plan = plans.recipe(versions=2)
    plans.set_current(plan, 0)
    old, new = plan.versions
    run = start_run(client, operator, plan, station)
    assert run["version_id"] == old.id
    plans.set_current(plan, 1)
    add(client, operator, run["id"], old.subtask_ids[0], 10.0)
    res = add(client, operator, run["id"], new.subtask_ids[1], 20.0, expected=400)
    assert f"version {old.id}" in res["detail"]
    add(client, operator, run["id"], old.subtask_ids[1], 20.0)
    done = call(client, operator, "POST", f"/runs/{run['id']}/finish", 200).json()
    assert (done["version_id"], done["status"]) == (old.id, "pass")


def test_open_runs_are_the_callers_in_progress_runs(client, factory, plans, operator):
    plan = plans.recipe()
    here, there = plans.station(), plans.station()
    colleague = factory.user("MeasurementTec")
    mine = start_run(client, operator, plan, here, serial="A")
    start_run(client, operator, plan, there, serial="B")
    start_run(client, colleague, plan, here, serial="C")
    done = start_run(client, operator, plan, here, serial="D")
    call(client, operator, "POST", f"/runs/{done['id']}/abort", 200)
    listed = call(client, operator, "GET", f"/runs/open?station_code={here}", 200).json()
    assert [r["id"] for r in listed] == [mine["id"]]
    assert len(call(client, operator, "GET", "/runs/open", 200).json()) == 2
