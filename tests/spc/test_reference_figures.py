"""Every figure of the published reference data sets, computed by spc/ directly."""

from __future__ import annotations

import pytest

from tiemeasureflow import spc

from .published import (
    MONTGOMERY,
    MONTGOMERY_LIMITS,
    MONTGOMERY_TOLERANCE,
    MONTGOMERY_VALUES,
    NIST_DATA,
    NIST_LIMITS,
    NIST_VALUES,
    QCC_LSL,
    QCC_ONLY_LSL,
    QCC_ONLY_USL,
    QCC_OVERALL,
    QCC_SUBGROUP,
    QCC_TARGET,
    QCC_USL,
    QCC_VALUES,
    QCC_WITHIN,
    check,
)

SOURCES = pytest.mark.parametrize("source", ["table", "exact"])


def chart_figures(values, source: str) -> dict:
    chart = spc.control_chart(values, "imr", source=source)
    return {"mean": chart.primary.center, "mr_bar": chart.secondary.center, "ucl": chart.primary.ucl,
            "lcl": chart.primary.lcl, "mr_ucl": chart.secondary.ucl}


def capability_figures(lsl, usl, source: str) -> dict:
    within = spc.sigma_within(QCC_VALUES, QCC_SUBGROUP, "r_bar", source)
    cap = spc.capability(QCC_VALUES, lsl, usl, QCC_TARGET, within=within)
    names = ("cp", "cpl", "cpu", "cpk", "cpm", "pp", "ppl", "ppu", "ppk")
    return {**{n: getattr(cap, n) for n in names}, "sigma_within": cap.sigma_within, "sigma_overall": cap.stdev}


@SOURCES
def test_nist_individuals_chart(source):
    figures = chart_figures(NIST_VALUES, source)
    assert check(figures, NIST_DATA, to_fourth_digit=False) == []
    assert check(figures, NIST_LIMITS, to_fourth_digit=source == "exact") == []


def test_nist_limits_with_exact_constants_differ_from_the_table_ones_in_the_fourth_digit():
    exact, table = chart_figures(NIST_VALUES, "exact"), chart_figures(NIST_VALUES, "table")
    assert exact["mr_ucl"] == pytest.approx(spc.chart_constants(2).D4 * exact["mr_bar"], rel=1e-12)
    assert table["mr_ucl"] == pytest.approx(3.267 * table["mr_bar"], rel=1e-12)
    assert round(exact["mr_ucl"], 4) != round(table["mr_ucl"], 4)


@SOURCES
def test_montgomery_runger_concentration_chart(source):
    figures = chart_figures(MONTGOMERY_VALUES, source)
    assert check(figures, MONTGOMERY, to_fourth_digit=False) == []
    for name, published in MONTGOMERY_LIMITS.items():
        assert abs(figures[name] - published) <= MONTGOMERY_TOLERANCE, name


@SOURCES
def test_qcc_grouped_capability(source):
    figures = capability_figures(QCC_LSL, QCC_USL, source)
    assert check(figures, QCC_OVERALL, to_fourth_digit=False) == []
    assert check(figures, QCC_WITHIN, to_fourth_digit=source == "exact") == []


@SOURCES
def test_qcc_only_upper_limit(source):
    figures = capability_figures(None, QCC_USL, source)
    assert check(figures, QCC_ONLY_USL, to_fourth_digit=source == "exact") == []
    assert figures["cp"] is None and figures["cpl"] is None and figures["pp"] is None and figures["cpm"] is None


@SOURCES
def test_qcc_only_lower_limit(source):
    figures = capability_figures(QCC_LSL, None, source)
    assert check(figures, QCC_ONLY_LSL, to_fourth_digit=source == "exact") == []
    assert figures["cp"] is None and figures["cpu"] is None and figures["ppu"] is None


def test_sigma_within_of_subgroups_is_r_bar_over_d2():
    within = spc.sigma_within(QCC_VALUES, 4)
    assert within.value == pytest.approx(0.05 / spc.d2(4), rel=1e-12)
    assert within.estimator_name == "R-bar/d2(n)"
    assert (within.subgroups, within.values_used, within.values_left_out) == (3, 12, 0)
