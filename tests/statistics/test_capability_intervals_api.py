"""Every capability index's confidence interval through the HTTP API, against qcc 3.0's test-suite figures.

qcc 3.0's test suite (`processCapability`) on the three subgroups of four in
tests/spc/data/qcc_test_capability_grouped.csv, LSL 9.9, USL 10.1, target 10.0, constants as printed tables.
qcc prints Cp, Cpm, Pp, Ppm and Cpk/Ppk at z(1 - alpha/2) and Cpu, Cpl, Ppu, Ppl at z(1 - alpha):
the latter are our two-sided interval at 90% and, at 95%, our one-sided lower bound.
"""

from __future__ import annotations

import pytest

from tests.spc.published import QCC_LSL, QCC_SUBGROUP, QCC_TARGET, QCC_USL, QCC_VALUES, as_stated

# Two-sided at 95%: (lower, upper), 6 decimals as published.
QCC_TWO_SIDED_95 = {"cp_ci": (0.808460, 1.937713), "cpk_ci": (0.727408, 1.880659), "cpm_ci": (0.804207, 1.885321),
                    "pp_ci": (0.949773, 2.276410), "ppk_ci": (0.864608, 2.199329),
                    "ppm_index_ci": (0.933327, 2.202237)}
# qcc's z(1 - alpha) intervals of the one-sided indices.
QCC_ONE_SIDED_SIDES = {"cpu_ci": (0.820114, 1.787953), "cpl_ci": (0.911657, 1.970943),
                       "ppu_ci": (0.971902, 2.092035), "ppl_ci": (1.078708, 2.307749)}
QCC_PPM_INDEX = 1.567395
# With target 10.02 (Boyles' degrees of freedom change with the offset from target).
QCC_OFF_TARGET = {"cpm": 1.167834, "cpm_ci": (0.650542, 1.686689), "ppm_index": 1.305161,
                  "ppm_index_ci": (0.712493, 1.899988)}


def qcc_body(shop, target=QCC_TARGET, **params) -> dict:
    c = shop.characteristic(nominal=target, ltl=QCC_LSL, utl=QCC_USL)
    shop.measure(c, QCC_VALUES)
    return shop.stats("capability", c, subgroup_size=QCC_SUBGROUP, constants="table", **params)


def assert_interval(interval: dict, published: tuple[float, float], confidence: float) -> None:
    assert interval["confidence"] == confidence
    assert as_stated(interval["lower"], published[0], 6), (interval, published)
    assert as_stated(interval["upper"], published[1], 6), (interval, published)


def test_every_interval_at_95_percent(shop):
    body = qcc_body(shop)
    assert body["confidence"] == 0.95
    for name, published in QCC_TWO_SIDED_95.items():
        assert_interval(body[name], published, 0.95)
    for name, (lower, _) in QCC_ONE_SIDED_SIDES.items():
        assert as_stated(body[name]["lower_one_sided"], lower, 6), name
        assert body[name]["lower"] < lower
    assert as_stated(body["ppm_index"], QCC_PPM_INDEX, 6)
    assert body["cp_ci"]["method"].startswith("Chou") and body["cpm_ci"]["method"].startswith("Boyles")
    assert body["cpk_ci"]["method"].startswith("Bissell")


def test_one_sided_indices_at_90_percent_are_qccs_intervals(shop):
    body = qcc_body(shop, confidence=0.9)
    for name, published in QCC_ONE_SIDED_SIDES.items():
        assert_interval(body[name], published, 0.9)


def test_one_sided_lower_bound_of_cpk_is_the_two_sided_lower_at_90_percent(shop):
    at_95 = qcc_body(shop)
    at_90 = qcc_body(shop, confidence=0.9)
    for name in ("cp_ci", "cpk_ci", "cpm_ci", "pp_ci", "ppk_ci", "ppm_index_ci"):
        assert at_95[name]["lower_one_sided"] == pytest.approx(at_90[name]["lower"], rel=1e-12), name


def test_cpm_and_ppm_index_off_target(shop):
    body = qcc_body(shop, target=10.02)
    assert as_stated(body["cpm"], QCC_OFF_TARGET["cpm"], 6)
    assert as_stated(body["ppm_index"], QCC_OFF_TARGET["ppm_index"], 6)
    assert_interval(body["cpm_ci"], QCC_OFF_TARGET["cpm_ci"], 0.95)
    assert_interval(body["ppm_index_ci"], QCC_OFF_TARGET["ppm_index_ci"], 0.95)


def test_few_values_carry_a_warning_and_enough_do_not(shop):
    assert "fewer than 30" in qcc_body(shop)["sample_warning"]
    c = shop.characteristic(nominal=10.0, ltl=9.9, utl=10.1)
    shop.measure(c, (QCC_VALUES * 3)[:30])
    assert shop.stats("capability", c)["sample_warning"] is None


def test_one_sided_tolerance_has_no_two_sided_intervals(shop):
    c = shop.characteristic(nominal=QCC_TARGET, utl=QCC_USL)
    shop.measure(c, QCC_VALUES)
    body = shop.stats("capability", c, subgroup_size=QCC_SUBGROUP, constants="table")
    assert body["cp_ci"] is None and body["cpl_ci"] is None and body["pp_ci"] is None and body["cpm_ci"] is None
    assert body["ppm_index"] is None and body["ppm_index_ci"] is None
    assert body["null_reasons"]["cp_ci"] == "needs both specification limits"
    assert as_stated(body["cpu_ci"]["lower_one_sided"], QCC_ONE_SIDED_SIDES["cpu_ci"][0], 6)


@pytest.mark.parametrize("confidence", [0.49, 1.0])
def test_confidence_out_of_range_is_refused(shop, confidence):
    c = shop.characteristic(nominal=10.0, ltl=9.9, utl=10.1)
    response = shop.get("capability", recipe_id=c.recipe_id, subtask_id=c.subtask_id, confidence=confidence)
    assert response.status_code == 422
