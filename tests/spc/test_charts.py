"""Control chart pairs: limits from exact constants, subgroups, and the degenerate cases."""

from __future__ import annotations

import math

import numpy as np
import pytest

from tiemeasureflow import spc

from .published import QCC_VALUES

GROUPS = np.reshape(QCC_VALUES, (3, 4))


def test_xbar_r_limits():
    chart = spc.control_chart(QCC_VALUES, "xbar_r", 4)
    r_bar = np.mean(np.ptp(GROUPS, axis=1))
    sigma = r_bar / spc.d2(4)
    assert chart.primary_values.tolist() == pytest.approx(GROUPS.mean(axis=1).tolist())
    assert chart.primary.center == pytest.approx(10.005)
    assert chart.primary.ucl == pytest.approx(10.005 + 3 * sigma / 2)
    assert chart.primary.lcl == pytest.approx(10.005 - 3 * sigma / 2)
    assert chart.secondary_name == "r" and chart.secondary.center == pytest.approx(0.05)
    assert chart.secondary.ucl == pytest.approx(0.05 * (1 + 3 * spc.d3(4) / spc.d2(4)))
    assert chart.secondary.lcl == 0.0
    assert chart.primary.sigma == pytest.approx(sigma / 2)


def test_xbar_s_limits():
    chart = spc.control_chart(QCC_VALUES, "xbar_s", 4)
    s_bar = np.mean(np.std(GROUPS, axis=1, ddof=1))
    c4 = spc.c4(4)
    assert chart.primary.ucl == pytest.approx(10.005 + 3 * s_bar / (c4 * 2))
    assert chart.secondary_name == "s" and chart.secondary.center == pytest.approx(s_bar)
    assert chart.secondary.ucl == pytest.approx(s_bar * (1 + 3 * math.sqrt(1 - c4 ** 2) / c4))
    assert chart.within.estimator_name == "S-bar/c4(n)"


def test_r_chart_lower_limit_is_positive_from_seven():
    values = np.arange(70, dtype=float) % 9
    chart = spc.control_chart(values, "xbar_r", 7)
    assert chart.secondary.lcl == pytest.approx(chart.secondary.center * (1 - 3 * spc.d3(7) / spc.d2(7)))
    assert chart.secondary.lcl > 0


def test_individuals_and_moving_ranges():
    x = np.array([1.0, 3.0, 2.0, 5.0])
    chart = spc.control_chart(x)
    assert np.isnan(chart.secondary_values[0]) and chart.secondary_values[1:].tolist() == [2.0, 1.0, 3.0]
    assert chart.secondary.center == 2.0 and chart.secondary.lcl == 0.0
    assert chart.primary.ucl == pytest.approx(2.75 + 3 * 2.0 / spc.d2(2))


def test_an_incomplete_last_subgroup_is_left_out_and_said_so():
    chart = spc.control_chart(QCC_VALUES + [10.0, 10.1], "xbar_r", 4)
    assert len(chart.primary_values) == 3 and chart.values_used == 12 and chart.values_left_out == 2
    assert chart.note == "the last 2 value(s) do not fill a subgroup of 4 and are left out"


def test_a_subgroup_size_larger_than_the_data():
    chart = spc.control_chart([10.0, 10.1, 9.9], "xbar_s", 5)
    assert len(chart.primary_values) == 0 and chart.values_left_out == 3
    assert chart.primary.center is None and chart.secondary.ucl is None
    assert chart.note == "subgroup size 5 is larger than the 3 values selected"


@pytest.mark.parametrize("values,note", [([], "no values selected"), ([4.0], "fewer than 2 values: no moving range")])
def test_fewer_than_two_individuals(values, note):
    chart = spc.control_chart(values)
    assert chart.note == note and chart.primary.ucl is None and chart.secondary.center is None
    assert chart.primary.center == (values[0] if values else None)


def test_constant_data_have_limits_on_the_centre_line():
    chart = spc.control_chart(np.full(5, 2.5))
    assert (chart.primary.center, chart.primary.ucl, chart.primary.lcl) == (2.5, 2.5, 2.5)
    assert chart.primary.sigma == 0.0


@pytest.mark.parametrize("kind,size", [("xbar_r", 1), ("xbar_r", 11), ("xbar_s", None), ("pchart", 5)])
def test_bad_chart_requests_are_refused(kind, size):
    with pytest.raises(ValueError):
        spc.control_chart([1.0, 2.0, 3.0], kind, size)
