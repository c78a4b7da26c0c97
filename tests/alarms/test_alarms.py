"""Alarms: raised on out-of-tolerance values, run rules and capability; acknowledged with a cause."""

from __future__ import annotations

from tests.measurements.helpers import add, call, start_run

from .conftest import wait_for
from .helpers import alarms, batch


def test_out_of_tolerance_value_raises_an_alarm_at_once(client, operator, metrologist, plans):
    plan = plans.recipe()
    station = plans.station()
    run = start_run(client, operator, plan, station, serial="S-1")
    stored = add(client, operator, run["id"], plan.subtask_ids[0], 10.7)
    page = alarms(client, metrologist, status="open", kind="tolerance")
    assert page["total"] == 1
    alarm = page["items"][0]
    assert alarm["measurement_id"] == stored["id"] and alarm["value"] == 10.7
    assert alarm["run"]["id"] == run["id"] and alarm["run"]["serial_number"] == "S-1"
    assert alarm["station"]["code"] == station
    assert alarm["operator"]["username"] == "operator"
    assert alarm["characteristic"]["subtask_id"] == plan.subtask_ids[0]
    assert alarm["recipe"]["id"] == plan.recipe_id
    assert alarm["status"] == "open" and alarm["acknowledgement"] is None
    add(client, operator, run["id"], plan.subtask_ids[1], 20.0)
    assert alarms(client, metrologist)["total"] == 1  # a passing value raises nothing


def test_batch_raises_one_alarm_per_failed_value(client, operator, metrologist, plans):
    plan = plans.recipe()
    batch(client, operator, plan, [10.0, 11.0, 10.1, 8.0])
    page = alarms(client, metrologist, kind="tolerance", recipe_id=plan.recipe_id)
    assert sorted(a["value"] for a in page["items"]) == [8.0, 11.0]
    assert all(a["station"] is None for a in page["items"])
    assert alarms(client, metrologist, subtask_id=plan.subtask_ids[1])["total"] == 0
    assert alarms(client, metrologist, subtask_id=plan.subtask_ids[0])["total"] == 2


def test_acknowledge_with_a_catalog_cause(client, operator, metrologist, plans):
    plan = plans.recipe()
    batch(client, operator, plan, [11.0])
    alarm_id = alarms(client, metrologist)["items"][0]["id"]
    causes = call(client, operator, "GET", "/assignable-causes", 200).json()
    assert "other" in {c["code"] for c in causes}
    body = {"cause": "tool_wear", "action": "Insert changed, offset reset", "note": "checked 5 parts"}
    call(client, operator, "POST", f"/alarms/{alarm_id}/acknowledge", 403, json=body)
    call(client, metrologist, "POST", f"/alarms/{alarm_id}/acknowledge", 422, json={**body, "cause": "nope"})
    done = call(client, metrologist, "POST", f"/alarms/{alarm_id}/acknowledge", 200, json=body).json()
    assert done["status"] == "acknowledged"
    ack = done["acknowledgement"]
    assert ack["by"]["username"] == "metrologist" and ack["cause"]["code"] == "tool_wear"
    assert ack["action"] == body["action"] and ack["note"] == body["note"] and ack["at"]
    call(client, metrologist, "POST", f"/alarms/{alarm_id}/acknowledge", 409, json=body)
    assert alarms(client, metrologist, status="open")["total"] == 0
    assert alarms(client, metrologist, status="acknowledged")["total"] == 1
    assert call(client, metrologist, "GET", f"/alarms/{alarm_id}", 200).json()["acknowledgement"]["cause"]["code"] \
        == "tool_wear"
    call(client, metrologist, "GET", "/alarms/999999", 404)


