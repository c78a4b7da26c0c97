"""Non-normal capability through the HTTP API against a published worked example verified with Minitab.

Source: jasp-stats/jaspQualityControl, tests/testthat/test-processCapabilityStudies.R, sections
"Weibull", "Lognormal" and "3-parameter-Weibull (verified with Minitab)" (LF5, LF6, LF7), on the
"Diameter" column of tests/testthat/datasets/processCapabilityStudy/processCapabilityAnalysisLongFormatDebug.csv
(stage 1: the first 40 values, stage 2: the other 60), LSL 0, target 6, USL 12. The figures below are
that file's expected tables: fitted parameters at full precision, ppm above the USL to 2 decimals,
Pp / Ppl / Ppu / Ppk to 2 decimals. JASP computes the indices with the ISO 22514-2 percentile method,
as this application does.

Weibull (2- and 3-parameter) is fitted by maximum likelihood in both: parameters agree to 5
significant digits, ppm to 4 or better. Lognormal differs in one stated way: JASP's sigma of ln(x)
is the sample standard deviation (n - 1); ours is scipy's maximum-likelihood sigma (n). The test shows
that this is the only difference: the API's sigma times sqrt(n / (n - 1)) is JASP's to 12 digits, and
the percentile method on JASP's parameters gives JASP's printed indices.
"""

from __future__ import annotations

import math

import pytest
from scipy import special, stats

from tests.spc.published import as_stated, within_fourth_digit

DIAMETER = [10.9, 10.3, 5.6, 5.1, 8.2, 10.1, 9.0, 3.1, 9.3, 7.0, 3.6, 7.1, 9.0, 5.9, 4.3, 5.7, 9.9, 7.6, 10.3, 5.6,
            8.3, 4.8, 7.8, 6.2, 5.7, 9.1, 8.4, 9.0, 7.1, 7.1, 8.0, 4.7, 6.1, 5.7, 4.2, 6.6, 8.2, 6.1, 5.6, 7.0,
            7.4, 4.6, 3.8, 7.7, 10.2, 8.4, 6.9, 7.2, 8.9, 7.3, 7.4, 6.9, 5.7, 6.5, 4.7, 11.0, 5.8, 10.9, 6.4, 6.2,
            5.8, 7.8, 8.2, 8.8, 4.3, 10.3, 6.0, 6.9, 7.8, 7.0, 7.6, 9.0, 8.2, 7.8, 7.3, 6.7, 7.1, 5.7, 5.2, 7.4,
            7.6, 6.9, 5.6, 12.4, 5.6, 4.8, 5.4, 4.9, 8.5, 5.6, 8.3, 7.4, 5.5, 7.6, 5.6, 8.0, 8.4, 5.7, 8.5, 3.6]
STAGES = {1: DIAMETER[:40], 2: DIAMETER[40:]}
LSL, TARGET, USL = 0.0, 6.0, 12.0

# Stage -> (fitted parameters, ppm above the USL, {index: value to 2 decimals}).
JASP = {
    "weibull": {
        1: ({"shape": 4.04046744554796, "scale": 7.82155648030048}, 3562.31,
            {"pp": 1.10, "ppl": 1.27, "ppu": 0.91, "ppk": 0.91}),
        2: ({"shape": 4.18662734025142, "scale": 7.76307853935701}, 2044.04,
            {"pp": 1.13, "ppl": 1.29, "ppu": 0.96, "ppk": 0.96}),
    },
    "weibull3": {
        1: ({"shape": 2.91649603464548, "scale": 5.84160971651428, "threshold": 1.88000690348087}, 6970.32,
            {"pp": 1.14, "ppl": 1.55, "ppu": 0.83, "ppk": 0.83}),
        2: ({"shape": 2.37007212099737, "scale": 4.45754220653612, "threshold": 3.12233333994186}, 5985.64,
            {"pp": 1.25, "ppl": 1.96, "ppu": 0.83, "ppk": 0.83}),
    },
}
JASP_LOGNORMAL = {
    1: ({"meanlog": 1.91547396579744, "sdlog": 0.302420475915792}, 29855.8,
        {"pp": 0.85, "ppl": 1.68, "ppu": 0.52, "ppk": 0.52}),
    2: ({"meanlog": 1.92589790251696, "sdlog": 0.254122719576421}, 13912.0,
        {"pp": 1.04, "ppl": 1.87, "ppu": 0.66, "ppk": 0.66}),
}
P_LOW, P_HIGH = special.ndtr(-3.0), special.ndtr(3.0)


