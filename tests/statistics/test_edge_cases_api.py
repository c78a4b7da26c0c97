"""Fewer than 2 values, constant data, one-sided specs and oversized subgroups: nulls with reasons, never NaN."""

from __future__ import annotations

import json
import math

import pytest

INDICES = ("cp", "cpk", "pp", "ppk", "cpu", "cpl", "ppu", "ppl", "cpm")


def no_nan_anywhere(response) -> None:
    json.loads(response.text, parse_constant=lambda name: pytest.fail(f"{name} in JSON"))


def floats_in(value):
    if isinstance(value, float):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from floats_in(v)
    elif isinstance(value, list):
        for v in value:
            yield from floats_in(v)


@pytest.mark.parametrize("values", [[], [10.0]])
def test_fewer_than_two_values(shop, values):
    c = shop.characteristic(nominal=10.0, ltl=9.5, utl=10.5)
    shop.measure(c, values)
    cap = shop.stats("capability", c)
    assert cap["n"] == len(values) and all(cap[i] is None for i in INDICES)
    assert cap["null_reasons"]["cpk"] == f"fewer than 2 values ({len(values)})"
    assert cap["stdev"] is None and cap["cpk_ci"] is None and cap["normality"]["p_value"] is None
    chart = shop.stats("control-chart", c)
    assert chart["ucl"] is None and chart["lcl"] is None and len(chart["points"]) == len(values)
    assert chart["notes"] and chart["secondary"]["points"] == []
    hist = shop.stats("histogram", c)
    assert hist["normal_curve"] is None and hist["null_reasons"]["normal_curve"]
    assert sum(hist["frequencies"]) == len(values)
    for path in ("capability", "control-chart", "histogram"):
        no_nan_anywhere(shop.get(path, recipe_id=c.recipe_id, subtask_id=c.subtask_id))


def test_constant_data(shop):
    c = shop.characteristic(nominal=10.0, ltl=9.5, utl=10.5)
    shop.measure(c, [10.0] * 10)
    cap = shop.stats("capability", c)
    assert all(cap[i] is None for i in INDICES)
    assert cap["null_reasons"]["cp"].startswith("zero spread") and cap["null_reasons"]["ppk"].startswith("zero spread")
    assert (cap["mean"], cap["stdev"], cap["sigma_within"]) == (10.0, 0.0, 0.0)
    chart = shop.stats("control-chart", c, rules="nelson")
    assert chart["ucl"] == chart["lcl"] == chart["center_line"] == 10.0
    assert chart["out_of_control_indices"] == [] and any("sigma" in note for note in chart["notes"])
    hist = shop.stats("histogram", c, n_bins=5)
    assert sorted(hist["frequencies"]) == [0, 0, 0, 0, 10] and hist["normal_curve"] is None
    for body in (cap, chart, hist):
        assert all(math.isfinite(v) for v in floats_in(body))


def test_one_sided_spec_without_a_target(shop):
    c = shop.characteristic(utl=0.05)  # a form tolerance: flatness up to 0.05 mm
    shop.measure(c, [0.010, 0.012, 0.009, 0.015, 0.011, 0.013])
    cap = shop.stats("capability", c)
    assert cap["cpk"] == cap["cpu"] and cap["ppk"] == cap["ppu"] and cap["cpk"] > 0
    assert cap["cp"] is None and cap["cpl"] is None and cap["cpm"] is None
    assert cap["ppm_observed"]["below"] is None and cap["ppm_observed"]["above"] == 0.0
    hist = shop.stats("histogram", c)
    assert hist["spec"]["lsl"] is None and hist["spec"]["usl"] == 0.05
    assert hist["normal_curve"]["x"][-1] >= 0.05


def test_a_subgroup_size_larger_than_the_data(shop):
    c = shop.characteristic(nominal=10.0, ltl=9.5, utl=10.5)
    shop.measure(c, [10.0, 10.1, 9.9])
    cap = shop.stats("capability", c, subgroup_size=5)
    assert cap["cp"] is None and cap["sigma_within"] is None and cap["pp"] is not None
    reason = "subgroup size 5 is larger than the 3 values selected"
    assert cap["null_reasons"]["cp"] == reason and cap["null_reasons"]["sigma_within"] == reason
    assert (cap["subgroups"], cap["values_left_out"]) == (0, 3)
    chart = shop.stats("control-chart", c, chart="xbar_r", subgroup_size=5)
    assert chart["points"] == [] and chart["center_line"] is None and chart["values_left_out"] == 3
    assert reason in chart["notes"]


def test_no_measurements_at_all(shop):
    c = shop.characteristic(nominal=10.0, ltl=9.5, utl=10.5)
    assert shop.stats("summary", c) == {"total": 0, "pass_count": 0, "warning_count": 0, "fail_count": 0,
                                        "pass_percentage": 0.0, "warning_percentage": 0.0, "fail_percentage": 0.0}
    cap = shop.stats("capability", c)
    assert cap["mean"] is None and cap["null_reasons"]["mean"] == "no values selected"
    assert cap["spec"]["subtask_id"] == c.subtask_id and cap["selection"]["version_ids"] == []
    chart = shop.stats("control-chart", c, chart="xbar_s", subgroup_size=3)
    assert chart["points"] == [] and chart["points_total"] == 0
    assert shop.stats("histogram", c)["bins"] == []