def test_admin_maintains_the_cause_catalog(client, admin, metrologist, operator, plans):
    call(client, metrologist, "POST", "/assignable-causes", 403, json={"code": "coolant", "name": "Coolant"})
    made = call(client, admin, "POST", "/assignable-causes", 201, json={"code": "coolant", "name": "Coolant"}).json()
    call(client, admin, "POST", "/assignable-causes", 409, json={"code": "coolant", "name": "Again"})
    call(client, admin, "PATCH", f"/assignable-causes/{made['id']}", 200, json={"active": False})
    plan = plans.recipe()
    batch(client, operator, plan, [11.0])
    alarm_id = alarms(client, metrologist)["items"][0]["id"]
    call(client, metrologist, "POST", f"/alarms/{alarm_id}/acknowledge", 422,
         json={"cause": "coolant", "action": "none"})
    active = call(client, metrologist, "GET", "/assignable-causes", 200, params={"active_only": True}).json()
    assert "coolant" not in {c["code"] for c in active}


def test_a_run_rule_raises_an_alarm_after_commit(client, operator, metrologist, plans):
    plan = plans.recipe([{"nominal": 10.0, "ltl": 9.0, "utl": 11.0}])
    stable = [10.0 + 0.01 * ((i * 7) % 5 - 2) for i in range(30)]
    batch(client, operator, plan, stable)
    batch(client, operator, plan, [10.5], serial_prefix="Q")  # within tolerance, far beyond 3 sigma
    found = wait_for(lambda: alarms(client, metrologist, kind="rule")["items"], "a rule alarm")
    alarm = found[0]
    assert alarm["rule"].startswith("we:") and "1" in alarm["rule"].split(":")[1].split(",")
    assert alarm["value"] == 10.5
    assert alarm["limits"]["source"] == "computed" and alarm["limits"]["ucl"] < 10.5
    assert alarms(client, metrologist, kind="tolerance")["total"] == 0


def test_capability_below_the_characteristics_target_raises_one_alarm(client, operator, maker, metrologist, plans):
    plan = plans.recipe([{"nominal": 10.0, "ltl": 9.9, "utl": 10.1}])
    spread = [10.0 + 0.04 * ((i * 7) % 5 - 2) for i in range(40)]  # within tolerance, Cpk far below 1.33
    batch(client, operator, plan, spread)
    found = wait_for(lambda: alarms(client, metrologist, kind="capability")["items"], "a capability alarm")
    assert found[0]["cpk"] < 1.33 and found[0]["cpk_target"] == 1.33
    batch(client, operator, plan, spread, serial_prefix="R")
    assert alarms(client, metrologist, kind="capability")["total"] == 1  # one open at a time


def test_a_frozen_limit_set_is_what_run_rules_judge_against(client, operator, metrologist, plans):
    plan = plans.recipe([{"nominal": 10.0, "ltl": 9.0, "utl": 11.0}])
    stable = [10.0 + 0.01 * ((i * 7) % 5 - 2) for i in range(30)]
    batch(client, operator, plan, stable)
    frozen = call(client, metrologist, "PUT", "/statistics/control-limits", None, json={
        "recipe_id": plan.recipe_id, "subtask_id": plan.subtask_ids[0], "chart": "imr", "subgroup_size": 1,
        "baseline_points": 30, "reason": "phase I complete"})
    assert frozen.status_code in (200, 201), frozen.text
    limit_set = frozen.json()
    batch(client, operator, plan, [10.5], serial_prefix="Q")
    found = wait_for(lambda: alarms(client, metrologist, kind="rule")["items"], "a rule alarm")
    limits = found[0]["limits"]
    assert limits["source"] == "frozen" and limits["set_id"] == limit_set["id"]
    assert limits["ucl"] == limit_set["ucl"]


def test_run_rule_alarms_follow_the_characteristics_configured_rules(client, operator, metrologist, plans):
    plan = plans.recipe([{"nominal": 10.0, "ltl": 9.0, "utl": 11.0}])
    call(client, metrologist, "PUT", "/statistics/rules", 200, json={
        "recipe_id": plan.recipe_id, "subtask_id": plan.subtask_ids[0], "rule_set": "nelson", "enabled": [1]})
    batch(client, operator, plan, [10.0 + 0.01 * ((i * 7) % 5 - 2) for i in range(30)])
    batch(client, operator, plan, [10.5], serial_prefix="Q")
    found = wait_for(lambda: alarms(client, metrologist, kind="rule")["items"], "a rule alarm")
    assert found[0]["rule"] == "nelson:1"
    assert found[0]["limits"]["rule_set"] == "nelson"
