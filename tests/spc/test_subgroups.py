"""Subgroups of unequal size (Montgomery Table 6.4, qcc's UWAVE-R), pooled sigma, and constants up to 25."""

import math

import numpy as np
import pytest

from tests.statistics.pistonrings import SUBGROUPS
from tiemeasureflow.spc import chart_constants, sigma_within
from tiemeasureflow.spc.constants import c4, d2, d3
from tiemeasureflow.spc.subgroups import pooled_sd, sigma_unequal, split, unequal_chart

from .published import as_stated
from .subgroup_references import (
    ASTM_11_25,
    ASTM_MORE,
    TABLE_6_4_GRAND_MEAN,
    TABLE_6_4_PRINTED,
    TABLE_6_4_S_BAR,
    TABLE_6_5_LIMITS,
    table_6_4_subgroups,
)


def within_last_digit(actual: float, printed: float) -> bool:
    """Equal to the printed figure, give or take one unit of its last printed decimal (tables round each step)."""
    decimals = len(f"{printed:.4f}".rstrip("0").split(".")[1]) or 1
    return abs(actual - printed) <= 1.0001 * 10.0 ** -decimals


@pytest.mark.parametrize("n", sorted(ASTM_11_25))
def test_exact_constants_match_the_astm_table_up_to_25(n):
    k = chart_constants(n)
    for name, printed in zip(("d2", "c4", "A2", "D3", "D4"), ASTM_11_25[n], strict=False):
        assert within_last_digit(getattr(k, name), printed), (name, getattr(k, name), printed)


@pytest.mark.parametrize("n", sorted(ASTM_MORE))
def test_range_and_sd_constants_for_large_subgroups(n):
    k = chart_constants(n)
    for name, printed in zip(("d3", "A3", "B3", "B4"), ASTM_MORE[n], strict=False):
        assert within_last_digit(getattr(k, name), printed), (name, getattr(k, name), printed)


def test_table_constants_stop_at_10():
    with pytest.raises(ValueError):
        chart_constants(11, "table")


def test_montgomery_table_6_4_means_and_grand_mean():
    groups = [np.array(g) for g in table_6_4_subgroups(SUBGROUPS)]
    chart = unequal_chart(groups, "xbar_s")
    for sample, (mean, s) in TABLE_6_4_PRINTED.items():
        assert as_stated(chart.means[sample - 1], mean, 3)
        assert as_stated(chart.spreads[sample - 1], s, 4)
    assert as_stated(chart.center, TABLE_6_4_GRAND_MEAN, 3)
    assert sorted(set(chart.sizes.tolist())) == [3, 4, 5]


def test_montgomery_example_s_bar_and_limits_of_each_sample_size():
    groups = [np.array(g) for g in table_6_4_subgroups(SUBGROUPS)]
    chart = unequal_chart(groups, "xbar_s")
    assert as_stated(pooled_sd(groups)[0], TABLE_6_4_S_BAR, 4)
    for n, (ucl, lcl, s_ucl) in TABLE_6_5_LIMITS.items():
        i = list(chart.sizes).index(n)
        assert within_last_digit(chart.ucl[i], ucl) and within_last_digit(chart.lcl[i], lcl), n
        assert within_last_digit(chart.secondary_ucl[i], s_ucl) and chart.secondary_lcl[i] == 0.0, n


def test_montgomery_limits_use_the_constants_of_each_size():
    groups = [np.array(g) for g in table_6_4_subgroups(SUBGROUPS)]
    chart = unequal_chart(groups, "xbar_s")
    s_bar, dof = pooled_sd(groups)
    assert dof == sum(len(g) - 1 for g in groups)
    for i, n in enumerate(chart.sizes):
        k = chart_constants(int(n))
        assert chart.ucl[i] - chart.center == pytest.approx(k.A3 * s_bar)
        assert chart.secondary_ucl[i] == pytest.approx(k.B4 * s_bar)
        assert chart.secondary_lcl[i] == pytest.approx(k.B3 * s_bar)
    # Narrower limits for larger samples: n = 3 and n = 5 differ by A3(3)/A3(5) = 1.954/1.427.
    three, five = list(chart.sizes).index(3), list(chart.sizes).index(5)
    ratio = (chart.ucl[three] - chart.center) / (chart.ucl[five] - chart.center)
    assert round(ratio, 3) == round(1.954 / 1.427, 3)


def test_uwave_r_of_equal_subgroups_is_r_bar_over_d2():
    groups = [np.array(g) for g in SUBGROUPS[:25]]
    # Montgomery's piston rings: R-bar 0.02276 over subgroups 1-25 of 5.
    assert sigma_unequal(groups, "r_bar") == pytest.approx(0.02276 / d2(5), rel=5e-4)


def test_uwave_r_weights_each_range_by_d2_squared_over_d3_squared():
    groups = [np.array([0.0, 1.0]), np.array([0.0, 0.5, 2.0, 1.0, 1.5])]
    f = [d2(2) ** 2 / d3(2) ** 2, d2(5) ** 2 / d3(5) ** 2]
    expected = (f[0] * 1.0 / d2(2) + f[1] * 2.0 / d2(5)) / sum(f)
    assert sigma_unequal(groups, "r_bar") == pytest.approx(expected)


def test_pooled_sigma_is_unbiased_with_c4_of_the_degrees_of_freedom_plus_one():
    groups = [np.array([1.0, 2.0, 4.0]), np.array([3.0, 3.5]), np.array([5.0, 6.0, 6.5, 9.0])]
    squares = sum(((g - g.mean()) ** 2).sum() for g in groups)
    assert pooled_sd(groups) == (pytest.approx(math.sqrt(squares / 6)), 6)
    assert sigma_unequal(groups, "pooled") == pytest.approx(math.sqrt(squares / 6) / c4(7))
    flat = np.concatenate([np.array(g) for g in SUBGROUPS[:4]])
    assert sigma_within(flat, 5, "pooled").value == pytest.approx(sigma_unequal(
        [np.array(g) for g in SUBGROUPS[:4]], "pooled"))


def test_split_keeps_the_order_of_the_first_value():
    groups = split(np.array([1.0, 2.0, 3.0, 4.0, 5.0]), ["b", "a", "b", "c", "a"])
    assert [g.tolist() for g in groups] == [[1.0, 3.0], [2.0, 5.0], [4.0]]


def test_a_subgroup_of_one_value_is_charted_without_a_spread():
    chart = unequal_chart([np.array([1.0, 2.0, 3.0]), np.array([2.5])], "xbar_r")
    assert math.isnan(chart.spreads[1]) is False and chart.spreads[1] == 0.0
    assert math.isnan(chart.secondary_ucl[1])
    assert chart.ucl[1] - chart.center == pytest.approx(3 * chart.sigma)
