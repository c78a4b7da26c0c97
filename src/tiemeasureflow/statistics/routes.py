"""/api/statistics: SPC of a characteristic, judgment summary, yield and Pareto (Metrologist)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query

from ..auth.deps import MetrologistPrincipal, ReadSessionDep, SessionDep, require_roles
from ..kit.errors import Conflict
from ..kit.schemas import ID_MAX, UtcDateTime
from . import comparison as comparing
from . import limits, production, rule_config, service, shortrun
from .attribute_schemas import AttributeChartData, AttributeGrouping, AttributeKind
from .attributes import attribute_data
from .capability_schemas import CapabilityAnswer, HistogramAnswer
from .chart_options import (
    NO_SIGMA,
    DriftKind,
    DriftParameters,
    Grouping,
    check_constants,
    drift_chart,
    drift_parameters,
    grouped_chart,
    grouping_parameters,
)
from .chart_window import LIMITS_WINDOW_VALUES, RULE_HISTORY
from .drift_schemas import DriftChartData
from .limits_schemas import LimitSet, LimitSetCreate, RuleConfigData, RuleConfigUpdate
from .production_schemas import ParetoData, YieldData, YieldGrouping
from .query_params import (
    CharacteristicFilters,
    Constants,
    DateFrom,
    DateTo,
    DistributionQuery,
    FamilyQuery,
    StationCode,
    StationId,
    SummaryFilters,
)
from .schemas import ChartKind, ControlChartData, Estimator, RuleSet, SubtaskItem, SummaryData
from .scope import StatisticsFilters
from .shortrun_schemas import ShortRunChartData

CHART_LIMIT = (
    "Newest points returned. I-MR and X-bar charts without date_from/date_to read only the newest "
    f"(limit + {RULE_HISTORY}) x subgroup_size values when the chart kind has frozen limits, else at least the "
    f"newest {LIMITS_WINDOW_VALUES:,} values, and compute limits, rules and points_total from them; with "
    "a date range, the whole range")
router = APIRouter(prefix="/statistics", tags=["statistics"], dependencies=[Depends(require_roles("Metrologist"))])
ERRORS: dict[int | str, dict[str, Any]] = {
    403: {"description": "Metrologist role required"},
    404: {"description": "Recipe, subtask, version or station not found"},
    422: {"description": "Invalid parameters"},
}


@router.get("/summary", response_model=SummaryData, responses=ERRORS)
def summary(session: ReadSessionDep, filters: SummaryFilters) -> SummaryData:
    """Pass/warning/fail counts and percentages of the filtered current measurements."""
    return service.summary(session, filters)


@router.get("/capability", response_model=CapabilityAnswer, responses=ERRORS)
def capability(
    session: ReadSessionDep, filters: CharacteristicFilters,
    subgroup_size: Annotated[int, Query(ge=1, le=25,
                                        description="1: individuals (MR-bar/d2(2)); 2..25: subgroups")] = 1,
    estimator: Annotated[Estimator, Query(
        description="Sigma within of subgroups: R-bar/d2(n), S-bar/c4(n) or the pooled s_p/c4(d+1)")] = "r_bar",
    constants: Constants = "exact", distribution: DistributionQuery = "normal",
    confidence: Annotated[float, Query(ge=0.5, le=0.999, description="Of every interval (two-sided)")] = 0.95,
) -> CapabilityAnswer:
    """Capability indices (Cp, Cpk, Pp, Ppk, Cpm) with intervals, PPM and a normality test."""
    check_constants("capability", subgroup_size, constants)
    return service.capability_data(session, filters, subgroup_size, estimator, constants, distribution, confidence)


@router.get("/control-chart", response_model=ControlChartData | DriftChartData | ShortRunChartData,
            responses={**ERRORS, 409: {"description": (
                NO_SIGMA[409]["description"] + "; dnom/zmr: a member has no nominal nor both tolerances; "
                "family without dnom/zmr; dnom/zmr with subgroups")}})
def control_chart(
    session: ReadSessionDep, filters: CharacteristicFilters, chart: ChartKind | DriftKind = "imr",
    subgroup_size: Annotated[int | None, Query(ge=1, le=25,
                                               description="2..25 for X-bar charts (X-bar/R up to 10)")] = None,
    rules: Annotated[RuleSet | None, Query(description="Western Electric 1-4 or Nelson 1-8, every rule with "
                                                       "its default K (default: the characteristic's rules)")] = None,
    limit: Annotated[int, Query(ge=1, le=10_000, description=CHART_LIMIT)] = 1000,
    constants: Constants = "exact", family: FamilyQuery = None, *,
    drift: Annotated[DriftParameters, Depends(drift_parameters)],
    grouping: Annotated[Grouping, Depends(grouping_parameters)],
) -> ControlChartData | DriftChartData | ShortRunChartData:
    """Control chart (I-MR, X-bar/R, X-bar/S, short-run DNOM, Z-MR) with limits and rule violations, or EWMA/CUSUM."""
    check_constants(chart, subgroup_size, constants)
    if chart == "dnom" or chart == "zmr":
        if subgroup_size not in (None, 1):
            raise Conflict("the short-run charts (dnom, zmr) plot individual values: subgroup_size is 1")
        return shortrun.chart_data(session, filters, chart, family, rules, limit, constants)
    if family:
        raise Conflict("family applies to the short-run charts (dnom, zmr)")
    if chart == "ewma" or chart == "cusum":
        return drift_chart(session, filters, chart, subgroup_size, drift, limit)
    if grouping.subgroup_by != "consecutive":
        return grouped_chart(session, filters, chart, grouping, rules, limit)
    return service.control_chart_data(session, filters, chart, subgroup_size, rules, limit, constants)


@router.get("/attribute-chart", response_model=AttributeChartData, responses={**ERRORS, 409: {
    "description": "subgroup_by=shift while no shifts are defined"}})
def attribute_chart(
    session: ReadSessionDep, filters: SummaryFilters, chart: AttributeKind = "p", subgroup_by: AttributeGrouping = "lot",
    runs_per_subgroup: Annotated[int, Query(ge=1, le=10_000, description="subgroup_by=run_count: runs per subgroup")] = 25,
) -> AttributeChartData:
    """Attribute chart (p, np, c, u) of failed runs or failed values per lot, day, shift or run count."""
    return attribute_data(session, filters, chart, subgroup_by, runs_per_subgroup)


@router.get("/histogram", response_model=HistogramAnswer, responses=ERRORS)
def histogram(session: ReadSessionDep, filters: CharacteristicFilters,
              n_bins: Annotated[int, Query(ge=5, le=100)] = 20,
              distribution: DistributionQuery = "normal") -> HistogramAnswer:
    """Histogram with the fitted normal curve (and a chosen distribution's) scaled to the counts, and the limits."""
    return service.histogram_data(session, filters, n_bins, distribution)


@router.get("/subtasks", response_model=list[SubtaskItem], responses=ERRORS)
def subtasks(session: ReadSessionDep, recipe_id: int,
             version_id: Annotated[int | None, Query(description="Default: the current version")] = None
             ) -> list[SubtaskItem]:
    """Subtasks of a recipe version, for the filter dropdown."""
    return service.subtasks(session, recipe_id, version_id)


@router.get("/yield", response_model=YieldData, responses=ERRORS)
def yield_(
    session: ReadSessionDep, group_by: YieldGrouping = "day",
    date_from: Annotated[UtcDateTime | None, Query(description="First runs started at or after this")] = None,
    date_to: Annotated[UtcDateTime | None, Query(description="Runs started at or before this")] = None,
    recipe_id: int | None = None, station_id: StationId = None, station_code: StationCode = None,
) -> YieldData:
    """First-pass and final yield of devices by day, station or recipe."""
    return production.yield_data(session, group_by, date_from, date_to, recipe_id, station_id, station_code)


@router.get("/pareto", response_model=ParetoData, responses=ERRORS)
def pareto(
    session: ReadSessionDep, date_from: DateFrom = None, date_to: DateTo = None,
    recipe_id: Annotated[int | None, Query(description="Default: every recipe")] = None,
    version_id: int | None = None, operator_id: int | None = None, lot_number: str | None = None,
    serial_number: str | None = None, station_id: StationId = None, station_code: StationCode = None,
    pass_fail: Annotated[Literal["fail", "warning"] | None, Query(description="Rank by one judgment only")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 20,
) -> ParetoData:
    """Failing and warning characteristics ranked by count, with cumulative percentages."""
    filters = StatisticsFilters(recipe_id, None, version_id, date_from, date_to, operator_id, lot_number,
                                serial_number, station_id, station_code)
    return production.pareto_data(session, filters, pass_fail, limit)


CONTRADICTS: dict[int | str, dict[str, Any]] = {
    409: {"description": "Fields contradict each other, or the data cannot give this baseline"}}


@router.put("/control-limits", response_model=LimitSet, status_code=201, responses={**ERRORS, **CONTRADICTS})
def freeze_control_limits(session: SessionDep, data: LimitSetCreate, principal: MetrologistPrincipal) -> LimitSet:
    """Freeze a characteristic's control limits from a baseline; the new set becomes the active one."""
    return limits.freeze(session, data, principal)


@router.get("/control-limits", response_model=list[LimitSet], responses=ERRORS)
def control_limit_sets(session: ReadSessionDep, recipe_id: Annotated[int, Query(ge=1, le=ID_MAX)],
                       subtask_id: Annotated[int, Query(ge=1, le=ID_MAX)]) -> list[LimitSet]:
    """The characteristic's frozen limit sets, newest first (`active` marks the ones charts use)."""
    return limits.list_sets(session, recipe_id, subtask_id)


@router.get("/rules", response_model=RuleConfigData, responses=ERRORS)
def rules_config(session: ReadSessionDep, recipe_id: Annotated[int, Query(ge=1, le=ID_MAX)],
                 subtask_id: Annotated[int, Query(ge=1, le=ID_MAX)]) -> RuleConfigData:
    """The run rules the characteristic's charts apply, with each rule's K and wording."""
    return rule_config.get_config(session, recipe_id, subtask_id)


@router.put("/rules", response_model=RuleConfigData, responses={**ERRORS, 409: {
    "description": "A rule the chosen rule set does not have"}})
def set_rules_config(session: SessionDep, data: RuleConfigUpdate, principal: MetrologistPrincipal) -> RuleConfigData:
    """Choose the characteristic's rule set, the rules switched on and their K values."""
    return rule_config.set_config(session, data, principal)


@router.get("/comparison", response_model=comparing.ComparisonData, responses=ERRORS)
def comparison(session: ReadSessionDep, filters: CharacteristicFilters,
               subgroup_size: Annotated[int, Query(ge=1, le=10, description="For sigma within of each group")] = 1,
               ) -> comparing.ComparisonData:
    """One characteristic by shift, operator and station side by side: box plots and capability per group."""
    return comparing.comparison(session, filters, subgroup_size)
