"""The reference's POST /api/measurements/ and /batch: judged values, implicit runs, atomic batches."""

from __future__ import annotations

import pytest

from tests.measurements.helpers import audit_actions, call, count_rows, raw_json, single

REFERENCE_FIELDS = {"id", "subtask_id", "version_id", "measured_by", "value", "pass_fail", "deviation",
                    "lot_number", "serial_number", "input_method", "measured_at", "synced_to_csv"}


@pytest.fixture
def plan(plans):
    return plans.recipe()


def runs_of(client, user, serial: str) -> list[dict]:
    return call(client, user, "GET", f"/runs?serial_number={serial}", 200).json()["items"]


def test_single_measurement_has_the_reference_shape(client, plan, operator):
    body = single(plan, 0, 10.2, input_method="usb_caliper")
    res = call(client, operator, "POST", "/measurements/", 200, json=body).json()
    assert REFERENCE_FIELDS <= set(res)
    assert res["subtask_id"] == plan.subtask_ids[0] and res["version_id"] == plan.version_id
    assert res["measured_by"] == operator.id and res["input_method"] == "usb_caliper"
    assert (res["value"], res["pass_fail"], res["deviation"]) == (10.2, "pass", 10.2 - 10.0)
    assert res["measured_at"].endswith("Z") and res["synced_to_csv"] is False


@pytest.mark.parametrize(("value", "judgment"), [
    (9.8, "pass"), (10.2, "pass"), (9.79, "warning"), (10.5, "warning"), (9.4999999, "fail"), (10.51, "fail"),
    (10, "pass"),
])
def test_values_are_judged_on_the_versions_limits(client, plan, operator, value, judgment):
    res = call(client, operator, "POST", "/measurements/", 200, json=single(plan, 0, value)).json()
    assert res["pass_fail"] == judgment and res["value"] == float(value)


def test_unrounded_doubles_go_in_and_come_out(client, plan, operator):
    value = 10.123456789012345
    res = call(client, operator, "POST", "/measurements/", 200, json=single(plan, 0, value)).json()
    assert res["value"] == value and res["deviation"] == value - 10.0
    listed = call(client, operator, "GET", f"/measurements/{res['id']}", 200).json()
    assert listed["value"] == value


@pytest.mark.parametrize("bad", [True, False, "10.2", None, [10.2], {"v": 1}])
def test_values_must_be_numbers(client, plan, operator, bad):
    call(client, operator, "POST", "/measurements/", 422, json=single(plan, 0, bad))
    assert count_rows(client.app, "measurements") == 0


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), float("-inf")])
def test_non_finite_values_are_refused(client, plan, operator, bad):
    call(client, operator, "POST", "/measurements/", 422, **raw_json(single(plan, 0, bad)))
    call(client, operator, "POST", "/measurements/batch", 422, **raw_json({"measurements": [single(plan, 0, bad)]}))
    assert count_rows(client.app, "measurements") == 0


def test_huge_integers_are_refused(client, plan, operator):
    call(client, operator, "POST", "/measurements/", 422, **raw_json(single(plan, 0, 10**400)))


def test_subtask_must_belong_to_the_version(client, plans, plan, operator):
    other = plans.recipe()
    body = {**single(plan, 0, 10.0), "subtask_id": other.subtask_ids[0]}
    assert "does not belong" in call(client, operator, "POST", "/measurements/", 400, json=body).json()["detail"]
    call(client, operator, "POST", "/measurements/", 404, json={**single(plan, 0, 10.0), "version_id": 999_999})
    assert count_rows(client.app, "measurements") == count_rows(client.app, "runs") == 0


def test_a_new_part_starts_on_the_current_version_only(client, plans, operator):
    plan = plans.recipe(versions=2)
    old = plan.versions[0]
    body = {"subtask_id": old.subtask_ids[0], "version_id": old.id, "value": 10.0, "serial_number": "SN-1"}
    assert "current version" in call(client, operator, "POST", "/measurements/", 400, json=body).json()["detail"]


def test_single_values_join_one_run_that_finishes_by_itself(client, plan, operator):
    first = call(client, operator, "POST", "/measurements/", 200, json=single(plan, 0, 12.0)).json()
    again = call(client, operator, "POST", "/measurements/", 200, json=single(plan, 0, 10.3)).json()
    assert again["run_id"] == first["run_id"] and again["supersedes_id"] == first["id"]
    [run] = runs_of(client, operator, "SN-1")
    assert run["status"] == "in_progress" and run["auto_finish"] is True and run["station_id"] is None
    last = call(client, operator, "POST", "/measurements/", 200, json=single(plan, 1, 20.0)).json()
    assert last["run_id"] == first["run_id"]
    [run] = runs_of(client, operator, "SN-1")
    assert run["status"] == "warning"  # the failure was re-measured; 10.3 warns
    after = call(client, operator, "POST", "/measurements/", 200, json=single(plan, 0, 10.0)).json()
    assert after["run_id"] != first["run_id"]  # a finished run takes nothing more: a new attempt opens
    assert sorted(r["attempt"] for r in runs_of(client, operator, "SN-1")) == [1, 2]
    assert [a for a, _ in audit_actions(client.app, "run")] == ["start", "finish", "start"]


