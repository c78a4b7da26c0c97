"""Capability indices: formulas, intervals, PPM, normality, and the null-with-reason cases."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from tiemeasureflow import spc
from tiemeasureflow.spc.normality import ad_p_value

from .published import QCC_VALUES

INDICES = ("cp", "cpu", "cpl", "cpk", "cpm", "pp", "ppu", "ppl", "ppk")


def values_of(cap: spc.Capability) -> dict:
    return {name: getattr(cap, name) for name in INDICES}


def test_individuals_use_mr_bar_over_d2_of_two():
    x = np.array([10.0, 10.2, 9.9, 10.1, 10.0])
    cap = spc.capability(x, 9.5, 10.5, 10.0)
    mr_bar = np.mean(np.abs(np.diff(x)))
    assert cap.sigma_within == pytest.approx(mr_bar / (2 / math.sqrt(math.pi)))
    assert cap.within.estimator_name == "MR-bar/d2(2)"
    assert cap.cp == pytest.approx(1.0 / (6 * cap.sigma_within))
    assert cap.pp == pytest.approx(1.0 / (6 * np.std(x, ddof=1)))
    assert cap.cpk == min(cap.cpu, cap.cpl)


def test_s_bar_over_c4_on_request():
    within = spc.sigma_within(QCC_VALUES, 4, "s_bar")
    s_bar = np.mean(np.std(np.reshape(QCC_VALUES, (3, 4)), axis=1, ddof=1))
    assert within.value == pytest.approx(s_bar / spc.c4(4))
    assert within.estimator_name == "S-bar/c4(n)"


def test_cpm_uses_sigma_within_and_the_distance_to_target():
    x = np.array([10.1, 10.3, 10.2, 10.4, 10.2, 10.3])
    cap = spc.capability(x, 9.5, 10.5, 10.0)
    expected = 1.0 / (6 * math.sqrt(cap.sigma_within ** 2 + (np.mean(x) - 10.0) ** 2))
    assert cap.cpm == pytest.approx(expected)
    assert spc.capability(x, 9.5, 10.5, None).null_reasons["cpm"] == "no target (nominal) given"


def test_bissell_confidence_intervals_for_cpk_and_ppk():
    within = spc.sigma_within(QCC_VALUES, 4)
    cap = spc.capability(QCC_VALUES, 9.9, 10.1, 10.0, within=within)
    for index, interval in ((cap.cpk, cap.cpk_ci), (cap.ppk, cap.ppk_ci)):
        half = 1.959963985 * math.sqrt(1 / (9 * 12) + index ** 2 / (2 * 11))
        assert interval.lower == pytest.approx(index - half, rel=1e-9)
        assert interval.upper == pytest.approx(index + half, rel=1e-9)
        assert interval.confidence == 0.95 and "Bissell" in interval.method


def test_expected_and_observed_parts_per_million():
    ppm = spc.expected_ppm(0.0, 1.0, -3.0, 3.0)
    assert ppm.below == pytest.approx(1349.898, abs=1e-3)
    assert ppm.total == pytest.approx(2 * 1349.898, abs=1e-3)
    x = np.array([9.0, 10.0, 10.0, 10.0, 11.0, 12.0, 10.5, 9.5, 10.2, 10.1])
    cap = spc.capability(x, 9.5, 11.0, 10.0)
    assert (cap.ppm_observed.below, cap.ppm_observed.above) == (100_000.0, 100_000.0)  # limits are in spec
    one_sided = spc.capability(x, None, 11.0)
    assert one_sided.ppm_observed.below is None and one_sided.ppm_expected_overall.below is None


def test_only_an_upper_limit_gives_only_upper_indices():
    cap = spc.capability(np.array([1.0, 1.2, 0.9, 1.1, 1.0]), None, 2.0, 1.0)
    assert cap.cpk == cap.cpu and cap.ppk == cap.ppu
    for name, reason in (("cp", "needs both"), ("cpl", "no lower"), ("pp", "needs both"), ("ppl", "no lower"),
                         ("cpm", "needs both")):
        assert getattr(cap, name) is None and cap.null_reasons[name].startswith(reason)


def test_only_a_lower_limit_gives_only_lower_indices():
    cap = spc.capability(np.array([1.0, 1.2, 0.9, 1.1, 1.0]), 0.0, None)
    assert cap.cpk == cap.cpl and cap.ppk == cap.ppl
    assert cap.cpu is None and cap.null_reasons["cpu"] == "no upper specification limit"


def test_no_limits_at_all():
    cap = spc.capability(np.array([1.0, 2.0, 3.0]))
    assert all(v is None for v in values_of(cap).values())
    assert cap.null_reasons["cpk"] == "no specification limits"


@pytest.mark.parametrize("values", [[], [10.0]])
def test_fewer_than_two_values_give_nulls_with_a_reason(values):
    cap = spc.capability(np.array(values), 9.0, 11.0, 10.0)
    assert all(v is None for v in values_of(cap).values())
    assert all(cap.null_reasons[name] == f"fewer than 2 values ({len(values)})" for name in INDICES)
    assert cap.stdev is None and cap.sigma_within is None and cap.cpk_ci is None
    assert cap.mean == (values[0] if values else None)
    assert cap.normality.p_value is None and cap.normality.reason


def test_constant_data_give_nulls_with_a_reason():
    cap = spc.capability(np.full(12, 10.0), 9.0, 11.0, 10.0)
    assert all(v is None for v in values_of(cap).values())
    assert cap.null_reasons["cp"].startswith("zero spread") and cap.null_reasons["pp"].startswith("zero spread")
    assert cap.sigma_within == 0.0 and cap.stdev == 0.0 and cap.mean == 10.0
    assert cap.ppm_expected_within is None and cap.ppm_observed.total == 0.0
    assert cap.normality.reason.startswith("zero spread")


def test_constant_subgroups_of_different_levels_have_no_within_spread():
    x = np.array([10.0, 10.0, 11.0, 11.0])
    cap = spc.capability(x, 9.0, 12.0, within=spc.sigma_within(x, 2))
    assert cap.cp is None and cap.null_reasons["cp"].startswith("zero spread within")
    assert cap.pp == pytest.approx(3.0 / (6 * np.std(x, ddof=1)))


def test_a_subgroup_size_larger_than_the_data():
    x = np.array([10.0, 10.1, 9.9])
    within = spc.sigma_within(x, 5)
    assert within.value is None and within.subgroups == 0 and within.values_left_out == 3
    assert within.reason == "subgroup size 5 is larger than the 3 values selected"
    cap = spc.capability(x, 9.0, 11.0, within=within)
    assert cap.cpk is None and cap.null_reasons["cpk"] == within.reason
    assert cap.ppk is not None


def test_an_incomplete_last_subgroup_is_left_out_of_sigma_within():
    within = spc.sigma_within(QCC_VALUES + [50.0, 60.0], 4)
    assert (within.subgroups, within.values_used, within.values_left_out) == (3, 12, 2)
    assert within.value == pytest.approx(spc.sigma_within(QCC_VALUES, 4).value)


def test_anderson_darling_statistic_is_scipys_and_separates_normal_from_skewed():
    rng = np.random.default_rng(7)
    normal = rng.normal(10.0, 0.1, 200)
    result = spc.anderson_darling(normal)
    assert result.statistic == pytest.approx(stats.anderson(normal, "norm", method="interpolate").statistic)
    assert result.adjusted_statistic == pytest.approx(result.statistic * (1 + 0.75 / 200 + 2.25 / 200 ** 2))
    assert result.normal is True and result.p_value > 0.05
    skewed = spc.anderson_darling(rng.exponential(1.0, 200))
    assert skewed.normal is False and skewed.p_value < 0.001
    assert spc.anderson_darling(normal[:7]).reason == "needs at least 8 values, got 7"


def test_anderson_darling_p_value_branches():
    assert ad_p_value(0.5) == pytest.approx(math.exp(0.9177 - 4.279 * 0.5 - 1.38 * 0.25))
    assert ad_p_value(1.0) == pytest.approx(math.exp(1.2937 - 5.709 + 0.0186))
    assert ad_p_value(0.25) == pytest.approx(1 - math.exp(-8.318 + 42.796 * 0.25 - 59.938 * 0.0625))
    assert ad_p_value(0.1) == pytest.approx(1 - math.exp(-13.436 + 10.114 - 2.2373))
    assert 0.0 <= ad_p_value(1e6) < 1e-100  # far past the formula's range: still a probability


def test_nothing_is_nan_or_infinite():
    for x in ([], [1.0], [1.0, 1.0], [1.0, 2.0], list(np.linspace(0, 1, 30))):
        cap = spc.capability(np.array(x), 0.0, 1.0, 0.5)
        for value in values_of(cap).values():
            assert value is None or math.isfinite(value)
