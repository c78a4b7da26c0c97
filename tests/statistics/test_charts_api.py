"""Control charts, histograms, summary and the subtask list through the HTTP API."""

from __future__ import annotations

import numpy as np
import pytest

from tiemeasureflow import spc

# Twenty values alternating around the mean, then one far above: I-MR flags the last point (rule 1).
# Nelson also flags the alternation (rule 4: 14 points up and down) from the 14th point on, and the
# calm (rule 7: 15 points within 1 sigma) from the 15th.
ALTERNATING_THEN_SHIFT = [9.9, 10.1] * 10 + [11.0]


def test_rules_flag_points_and_say_which(shop):
    c = shop.characteristic(nominal=10.0, ltl=9.0, utl=13.0)
    shop.measure(c, ALTERNATING_THEN_SHIFT)
    we = shop.stats("control-chart", c)
    assert we["rules"] == "we" and [r["rule"] for r in we["rule_descriptions"]] == [1, 2, 3, 4]
    assert we["out_of_control_indices"] == [20] and we["points"][20]["rules"] == [1]
    assert we["out_of_control_total"] == 1
    nelson = shop.stats("control-chart", c, rules="nelson")
    assert len(nelson["rule_descriptions"]) == 8
    assert nelson["out_of_control_indices"] == list(range(13, 21))
    assert [p["rules"] for p in nelson["points"][13:]] == [[4]] + [[4, 7]] * 6 + [[1]]
    assert {r["rule"]: r["count"] for r in nelson["rule_descriptions"]} == {1: 1, 2: 0, 3: 0, 4: 7, 5: 0, 6: 0,
                                                                             7: 6, 8: 0}


def test_limit_returns_the_newest_points_while_the_statistics_use_all(shop):
    values = [10.0 + 0.01 * (i % 7) for i in range(30)]
    c = shop.characteristic(nominal=10.0, ltl=9.0, utl=11.0)
    stored = shop.measure(c, values)
    body = shop.stats("control-chart", c, limit=10)
    assert [p["x"] for p in body["points"]] == list(range(20, 30))
    assert [p["measurement_id"] for p in body["points"]] == [m["id"] for m in stored[20:]]
    assert body["center_line"] == pytest.approx(np.mean(values)) and body["points_total"] == 30
    assert [p["x"] for p in body["secondary"]["points"]] == list(range(20, 30))
    assert any("newest 10" in note for note in body["notes"])


def test_each_point_carries_what_a_metrologist_hovers_for(shop, operator):
    c = shop.characteristic(nominal=10.0, ltl=9.0, utl=11.0)
    stored = shop.measure(c, [10.0, 10.2], lot="LOT-7")
    point = shop.stats("control-chart", c)["points"][1]
    assert point == {
        "x": 1, "y": 10.2, "timestamp": stored[1]["measured_at"], "rules": [], "measurement_id": stored[1]["id"],
        "subgroup": None, "serial_number": stored[1]["serial_number"], "lot_number": "LOT-7",
        "operator_id": operator.id, "operator": "Operator", "station_id": None, "station_code": None,
        "version_id": c.version_id, "version_number": 1, "members": None,
        "pass_fail": "pass", "out_of_tolerance": False, "stage": 0,
    }


@pytest.mark.parametrize("chart,secondary", [("xbar_r", "r"), ("xbar_s", "s")])
def test_xbar_charts_group_consecutive_values_and_leave_out_an_incomplete_subgroup(shop, chart, secondary):
    values = [10.0, 10.2, 9.9, 10.1, 10.3, 9.8, 10.0, 10.1, 10.2]
    c = shop.characteristic(nominal=10.0, ltl=9.0, utl=11.0)
    stored = shop.measure(c, values)
    body = shop.stats("control-chart", c, chart=chart, subgroup_size=4)
    expected = spc.control_chart(values, chart, 4)
    assert [p["y"] for p in body["points"]] == pytest.approx(expected.primary_values.tolist())
    assert (body["ucl"], body["center_line"]) == pytest.approx((expected.primary.ucl, expected.primary.center))
    assert body["secondary"]["name"] == secondary
    assert body["secondary"]["ucl"] == pytest.approx(expected.secondary.ucl)
    assert body["values_used"] == 8 and body["values_left_out"] == 1
    assert "do not fill a subgroup" in body["notes"][0]
    first = body["points"][0]
    assert first["subgroup"] == 0 and first["measurement_id"] is None
    assert [m["measurement_id"] for m in first["members"]] == [m["id"] for m in stored[:4]]
    assert first["timestamp"] == stored[3]["measured_at"]


