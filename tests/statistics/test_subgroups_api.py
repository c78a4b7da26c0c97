"""Rational subgroups through GET /api/statistics/control-chart: by lot, part, run and time window."""

from __future__ import annotations

import numpy as np
import pytest

from tests.spc.subgroup_references import TABLE_6_4_GRAND_MEAN, TABLE_6_5_LIMITS, table_6_4_subgroups
from tests.spc.test_subgroups import within_last_digit
from tiemeasureflow.spc.constants import c4
from tiemeasureflow.spc.subgroups import pooled_sd

from .pistonrings import SUBGROUPS, VALUES


def test_lots_of_unequal_size_reproduce_montgomery_table_6_5(shop):
    c = shop.characteristic(nominal=74.0, ltl=73.95, utl=74.05)
    samples = table_6_4_subgroups(SUBGROUPS)
    for number, sample in enumerate(samples, start=1):
        shop.measure(c, sample, lot=f"L{number:02d}")
    chart = shop.stats("control-chart", c, chart="xbar_s", subgroup_by="lot")
    assert chart["subgroup_by"] == "lot" and chart["points_total"] == 25
    assert [g["key"] for g in chart["subgroups"]] == [f"L{n:02d}" for n in range(1, 26)]
    assert [g["n"] for g in chart["subgroups"]] == [len(s) for s in samples]
    assert round(chart["center_line"], 3) == TABLE_6_4_GRAND_MEAN
    for point, own in zip(chart["points"], chart["subgroups"], strict=False):
        ucl, lcl, s_ucl = TABLE_6_5_LIMITS[own["n"]]
        assert within_last_digit(own["ucl"], ucl) and within_last_digit(own["lcl"], lcl)
        assert within_last_digit(own["secondary_ucl"], s_ucl) and own["secondary_lcl"] == 0.0
        assert len(point["members"]) == own["n"] and point["x"] == own["x"]
    assert chart["out_of_control_indices"] == []
    assert "S-bar" in chart["sigma_estimator"]
    pooled = shop.stats("control-chart", c, chart="xbar_s", subgroup_by="lot", estimator="pooled")
    s_pooled, dof = pooled_sd([np.array(s) for s in samples])
    assert "pooled" in pooled["sigma_estimator"] and pooled["sigma_within"] == pytest.approx(s_pooled / c4(dof + 1))
    ranges = shop.stats("control-chart", c, chart="xbar_r", subgroup_by="lot")
    assert ranges["secondary"]["name"] == "r" and "UWAVE-R" in ranges["sigma_estimator"]


def test_values_of_one_part_form_a_subgroup(shop):
    c = shop.characteristic(nominal=10.0, ltl=9.0, utl=11.0)
    # The same serial measured in three runs (one request each), then another serial twice.
    for value in (10.0, 10.2, 10.1):
        post(shop, c, "P-1", value)
    for value in (9.9, 10.3):
        post(shop, c, "P-2", value)
    chart = shop.stats("control-chart", c, chart="xbar_r", subgroup_by="part")
    assert [(g["key"], g["n"]) for g in chart["subgroups"]] == [("P-1", 3), ("P-2", 2)]
    assert chart["points"][0]["y"] == pytest.approx(10.1)
    assert [p["y"] for p in chart["secondary"]["points"]] == pytest.approx([0.2, 0.4])
    runs = shop.stats("control-chart", c, chart="xbar_r", subgroup_by="run")
    assert [g["n"] for g in runs["subgroups"]] == [1, 1, 1, 1, 1]
    window = shop.stats("control-chart", c, chart="xbar_s", subgroup_by="window", window_minutes=525_600)
    assert sum(g["n"] for g in window["subgroups"]) == 5


def post(shop, c, serial: str, value: float) -> None:
    """One value of one serial in a request of its own: a run of its own."""
    item = {"subtask_id": c.subtask_id, "version_id": c.version_id, "value": value, "serial_number": serial}
    response = shop.client.post("/api/measurements/batch", json={"measurements": [item]}, headers=shop.operator.headers)
    assert response.status_code == 200, response.text


def test_subgroups_over_25_and_wrong_combinations_are_refused(shop):
    c = shop.characteristic(nominal=74.0, ltl=73.95, utl=74.05)
    shop.measure(c, VALUES[:30], lot="BIG")
    params = dict(recipe_id=c.recipe_id, subtask_id=c.subtask_id)
    assert shop.get("control-chart", **params, chart="xbar_s", subgroup_by="lot").status_code == 409
    assert shop.get("control-chart", **params, chart="imr", subgroup_by="lot").status_code == 422
    assert shop.get("control-chart", **params, chart="xbar_s", subgroup_by="window").status_code == 422
    assert shop.get("control-chart", **params, chart="xbar_r", subgroup_size=15).status_code == 422
    assert shop.get("control-chart", **params, chart="xbar_s", subgroup_size=15, constants="table").status_code == 422
    assert shop.get("control-chart", **params, chart="xbar_s", subgroup_size=26).status_code == 422


def test_consecutive_subgroups_up_to_25_with_x_bar_s(shop):
    c = shop.characteristic(nominal=74.0, ltl=73.95, utl=74.05)
    shop.measure(c, VALUES)
    chart = shop.stats("control-chart", c, chart="xbar_s", subgroup_size=20)
    assert chart["points_total"] == 10 and chart["subgroup_size"] == 20
    # B4(20) = 1.490 and A3(20) = 0.680 (ASTM E2587) on S-bar.
    s_bar = chart["secondary"]["center_line"]
    assert chart["secondary"]["ucl"] / s_bar == pytest.approx(1.490, abs=0.001)
    assert (chart["ucl"] - chart["center_line"]) / s_bar == pytest.approx(0.680, abs=0.001)
    capability = shop.stats("capability", c, subgroup_size=20, estimator="pooled")
    assert capability["sigma_estimator"].startswith("pooled") and capability["subgroups"] == 10
