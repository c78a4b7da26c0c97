"""Every published reference figure, through the HTTP API: measurements posted, statistics read."""

from __future__ import annotations

import pytest

from tests.spc.published import (
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

SOURCES = pytest.mark.parametrize("constants", ["table", "exact"])


def chart_figures(shop, values, constants: str, nominal: float) -> dict:
    c = shop.characteristic(nominal=nominal, ltl=nominal * 0.8, utl=nominal * 1.2)
    shop.measure(c, values)
    body = shop.stats("control-chart", c, constants=constants)
    assert body["constants"] == constants and body["points_total"] == len(values)
    assert [p["y"] for p in body["points"]] == values
    return {"mean": body["center_line"], "mr_bar": body["secondary"]["center_line"], "ucl": body["ucl"],
            "lcl": body["lcl"], "mr_ucl": body["secondary"]["ucl"]}


def capability_figures(shop, constants: str, **limits) -> dict:
    c = shop.characteristic(nominal=QCC_TARGET, **limits)
    shop.measure(c, QCC_VALUES)
    body = shop.stats("capability", c, subgroup_size=QCC_SUBGROUP, constants=constants)
    assert body["n"] == 12 and body["subgroups"] == 3 and body["sigma_estimator"] == "R-bar/d2(n)"
    return body


@SOURCES
def test_nist_individuals_chart(shop, constants):
    figures = chart_figures(shop, NIST_VALUES, constants, 50.0)
    assert check(figures, NIST_DATA, to_fourth_digit=False) == []
    assert check(figures, NIST_LIMITS, to_fourth_digit=constants == "exact") == []


@SOURCES
def test_montgomery_runger_concentration_chart(shop, constants):
    figures = chart_figures(shop, MONTGOMERY_VALUES, constants, 100.0)
    assert check(figures, MONTGOMERY, to_fourth_digit=False) == []
    for name, published in MONTGOMERY_LIMITS.items():
        assert abs(figures[name] - published) <= MONTGOMERY_TOLERANCE, name


@SOURCES
def test_qcc_grouped_capability(shop, constants):
    body = capability_figures(shop, constants, ltl=QCC_LSL, utl=QCC_USL)
    assert check(body, QCC_OVERALL, to_fourth_digit=False) == []
    assert check(body, QCC_WITHIN, to_fourth_digit=constants == "exact") == []
    assert body["spec"]["lsl"] == QCC_LSL and body["spec"]["usl"] == QCC_USL and body["spec"]["nominal"] == QCC_TARGET


@SOURCES
def test_qcc_only_upper_limit(shop, constants):
    body = capability_figures(shop, constants, utl=QCC_USL)
    assert check(body, QCC_ONLY_USL, to_fourth_digit=constants == "exact") == []
    assert body["cp"] is None and body["cpl"] is None and body["pp"] is None and body["cpm"] is None
    assert body["null_reasons"]["cp"] == "needs both specification limits"
    assert body["null_reasons"]["cpl"] == "no lower specification limit"


@SOURCES
def test_qcc_only_lower_limit(shop, constants):
    body = capability_figures(shop, constants, ltl=QCC_LSL)
    assert check(body, QCC_ONLY_LSL, to_fourth_digit=constants == "exact") == []
    assert body["cp"] is None and body["cpu"] is None and body["ppu"] is None
    assert body["null_reasons"]["cpu"] == "no upper specification limit"
