"""Non-normal capability (ISO 22514-2 percentile method) through the HTTP API, fits checked against scipy's own.

The expected figures are computed here from scipy's maximum-likelihood `fit` of each family and the
ISO 22514-2 definitions: Pp = (USL - LSL) / (X99.865 - X0.135), Ppu = (USL - X50) / (X99.865 - X50),
Ppl = (X50 - LSL) / (X50 - X0.135); the Anderson-Darling statistic is scipy's `goodness_of_fit` with
the fitted parameters known.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import special, stats

P_LOW, P_HIGH = stats.norm.cdf(-3.0), stats.norm.cdf(3.0)
# A runout-like characteristic: Weibull(shape 1.5) plotting positions above a 2 um floor, to 0.1 um.
N = 120
RUNOUT = [round(v, 4) for v in 0.002 + stats.weibull_min(1.5, 0, 0.01).ppf((np.arange(1, N + 1) - 0.5) / N)]
USL, LSL = 0.05, 0.0005


def scipy_fit(distribution: str, x: np.ndarray):
    """(frozen distribution, fitted parameters) by scipy's own estimators."""
    if distribution == "lognormal":
        return stats.lognorm(*stats.lognorm.fit(x, floc=0))
    if distribution == "weibull":
        return stats.weibull_min(*stats.weibull_min.fit(x, floc=0))
    if distribution == "weibull3":
        return stats.weibull_min(*stats.weibull_min.fit(x))
    if distribution == "gamma":
        return stats.gamma(*stats.gamma.fit(x, floc=0))
    if distribution == "folded_normal":
        return stats.foldnorm(*stats.foldnorm.fit(x, floc=0))
    if distribution == "rayleigh":
        return stats.rayleigh(*stats.rayleigh.fit(x, floc=0))
    if distribution == "johnson":
        fits = [family(*family.fit(x)) for family in (stats.johnsonsu, stats.johnsonsb)]
        return min(fits, key=lambda model: ad(model, x))
    raise AssertionError(distribution)


def ad(model, x) -> float:
    names = (model.dist.shapes.split(", ") if model.dist.shapes else []) + ["loc", "scale"]
    params = dict(zip(names, model.args, strict=False))
    return stats.goodness_of_fit(model.dist, x, known_params=params, statistic="ad", n_mc_samples=1).statistic


def iso_indices(ppf, lsl: float | None, usl: float | None) -> dict:
    low, median, high = ppf(P_LOW), ppf(0.5), ppf(P_HIGH)
    figures = {"x0_135": low, "x50": median, "x99_865": high, "ppu": (usl - median) / (high - median)}
    if lsl is not None:
        figures |= {"ppl": (median - lsl) / (median - low), "pp": (usl - lsl) / (high - low)}
    figures["ppk"] = min(v for k, v in figures.items() if k in ("ppu", "ppl"))
    return figures


def runout(shop, lsl: float | None = None):
    c = shop.characteristic(nominal=0.0 if lsl is None else 0.01, ltl=lsl, utl=USL)
    shop.measure(c, RUNOUT)
    return c


def assert_figures(body: dict, expected: dict) -> None:
    percentiles = body["distribution"]["percentiles"]
    for name, value in expected.items():
        actual = percentiles[name] if name.startswith("x") else body[name]
        assert actual == pytest.approx(value, rel=1e-7), (name, actual, value)


@pytest.mark.parametrize("distribution", ["lognormal", "weibull", "weibull3", "gamma", "folded_normal", "rayleigh",
                                          "johnson"])
@pytest.mark.parametrize("lsl", [None, LSL])
def test_fitted_distribution_indices_match_scipy_and_iso(shop, distribution, lsl):
    c = runout(shop, lsl)
    body = shop.stats("capability", c, distribution=distribution)
    x = np.asarray(RUNOUT)
    model = scipy_fit(distribution, x)
    used = body["distribution"]
    assert used["requested"] == distribution and used["distribution"] == distribution
    assert used["method"].startswith("ISO 22514-2 percentile method")
    assert used["anderson_darling"] == pytest.approx(ad(model, x), rel=1e-7)
    assert_figures(body, iso_indices(model.ppf, lsl, USL))
    assert body["ppm_expected_overall"]["above"] == pytest.approx(model.sf(USL) * 1e6, rel=1e-6, abs=1e-9)
    if lsl is None:
        assert body["pp"] is None and body["ppl"] is None and body["ppk"] == body["ppu"]
        assert body["null_reasons"]["pp"] == "needs both specification limits"
    assert body["cpk"] is None and body["cpk_ci"] is None and body["ppk_ci"] is None
    assert "percentile" in body["null_reasons"]["ppk_ci"]


