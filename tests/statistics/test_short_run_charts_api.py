"""Short-run charts (deviation from nominal, Z-MR) over a family of characteristics, through the HTTP API.

DNOM is the individuals chart of value - nominal (Montgomery, SPC for short production runs): the NIST
e-Handbook 6.3.2.2 flow-rate series, split over two parts with different nominals, must give NIST's
limits moved by the nominal. Z-MR has the fixed limits 0 +/- 3 and MR centre d2(2) = 2/sqrt(pi),
UCL D4(2) d2(2) = d2(2) + 3 d3(2) (ASTM E2587 constants, tests/spc/data/spc_constants_n2_10.csv).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from tests.spc.published import NIST_DATA, NIST_LIMITS, NIST_VALUES, as_stated, check, within_fourth_digit

NOMINAL = 50.0
D2 = 2.0 / math.sqrt(math.pi)


def chart(shop, c, **params) -> dict:
    return shop.stats("control-chart", c, **params)


def two_parts(shop, other_nominal: float):
    """The NIST series: its first half on part A (nominal 50), its second on part B (nominal other_nominal)."""
    a = shop.characteristic(nominal=NOMINAL, ltl=40.0, utl=60.0)
    b = shop.characteristic(nominal=other_nominal, ltl=other_nominal - 10, utl=other_nominal + 10)
    shop.measure(a, NIST_VALUES[:5])
    shop.measure(b, [v - NOMINAL + other_nominal for v in NIST_VALUES[5:]])
    return a, b


def test_dnom_of_a_family_is_nists_individuals_chart_moved_by_the_nominal(shop):
    a, b = two_parts(shop, 80.0)
    body = chart(shop, a, chart="dnom", family=[b.subtask_id])
    assert body["chart"] == "dnom" and body["points_total"] == 10
    assert [p["member_subtask_id"] for p in body["points"]] == [a.subtask_id] * 5 + [b.subtask_id] * 5
    assert [p["value"] for p in body["points"]][5:] == [v + 30.0 for v in NIST_VALUES[5:]]
    assert np.allclose([p["y"] for p in body["points"]], [v - NOMINAL for v in NIST_VALUES], atol=1e-12)
    figures = {"mean": body["center_line"] + NOMINAL, "mr_bar": body["secondary"]["center_line"],
               "ucl": body["ucl"] + NOMINAL, "lcl": body["lcl"] + NOMINAL, "mr_ucl": body["secondary"]["ucl"]}
    assert check(figures, NIST_DATA, to_fourth_digit=False) == []
    assert check(figures, NIST_LIMITS, to_fourth_digit=True) == []
    assert [m["subtask_id"] for m in body["family"]] == [a.subtask_id, b.subtask_id]
    assert [m["nominal"] for m in body["family"]] == [NOMINAL, 80.0]


def test_dnom_with_table_constants_gives_nists_printed_limits(shop):
    a, b = two_parts(shop, 20.0)
    body = chart(shop, a, chart="dnom", family=[b.subtask_id], constants="table")
    assert as_stated(body["ucl"] + NOMINAL, *NIST_LIMITS["ucl"])
    assert as_stated(body["lcl"] + NOMINAL, *NIST_LIMITS["lcl"])


def test_zmr_standardises_each_member_by_its_own_sigma(shop):
    a = shop.characteristic(nominal=10.0, ltl=9.0, utl=11.0)
    b = shop.characteristic(nominal=100.0, ltl=90.0, utl=110.0)
    a_values = [10.01, 9.98, 10.03, 10.00, 9.97, 10.02]
    b_values = [100.4, 99.5, 100.9, 99.8, 100.1]
    shop.measure(a, a_values)
    shop.measure(b, b_values)
    body = chart(shop, a, chart="zmr", family=[b.subtask_id])
    sigma_a = np.mean(np.abs(np.diff(a_values))) / D2
    sigma_b = np.mean(np.abs(np.diff(b_values))) / D2
    expected = [(v - 10.0) / sigma_a for v in a_values] + [(v - 100.0) / sigma_b for v in b_values]
    assert np.allclose([p["y"] for p in body["points"]], expected, rtol=1e-12)
    assert [m["sigma"] for m in body["family"]] == pytest.approx([sigma_a, sigma_b], rel=1e-12)
    assert (body["center_line"], body["ucl"], body["lcl"]) == (0.0, 3.0, -3.0)
    # ASTM E2587: d2(2) = 1.128, D4(2) = 3.267, so the MR chart's UCL is 3.267 * 1.128 = 3.685.
    assert within_fourth_digit(body["secondary"]["center_line"], 1.128)
    assert within_fourth_digit(body["secondary"]["ucl"], 3.267 * 1.128)
    assert body["secondary"]["lcl"] == 0.0


def test_zmr_signals_a_shift_of_one_member(shop):
    a = shop.characteristic(nominal=10.0, ltl=9.0, utl=11.0)
    b = shop.characteristic(nominal=5.0, ltl=4.0, utl=6.0)
    shop.measure(a, [10.01, 9.99, 10.02, 9.98, 10.0, 10.01, 9.99, 10.2])
    shop.measure(b, [5.01, 4.99, 5.0, 5.02, 4.98])
    body = chart(shop, a, chart="zmr", family=[b.subtask_id], rules="we")
    assert 7 in body["out_of_control_indices"] and 1 in body["points"][7]["rules"]


def test_a_member_without_spread_is_left_out_with_a_note(shop):
    a = shop.characteristic(nominal=10.0, ltl=9.0, utl=11.0)
    b = shop.characteristic(nominal=5.0, ltl=4.0, utl=6.0)
    shop.measure(a, [10.01, 9.99, 10.02])
    shop.measure(b, [5.0])
    body = chart(shop, a, chart="zmr", family=[b.subtask_id])
    assert body["points_total"] == 3 and body["values_left_out"] == 1
    assert body["family"][1]["left_out"] == "fewer than 2 values: no sigma of its own"


def test_one_member_without_nominal_nor_limits_is_a_conflict(shop):
    a = shop.characteristic(nominal=10.0, ltl=9.0, utl=11.0)
    b = shop.characteristic(utl=6.0)
    shop.measure(a, [10.0, 10.1])
    shop.measure(b, [5.0, 5.1])
    response = shop.get("control-chart", recipe_id=a.recipe_id, subtask_id=a.subtask_id, chart="dnom",
                        family=[b.subtask_id])
    assert response.status_code == 409 and "no nominal" in response.json()["detail"]


def test_family_needs_a_short_run_chart_and_known_subtasks(shop):
    a = shop.characteristic(nominal=10.0, ltl=9.0, utl=11.0)
    shop.measure(a, [10.0, 10.1])
    params = {"recipe_id": a.recipe_id, "subtask_id": a.subtask_id}
    assert shop.get("control-chart", **params, chart="imr", family=[a.subtask_id]).status_code == 409
    assert shop.get("control-chart", **params, chart="zmr", subgroup_size=3).status_code == 409
    assert shop.get("control-chart", **params, chart="dnom", family=[2_000_000_000]).status_code == 404
    alone = chart(shop, a, chart="dnom", family=[a.subtask_id])
    assert len(alone["family"]) == 1 and alone["points_total"] == 2
