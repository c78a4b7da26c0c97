"""What the PDF renderers draw: plain values, gathered by the service, free of the database."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Note:
    """A remark for the reader: a wording key of i18n with its values (or, failing that, plain text)."""

    key: str
    values: dict = field(default_factory=dict)


@dataclass
class ReportContext:
    """Who the report is for and about: language, company, author and time."""

    language: str
    company_name: str
    logo_path: Path | None
    generated_at: datetime
    generated_by: str


@dataclass
class CharacteristicLimits:
    """A characteristic's nominal, warning and tolerance limits (any may be absent)."""

    nominal: float | None = None
    ltl: float | None = None
    lwl: float | None = None
    uwl: float | None = None
    utl: float | None = None


@dataclass
class CharacteristicInfo:
    """The characteristic a report is about and where it lives."""

    recipe_code: str
    recipe_name: str
    versions: list[int]
    marker_number: int | str  # the balloon label when the version has one
    description: str
    unit: str
    limits: CharacteristicLimits


@dataclass
class Capability:
    """Capability figures as the statistics service computed them."""

    n: int
    mean: float | None
    sigma_within: float | None
    sigma_overall: float | None
    sigma_estimator: str | None
    indices: dict[str, float | None]
    intervals: dict[str, tuple[float, float] | None] = field(default_factory=dict)
    ppm_expected_within: tuple[float | None, float | None] = (None, None)
    ppm_expected_overall: tuple[float | None, float | None] = (None, None)
    ppm_observed: tuple[float | None, float | None] = (None, None)
    normality_statistic: float | None = None
    normality_p_value: float | None = None
    normality_reason: Note | None = None
    # Why indices are missing: a wording key of i18n (or plain text) and its values.
    reason: Note | None = None
    one_sided: dict[str, float] = field(default_factory=dict)
    confidence: float = 0.95
    distribution: str = "normal"
    distribution_name: str = "normal"
    anderson_darling: float | None = None
    few_values: bool = False


@dataclass
class ChartSeries:
    """One chart of a control-chart pair: its points, lines and out-of-control positions."""

    kind: str
    x: list[int]
    y: list[float]
    center: float | None
    ucl: float | None
    lcl: float | None
    out_of_control: list[int] = field(default_factory=list)
    # Subgroups of unequal size: each point's own limits (x, ucl, lcl), drawn as steps.
    own_limits: list[tuple[int, float | None, float | None]] = field(default_factory=list)


@dataclass
class Violation:
    """A point that broke one or more run rules."""

    point: int
    time: datetime | None
    value: float
    rules: list[str]
    serial: str | None = None


@dataclass
class ControlChart:
    """A control-chart pair (I-MR, X-bar/R or X-bar/S) and the rule violations."""

    chart: str
    rules: str
    subgroup_size: int
    primary: ChartSeries
    secondary: ChartSeries | None
    violations: list[Violation]
    violations_total: int
    points_total: int
    notes: list[Note] = field(default_factory=list)
    subgroup_by: str = "consecutive"
    sizes: tuple[int, int] | None = None  # smallest and largest subgroup (run, lot, part or window)
    window_minutes: int | None = None


@dataclass
class Histogram:
    """Bin edges and counts, and the normal curve scaled to the counts."""

    edges: list[float]
    counts: list[int]
    curve_x: list[float]
    curve_y: list[float]
    fitted_x: list[float] = field(default_factory=list)
    fitted_y: list[float] = field(default_factory=list)
    fitted_name: str | None = None


@dataclass
class SpcReport:
    """Everything on the SPC report."""

    context: ReportContext
    characteristic: CharacteristicInfo
    filters: list[tuple[str, str | datetime]]
    period: tuple[datetime | None, datetime | None]
    capability: Capability
    control: ControlChart
    histogram: Histogram
    # The alarms of the period with their reaction, and which control limits were used.
    alarms: list = field(default_factory=list)
    alarms_total: int = 0
    limits_used: Any = None
    # The EWMA/CUSUM and attribute charts asked for (statistics answers), on a page of their own.
    drift: Any = None
    attribute: Any = None


@dataclass
class MeasurementRow:
    """One line of the measurement table."""

    id: int
    measured_at: datetime
    serial: str | None
    lot: str | None
    marker_number: int | str | None  # the balloon label when the version has one
    description: str | None
    value: float
    unit: str | None
    deviation: float | None
    result: str
    operator: str | None
    station: str | None
    version_number: int | None
    corrected: bool = False
    superseded_value: float | None = None
    correction_reason: str | None = None


@dataclass
class MeasurementsReport:
    """Everything on the measurement table report."""

    context: ReportContext
    recipe_code: str
    recipe_name: str
    filters: list[tuple[str, str | datetime]]
    rows: list[MeasurementRow]
    total: int
    counts: dict[str, int]
    period: tuple[datetime | None, datetime | None]
    # The per-characteristic summary (char_summary.CharacteristicFigures), and whether and up to how
    # many rows the detailed table is printed.
    characteristics: list = field(default_factory=list)
    detail: bool = True
    detail_limit: int = 0
