"""A chart without a date range reads only the newest values it needs; a date range reads the whole range."""

from __future__ import annotations

from .pistonrings import VALUES

SHOWN = 10
RULE_HISTORY = 50  # the look-back the API description promises


def test_frozen_limits_read_the_shown_points_and_the_rules_look_back(shop):
    rings = shop.characteristic(nominal=74.0, ltl=73.95, utl=74.05)
    stored = shop.measure(rings, VALUES)
    frozen = shop.client.put("/api/statistics/control-limits", headers=shop.metrologist.headers, json={
        "recipe_id": rings.recipe_id, "subtask_id": rings.subtask_id, "chart": "imr", "subgroup_size": 1,
        "baseline_points": 100, "reason": "phase I complete"})
    assert frozen.status_code == 201, frozen.text

    newest = shop.stats("control-chart", rings, chart="imr", limit=SHOWN)
    whole = shop.stats("control-chart", rings, chart="imr", limit=SHOWN, date_from="2000-01-01T00:00:00Z")

    read = SHOWN + RULE_HISTORY
    assert whole["points_total"] == len(VALUES) and newest["points_total"] == read
    assert any(f"newest {read} values" in note for note in newest["notes"])
    assert [p["measurement_id"] for p in newest["points"]] == [m["id"] for m in stored[-SHOWN:]]
    assert [p["y"] for p in newest["points"]] == [p["y"] for p in whole["points"]] == list(VALUES[-SHOWN:])
    # Same frozen limits, and enough history for every rule: the shown points are judged alike.
    assert (newest["ucl"], newest["lcl"], newest["center_line"]) == (whole["ucl"], whole["lcl"], whole["center_line"])
    assert [p["rules"] for p in newest["points"]] == [p["rules"] for p in whole["points"]]
    assert [p["x"] - read for p in newest["points"]] == [p["x"] - len(VALUES) for p in whole["points"]]


def test_a_series_shorter_than_the_window_answers_as_the_whole_selection(shop):
    rings = shop.characteristic(nominal=74.0, ltl=73.95, utl=74.05)
    shop.measure(rings, VALUES)
    newest = shop.stats("control-chart", rings, chart="xbar_r", subgroup_size=5, limit=SHOWN)
    whole = shop.stats("control-chart", rings, chart="xbar_r", subgroup_size=5, limit=SHOWN,
                       date_from="2000-01-01T00:00:00Z")
    assert newest["points_total"] == len(VALUES) // 5
    for field in ("points", "ucl", "lcl", "center_line", "secondary", "out_of_control_total", "stages", "notes"):
        assert newest[field] == whole[field], field
