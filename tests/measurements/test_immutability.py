"""Nothing stored changes: no update or delete route, database triggers, audited corrections only."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.fixtures.database import USING_POSTGRES
from tests.measurements.helpers import audit_actions, call, count_rows, single


@pytest.fixture
def plan(plans):
    return plans.recipe()


@pytest.fixture
def measured(client, plan, operator) -> dict:
    return call(client, operator, "POST", "/measurements/", 200, json=single(plan, 0, 10.0)).json()


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE"])
def test_no_route_updates_or_deletes_a_measurement(client, measured, metrologist, method):
    for path in (f"/measurements/{measured['id']}", "/measurements/"):
        res = call(client, metrologist, method, path, 405, json={"value": 1.0})
        assert "GET" in res.headers["allow"] and "detail" in res.json()
    assert call(client, metrologist, "GET", f"/measurements/{measured['id']}", 200).json()["value"] == 10.0


def test_the_triggers_exist(app):
    with app.state.engine.connect() as conn:
        if USING_POSTGRES:
            rows = conn.execute(sa.text(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = 'measurements'::regclass AND NOT tgisinternal"))
            assert {r[0] for r in rows} == {"measurements_no_change", "measurements_no_truncate",
                                            "measurements_supersedes_ref"}
        else:
            rows = conn.execute(sa.text(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'measurements'"))
            assert {r[0] for r in rows} == {"measurements_no_update", "measurements_no_delete"} | {
                f"ck_measurements_{column}_{op}" for column in ("pass_fail", "input_method") for op in ("insert", "update")}


@pytest.mark.parametrize("statement", [
    "UPDATE measurements SET value = 99.0",
    "UPDATE measurements SET pass_fail = 'pass' WHERE id = :id",
    "DELETE FROM measurements WHERE id = :id",
    "DELETE FROM measurements",
])
def test_the_database_refuses_raw_updates_and_deletes(app, measured, statement):
    with pytest.raises(sa.exc.DatabaseError, match="insert-only"):
        with app.state.engine.begin() as conn:
            conn.execute(sa.text(statement), {"id": measured["id"]})
    with app.state.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT value FROM measurements")).scalar_one() == 10.0


def test_a_correction_supersedes_is_judged_afresh_and_audited(client, plan, measured, metrologist, admin):
    body = {"value": 10.45, "reason": "Caliper not zeroed"}
    fixed = call(client, metrologist, "POST", f"/measurements/{measured['id']}/corrections", 201, json=body).json()
    assert fixed["supersedes_id"] == measured["id"] and fixed["correction_reason"] == "Caliper not zeroed"
    assert (fixed["value"], fixed["pass_fail"]) == (10.45, "warning")
    assert fixed["run_id"] == measured["run_id"] and fixed["measured_by"] == metrologist.id
    assert fixed["serial_number"] == measured["serial_number"] and fixed["subtask_id"] == measured["subtask_id"]
    old = call(client, metrologist, "GET", f"/measurements/{measured['id']}", 200).json()
    assert old["value"] == 10.0 and old["superseded_by_id"] == fixed["id"]
    assert audit_actions(client.app, "measurement") == [("correct", str(fixed["id"]))]
    event = call(client, admin, "GET", "/audit?entity_type=measurement", 200).json()["items"][0]
    assert event["old_values"]["value"] == 10.0 and event["new_values"]["reason"] == "Caliper not zeroed"
    assert event["actor_id"] == metrologist.id


def test_lists_show_the_latest_value_unless_the_history_is_asked_for(client, measured, metrologist):
    fixed = call(client, metrologist, "POST", f"/measurements/{measured['id']}/corrections", 201,
                 json={"value": 10.1, "reason": "typo"}).json()
    latest = call(client, metrologist, "GET", "/measurements/", 200).json()
    assert [m["id"] for m in latest["items"]] == [fixed["id"]] and latest["total"] == 1
    history = call(client, metrologist, "GET", "/measurements/?include_superseded=true", 200).json()
    assert {m["id"] for m in history["items"]} == {measured["id"], fixed["id"]}


def test_only_the_latest_value_can_be_corrected(client, measured, metrologist):
    path = f"/measurements/{measured['id']}/corrections"
    fixed = call(client, metrologist, "POST", path, 201, json={"value": 10.1, "reason": "one"}).json()
    res = call(client, metrologist, "POST", path, 409, json={"value": 10.2, "reason": "two"}).json()
    assert str(fixed["id"]) in res["detail"]


@pytest.mark.parametrize("body", [
    {"value": 1.0}, {"value": 1.0, "reason": ""}, {"value": 1.0, "reason": "   "}, {"value": 1.0, "reason": "a\x00"},
    {"value": "1", "reason": "x"}, {"reason": "x"}, {"value": 1.0, "reason": "x", "id": 3},
])
def test_a_correction_needs_a_value_and_a_reason(client, measured, metrologist, body):
    call(client, metrologist, "POST", f"/measurements/{measured['id']}/corrections", 422, json=body)
    assert count_rows(client.app, "measurements") == 1


def test_correcting_an_unknown_measurement_is_404(client, metrologist):
    call(client, metrologist, "POST", "/measurements/12345/corrections", 404, json={"value": 1.0, "reason": "x"})
    call(client, metrologist, "GET", "/measurements/12345", 404)


def test_a_finished_runs_status_follows_its_corrections(client, plan, operator, metrologist):
    items = [single(plan, 0, 12.0), single(plan, 1, 20.0)]
    failed, _ = call(client, operator, "POST", "/measurements/batch", 200, json={"measurements": items}).json()
    run_path = f"/runs/{failed['run_id']}"
    assert call(client, metrologist, "GET", run_path, 200).json()["status"] == "fail"
    call(client, metrologist, "POST", f"/measurements/{failed['id']}/corrections", 201,
         json={"value": 10.0, "reason": "Wrong balloon read"})
    run = call(client, metrologist, "GET", run_path, 200).json()
    assert run["status"] == "pass"
    assert [m["value"] for m in run["measurements"] if m["subtask_id"] == plan.subtask_ids[0]] == [10.0]


def test_an_aborted_run_stays_aborted_after_a_correction(client, plans, plan, operator, metrologist):
    run = call(client, operator, "POST", "/runs", 201, json={
        "recipe_id": plan.recipe_id, "serial_number": "S", "station_code": plans.station()}).json()
    value = call(client, operator, "POST", f"/runs/{run['id']}/measurements", 201,
                 json={"subtask_id": plan.subtask_ids[0], "value": 12.0}).json()
    call(client, operator, "POST", f"/runs/{run['id']}/abort", 200)
    call(client, metrologist, "POST", f"/measurements/{value['id']}/corrections", 201,
         json={"value": 10.0, "reason": "r"})
    assert call(client, metrologist, "GET", f"/runs/{run['id']}", 200).json()["status"] == "aborted"
