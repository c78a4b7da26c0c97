"""EWMA and CUSUM charts through GET /api/statistics/control-chart, on the NIST e-Handbook and Montgomery examples."""

from __future__ import annotations

import pytest

from tests.spc.published import within_fourth_digit
from tests.spc.time_weighted import (
    MONTGOMERY_9_1,
    MONTGOMERY_CUSUM,
    MONTGOMERY_CUSUM_SIGNALS,
    MONTGOMERY_CUSUM_UPPER,
    MONTGOMERY_EWMA,
    MONTGOMERY_EWMA_LIMITS,
    MONTGOMERY_EWMA_SIGNALS,
    MONTGOMERY_EWMA_STEADY,
    MONTGOMERY_EWMA_Z,
    NIST_CUSUM,
    NIST_CUSUM_SIGNALS,
    NIST_CUSUM_UPPER,
    NIST_CUSUM_VALUES,
    NIST_EWMA,
    NIST_EWMA_LIMITS,
    NIST_EWMA_PRINTED,
    NIST_EWMA_VALUES,
    ewma_series,
    tabular_cusum,
)

from .pistonrings import VALUES as RINGS


def test_ewma_reproduces_the_nist_example(shop):
    c = shop.characteristic(nominal=50.0, ltl=40.0, utl=60.0)
    stored = shop.measure(c, NIST_EWMA_VALUES)
    p = NIST_EWMA
    chart = shop.stats("control-chart", c, chart="ewma", target=p["target"], sigma=p["sigma"],
                       ewma_lambda=p["lambda"], ewma_l=p["L"])
    assert chart["chart"] == "ewma" and chart["parameters_source"] == "query"
    assert [round(point["y"], 2) for point in chart["points"]] == NIST_EWMA_PRINTED
    assert [point["x"] for point in chart["points"]] == list(range(20))
    assert [point["measurement_id"] for point in chart["points"]] == [s["id"] for s in stored]
    assert within_fourth_digit(chart["ucl"], NIST_EWMA_LIMITS["ucl"])
    assert within_fourth_digit(chart["lcl"], NIST_EWMA_LIMITS["lcl"])
    assert chart["center_line"] == 50.0
    recomputed = ewma_series(NIST_EWMA_VALUES, p["target"], p["sigma"], p["lambda"], p["L"])
    for point, (z, ucl, lcl) in zip(chart["points"], recomputed, strict=True):
        assert (point["y"], point["ucl"], point["lcl"]) == pytest.approx((z, ucl, lcl), rel=1e-12)
    assert chart["out_of_control_indices"] == [] and not any(point["signal"] for point in chart["points"])
    # Exact limits: point 1 is target +/- L lambda sigma, and every limit is inside the steady state.
    assert chart["points"][0]["ucl"] == pytest.approx(50.0 + 3 * 0.3 * 2.0539)
    assert all(point["ucl"] <= chart["ucl"] for point in chart["points"])


def test_cusum_reproduces_the_nist_example(shop):
    c = shop.characteristic(nominal=325.0, ltl=320.0, utl=330.0)
    shop.measure(c, NIST_CUSUM_VALUES)
    p = NIST_CUSUM
    chart = shop.stats("control-chart", c, chart="cusum", target=p["target"], sigma=p["sigma"], cusum_k=p["k"],
                       cusum_h=p["H"] / p["sigma"])
    points = chart["points"]
    upper, lower, signals = tabular_cusum(NIST_CUSUM_VALUES, p["target"], p["sigma"], p["k"], p["H"] / p["sigma"])
    assert [point["y"] for point in points] == pytest.approx(upper, rel=1e-12, abs=1e-12)
    assert [point["lower_sum"] for point in points] == pytest.approx(lower, rel=1e-12, abs=1e-12)
    assert signals == NIST_CUSUM_SIGNALS
    for observation, printed in NIST_CUSUM_UPPER.items():
        assert points[observation - 1]["y"] == pytest.approx(printed, abs=0.0051)
    assert chart["out_of_control_indices"] == NIST_CUSUM_SIGNALS
    assert chart["ucl"] == pytest.approx(p["H"]) and chart["lcl"] == pytest.approx(-p["H"])
    assert all(point["lower_sum"] <= p["H"] for point in points)
    # No run rules on a CUSUM: the values beyond 3 sigma of the target do not add signals of their own.
    assert "rules" not in chart


def test_tabular_cusum_reproduces_montgomery_table_9_2(shop):
    c = shop.characteristic(nominal=10.0, ltl=7.0, utl=13.0)
    shop.measure(c, MONTGOMERY_9_1)
    p = MONTGOMERY_CUSUM
    chart = shop.stats("control-chart", c, chart="cusum", target=p["target"], sigma=p["sigma"], cusum_k=p["k"],
                       cusum_h=p["h"])
    points = chart["points"]
    for sample, printed in MONTGOMERY_CUSUM_UPPER.items():
        assert round(points[sample - 1]["y"], 2) == printed, sample
    upper, lower, signals = tabular_cusum(MONTGOMERY_9_1, p["target"], p["sigma"], p["k"], p["h"])
    assert [point["y"] for point in points] == pytest.approx(upper, rel=1e-12, abs=1e-12)
    assert [point["lower_sum"] for point in points] == pytest.approx(lower, rel=1e-12, abs=1e-12)
    assert chart["out_of_control_indices"] == signals == MONTGOMERY_CUSUM_SIGNALS
    assert (chart["ucl"], chart["lcl"]) == (5.0, -5.0)
    # N+ = 7 at sample 29: C+ left zero after sample 22, so the shift began there (the book's estimate).
    assert points[21]["y"] == 0.0 and all(point["y"] > 0 for point in points[22:29])


