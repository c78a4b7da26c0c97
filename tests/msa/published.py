"""Published gauge-study data sets and their published figures.

AIAG, Measurement Systems Analysis, 4th edition (2010): the average-and-range example of
chapter III (10 parts, appraisers A, B, C, 3 trials; the parts' values are centred near 0), its
ANOVA table, and the linearity example (5 reference parts, 12 readings each). The data table
below is the manual's, as republished in many MSA courses and software examples.
"""

from __future__ import annotations

# AIAG_GRR[appraiser][trial - 1][part - 1]
AIAG_GRR = {
    "A": [[0.29, -0.56, 1.34, 0.47, -0.80, 0.02, 0.59, -0.31, 2.26, -1.36],
          [0.41, -0.68, 1.17, 0.50, -0.92, -0.11, 0.75, -0.20, 1.99, -1.25],
          [0.64, -0.58, 1.27, 0.64, -0.84, -0.21, 0.66, -0.17, 2.01, -1.31]],
    "B": [[0.08, -0.47, 1.19, 0.01, -0.56, -0.20, 0.47, -0.63, 1.80, -1.68],
          [0.25, -1.22, 0.94, 1.03, -1.20, 0.22, 0.55, 0.08, 2.12, -1.62],
          [0.07, -0.68, 1.34, 0.20, -1.28, 0.06, 0.83, -0.34, 2.19, -1.50]],
    "C": [[0.04, -1.38, 0.88, 0.14, -1.46, -0.29, 0.02, -0.46, 1.77, -1.49],
          [-0.11, -1.13, 1.09, 0.20, -1.07, -0.67, 0.01, -0.56, 1.45, -1.77],
          [-0.15, -0.96, 0.67, 0.11, -1.45, -0.49, 0.21, -0.49, 1.87, -2.16]],
}
# The manual's results (average-and-range method).
AIAG_GRR_RESULTS = {"ev": "0.2019", "av": "0.2297", "grr": "0.3058", "pv": "1.1046", "tv": "1.1461",
                    "percent_grr": "26.7", "ndc": 5}
# The manual's ANOVA table for the same data (source: df, SS, MS, F).
# Figures as printed (text, so the printed precision is kept).
AIAG_ANOVA = {"appraiser": (2, "3.1673", "1.58363", "79.41"), "part": (9, "88.3619", "9.81799", "492.29"),
              "interaction": (18, "0.3590", "0.01994", "0.434"), "repeatability": (60, "2.7589", "0.04598", None)}
AIAG_ANOVA_TOTAL = (89, "94.6471")

# AIAG linearity example: reference value -> 12 readings.
AIAG_LINEARITY = {
    2.0: [2.70, 2.50, 2.40, 2.50, 2.70, 2.30, 2.50, 2.50, 2.40, 2.40, 2.60, 2.40],
    4.0: [5.10, 3.90, 4.20, 5.00, 3.80, 3.90, 3.90, 3.90, 3.90, 4.00, 4.10, 3.80],
    6.0: [5.80, 5.70, 5.90, 5.90, 6.00, 6.10, 6.00, 6.10, 6.40, 6.30, 6.00, 6.10],
    8.0: [7.60, 7.70, 7.80, 7.70, 7.80, 7.80, 7.80, 7.70, 7.80, 7.50, 7.60, 7.70],
    10.0: [9.10, 9.30, 9.50, 9.30, 9.40, 9.50, 9.50, 9.50, 9.60, 9.20, 9.30, 9.40],
}
# Published: bias = 0.73667 - 0.13167 x reference, R-squared 71.4 %; bias averages per reference.
AIAG_LINEARITY_RESULTS = {"intercept": "0.73667", "slope": "-0.13167", "r_squared": "0.714",
                          "bias": {2.0: "0.491667", 4.0: "0.125000", 6.0: "0.025000", 8.0: "-0.291667",
                                   10.0: "-0.616667"}}

# The ANOVA example of the GageRnR package's test suite (owodunni/GageRnR): 3 operators x 5 parts x
# 3 trials, OWODUNNI[operator][part] = trials, and its published table (full model, F against the
# interaction).
OWODUNNI = [
    [[3.29, 3.41, 3.64], [2.44, 2.32, 2.42], [4.34, 4.17, 4.27], [3.47, 3.50, 3.64], [2.20, 2.08, 2.16]],
    [[3.08, 3.25, 3.07], [2.53, 1.78, 2.32], [4.19, 3.94, 4.34], [3.01, 4.03, 3.20], [2.44, 1.80, 1.72]],
    [[3.04, 2.89, 2.85], [1.62, 1.87, 2.04], [3.88, 4.09, 3.67], [3.14, 3.20, 3.11], [1.54, 1.93, 1.55]],
]
OWODUNNI_TABLE = {"ss": {"appraiser": "1.630", "part": "28.909", "interaction": "0.065", "repeatability": "1.712",
                         "total": "32.317"},
                  "ms": {"appraiser": "0.815", "part": "7.227", "interaction": "0.008", "repeatability": "0.057"},
                  "f": {"appraiser": "100.322", "part": "889.458", "interaction": "0.142"},
                  "p_interaction": "0.9964"}


def as_printed(value: float, published: str) -> bool:
    """Whether the value, rounded to the published figure's decimals, is that figure."""
    decimals = len(published.split(".")[1]) if "." in published else 0
    return round(value, decimals) == round(float(published), decimals)


def aiag_values() -> list[dict]:
    """The AIAG R&R readings as the API takes them."""
    return [{"part": part + 1, "appraiser": appraiser, "trial": trial + 1, "value": value}
            for appraiser, trials in AIAG_GRR.items() for trial, row in enumerate(trials)
            for part, value in enumerate(row)]


def owodunni_values() -> list[dict]:
    """The GageRnR example's readings as the API takes them."""
    return [{"part": p + 1, "appraiser": f"Op{o + 1}", "trial": t + 1, "value": v}
            for o, parts in enumerate(OWODUNNI) for p, trials in enumerate(parts) for t, v in enumerate(trials)]


def linearity_values() -> list[dict]:
    """The AIAG linearity readings as the API takes them."""
    return [{"reference": ref, "value": v} for ref, readings in AIAG_LINEARITY.items() for v in readings]
