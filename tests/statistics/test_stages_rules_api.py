"""Corrections keep their place, stages per tolerance, out-of-tolerance marks and run rules per characteristic."""

from __future__ import annotations

import numpy as np
import pytest


def test_a_corrected_value_keeps_the_place_of_the_value_it_corrects(shop):
    c = shop.characteristic(nominal=10.5, ltl=9.0, utl=12.0)
    stored = shop.measure(c, [10.0 + k / 10 for k in range(10)])
    shop.correct(stored[3]["id"], 10.25)
    in_place = [10.0, 10.1, 10.2, 10.25, 10.4, 10.5, 10.6, 10.7, 10.8, 10.9]
    chart = shop.stats("control-chart", c)
    assert [p["y"] for p in chart["points"]] == pytest.approx(in_place)
    assert chart["secondary"]["center_line"] == pytest.approx(np.mean(np.abs(np.diff(in_place))))
    assert chart["secondary"]["center_line"] != pytest.approx(0.1722, abs=1e-4)
    assert chart["points"][3]["measurement_id"] != stored[3]["id"]


def test_a_correction_of_a_correction_stays_in_place_too(shop):
    c = shop.characteristic(nominal=10.5, ltl=9.0, utl=12.0)
    stored = shop.measure(c, [10.0, 10.1, 10.2, 10.3])
    first = shop.correct(stored[1]["id"], 10.5)
    shop.correct(first["id"], 10.15)
    assert [p["y"] for p in shop.stats("control-chart", c)["points"]] == pytest.approx([10.0, 10.15, 10.2, 10.3])


def test_each_tolerance_stage_has_its_own_limits_and_capability(shop):
    c = shop.characteristic(nominal=10.0, ltl=9.9, utl=10.1)
    rng = np.random.default_rng(7)
    first = 10.0 + rng.normal(0, 0.01, 30)
    shop.measure(c, first)
    v2 = shop.new_version(c, ltl=9.0, utl=11.0)
    second = 10.3 + rng.normal(0, 0.05, 30)
    shop.measure(v2, second)
    chart = shop.stats("control-chart", v2)
    assert chart["tolerance_changed"] and len(chart["stages"]) == 2
    one, two = chart["stages"]
    assert (one["first_x"], one["last_x"], two["first_x"], two["last_x"]) == (0, 29, 30, 59)
    assert (one["lsl"], one["usl"], two["lsl"], two["usl"]) == (9.9, 10.1, 9.0, 11.0)
    assert one["center_line"] == pytest.approx(first.mean()) and two["center_line"] == pytest.approx(second.mean())
    assert (chart["ucl"], chart["center_line"]) == (two["ucl"], two["center_line"])
    assert any("tolerances change" in note for note in chart["notes"])
    assert {p["stage"] for p in chart["points"] if p["x"] < 30} == {0}
    # Without stages the jump from 10.0 to 10.3 would fire rule 1 against pooled limits.
    assert not [p["x"] for p in chart["points"] if 1 in p["rules"]]
    alone = shop.stats("capability", c, version_id=c.version_id)
    capability = shop.stats("capability", v2)
    assert capability["tolerance_changed"] and capability["stages"][0]["cpk"] == pytest.approx(alone["cpk"])
    assert capability["n"] == 30 and capability["cpk"] == pytest.approx(capability["stages"][1]["cpk"])


def test_out_of_tolerance_points_are_marked_apart_from_out_of_control(shop):
    c = shop.characteristic(nominal=10.0, ltl=9.5, utl=10.5)
    shop.measure(c, [10.0, 10.1, 9.9, 10.6, 10.0, 10.05])
    chart = shop.stats("control-chart", c)
    assert chart["out_of_tolerance_indices"] == [3]
    assert chart["points"][3]["out_of_tolerance"] and chart["points"][3]["pass_fail"] == "fail"
    assert not chart["points"][0]["out_of_tolerance"]
    grouped = shop.stats("control-chart", c, chart="xbar_r", subgroup_size=2)
    assert grouped["out_of_tolerance_indices"] == [1]
    assert [m["pass_fail"] for m in grouped["points"][1]["members"]] == ["pass", "fail"]


def put_rules(shop, c, **body):
    """PUT /api/statistics/rules as the metrologist."""
    return shop.client.put("/api/statistics/rules", headers=shop.metrologist.headers,
                           json={"recipe_id": c.recipe_id, "subtask_id": c.subtask_id, **body})


def test_rules_per_characteristic_with_k_values(shop):
    c = shop.characteristic(nominal=10.0, ltl=9.0, utl=11.0)
    shop.measure(c, [10.0, 9.8, 10.2, 10.1, 9.9] * 4 + [10.05] * 7)
    default = shop.stats("rules", c)
    assert default["configured"] is False and default["rule_set"] == "we" and default["secondary_rules"] == [1]
    assert shop.stats("control-chart", c)["out_of_control_total"] == 0  # 7 in a row: below WE's 8
    response = put_rules(shop, c, rule_set="nelson", enabled=[1, 2], k_values={"2": 7})
    assert response.status_code == 200, response.text
    assert response.json()["descriptions"]["2"] == "7 points in a row on the same side of the centre line"
    chart = shop.stats("control-chart", c)
    assert chart["rules"] == "nelson" and chart["rules_source"] == "characteristic"
    assert [r["rule"] for r in chart["rule_descriptions"]] == [1, 2]
    assert chart["out_of_control_indices"] == [26] and chart["points"][26]["rules"] == [2]
    asked = shop.stats("control-chart", c, rules="we")
    assert asked["rules_source"] == "query" and asked["out_of_control_total"] == 0


@pytest.mark.parametrize("body, status, message", [
    ({"rule_set": "we", "enabled": [5]}, 409, "rule 5 is not in rule set we"),
    ({"rule_set": "nelson", "enabled": [1], "k_values": {"2": 1}}, 422, "K of rule 2"),
    ({"rule_set": "nelson", "enabled": [1], "k_values": {"1": 9}}, 422, "K of rule 1"),
    ({"rule_set": "nelson", "enabled": [1], "k_values": {"x": 3}}, 422, "pattern"),
    ({"rule_set": "nelson", "enabled": [9]}, 422, "less than or equal to 8"),
])
def test_bad_rule_configurations_are_refused(shop, body, status, message):
    c = shop.characteristic(nominal=10.0, ltl=9.0, utl=11.0)
    response = put_rules(shop, c, **body)
    assert response.status_code == status and message in response.text
