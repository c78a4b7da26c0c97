"""Frozen control limits (phase II), checked on Montgomery's piston rings, through HTTP."""

from __future__ import annotations

import pytest

from .pistonrings import VALUES


def freeze(shop, c, **body):
    """PUT /api/statistics/control-limits as the metrologist."""
    payload = {"recipe_id": c.recipe_id, "subtask_id": c.subtask_id, "reason": "phase I complete", **body}
    return shop.client.put("/api/statistics/control-limits", json=payload, headers=shop.metrologist.headers)


def beyond_ucl(chart: dict) -> list[int]:
    """1-based subgroup numbers above the UCL."""
    return [p["x"] + 1 for p in chart["points"] if p["y"] > chart["ucl"]]


@pytest.fixture
def rings(shop):
    """The 200 diameters measured in subgroup order."""
    c = shop.characteristic(nominal=74.0, ltl=73.95, utl=74.05)
    shop.measure(c, VALUES)
    return c


def test_limits_frozen_from_subgroups_1_to_25_flag_37_38_39(shop, rings):
    created = freeze(shop, rings, chart="xbar_r", subgroup_size=5, baseline_subgroups=25)
    assert created.status_code == 201, created.text
    limit_set = created.json()
    assert limit_set["center_line"] == pytest.approx(74.00118, abs=1e-5)
    assert limit_set["secondary_center_line"] == pytest.approx(0.02276, abs=1e-5)
    assert limit_set["ucl"] == pytest.approx(74.0143, abs=1e-4) and limit_set["lcl"] == pytest.approx(73.9880, abs=1e-4)
    assert limit_set["sigma"] == pytest.approx(0.02276 / 2.326, rel=1e-3)
    assert limit_set["target"] == 74.0 and limit_set["baseline"] == {"subgroups": 25}
    assert limit_set["values_used"] == 125 and limit_set["subgroups_used"] == 25 and limit_set["active"]

    chart = shop.stats("control-chart", rings, chart="xbar_r", subgroup_size=5)
    assert chart["limits_source"] == "frozen" and chart["limit_set_id"] == limit_set["id"]
    assert (chart["ucl"], chart["center_line"], chart["lcl"]) == (limit_set["ucl"], limit_set["center_line"],
                                                                 limit_set["lcl"])
    assert beyond_ucl(chart) == [37, 38, 39]
    assert {36, 37, 38} <= set(chart["out_of_control_indices"])
    assert all(1 in p["rules"] for p in chart["points"] if p["x"] in (36, 37, 38))
    assert chart["secondary"]["center_line"] == limit_set["secondary_center_line"]


def test_limits_pooled_over_all_40_flag_only_38_and_39(shop, rings):
    chart = shop.stats("control-chart", rings, chart="xbar_r", subgroup_size=5)
    assert chart["limits_source"] == "computed" and chart["limit_set_id"] is None
    assert chart["center_line"] == pytest.approx(74.0036, abs=1e-4)
    assert beyond_ucl(chart) == [38, 39]


def test_another_chart_kind_or_size_keeps_computed_limits(shop, rings):
    assert freeze(shop, rings, chart="xbar_r", subgroup_size=5, baseline_subgroups=25).status_code == 201
    assert shop.stats("control-chart", rings, chart="xbar_s", subgroup_size=5)["limits_source"] == "computed"
    assert shop.stats("control-chart", rings, chart="xbar_r", subgroup_size=4)["limits_source"] == "computed"
    assert shop.stats("control-chart", rings)["limits_source"] == "computed"


def test_sets_are_listed_newest_first_and_history_is_kept(shop, rings):
    first = freeze(shop, rings, chart="xbar_r", subgroup_size=5, baseline_subgroups=25).json()
    second = freeze(shop, rings, chart="xbar_r", subgroup_size=5, baseline_points=100, reason="after new tool").json()
    imr = freeze(shop, rings, chart="imr", baseline_points=50).json()
    listed = shop.ok("control-limits", recipe_id=rings.recipe_id, subtask_id=rings.subtask_id)
    assert [s["id"] for s in listed] == [imr["id"], second["id"], first["id"]]
    assert [s["active"] for s in listed] == [True, True, False]
    assert listed[1]["reason"] == "after new tool" and listed[1]["created_by"] == shop.metrologist.id
    assert listed[1]["baseline"] == {"points": 100} and listed[1]["subgroups_used"] == 20
    chart = shop.stats("control-chart", rings, chart="xbar_r", subgroup_size=5)
    assert chart["limit_set_id"] == second["id"]


