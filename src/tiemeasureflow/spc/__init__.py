"""Statistical process control on numpy arrays: no database, no HTTP; the only place formulas live."""

from .capability import Capability, Interval, PartsPerMillion, bissell_interval, capability, expected_ppm
from .charts import CHART_KINDS, ChartLimits, ControlChart, control_chart
from .constants import MAX_SUBGROUP, MIN_SUBGROUP, ChartConstants, c4, chart_constants, d2, d3
from .histogram import MAX_BINS, MIN_BINS, Histogram, histogram
from .normality import Normality, anderson_darling
from .rules import DEFAULT_K, RULE_DESCRIPTIONS, RULE_SETS, RuleFlags, beyond_limits, check_k, describe, evaluate
from .sigma import ESTIMATOR_NAMES, SigmaWithin, sigma_overall, sigma_within

__all__ = [
    "CHART_KINDS", "DEFAULT_K", "check_k", "describe", "ESTIMATOR_NAMES", "MAX_BINS", "MAX_SUBGROUP", "MIN_BINS", "MIN_SUBGROUP", "RULE_DESCRIPTIONS",
    "RULE_SETS", "Capability", "ChartConstants", "ControlChart", "Histogram", "Interval", "ChartLimits", "Normality",
    "PartsPerMillion", "RuleFlags", "SigmaWithin", "anderson_darling", "beyond_limits", "bissell_interval",
    "c4", "capability", "chart_constants", "control_chart", "d2", "d3", "evaluate", "expected_ppm", "histogram",
    "sigma_overall", "sigma_within",
]
