"""The MSA formulas against published studies (AIAG MSA 4th ed., the GageRnR package) and an independent fit."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from tiemeasureflow.msa.calc import GaugeStudyError, GrrInputError, grr_crossed, linearity_study, type1_study

from .published import (
    AIAG_ANOVA,
    AIAG_ANOVA_TOTAL,
    AIAG_GRR_RESULTS,
    AIAG_LINEARITY_RESULTS,
    OWODUNNI_TABLE,
    aiag_values,
    as_printed,
    linearity_values,
    owodunni_values,
)


def tuples(values):
    return [(v["part"], v["appraiser"], v["trial"], v["value"]) for v in values]


def test_average_range_reproduces_the_aiag_example():
    result = grr_crossed(tuples(aiag_values()))
    ar = result["average_range"]
    for key in ("ev", "av", "grr", "pv", "tv", "percent_grr"):
        assert as_printed(ar[key], AIAG_GRR_RESULTS[key]), (key, ar[key])
    assert ar["ndc"] == AIAG_GRR_RESULTS["ndc"]
    assert (ar["k1"], ar["k2"], ar["k3"]) == (0.5908, 0.5231, 0.3146)
    assert ar["acceptance"] == "conditional"
    assert (result["parts"], result["appraisers"], result["trials"]) == (10, 3, 3)


def test_percentages_against_the_tolerance_use_six_standard_deviations():
    ar = grr_crossed(tuples(aiag_values()), tolerance=5.0)["average_range"]
    assert ar["percent_tolerance_grr"] == pytest.approx(100 * 6 * ar["grr"] / 5.0)
    assert ar["percent_tolerance_ev"] == pytest.approx(100 * 6 * ar["ev"] / 5.0)


def test_anova_table_reproduces_the_aiag_example():
    anova = grr_crossed(tuples(aiag_values()))["anova"]
    table = anova["table"]
    for source, (df, ss, ms, f) in AIAG_ANOVA.items():
        row = table[source]
        assert row["df"] == df
        assert as_printed(row["ss"], ss) and as_printed(row["ms"], ms), (source, row)
        if f is not None:
            assert as_printed(row["f"], f), (source, row["f"])
    assert table["total"]["df"] == AIAG_ANOVA_TOTAL[0] and as_printed(table["total"]["ss"], AIAG_ANOVA_TOTAL[1])
    # p of the interaction is far above 0.25: pooled into repeatability, as AIAG and Minitab do.
    assert table["interaction"]["p"] > 0.25 and anova["interaction_pooled"] is True
    pooled = anova["table_pooled"]
    assert pooled["repeatability"]["df"] == 78
    assert pooled["repeatability"]["ss"] == pytest.approx(0.3590 + 2.7589, abs=1e-4)


def test_anova_table_reproduces_the_gagernr_example():
    anova = grr_crossed(tuples(owodunni_values()))["anova"]
    table = anova["table"]
    for stat, rows in (("ss", OWODUNNI_TABLE["ss"]), ("ms", OWODUNNI_TABLE["ms"]), ("f", OWODUNNI_TABLE["f"])):
        for source, published in rows.items():
            assert as_printed(table[source][stat], published), (stat, source, table[source][stat])
    assert as_printed(table["interaction"]["p"], OWODUNNI_TABLE["p_interaction"])
    assert table["appraiser"]["df"] == 2 and table["part"]["df"] == 4 and table["interaction"]["df"] == 8
    assert table["repeatability"]["df"] == 30 and table["total"]["df"] == 44


def _independent_pooled_fit(values):
    """Additive two-way model by least squares (dummy coding), as a regression package would fit it."""
    parts = sorted({v["part"] for v in values})
    apps = sorted({v["appraiser"] for v in values})
    y = np.array([v["value"] for v in values])
    columns = [np.ones(len(values))]
    columns += [np.array([v["part"] == p for v in values], float) for p in parts[1:]]
    reduced = list(columns)
    columns += [np.array([v["appraiser"] == a for v in values], float) for a in apps[1:]]

    def sse(cols):
        x = np.column_stack(cols)
        beta, *_ = np.linalg.lstsq(x, y, rcond=None)
        return float(((y - x @ beta) ** 2).sum())

    full = sse(columns)
    df_res = len(y) - len(columns)
    ss_app = sse(reduced) - full
    return full / df_res, df_res, ss_app


def test_pooled_anova_matches_an_independent_least_squares_fit():
    values = aiag_values()
    ms_res, df_res, ss_app = _independent_pooled_fit(values)
    anova = grr_crossed(tuples(values))["anova"]
    pooled = anova["table_pooled"]
    assert pooled["repeatability"]["ms"] == pytest.approx(ms_res, rel=1e-9)
    assert pooled["repeatability"]["df"] == df_res
    assert pooled["appraiser"]["ss"] == pytest.approx(ss_app, rel=1e-9)
    f = (ss_app / 2) / ms_res
    assert pooled["appraiser"]["f"] == pytest.approx(f, rel=1e-9)
    assert pooled["appraiser"]["p"] == pytest.approx(stats.f.sf(f, 2, df_res), rel=1e-6)
    comp = anova["components"]
    assert comp["repeatability"]["variance"] == pytest.approx(ms_res)
    assert comp["appraiser"]["variance"] == pytest.approx((pooled["appraiser"]["ms"] - ms_res) / 30)
    assert comp["part"]["variance"] == pytest.approx((pooled["part"]["ms"] - ms_res) / 9)
    assert comp["interaction"]["variance"] == 0
    total = comp["total"]["variance"]
    assert sum(comp[k]["percent_contribution"] for k in ("grr", "part")) == pytest.approx(100)
    assert anova["percent_study_var_grr"] == pytest.approx(100 * (comp["grr"]["variance"] / total) ** 0.5)
    assert anova["ndc"] == int(1.41 * comp["part"]["sd"] / comp["grr"]["sd"])


def test_an_interaction_below_the_threshold_is_kept():
    # Appraiser B reads part 1 high and part 2 low: a strong part x appraiser interaction.
    values = []
    for a, shift in (("A", (0, 0)), ("B", (0.5, -0.5))):
        for p, base in ((1, 10.0), (2, 12.0), (3, 14.0)):
            for t, noise in enumerate((0.01, -0.01, 0.0)):
                values.append((p, a, t + 1, base + (shift[0] if p == 1 else shift[1] if p == 2 else 0) + noise))
    anova = grr_crossed(values)["anova"]
    assert anova["table"]["interaction"]["p"] < 0.25
    assert anova["interaction_pooled"] is False and anova["table_pooled"] is None
    assert anova["components"]["interaction"]["variance"] > 0


@pytest.mark.parametrize("values, message", [
    ([(1, "A", 1, 1.0), (1, "A", 2, 1.1), (2, "A", 1, 2.0)], "same number of times"),
    ([(1, "A", 1, 1.0), (1, "A", 1, 1.1), (2, "A", 1, 2.0), (2, "A", 2, 2.1)], "given twice"),
    ([(1, "A", 1, 1.0), (1, "A", 2, 1.1)], "2-15 parts"),
])
def test_unbalanced_studies_are_refused(values, message):
    with pytest.raises(GrrInputError, match=message):
        grr_crossed(values)


def test_linearity_reproduces_the_aiag_example():
    values = linearity_values()
    result = linearity_study([(v["reference"], v["value"]) for v in values], process_variation=6.0)
    assert as_printed(result["slope"]["coef"], AIAG_LINEARITY_RESULTS["slope"])
    assert as_printed(result["intercept"]["coef"], AIAG_LINEARITY_RESULTS["intercept"])
    assert as_printed(result["r_squared"], AIAG_LINEARITY_RESULTS["r_squared"])
    for row in result["per_reference"]:
        assert as_printed(row["bias"], AIAG_LINEARITY_RESULTS["bias"][row["reference"]])
    fit = stats.linregress([v["reference"] for v in values], [v["value"] - v["reference"] for v in values])
    assert result["slope"]["se"] == pytest.approx(fit.stderr) and result["intercept"]["se"] == pytest.approx(
        fit.intercept_stderr)
    assert result["slope"]["p"] == pytest.approx(fit.pvalue)
    assert result["percent_linearity"] == pytest.approx(13.167, abs=1e-3)
    assert result["linearity"] == pytest.approx(0.13167 * 6.0, abs=1e-4)
    assert result["linear"] is False  # the slope is significant: the gauge is not linear
    band = result["band"]
    mid = band["reference"].index(6.0)
    assert band["lower"][mid] < band["fit"][mid] < band["upper"][mid]


def test_type1_figures():
    readings = [10.002, 9.998, 10.001, 10.000, 9.999, 10.003, 9.997, 10.001, 10.000, 10.002,
                9.999, 10.000, 10.001, 9.998, 10.002, 10.000, 9.999, 10.001, 10.000, 10.002,
                9.998, 10.001, 10.000, 9.999, 10.001]
    r = type1_study(readings, reference=10.0, tolerance=0.1)
    mean, sd = np.mean(readings), np.std(readings, ddof=1)
    assert r["cg"] == pytest.approx(0.2 * 0.1 / (6 * sd))
    assert r["cgk"] == pytest.approx((0.1 * 0.1 - abs(mean - 10.0)) / (3 * sd))
    t = stats.ttest_1samp(readings, 10.0)
    assert r["t"] == pytest.approx(t.statistic) and r["p"] == pytest.approx(t.pvalue)
    assert r["band"] == {"lower": pytest.approx(9.99), "upper": pytest.approx(10.01)}
    assert r["capable"] is (r["cg"] >= 1.33 and r["cgk"] >= 1.33) and r["capable"] is True


def test_type1_needs_25_to_50_readings():
    with pytest.raises(GaugeStudyError, match="25-50"):
        type1_study([1.0] * 24, 1.0, 0.1)
