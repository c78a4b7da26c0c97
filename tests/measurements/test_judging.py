"""Judging at and around every limit, one-sided and band-less characteristics, and monotonicity."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tiemeasureflow.measurements.judging import SEVERITY, ToleranceLimits, deviation, judge

FULL = ToleranceLimits(nominal=10.0, ltl=9.5, lwl=9.8, uwl=10.2, utl=10.5)
UPPER_ONLY = ToleranceLimits(nominal=0.0, uwl=0.8, utl=1.0)  # e.g. a roughness: no lower bound
LOWER_ONLY = ToleranceLimits(nominal=5.0, ltl=4.0, lwl=4.5)
NO_WARNING = ToleranceLimits(nominal=10.0, ltl=9.5, utl=10.5)
WARNING_NO_TOLERANCE = ToleranceLimits(nominal=10.0, lwl=9.8, uwl=10.2)
NOTHING = ToleranceLimits()


def above(x: float) -> float:
    return math.nextafter(x, math.inf)


def below(x: float) -> float:
    return math.nextafter(x, -math.inf)


CASES = [
    # every limit of a full band, exactly on it and one ulp either side
    (FULL, 10.0, "pass"),
    (FULL, 9.8, "pass"), (FULL, above(9.8), "pass"), (FULL, below(9.8), "warning"),
    (FULL, 10.2, "pass"), (FULL, below(10.2), "pass"), (FULL, above(10.2), "warning"),
    (FULL, 9.5, "warning"), (FULL, above(9.5), "warning"), (FULL, below(9.5), "fail"),
    (FULL, 10.5, "warning"), (FULL, below(10.5), "warning"), (FULL, above(10.5), "fail"),
    (FULL, -1e300, "fail"), (FULL, 1e300, "fail"),
    # upper limits only: no lower bound at all
    (UPPER_ONLY, -1e300, "pass"), (UPPER_ONLY, 0.8, "pass"), (UPPER_ONLY, above(0.8), "warning"),
    (UPPER_ONLY, 1.0, "warning"), (UPPER_ONLY, above(1.0), "fail"),
    # lower limits only
    (LOWER_ONLY, 1e300, "pass"), (LOWER_ONLY, 4.5, "pass"), (LOWER_ONLY, below(4.5), "warning"),
    (LOWER_ONLY, 4.0, "warning"), (LOWER_ONLY, below(4.0), "fail"),
    # no warning band: the warning limits fall back to the tolerance limits
    (NO_WARNING, 9.5, "pass"), (NO_WARNING, 10.5, "pass"),
    (NO_WARNING, below(9.5), "fail"), (NO_WARNING, above(10.5), "fail"),
    # warning limits but no tolerance: outside the warning band is a warning, never a failure
    (WARNING_NO_TOLERANCE, 10.2, "pass"), (WARNING_NO_TOLERANCE, above(10.2), "warning"),
    (WARNING_NO_TOLERANCE, 1e300, "warning"), (WARNING_NO_TOLERANCE, -1e300, "warning"),
    # no limit at all: everything passes
    (NOTHING, 0.0, "pass"), (NOTHING, -1e308, "pass"), (NOTHING, 1e308, "pass"),
    # one side with only a warning limit, the other with only a tolerance limit
    (ToleranceLimits(lwl=1.0, utl=2.0), 0.5, "warning"), (ToleranceLimits(lwl=1.0, utl=2.0), 2.0, "pass"),
    (ToleranceLimits(lwl=1.0, utl=2.0), above(2.0), "fail"),
]


@pytest.mark.parametrize(("limits", "value", "expected"), CASES)
def test_judging_table(limits, value, expected):
    assert judge(value, limits) == expected


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
