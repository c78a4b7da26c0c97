"""EWMA, CUSUM and attribute charts against the published NIST and Montgomery examples."""

import numpy as np
import pytest

from tiemeasureflow.spc.attributes import attribute_chart
from tiemeasureflow.spc.cusum import cusum_chart
from tiemeasureflow.spc.ewma import ewma_chart

from .published import as_stated, within_fourth_digit
from .time_weighted import (
    CIRCUIT_BOARD,
    CIRCUIT_BOARD_NONCONFORMITIES,
    CIRCUIT_BOARD_SIGNALS,
    NIST_CUSUM,
    NIST_CUSUM_SIGNALS,
    NIST_CUSUM_UPPER,
    NIST_CUSUM_VALUES,
    NIST_EWMA,
    NIST_EWMA_LIMITS,
    NIST_EWMA_PRINTED,
    NIST_EWMA_VALUES,
    ORANGE_JUICE,
    ORANGE_JUICE_NONCONFORMING,
    ORANGE_JUICE_SAMPLE,
    ORANGE_JUICE_SIGNALS,
)


def agrees(actual: float, published: float) -> bool:
    """As printed (at the printed decimals), or within a unit of the 4th digit where the book rounded a mean first."""
    decimals = len(f"{published}".split(".")[1])
    return as_stated(actual, published, decimals) or within_fourth_digit(actual, published)


def test_ewma_reproduces_the_nist_example():
    p = NIST_EWMA
    chart = ewma_chart(np.array(NIST_EWMA_VALUES), p["target"], p["sigma"], p["lambda"], p["L"])
    assert [round(z, 2) for z in chart.statistic] == NIST_EWMA_PRINTED
    assert within_fourth_digit(chart.steady_ucl, NIST_EWMA_LIMITS["ucl"])
    assert within_fourth_digit(chart.steady_lcl, NIST_EWMA_LIMITS["lcl"])
    assert chart.signals.tolist() == []


def test_ewma_limits_start_at_lambda_sigma_and_widen_to_the_steady_state():
    chart = ewma_chart(np.zeros(50), 0.0, 1.0, 0.2, 3.0)
    # Point 1: the variance of z_1 is lambda^2 sigma^2, so the limit is L lambda sigma.
    assert chart.ucl[0] == pytest.approx(3.0 * 0.2)
    assert np.all(np.diff(chart.ucl) > 0)
    assert chart.ucl[-1] == pytest.approx(chart.steady_ucl, rel=1e-9)


def test_ewma_of_subgroup_means_uses_the_sigma_of_a_mean():
    single = ewma_chart(np.zeros(5), 0.0, 2.0, 0.3, 3.0)
    means = ewma_chart(np.zeros(5), 0.0, 2.0, 0.3, 3.0, sizes=np.full(5, 4))
    assert means.ucl == pytest.approx(single.ucl / 2.0)


def test_cusum_reproduces_the_nist_example():
    p = NIST_CUSUM
    chart = cusum_chart(np.array(NIST_CUSUM_VALUES), p["target"], p["sigma"], p["k"], p["H"] / p["sigma"])
    assert chart.allowance[0] == pytest.approx(0.3175)
    for observation, printed in NIST_CUSUM_UPPER.items():
        assert chart.upper[observation - 1] == pytest.approx(printed, abs=0.0051)  # half a unit of the 2nd decimal
    assert chart.signals.tolist() == NIST_CUSUM_SIGNALS
    assert np.all(chart.lower <= p["H"])


def test_cusum_counts_the_points_since_the_sum_left_zero():
    chart = cusum_chart(np.array([0.0, 2.0, 2.0, -5.0, 2.0]), 0.0, 1.0, 0.5, 4.0)
    assert chart.upper.tolist() == [0.0, 1.5, 3.0, 0.0, 1.5]
    assert chart.upper_run.tolist() == [0, 1, 2, 0, 1]
    assert chart.lower.tolist() == [0.0, 0.0, 0.0, 4.5, 2.0]
    assert chart.signals.tolist() == [3]


def test_p_chart_reproduces_the_orange_juice_example():
    chart = attribute_chart("p", np.array(ORANGE_JUICE_NONCONFORMING), np.full(30, ORANGE_JUICE_SAMPLE))
    assert agrees(chart.center_line, ORANGE_JUICE["center"])
    assert agrees(chart.ucl[0], ORANGE_JUICE["ucl"])
    assert agrees(chart.lcl[0], ORANGE_JUICE["lcl"])
    assert chart.signals.tolist() == ORANGE_JUICE_SIGNALS


def test_np_chart_is_the_p_chart_times_n():
    counts, sizes = np.array(ORANGE_JUICE_NONCONFORMING), np.full(30, ORANGE_JUICE_SAMPLE)
    p, np_ = attribute_chart("p", counts, sizes), attribute_chart("np", counts, sizes)
    assert np_.center_line == pytest.approx(ORANGE_JUICE_SAMPLE * p.center_line)
    assert np_.ucl == pytest.approx(ORANGE_JUICE_SAMPLE * p.ucl)
    assert np_.signals.tolist() == p.signals.tolist()


def test_c_chart_reproduces_the_circuit_board_example():
    chart = attribute_chart("c", np.array(CIRCUIT_BOARD_NONCONFORMITIES), np.ones(26))
    assert agrees(chart.center_line, CIRCUIT_BOARD["center"])
    assert agrees(chart.ucl[0], CIRCUIT_BOARD["ucl"])
    assert agrees(chart.lcl[0], CIRCUIT_BOARD["lcl"])
    assert chart.signals.tolist() == CIRCUIT_BOARD_SIGNALS


def test_variable_sizes_give_each_point_its_own_limits():
    chart = attribute_chart("u", np.array([4, 4]), np.array([4, 16]))
    # u-bar = 8/20; the limits shrink with sqrt(n): half as wide for four times the units.
    assert chart.center_line == pytest.approx(0.4)
    assert chart.ucl[1] - 0.4 == pytest.approx((chart.ucl[0] - 0.4) / 2.0)
    assert chart.lcl.tolist() == [0.0, 0.0]
