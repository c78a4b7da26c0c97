"""Payloads and answers of frozen control limits and run-rule configuration."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, BeforeValidator, Field

from ..kit.numbers import WholeNumber, whole
from ..kit.schemas import ID_MAX, StrictInput
from .schemas import RuleSet

# Frozen limits belong to one characteristic's own Shewhart chart; the short-run charts (dnom, zmr)
# chart a family of characteristics against nominal and have no limits of a single one to freeze.
LimitChartKind = Literal["imr", "xbar_r", "xbar_s"]
LIMIT_CHARTS: tuple[LimitChartKind, ...] = get_args(LimitChartKind)
DriftChartKind = Literal["ewma", "cusum"]
DRIFT_CHARTS: tuple[DriftChartKind, ...] = get_args(DriftChartKind)
RuleNumber = Annotated[int, Field(ge=1, le=8), BeforeValidator(whole)]


class Exclusion(StrictInput):
    """A baseline value left out of the limits, and why."""

    # 2^53: the largest id a JSON number carries exactly (so the schema's bound is the one enforced).
    measurement_id: WholeNumber = Field(ge=1, le=2**53)
    reason: str = Field(min_length=1, max_length=2000)


class LimitSetCreate(StrictInput):
    """Freeze limits from a baseline: the first N points, the first N subgroups, or a time range.

    Exactly one kind of baseline, and a subgroup size that fits the chart: a request that breaks
    either is a 409 (the schema cannot say it).
    """

    # JSON Schema's integers include 5.0: whole numbers written with a fraction are taken as such.
    recipe_id: WholeNumber = Field(ge=1, le=ID_MAX)
    subtask_id: WholeNumber = Field(ge=1, le=ID_MAX)
    chart: LimitChartKind
    subgroup_size: WholeNumber = Field(1, ge=1, le=25)
    baseline_points: WholeNumber = Field(None, ge=2, le=1_000_000)  # type: ignore[assignment]
    baseline_subgroups: WholeNumber = Field(None, ge=2, le=100_000)  # type: ignore[assignment]
    date_from: datetime = Field(None)  # type: ignore[assignment]
    date_to: datetime = Field(None)  # type: ignore[assignment]
    exclusions: list[Exclusion] = Field(default_factory=list, max_length=10_000)
    constants: Literal["exact", "table"] = "exact"
    reason: str = Field(min_length=1, max_length=2000)


class LimitSet(BaseModel):
    """A frozen set of control limits with where it came from."""

    id: int
    recipe_id: int
    subtask_id: int
    characteristic_id: int
    chart: LimitChartKind
    subgroup_size: int
    center_line: float
    ucl: float | None
    lcl: float | None
    sigma: float | None = Field(description="Sigma within of the baseline (process sigma)")
    target: float | None = Field(description="The characteristic's nominal when the set was frozen")
    secondary_center_line: float | None
    secondary_ucl: float | None
    secondary_lcl: float | None
    constants: str
    baseline: dict[str, Any] = Field(description="{points: N} | {subgroups: N} | {date_from, date_to}")
    values_used: int
    subgroups_used: int
    first_measurement_id: int | None
    last_measurement_id: int | None
    exclusions: list[dict[str, Any]]
    reason: str
    created_by: int | None
    created_at: datetime
    active: bool = Field(description="The newest set of its chart kind and subgroup size: the one charts use")


class DriftAlarm(StrictInput):
    """An EWMA or CUSUM chart watched for alarms; target and sigma default to the frozen I-MR set or the history."""

    chart: DriftChartKind
    ewma_lambda: float = Field(0.2, ge=0.01, le=1.0)
    ewma_l: float = Field(3.0, ge=0.5, le=6.0)
    cusum_k: float = Field(0.5, ge=0.0, le=3.0, description="Allowance in sigma units")
    cusum_h: float = Field(5.0, ge=0.5, le=20.0, description="Decision interval in sigma units")
    target: float | None = Field(None, ge=-1e12, le=1e12)
    sigma: float | None = Field(None, gt=0, le=1e12)


class RuleConfigUpdate(StrictInput):
    """Which run rules a characteristic's charts apply."""

    recipe_id: WholeNumber = Field(ge=1, le=ID_MAX)
    subtask_id: WholeNumber = Field(ge=1, le=ID_MAX)
    rule_set: RuleSet
    enabled: list[RuleNumber] = Field(max_length=8, description="Rules switched on, e.g. [1, 2, 5]")
    k_values: dict[Annotated[str, Field(pattern="^[1-8]$")], float] = Field(
        default_factory=dict, description="Minitab's K per rule number, e.g. {\"2\": 7}",
        json_schema_extra={"propertyNames": {"pattern": "^[1-8]$"},
                           "properties": {"1": {"type": "number", "minimum": 0.5, "maximum": 6}},
                           "patternProperties": {"^[2-8]$": {"type": "integer", "minimum": 2, "maximum": 50}}})
    secondary_rules: list[RuleNumber] = Field(
        default_factory=lambda: [1], max_length=8, description="Rules on the MR/R/S chart (default rule 1 only)")
    drift: DriftAlarm | None = Field(None, description="An EWMA or CUSUM chart of the individual values whose "
                                                       "signals raise alarms too (null: none)")


class DriftAlarmData(BaseModel):
    """The EWMA or CUSUM chart a characteristic's alarms watch."""

    chart: DriftChartKind
    ewma_lambda: float
    ewma_l: float
    cusum_k: float
    cusum_h: float
    target: float | None
    sigma: float | None


class RuleConfigData(BaseModel):
    """The run rules of a characteristic, with each rule's K and wording."""

    characteristic_id: int
    rule_set: RuleSet
    enabled: list[int]
    k_values: dict[str, float]
    secondary_rules: list[int]
    configured: bool = Field(description="False: the defaults (every rule of the set, rule 1 on MR/R/S)")
    descriptions: dict[str, str]
    drift: DriftAlarmData | None = Field(None, description="The EWMA or CUSUM chart whose signals raise alarms")