def capability(shop, stage: int, distribution: str) -> dict:
    c = shop.characteristic(nominal=TARGET, ltl=LSL, utl=USL)
    shop.measure(c, STAGES[stage])
    return shop.stats("capability", c, distribution=distribution)


def iso_indices(model) -> dict:
    low, median, high = model.ppf(P_LOW), model.ppf(0.5), model.ppf(P_HIGH)
    ppl, ppu = (median - LSL) / (median - low), (USL - median) / (high - median)
    return {"pp": (USL - LSL) / (high - low), "ppl": ppl, "ppu": ppu, "ppk": min(ppl, ppu)}


@pytest.mark.parametrize("distribution", ["weibull", "weibull3"])
@pytest.mark.parametrize("stage", [1, 2])
def test_weibull_fits_and_indices_reproduce_the_published_example(shop, distribution, stage):
    parameters, ppm_above, indices = JASP[distribution][stage]
    body = capability(shop, stage, distribution)
    fitted = body["distribution"]["parameters"]
    for name, published in parameters.items():
        assert within_fourth_digit(fitted[name], published), (name, fitted[name], published)
        assert fitted[name] == pytest.approx(published, rel=2e-5), name
    assert within_fourth_digit(body["ppm_expected_overall"]["above"], ppm_above)
    assert body["ppm_expected_overall"]["below"] == pytest.approx(0.0, abs=1e-6)
    for name, published in indices.items():
        assert as_stated(body[name], published, 2), (name, body[name], published)


@pytest.mark.parametrize("stage", [1, 2])
def test_lognormal_differs_only_by_the_sigma_estimator(shop, stage):
    parameters, ppm_above, indices = JASP_LOGNORMAL[stage]
    n = len(STAGES[stage])
    body = capability(shop, stage, "lognormal")
    fitted = body["distribution"]["parameters"]
    assert fitted["meanlog"] == pytest.approx(parameters["meanlog"], rel=1e-12)
    assert fitted["sdlog"] * math.sqrt(n / (n - 1)) == pytest.approx(parameters["sdlog"], rel=1e-12)
    # The percentile method on JASP's own parameters gives JASP's printed figures...
    theirs = stats.lognorm(parameters["sdlog"], 0, math.exp(parameters["meanlog"]))
    for name, value in iso_indices(theirs).items():
        assert as_stated(value, indices[name], 2), name
    assert within_fourth_digit(theirs.sf(USL) * 1e6, ppm_above)
    # ...and on the maximum-likelihood parameters the API's, to every digit.
    ours = stats.lognorm(fitted["sdlog"], 0, math.exp(fitted["meanlog"]))
    for name, value in iso_indices(ours).items():
        assert body[name] == pytest.approx(value, rel=1e-9), name
    assert body["ppm_expected_overall"]["above"] == pytest.approx(ours.sf(USL) * 1e6, rel=1e-9)


@pytest.mark.parametrize("distribution, fit", [
    ("weibull", lambda x: stats.weibull_min.fit(x, floc=0)),
    ("weibull3", stats.weibull_min.fit),
    ("lognormal", lambda x: stats.lognorm.fit(x, floc=0)),
    ("gamma", lambda x: stats.gamma.fit(x, floc=0)),
])
def test_fits_on_the_published_data_are_scipys_own(shop, distribution, fit):
    body = capability(shop, 2, distribution)
    fitted = body["distribution"]["parameters"]
    shape, loc, scale = fit(STAGES[2])
    expected = {"weibull": {"shape": shape, "scale": scale},
                "weibull3": {"shape": shape, "scale": scale, "threshold": loc},
                "lognormal": {"meanlog": math.log(scale), "sdlog": shape},
                "gamma": {"shape": shape, "scale": scale}}[distribution]
    assert fitted == pytest.approx(expected, rel=1e-9)
