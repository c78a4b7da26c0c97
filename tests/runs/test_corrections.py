"""A second value for a characteristic of a run needs a reason; confirmed gross errors are recorded."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.measurements.helpers import add, audit_actions, call, count_rows, single, start_run


@pytest.fixture
def plan(plans):
    return plans.recipe()


@pytest.fixture
def station(plans):
    return plans.station("ST-A")


def test_a_second_value_without_a_reason_is_refused(client, plan, station, operator):
    run = start_run(client, operator, plan, station)
    a = plan.subtask_ids[0]
    first = add(client, operator, run["id"], a, 10.3)
    res = add(client, operator, run["id"], a, 10.0, expected=422)
    assert "reason" in res["detail"] and str(first["id"]) in res["detail"]
    add(client, operator, run["id"], a, 10.0, expected=422, reason="")
    add(client, operator, run["id"], a, 10.0, expected=422, reason="x" * 2001)
    add(client, operator, run["id"], a, 10.0, expected=422, reason="   ")
    assert count_rows(client.app, "measurements") == 1


def test_a_second_value_with_a_reason_supersedes_and_carries_it(client, plan, station, operator, metrologist):
    run = start_run(client, operator, plan, station)
    a = plan.subtask_ids[0]
    first = add(client, operator, run["id"], a, 10.3)
    assert first["correction_reason"] is None
    second = add(client, operator, run["id"], a, 10.0, reason="Caliper slipped")
    assert second["supersedes_id"] == first["id"] and second["correction_reason"] == "Caliper slipped"
    assert second["superseded_value"] == 10.3 and first["superseded_value"] is None
    assert second["corrected_by"] and first["corrected_by"] is None
    listed = call(client, metrologist, "GET", f"/measurements/?run_id={run['id']}&include_superseded=true", 200).json()
    assert [(m["value"], m["superseded_value"]) for m in listed["items"]] == [(10.0, 10.3), (10.3, None)]
    detail = call(client, operator, "GET", f"/runs/{run['id']}?include_history=true", 200).json()
    assert [m["value"] for m in detail["measurements"]] == [10.0]
    assert detail["history"][0]["superseded_by_id"] == second["id"]
    assert ("correct", str(second["id"])) in [(a, str(i)) for a, i in audit_actions(client.app, "measurement")]


def test_a_batch_naming_a_characteristic_twice_needs_the_reason_on_the_second(client, plan, station, operator):
    run = start_run(client, operator, plan, station)
    a = plan.subtask_ids[0]
    url = f"/runs/{run['id']}/measurements"
    res = call(client, operator, "POST", url, 422, json={"measurements": [
        {"subtask_id": a, "value": 10.3}, {"subtask_id": a, "value": 10.0}]})
    assert res.json()["detail"].startswith("Item 1:")
    assert count_rows(client.app, "measurements") == 0
    stored = call(client, operator, "POST", url, 201, json={"measurements": [
        {"subtask_id": a, "value": 10.3, "reason": "ignored on a first value"},
        {"subtask_id": a, "value": 10.0, "reason": "Wrong feature"}]}).json()
    assert [m["correction_reason"] for m in stored] == [None, "Wrong feature"]


def test_the_reference_routes_keep_superseding_without_a_reason(client, plan, operator):
    first = call(client, operator, "POST", "/measurements/", 200, json=single(plan, 0, 10.3)).json()
    second = call(client, operator, "POST", "/measurements/", 200, json=single(plan, 0, 10.0)).json()
    assert second["supersedes_id"] == first["id"] and second["correction_reason"] is None
    batch = call(client, operator, "POST", "/measurements/batch", 200,
                 json={"measurements": [single(plan, 0, 10.3, serial="B"), single(plan, 0, 10.0, serial="B")]}).json()
    assert batch[1]["supersedes_id"] == batch[0]["id"]
    call(client, operator, "POST", "/measurements/", 422, json=single(plan, 0, 10.0, reason="no such field"))


def test_a_confirmed_gross_error_is_stored_and_returned(client, plan, station, operator):
    run = start_run(client, operator, plan, station)
    a, b = plan.subtask_ids
    far = add(client, operator, run["id"], a, 100.0, gross_error_confirmed=True)
    assert far["gross_error_confirmed"] is True and far["pass_fail"] == "fail" and far["value"] == 100.0
    near = add(client, operator, run["id"], b, 20.0)
    assert near["gross_error_confirmed"] is False
    add(client, operator, run["id"], b, 20.0, expected=422, gross_error_confirmed="yes", reason="r")
    listed = call(client, operator, "GET", f"/runs/{run['id']}", 200).json()["measurements"]
    assert {m["subtask_id"]: m["gross_error_confirmed"] for m in listed} == {a: True, b: False}
    reference = call(client, operator, "POST", "/measurements/", 200, json=single(plan, 0, 10.0, serial="Z")).json()
    assert reference["gross_error_confirmed"] is False


def test_the_gross_error_factor_is_part_of_the_plan(client, plan, maker):
    subtask = plan.subtask_ids[0]
    res = call(client, maker, "PUT", f"/subtasks/{subtask}", 200, json={"gross_error_factor": 5.0}).json()
    assert res["gross_error_factor"] == 5.0
    call(client, maker, "PUT", f"/subtasks/{subtask}", 422, json={"gross_error_factor": 0})
    call(client, maker, "PUT", f"/subtasks/{subtask}", 422, json={"gross_error_factor": -1.0})
    cleared = call(client, maker, "PUT", f"/subtasks/{subtask}", 200, json={"gross_error_factor": None}).json()
    assert cleared["gross_error_factor"] is None


def test_an_abort_may_say_why_and_the_audit_keeps_it(client, plan, station, operator):
    run = start_run(client, operator, plan, station)
    call(client, operator, "POST", f"/runs/{run['id']}/abort", 422, json={"reason": ""})
    call(client, operator, "POST", f"/runs/{run['id']}/abort", 200, json={"reason": "Part dropped"})
    with client.app.state.engine.connect() as conn:
        new = conn.execute(sa.text("SELECT new_values FROM audit_events WHERE action = 'abort'")).scalar_one()
    assert "Part dropped" in str(new)
