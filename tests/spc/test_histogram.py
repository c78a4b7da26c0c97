"""Histogram: equal bins over the data, the normal curve in counts per bin, spec limits in view."""

from __future__ import annotations

import math

import numpy as np
import pytest

from tiemeasureflow import spc


def test_counts_edges_and_the_scaled_normal_curve():
    rng = np.random.default_rng(3)
    x = rng.normal(10.0, 0.1, 500)
    hist = spc.histogram(x, 25, 9.5, 10.5)
    assert len(hist.edges) == 26 and hist.counts.sum() == 500
    assert hist.edges[0] == x.min() and hist.edges[-1] == pytest.approx(x.max())
    width, sd = hist.bin_width, np.std(x, ddof=1)
    expected = 500 * width * np.exp(-0.5 * ((hist.centers - x.mean()) / sd) ** 2) / (sd * math.sqrt(2 * math.pi))
    assert hist.curve_at_centers == pytest.approx(expected)
    assert hist.curve_at_centers.sum() == pytest.approx(500, rel=0.02)  # the bins hold almost all the mass
    assert hist.curve_x[0] <= 9.5 and hist.curve_x[-1] >= 10.5 and len(hist.curve_y) == len(hist.curve_x)


def test_constant_data_fill_one_bin_and_have_no_curve():
    hist = spc.histogram(np.full(8, 10.0), 5)
    assert sorted(hist.counts.tolist()) == [0, 0, 0, 0, 8]
    assert hist.edges[0] < 10.0 < hist.edges[-1]
    assert hist.curve_at_centers is None and hist.reason == "zero spread: no normal curve"


@pytest.mark.parametrize("values,reason", [([], "no values selected"), ([1.0], "fewer than 2 values: no normal curve")])
def test_too_few_values(values, reason):
    hist = spc.histogram(np.array(values), 10)
    assert hist.reason == reason and hist.curve_y is None


@pytest.mark.parametrize("bins", [4, 101])
def test_bin_count_is_5_to_100(bins):
    with pytest.raises(ValueError):
        spc.histogram(np.array([1.0, 2.0]), bins)