def test_box_cox_uses_the_maximum_likelihood_lambda(shop):
    c = runout(shop, LSL)
    body = shop.stats("capability", c, distribution="boxcox")
    transformed, lmbda = stats.boxcox(np.asarray(RUNOUT))
    mean, sd = transformed.mean(), transformed.std(ddof=1)
    assert body["distribution"]["parameters"]["lambda"] == pytest.approx(lmbda, rel=1e-7)

    def ppf(p):
        return special.inv_boxcox(mean + sd * stats.norm.ppf(p), lmbda)

    assert_figures(body, iso_indices(ppf, LSL, USL))


def test_normal_is_todays_answer_and_percentiles_are_mean_plus_minus_three_sigma(shop):
    c = runout(shop, LSL)
    default = shop.stats("capability", c)
    normal = shop.stats("capability", c, distribution="normal")
    x = np.asarray(RUNOUT)
    s = x.std(ddof=1)
    assert default == normal
    assert normal["ppk"] == pytest.approx(min(USL - x.mean(), x.mean() - LSL) / (3 * s), rel=1e-12)
    assert normal["distribution"]["percentiles"]["x99_865"] == pytest.approx(x.mean() + 3 * s, rel=1e-12)
    assert normal["distribution"]["method"].startswith("normal theory")


def test_auto_rejects_normal_for_a_skewed_characteristic_and_names_its_choice(shop):
    c = runout(shop)
    body = shop.stats("capability", c, distribution="auto")
    used = body["distribution"]
    assert body["normality"]["normal"] is False
    candidates = {f["distribution"]: f for f in used["fits"]}
    assert set(candidates) == {"normal", "lognormal", "weibull", "weibull3", "gamma", "folded_normal", "rayleigh",
                               "boxcox", "johnson"}
    ranked = [name for name in ("lognormal", "weibull", "weibull3", "gamma", "folded_normal", "rayleigh", "boxcox")
              if candidates[name]["anderson_darling"] is not None]
    best = min(ranked, key=lambda name: candidates[name]["anderson_darling"])
    assert used["distribution"] == best and "smallest Anderson-Darling" in used["choice"]
    explicit = shop.stats("capability", c, distribution=best)
    assert body["ppk"] == explicit["ppk"] and body["ppk"] != shop.stats("capability", c)["ppk"]


def test_auto_keeps_normal_when_the_test_does_not_reject_it(shop):
    values = [round(10 + 0.01 * v, 5) for v in stats.norm.ppf((np.arange(1, 51) - 0.5) / 50)]
    c = shop.characteristic(nominal=10.0, ltl=9.95, utl=10.05)
    shop.measure(c, values)
    body = shop.stats("capability", c, distribution="auto")
    assert body["distribution"]["distribution"] == "normal" and "not rejected" in body["distribution"]["choice"]
    assert body["ppk"] == shop.stats("capability", c)["ppk"]


def test_a_distribution_that_cannot_hold_the_values_answers_nulls_with_the_reason(shop):
    c = shop.characteristic(nominal=0.0, ltl=-0.1, utl=0.1)
    shop.measure(c, [-0.02, 0.01, 0.03, 0.0, 0.02, -0.01])
    body = shop.stats("capability", c, distribution="lognormal")
    assert body["pp"] is None and body["ppk"] is None
    assert body["null_reasons"]["ppk"] == "lognormal needs values above 0"
    assert body["distribution"]["fits"][0]["reason"] == "lognormal needs values above 0"
    assert "fewer than 100" in body["sample_warning"]


def test_histogram_overlays_the_fitted_density(shop):
    c = runout(shop, LSL)
    body = shop.stats("histogram", c, distribution="weibull", n_bins=12)
    model = scipy_fit("weibull", np.asarray(RUNOUT))
    curve = body["fitted_curve"]
    assert curve["distribution"] == "weibull" and len(curve["x"]) == len(body["normal_curve"]["x"])
    expected = N * body["bin_width"] * model.pdf(np.asarray(curve["x"]))
    assert np.allclose(curve["y"], expected, rtol=1e-7)
    assert shop.stats("histogram", c)["fitted_curve"] is None


@pytest.mark.parametrize("values", [[10.0, 10.1, 1e308, 9.9, 10.05], [1e308, 1e308, 1e308],
                                    [5e-324, 1e-310, 2.2e-308, 0.0, -5e-324], [0.001, 0.002, 0.0015, 1e308, 0.003]])
@pytest.mark.parametrize("distribution", ["auto", "weibull3", "johnson", "boxcox", "folded_normal"])
def test_extreme_values_never_break_a_fit(shop, values, distribution):
    c = shop.characteristic(nominal=10.0, ltl=9.5, utl=10.5)
    shop.measure(c, values)
    for path in ("capability", "histogram"):
        response = shop.get(path, recipe_id=c.recipe_id, subtask_id=c.subtask_id, distribution=distribution)
        assert response.status_code == 200, response.text
        assert "NaN" not in response.text and "Infinity" not in response.text