def test_excluded_subgroups_leave_the_baseline_with_their_reason_audited(shop, client, admin):
    c = shop.characteristic(nominal=74.0, ltl=73.95, utl=74.05)
    stored = shop.measure(c, VALUES)
    excluded = stored[13 * 5 + 1]["id"]  # 73.967 in subgroup 14
    created = freeze(shop, c, chart="xbar_r", subgroup_size=5, baseline_subgroups=25,
                     exclusions=[{"measurement_id": excluded, "reason": "chip under the anvil"}])
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["subgroups_used"] == 24 and body["values_used"] == 120
    assert body["exclusions"] == [{"measurement_id": excluded, "reason": "chip under the anvil"}]
    kept = [g for k, g in enumerate(zip(*[iter(VALUES)] * 5, strict=False)) if k < 25 and k != 13]
    assert body["center_line"] == pytest.approx(sum(map(sum, kept)) / 120, abs=1e-9)
    events = client.get("/api/audit", params={"entity_type": "control_limit_set"}, headers=admin.headers).json()
    recorded = [e for e in events["items"] if e["entity_id"] == str(body["id"])]
    assert recorded and recorded[0]["new_values"]["exclusions"][0]["reason"] == "chip under the anvil"


def test_time_range_baseline(shop):
    c = shop.characteristic(nominal=10.0, ltl=9.0, utl=11.0)
    stored = shop.measure(c, [10.0, 10.2, 9.9, 10.1, 10.0, 10.3, 9.8, 10.1])
    body = freeze(shop, c, chart="imr", date_from=stored[0]["measured_at"], date_to=stored[-1]["measured_at"]).json()
    assert body["values_used"] == 8 and body["first_measurement_id"] == stored[0]["id"]
    assert body["center_line"] == pytest.approx(sum([10.0, 10.2, 9.9, 10.1, 10.0, 10.3, 9.8, 10.1]) / 8)


@pytest.mark.parametrize("body, message", [
    ({"chart": "imr", "baseline_points": None}, "valid integer"),
    ({"chart": "imr", "baseline_points": 1}, "greater than or equal to 2"),
])
def test_bad_baselines_are_422(shop, rings, body, message):
    response = freeze(shop, rings, **body)
    assert response.status_code == 422 and message in response.text


@pytest.mark.parametrize("body, message", [
    ({"chart": "xbar_r", "subgroup_size": 5}, "give one baseline"),
    ({"chart": "xbar_r", "subgroup_size": 5, "baseline_points": 10, "baseline_subgroups": 2}, "give one baseline"),
    ({"chart": "imr", "subgroup_size": 5, "baseline_points": 10}, "imr uses subgroup_size 1"),
    ({"chart": "xbar_r", "subgroup_size": 5, "baseline_subgroups": 41}, "the characteristic has 200"),
    ({"chart": "imr", "baseline_points": 10, "exclusions": [{"measurement_id": 999999, "reason": "x"}]},
     "not in the baseline"),
    ({"chart": "imr", "date_from": "2030-01-02T00:00:00Z", "date_to": "2030-01-01T00:00:00Z"}, "range is empty"),
    ({"chart": "imr", "date_from": "2030-01-01T00:00:00Z"}, "keeps 0 point"),
])
def test_contradicting_or_impossible_baselines_are_409(shop, rings, body, message):
    response = freeze(shop, rings, **body)
    assert response.status_code == 409 and message in response.text


@pytest.mark.parametrize("chart", ["dnom", "zmr"])
@pytest.mark.parametrize("size", [1, 5])
def test_short_run_charts_have_no_limits_to_freeze(shop, rings, chart, size):
    response = freeze(shop, rings, chart=chart, subgroup_size=size, baseline_points=10)
    assert response.status_code == 422 and "chart" in response.text
    listed = shop.client.get("/api/statistics/control-limits", headers=shop.metrologist.headers,
                             params={"recipe_id": rings.recipe_id, "subtask_id": rings.subtask_id})
    assert listed.status_code == 200 and listed.json() == []


def test_only_a_metrologist_freezes(shop, rings, operator):
    response = shop.client.put("/api/statistics/control-limits", headers=operator.headers,
                               json={"recipe_id": rings.recipe_id, "subtask_id": rings.subtask_id, "chart": "imr",
                                     "baseline_points": 10, "reason": "x"})
    assert response.status_code == 403
