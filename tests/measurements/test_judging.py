"""The server's judging rule against the shared table of cases (tests/judging_cases.py), and monotonicity."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.judging_cases import CASES
from tiemeasureflow.measurements.judging import SEVERITY, ToleranceLimits, deviation, judge


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_judging_table(case):
    assert judge(case.value, ToleranceLimits(**case.limits.as_dict())) == case.verdict


def test_deviation_is_value_minus_nominal_unrounded():
    assert deviation(10.3, 10.0) == 10.3 - 10.0  # 0.3000000000000007, not 0.3
    assert deviation(10.3, None) is None


limit_values = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False)


@st.composite
def limits_and_side(draw):
    """Ordered limits (ltl <= lwl <= nominal <= uwl <= utl), any of which may be absent."""
    points = sorted(draw(st.lists(limit_values, min_size=5, max_size=5)))
    present = [draw(st.booleans()) for _ in range(4)]
    ltl, lwl, nominal, uwl, utl = points
    return ToleranceLimits(nominal, ltl if present[0] else None, lwl if present[1] else None,
                  uwl if present[2] else None, utl if present[3] else None)


@given(limits_and_side(), st.floats(min_value=0, max_value=1e7), st.floats(min_value=0, max_value=1e7),
       st.sampled_from([1, -1]))
def test_judgment_is_monotone_in_distance_from_the_band(limits, d1, d2, side):
    """Moving further out from the pass band on either side never makes the judgment milder."""
    low, high = limits.warning_band
    anchor = high if side == 1 else low
    if math.isinf(anchor):
        anchor = limits.nominal
    near, far = sorted((d1, d2))
    closer, farther = anchor + side * near, anchor + side * far
    assert SEVERITY[judge(closer, limits)] <= SEVERITY[judge(farther, limits)]


@given(limits_and_side())
def test_every_value_inside_the_warning_band_passes(limits):
    low, high = limits.warning_band
    for value in (low, high, limits.nominal):
        if math.isfinite(value):
            assert judge(value, limits) == "pass"