def test_xbar_s_needs_its_estimator_name_and_bad_chart_options_are_422(shop):
    c = shop.characteristic(nominal=10.0, ltl=9.0, utl=11.0)
    shop.measure(c, [10.0, 10.1, 10.2, 9.9])
    assert shop.stats("control-chart", c, chart="xbar_s", subgroup_size=2)["sigma_estimator"] == "S-bar/c4(n)"
    base = {"recipe_id": c.recipe_id, "subtask_id": c.subtask_id}
    for params in ({"chart": "xbar_r"}, {"chart": "xbar_r", "subgroup_size": 1}, {"chart": "imr", "subgroup_size": 3},
                   {"chart": "xbar_r", "subgroup_size": 11}, {"chart": "p"}, {"rules": "minitab"}, {"limit": 0},
                   {"limit": 10_001}, {"constants": "rounded"}):
        response = shop.get("control-chart", **base, **params)
        assert response.status_code == 422, params
    for params in ({"subgroup_size": 0}, {"subgroup_size": 26}, {"estimator": "mad"}):
        assert shop.get("capability", **base, **params).status_code == 422, params


def test_capability_subgroup_size_chooses_the_estimator(shop):
    values = [10.0, 10.2, 9.9, 10.1, 10.3, 9.8, 10.0, 10.1]
    c = shop.characteristic(nominal=10.0, ltl=9.0, utl=11.0)
    shop.measure(c, values)
    individuals = shop.stats("capability", c)
    assert individuals["sigma_estimator"] == "MR-bar/d2(2)" and individuals["subgroup_size"] == 1
    r_bar = shop.stats("capability", c, subgroup_size=4)
    assert r_bar["sigma_within"] == pytest.approx(spc.sigma_within(values, 4).value)
    s_bar = shop.stats("capability", c, subgroup_size=4, estimator="s_bar")
    assert s_bar["sigma_within"] == pytest.approx(spc.sigma_within(values, 4, "s_bar").value)
    assert s_bar["cpk_ci"]["lower"] < s_bar["cpk"] < s_bar["cpk_ci"]["upper"]
    assert "Bissell" in s_bar["cpk_ci"]["method"] and s_bar["ppk_ci"]["confidence"] == 0.95


def test_histogram(shop):
    rng = np.random.default_rng(11)
    values = [round(v, 4) for v in rng.normal(10.0, 0.1, 60)]
    c = shop.characteristic(nominal=10.0, ltl=9.6, utl=10.4)
    shop.measure(c, values)
    body = shop.stats("histogram", c, n_bins=12)
    assert len(body["bins"]) == 13 and len(body["frequencies"]) == 12 and sum(body["frequencies"]) == 60
    assert len(body["normal_curve_y"]) == 12 and len(body["bin_centers"]) == 12
    expected = spc.histogram(np.array(values), 12, 9.6, 10.4)
    assert body["normal_curve_y"] == pytest.approx(expected.curve_at_centers.tolist())
    assert body["normal_curve"]["x"][0] <= 9.6 and body["normal_curve"]["x"][-1] >= 10.4
    assert (body["spec"]["lsl"], body["spec"]["usl"], body["spec"]["nominal"]) == (9.6, 10.4, 10.0)
    for bins in (4, 101):
        assert shop.get("histogram", recipe_id=c.recipe_id, subtask_id=c.subtask_id, n_bins=bins).status_code == 422


def test_summary_counts_judgments_of_a_recipe_or_a_characteristic(shop):
    c = shop.characteristic(nominal=10.0, ltl=9.5, lwl=9.8, uwl=10.2, utl=10.5)
    shop.measure(c, [10.0, 10.1, 10.3, 10.6, 9.0, 10.0, 9.9, 10.05])
    expected = {"total": 8, "pass_count": 5, "warning_count": 1, "fail_count": 2, "pass_percentage": 62.5,
                "warning_percentage": 12.5, "fail_percentage": 25.0}
    assert shop.ok("summary", recipe_id=c.recipe_id) == expected
    assert shop.stats("summary", c) == expected
    assert shop.stats("summary", c, lot_number="NONE")["total"] == 0


def test_subtasks_of_the_current_or_a_given_version(shop):
    c = shop.characteristic(nominal=10.0, ltl=9.5, utl=10.5)
    shop.measure(c, [10.0])
    v2 = shop.new_version(c, utl=10.4)
    [current] = shop.ok("subtasks", recipe_id=c.recipe_id)
    assert current["id"] == v2.subtask_id and current["utl"] == 10.4 and current["task_title"] == "Turning"
    assert current["characteristic_id"] == shop.ok("subtasks", recipe_id=c.recipe_id, version_id=c.version_id)[0][
        "characteristic_id"]
    [old] = shop.ok("subtasks", recipe_id=c.recipe_id, version_id=c.version_id)
    assert old["id"] == c.subtask_id and old["utl"] == 10.5
    assert shop.get("subtasks", recipe_id=999_999).status_code == 404
    assert shop.get("subtasks", recipe_id=c.recipe_id, version_id=999_999).status_code == 404