def test_ewma_reproduces_montgomery_example_9_2(shop):
    c = shop.characteristic(nominal=10.0, ltl=7.0, utl=13.0)
    shop.measure(c, MONTGOMERY_9_1)
    p = MONTGOMERY_EWMA
    chart = shop.stats("control-chart", c, chart="ewma", target=p["target"], sigma=p["sigma"],
                       ewma_lambda=p["lambda"], ewma_l=p["L"])
    points = chart["points"]
    for sample, printed in MONTGOMERY_EWMA_Z.items():
        decimals = len(str(printed).split(".")[1])
        assert round(points[sample - 1]["y"], decimals) == printed, sample
    for sample, (ucl, lcl) in MONTGOMERY_EWMA_LIMITS.items():
        assert (round(points[sample - 1]["ucl"], 2), round(points[sample - 1]["lcl"], 2)) == (ucl, lcl)
    assert (round(chart["ucl"], 2), round(chart["lcl"], 2)) == MONTGOMERY_EWMA_STEADY
    recomputed = ewma_series(MONTGOMERY_9_1, p["target"], p["sigma"], p["lambda"], p["L"])
    for point, (z, ucl, lcl) in zip(points, recomputed, strict=True):
        assert (point["y"], point["ucl"], point["lcl"]) == pytest.approx((z, ucl, lcl), rel=1e-12)
    assert chart["out_of_control_indices"] == MONTGOMERY_EWMA_SIGNALS


def test_parameters_come_from_the_active_frozen_set(shop):
    c = shop.characteristic(nominal=74.0, ltl=73.95, utl=74.05)
    shop.measure(c, RINGS)
    frozen = shop.client.put("/api/statistics/control-limits", headers=shop.metrologist.headers, json={
        "recipe_id": c.recipe_id, "subtask_id": c.subtask_id, "chart": "xbar_r", "subgroup_size": 5,
        "baseline_subgroups": 25, "reason": "phase I"}).json()
    chart = shop.stats("control-chart", c, chart="ewma", subgroup_size=5, ewma_lambda=0.1, ewma_l=2.7)
    assert chart["parameters_source"] == "frozen" and chart["limit_set_id"] == frozen["id"]
    assert chart["target"] == frozen["center_line"] and chart["sigma"] == frozen["sigma"]
    assert chart["points_total"] == 40 and chart["subgroup_size"] == 5
    steady = frozen["center_line"] + 2.7 * frozen["sigma"] / 5 ** 0.5 * (0.1 / 1.9) ** 0.5
    assert chart["ucl"] == pytest.approx(steady)
    # The phase II subgroups drift upwards (Montgomery): the EWMA signals among them, not in the baseline.
    assert chart["out_of_control_indices"] and min(chart["out_of_control_indices"]) >= 25
    own = shop.stats("control-chart", c, chart="cusum", subgroup_size=5, sigma=0.01)
    assert own["parameters_source"] == "frozen" and own["sigma"] == 0.01
    assert own["target"] == frozen["center_line"]


def test_parameters_are_estimated_without_a_frozen_set(shop):
    c = shop.characteristic(nominal=50.0, ltl=40.0, utl=60.0)
    shop.measure(c, NIST_EWMA_VALUES)
    chart = shop.stats("control-chart", c, chart="cusum")
    imr = shop.stats("control-chart", c, chart="imr")
    assert chart["parameters_source"] == "computed"
    assert chart["target"] == pytest.approx(imr["center_line"])
    assert chart["sigma"] == pytest.approx(imr["sigma_within"])
    assert (chart["cusum_k"], chart["cusum_h"]) == (0.5, 5.0)


def test_a_chart_without_values_or_spread_is_a_conflict(shop):
    c = shop.characteristic(nominal=50.0, ltl=40.0, utl=60.0)
    assert shop.get("control-chart", recipe_id=c.recipe_id, subtask_id=c.subtask_id, chart="ewma").status_code == 409
    shop.measure(c, [50.0] * 5)
    flat = shop.get("control-chart", recipe_id=c.recipe_id, subtask_id=c.subtask_id, chart="cusum")
    assert flat.status_code == 409 and "sigma" in flat.json()["detail"]
    given = shop.stats("control-chart", c, chart="cusum", sigma=1.0)
    assert given["out_of_control_indices"] == [] and given["target"] == 50.0
    bad = shop.get("control-chart", recipe_id=c.recipe_id, subtask_id=c.subtask_id, chart="ewma", ewma_lambda=0)
    assert bad.status_code == 422


@pytest.mark.parametrize("values", [[10.0, 10.1, 1e308, 9.9, 10.05], [1e308, -1e308, 1e308, -1e308],
                                    [10.0, 1.7976931348623157e308, 9.9, -1.7976931348623157e308, 10.1]])
def test_extreme_values_answer_finite_json_or_ask_for_sigma(shop, values):
    c = shop.characteristic(nominal=10.0, ltl=9.5, utl=10.5)
    shop.measure(c, values)
    for chart in ("ewma", "cusum"):
        estimated = shop.get("control-chart", recipe_id=c.recipe_id, subtask_id=c.subtask_id, chart=chart)
        assert estimated.status_code in (200, 409), estimated.text
        assert "Infinity" not in estimated.text and "NaN" not in estimated.text
        given = shop.get("control-chart", recipe_id=c.recipe_id, subtask_id=c.subtask_id, chart=chart,
                         target=10.0, sigma=0.1)
        assert given.status_code == 200 and "Infinity" not in given.text and "NaN" not in given.text
        first_extreme = next(i for i, v in enumerate(values) if abs(v) > 1e300)
        assert first_extreme in given.json()["out_of_control_indices"]