def test_single_values_join_an_explicit_run_without_finishing_it(client, plans, plan, operator):
    station = plans.station()
    run = call(client, operator, "POST", "/runs", 201, json={
        "recipe_id": plan.recipe_id, "serial_number": "SN-1", "lot_number": "LOT-1", "station_code": station}).json()
    for index, value in ((0, 10.0), (1, 20.0)):
        res = call(client, operator, "POST", "/measurements/", 200, json=single(plan, index, value)).json()
        assert res["run_id"] == run["id"]
    assert call(client, operator, "GET", f"/runs/{run['id']}", 200).json()["status"] == "in_progress"


def test_runs_are_per_operator_serial_lot_and_version(client, factory, plan, operator):
    colleague = factory.user("MeasurementTec")
    a = call(client, operator, "POST", "/measurements/", 200, json=single(plan, 0, 10.0)).json()
    b = call(client, colleague, "POST", "/measurements/", 200, json=single(plan, 0, 10.0)).json()
    c = call(client, operator, "POST", "/measurements/", 200, json=single(plan, 0, 10.0, lot="LOT-2")).json()
    d = call(client, operator, "POST", "/measurements/", 200, json=single(plan, 0, 10.0, lot=None)).json()
    e = call(client, operator, "POST", "/measurements/", 200, json=single(plan, 1, 20.0, lot=None)).json()
    assert len({a["run_id"], b["run_id"], c["run_id"], d["run_id"]}) == 4 and e["run_id"] == d["run_id"]


def test_batch_has_the_reference_shape_and_makes_one_finished_run_per_part(client, plan, operator):
    items = [single(plan, 0, 10.0), single(plan, 1, 21.5), single(plan, 0, 10.3, serial="SN-2"),
             single(plan, 0, 10.1)]
    res = call(client, operator, "POST", "/measurements/batch", 200, json={"measurements": items}).json()
    assert [m["value"] for m in res] == [10.0, 21.5, 10.3, 10.1]
    assert all(REFERENCE_FIELDS <= set(m) for m in res)
    assert res[0]["run_id"] == res[1]["run_id"] == res[3]["run_id"] != res[2]["run_id"]
    assert res[3]["supersedes_id"] == res[0]["id"]
    [first] = runs_of(client, operator, "SN-1")
    [second] = runs_of(client, operator, "SN-2")
    assert (first["status"], first["auto_finish"], second["status"]) == ("fail", False, "warning")
    assert first["finished_at"] and second["finished_at"]


@pytest.mark.parametrize(("position", "change", "status"), [
    (2, {"subtask_id": 999_999}, 400),
    (1, {"version_id": 999_999}, 404),
    (1, {"version_id": 2**31}, 422),
    (0, {"value": "10"}, 422),
    (2, {"value": True}, 422),
    (1, {"unknown": 1}, 422),
    (2, {"serial_number": ""}, 422),
])
def test_one_bad_item_rejects_the_whole_batch(client, plan, operator, position, change, status):
    items = [single(plan, 0, 10.0), single(plan, 1, 20.0), single(plan, 0, 10.0, serial="SN-2")]
    items[position] = {**items[position], **change}
    before = (count_rows(client.app, "measurements"), count_rows(client.app, "runs"))
    res = call(client, operator, "POST", "/measurements/batch", status, json={"measurements": items}).json()
    if status in (400, 404):
        assert res["detail"].startswith(f"Item {position}:")
    else:
        assert any(e["loc"][:3] == ["body", "measurements", position] for e in res["detail"])
    assert (count_rows(client.app, "measurements"), count_rows(client.app, "runs")) == before == (0, 0)


def test_batch_on_an_old_version_is_refused(client, plans, operator):
    plan = plans.recipe(versions=2)
    old = plan.versions[0]
    items = [single(plan, 0, 10.0), {"subtask_id": old.subtask_ids[0], "version_id": old.id, "value": 1.0,
                                     "serial_number": "X"}]
    res = call(client, operator, "POST", "/measurements/batch", 400, json={"measurements": items}).json()
    assert res["detail"].startswith("Item 1:")
    assert count_rows(client.app, "measurements") == 0


@pytest.mark.parametrize("body", [{"measurements": []}, {}, {"measurements": [{}] * 1001}])
def test_batch_size_bounds(client, operator, body):
    call(client, operator, "POST", "/measurements/batch", 422, json=body)
