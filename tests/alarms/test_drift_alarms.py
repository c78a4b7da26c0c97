"""EWMA and CUSUM alarms: a characteristic that watches one of these charts is alarmed when it signals."""

from __future__ import annotations

from tests.measurements.helpers import call
from tests.spc.time_weighted import NIST_CUSUM, NIST_CUSUM_SIGNALS, NIST_CUSUM_VALUES

from .conftest import wait_for
from .helpers import alarms, batch


def watch(client, metrologist, plan, drift: dict | None, enabled: list[int]) -> dict:
    """PUT /api/statistics/rules with the run rules switched on and the drift chart watched."""
    return call(client, metrologist, "PUT", "/statistics/rules", 200, json={
        "recipe_id": plan.recipe_id, "subtask_id": plan.subtask_ids[0], "rule_set": "we", "enabled": enabled,
        "drift": drift}).json()


def test_the_nist_cusum_raises_one_alarm_at_its_signals(client, operator, metrologist, plans):
    plan = plans.recipe([{"nominal": 325.0, "ltl": 320.0, "utl": 330.0}])
    p = NIST_CUSUM
    config = watch(client, metrologist, plan, {"chart": "cusum", "target": p["target"], "sigma": p["sigma"],
                                               "cusum_k": p["k"], "cusum_h": p["H"] / p["sigma"]}, [])
    assert config["drift"]["chart"] == "cusum" and config["drift"]["target"] == 325.0
    before = batch(client, operator, plan, NIST_CUSUM_VALUES[:12])
    after = batch(client, operator, plan, NIST_CUSUM_VALUES[12:], serial_prefix="Q")
    found = wait_for(lambda: alarms(client, metrologist, kind="rule")["items"], "a CUSUM alarm")
    assert len(found) == 1
    alarm = found[0]
    ids = [s["id"] for s in before + after]
    assert alarm["rule"] == "cusum" and alarm["measurement_id"] == ids[NIST_CUSUM_SIGNALS[0]]
    assert sorted(alarm["measurement_ids"]) == sorted(ids[i] for i in NIST_CUSUM_SIGNALS)
    assert alarm["limits"]["source"] == "settings" and alarm["limits"]["cusum_h"] == p["H"] / p["sigma"]
    assert alarms(client, metrologist, kind="tolerance")["total"] == 0


def test_an_ewma_alarm_uses_the_history_and_stays_apart_from_run_rule_alarms(client, operator, metrologist, plans):
    plan = plans.recipe([{"nominal": 10.0, "ltl": 9.0, "utl": 11.0}])
    watch(client, metrologist, plan, {"chart": "ewma", "ewma_lambda": 0.2, "ewma_l": 3.0}, [1])
    stable = [10.0 + 0.01 * ((i * 7) % 5 - 2) for i in range(30)]
    batch(client, operator, plan, stable)
    # A shift of about 1.9 sigma (sigma ~ 0.021): no point beyond 3 sigma; the EWMA crosses its limit at the 4th.
    batch(client, operator, plan, [10.04] * 8, serial_prefix="Q")
    found = wait_for(lambda: [a for a in alarms(client, metrologist, kind="rule")["items"] if a["rule"] == "ewma"],
                     "an EWMA alarm")
    assert found[0]["limits"]["source"] == "computed" and found[0]["limits"]["ewma_lambda"] == 0.2
    assert not [a for a in alarms(client, metrologist, kind="rule")["items"] if a["rule"].startswith("we:")]
    cleared = watch(client, metrologist, plan, None, [1])
    assert cleared["drift"] is None
