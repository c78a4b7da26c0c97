"""Statistics responses: the reference's fields first, then what a metrologist needs beside them.

Every float is finite or null; a null index comes with its reason in `null_reasons`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Generic, Literal, TypeVar, get_args

from pydantic import BaseModel, Field

ChartKind = Literal["imr", "xbar_r", "xbar_s", "dnom", "zmr"]
RuleSet = Literal["we", "nelson"]
RULE_SETS: tuple[RuleSet, ...] = get_args(RuleSet)
RulesSource = Literal["default", "characteristic", "query"]
Estimator = Literal["r_bar", "s_bar", "pooled"]
SubgroupBasis = Literal["consecutive", "run", "lot", "part", "window"]
ConstantsSource = Literal["exact", "table"]
ShewhartKind = Literal["imr", "xbar_r", "xbar_s"]
SecondaryKind = Literal["mr", "r", "s"]

# The answers below are shared by the characteristics and by HardPy's measurements, which have
# limits and a selection of their own shape; each answer model is one of them, concretely.
SpecT = TypeVar("SpecT", bound=BaseModel)
SelectionT = TypeVar("SelectionT", bound=BaseModel)
PointT = TypeVar("PointT", bound="ChartPoint")
KindT = TypeVar("KindT", bound=str)


class SummaryData(BaseModel):
    """Judgments of the selected (current) measurements."""

    total: int
    pass_count: int
    warning_count: int
    fail_count: int
    pass_percentage: float
    warning_percentage: float
    fail_percentage: float


class SpecLimits(BaseModel):
    """The limits the selection is judged against: those of the newest version in it."""

    subtask_id: int
    characteristic_id: int
    version_id: int
    version_number: int
    marker_number: int
    label: str | None = Field(None, description="Balloon label in that version")
    description: str | None
    unit: str
    nominal: float | None
    lsl: float | None = Field(description="Lower specification limit (the subtask's ltl)")
    usl: float | None = Field(description="Upper specification limit (the subtask's utl)")
    lwl: float | None
    uwl: float | None


class Selection(BaseModel):
    """What the answer was computed from."""

    characteristic_id: int
    n: int = Field(description="Current measurements matching the filters")
    version_ids: list[int]
    version_numbers: list[int]


class ConfidenceInterval(BaseModel):
    """A two-sided confidence interval and the formula behind it."""

    lower: float
    upper: float
    confidence: float
    method: str
    lower_one_sided: float | None = Field(None, description="One-sided lower bound at the same confidence")


class Ppm(BaseModel):
    """Parts per million below LSL, above USL and in total; null on a side without a limit."""

    below: float | None
    above: float | None
    total: float | None


class NormalityTest(BaseModel):
    """Anderson-Darling: A2, A2* = A2(1 + 0.75/n + 2.25/n^2), p-value (D'Agostino & Stephens)."""

    test: str
    statistic: float | None
    adjusted_statistic: float | None
    p_value: float | None
    normal: bool | None = Field(description="p_value >= alpha")
    alpha: float
    reason: str | None


class CapabilityFields(BaseModel, Generic[SpecT, SelectionT]):
    """Capability indices with their sigmas, intervals, PPM and normality, of any limits and selection."""

    n: int
    mean: float | None
    stdev: float | None = Field(description="Sample standard deviation (n - 1): sigma overall")
    cp: float | None
    cpk: float | None
    pp: float | None
    ppk: float | None
    cpu: float | None
    cpl: float | None
    ppu: float | None
    ppl: float | None
    cpm: float | None = Field(description="(USL - LSL) / (6 sqrt(sigma_within^2 + (mean - nominal)^2))")
    sigma_within: float | None
    sigma_overall: float | None
    sigma_estimator: str = Field(description="MR-bar/d2(2), R-bar/d2(n) or S-bar/c4(n)")
    estimator: str | None = Field(None, description="sigma_estimator as a code: mr_bar, r_bar, s_bar or pooled")
    subgroup_size: int
    subgroups: int
    values_left_out: int = Field(description="Values of an incomplete last subgroup, not used for sigma within")
    constants: ConstantsSource
    cpk_ci: ConfidenceInterval | None
    ppk_ci: ConfidenceInterval | None
    ppm_observed: Ppm | None
    ppm_expected_within: Ppm | None
    ppm_expected_overall: Ppm | None
    normality: NormalityTest
    spec: SpecT
    selection: SelectionT
    null_reasons: dict[str, str]
    stages: list[Stage] = Field(default_factory=list, description="One per stretch of equal tolerances, oldest first")
    tolerance_changed: bool = Field(False, description="The tolerances change inside the selection: the indices "
                                                       "above are those of the newest stage")
    notes: list[str] = Field(default_factory=list)


class PointMember(BaseModel):
    """One measurement behind a chart point."""

    measurement_id: int
    value: float
    timestamp: datetime
    serial_number: str | None
    lot_number: str | None
    operator_id: int | None
    operator: str | None
    station_id: int | None
    station_code: str | None
    version_id: int
    version_number: int
    pass_fail: str = Field(description="Judgment against its own version's tolerances: pass, warning or fail")


class ChartPoint(BaseModel):
    """A point of the primary chart: an individual value, or a subgroup mean with its members.

    `x` is the point's position in the whole selection (0 = oldest). For individuals the
    measurement's details are on the point itself; for subgroups they are in `members`.
    """

    x: int
    y: float
    timestamp: datetime
    rules: list[int] = Field(description="Run rules that fired at this point")
    measurement_id: int | None = None
    subgroup: int | None = None
    serial_number: str | None = None
    lot_number: str | None = None
    operator_id: int | None = None
    operator: str | None = None
    station_id: int | None = None
    station_code: str | None = None
    version_id: int | None = None
    version_number: int | None = None
    members: list[PointMember] | None = None
    pass_fail: str | None = Field(None, description="Individuals: the value's judgment against its own version")
    out_of_tolerance: bool = Field(False, description="The value (or a member of the subgroup) is beyond its "
                                                      "own version's tolerance: a different thing from rules")
    stage: int = Field(0, description="Index of the stage (see `stages`) whose limits judge this point")


class SecondaryPoint(BaseModel):
    """A point of the MR, R or S chart."""

    x: int
    y: float


class SecondaryChart(BaseModel):
    """The dispersion chart of the pair: moving ranges, ranges or standard deviations."""

    name: SecondaryKind
    points: list[SecondaryPoint]
    center_line: float | None
    ucl: float | None
    lcl: float | None
    out_of_control_indices: list[int] = Field(description="x of points beyond a limit (rule 1 only)")


class Stage(BaseModel):
    """A stretch of the selection with one set of tolerances, its own control limits and capability."""

    index: int
    version_ids: list[int]
    version_numbers: list[int]
    first_x: int | None = Field(description="First chart point of the stage (null in capability answers)")
    last_x: int | None
    n: int = Field(description="Values in the stage")
    lsl: float | None
    usl: float | None
    nominal: float | None
    center_line: float | None
    ucl: float | None
    lcl: float | None
    cp: float | None
    cpk: float | None
    pp: float | None
    ppk: float | None


class SubgroupLimits(BaseModel):
    """A subgroup of a chart by run, lot, part or time window: its key, size and limits of its own."""

    x: int
    key: str = Field(description="Run id, lot number, serial number or the window's UTC start")
    n: int
    ucl: float | None
    lcl: float | None
    secondary_center: float | None = Field(description="Centre of the R or S chart for this size")
    secondary_ucl: float | None
    secondary_lcl: float | None


class RuleInfo(BaseModel):
    """A run rule of the set in use."""

    rule: int
    k: float = Field(description="The rule's K: a sigma multiple for rule 1, a number of points for the others")
    description: str = Field(description="English wording; (rule set, rule, k) identify it for translation")
    count: int = Field(description="Points it flagged in the whole selection")


class ControlChartFields(BaseModel, Generic[PointT, KindT, SpecT, SelectionT]):
    """A control chart answer of any points, chart kinds, limits and selection."""

    points: list[PointT]
    ucl: float | None
    lcl: float | None
    center_line: float | None
    out_of_control_indices: list[int] = Field(description="x of the returned points where a rule fired")
    chart: KindT
    subgroup_size: int
    rules: RuleSet
    rule_descriptions: list[RuleInfo]
    out_of_control_total: int = Field(description="Points flagged in the whole selection")
    secondary: SecondaryChart
    sigma_within: float | None
    sigma_estimator: str
    estimator: str | None = Field(None, description=(
        "sigma_estimator as a code: mr_bar, r_bar, s_bar or pooled (with subgroup_by other than consecutive: "
        "r_bar is UWAVE-R and s_bar the S-bar pooled over n_i - 1)"))
    constants: ConstantsSource
    points_total: int = Field(description="Points in the whole selection (the statistics use them all)")
    values_used: int
    values_left_out: int
    limit: int
    spec: SpecT
    selection: SelectionT
    notes: list[str]
    limits_source: Literal["frozen", "computed"] = Field(
        "computed", description="frozen: the active limit set of this chart kind and subgroup size judges the points")
    limit_set_id: int | None = Field(None, description="The frozen set used, when limits_source is frozen")
    out_of_tolerance_indices: list[int] = Field(
        default_factory=list, description="x of returned points beyond their own version's tolerance")
    rules_source: RulesSource = "default"
    secondary_rules: list[int] = Field(default_factory=lambda: [1], description="Rules applied to the MR/R/S chart")
    stages: list[Stage] = Field(default_factory=list, description="One per stretch of equal tolerances, oldest first")
    tolerance_changed: bool = Field(False, description="The tolerances change inside the selection")
    subgroup_by: SubgroupBasis = Field("consecutive", description="What makes a subgroup")
    subgroups: list[SubgroupLimits] | None = Field(
        None, description="Subgroups by run, lot, part or window: each point's key, size and own limits")


class NormalCurve(BaseModel):
    """The fitted normal curve in counts per bin, for drawing."""

    x: list[float]
    y: list[float]


class HistogramFields(BaseModel, Generic[SpecT, SelectionT]):
    """A histogram answer of any limits and selection."""

    bins: list[float] = Field(description="Bin edges: n_bins + 1 values")
    frequencies: list[int]
    normal_curve_y: list[float] = Field(description="Expected count of each bin under the fitted normal")
    bin_centers: list[float]
    bin_width: float | None
    n_bins: int
    n: int
    mean: float | None
    stdev: float | None
    normal_curve: NormalCurve | None
    spec: SpecT
    selection: SelectionT
    null_reasons: dict[str, str]


class SubtaskItem(BaseModel):
    """A characteristic of a version, for the filter dropdown."""

    id: int
    marker_number: int
    label: str | None = Field(None, description="Balloon label, unique within the version")
    description: str | None
    task_title: str
    nominal: float | None
    utl: float | None
    ltl: float | None
    uwl: float | None
    lwl: float | None
    unit: str
    measurement_type: str
    characteristic_id: int
    version_id: int


class CapabilityData(CapabilityFields[SpecLimits, Selection]):
    """Capability indices with their sigmas, intervals, PPM and normality."""


class ControlChartData(ControlChartFields[ChartPoint, ShewhartKind, SpecLimits, Selection]):
    """The reference's fields describe the primary chart; `secondary` is its MR/R/S chart."""


class HistogramData(HistogramFields[SpecLimits, Selection]):
    """The reference's bins (edges), frequencies and normal_curve_y (expected count per bin)."""
