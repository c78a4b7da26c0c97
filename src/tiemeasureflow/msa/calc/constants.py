"""The AIAG MSA (4th ed.) constants: K1 from d2, K2 and K3 from d2* for one subgroup; chart factors."""

from __future__ import annotations

# d2 for subgroups of size m (many subgroups): K1 = 1 / d2 (trials).
D2 = {2: 1.128, 3: 1.693, 4: 2.059, 5: 2.326, 6: 2.534, 7: 2.704, 8: 2.847, 9: 2.970, 10: 3.078}
# d2* for one subgroup of size m: K2 = 1 / d2*(appraisers), K3 = 1 / d2*(parts).
D2_STAR_ONE = {2: 1.41421, 3: 1.91155, 4: 2.23887, 5: 2.48124, 6: 2.67253, 7: 2.82981, 8: 2.96288,
               9: 3.07794, 10: 3.17905, 11: 3.26909, 12: 3.35016, 13: 3.42378, 14: 3.49116, 15: 3.55333}
# Range chart upper factor and X-bar chart factor by subgroup size (trials).
D4 = {2: 3.267, 3: 2.574, 4: 2.282, 5: 2.114, 6: 2.004, 7: 1.924, 8: 1.864, 9: 1.816, 10: 1.777}
D3 = {2: 0.0, 3: 0.0, 4: 0.0, 5: 0.0, 6: 0.0, 7: 0.076, 8: 0.136, 9: 0.184, 10: 0.223}
A2 = {2: 1.880, 3: 1.023, 4: 0.729, 5: 0.577, 6: 0.483, 7: 0.419, 8: 0.373, 9: 0.337, 10: 0.308}

MAX_TRIALS = max(D2)
MAX_PARTS = max(D2_STAR_ONE)
MAX_APPRAISERS = max(D2_STAR_ONE)

# AIAG: the number of distinct categories multiplies PV / GRR by 1.41 (sqrt 2, rounded as printed).
NDC_FACTOR = 1.41
# AIAG 4th ed. and Minitab: a study variation is 6 standard deviations.
STUDY_VAR_MULTIPLIER = 6.0
# The interaction is pooled into repeatability when its p-value exceeds this.
INTERACTION_ALPHA = 0.25


# K1 as AIAG prints it for 2 and 3 trials (1 / d2, with d2 for 3 trials taken as 1.6926).
K1 = {2: 0.8862, 3: 0.5908}


def k1(trials: int) -> float:
    """K1 for the number of trials (AIAG's printed values for 2 and 3, else 1 / d2 to 4 digits)."""
    return K1.get(trials) or round(1.0 / D2[trials], 4)


def k2(appraisers: int) -> float:
    """K2 for the number of appraisers (0.7071, 0.5231); 0 for a single appraiser (no AV)."""
    return round(1.0 / D2_STAR_ONE[appraisers], 4) if appraisers >= 2 else 0.0


def k3(parts: int) -> float:
    """K3 for the number of parts (10 parts: 0.3146)."""
    return round(1.0 / D2_STAR_ONE[parts], 4)


def acceptance(percent_grr: float) -> str:
    """AIAG's verdict on a %GRR: under 10 acceptable, 10 to 30 conditional, over 30 not acceptable."""
    if percent_grr < 10.0:
        return "acceptable"
    if percent_grr <= 30.0:
        return "conditional"
    return "unacceptable"
