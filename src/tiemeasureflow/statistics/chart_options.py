"""Query parameters of the EWMA/CUSUM charts and of rational subgroups, kept out of the routes module."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query
from sqlalchemy.orm import Session

from ..kit.errors import Unprocessable
from ..spc.constants import MAX_TABLE_SUBGROUP
from ..spc.cusum import H_RANGE, K_RANGE
from ..spc.ewma import L_RANGE, LAMBDA_RANGE
from . import drift, grouped
from .drift import DriftParameters
from .drift_schemas import DriftChartData
from .limits_schemas import DriftChartKind
from .schemas import ConstantsSource, ControlChartData, Estimator, RuleSet, ShewhartKind, SubgroupBasis
from .scope import StatisticsFilters
from .selection import CharacteristicData

DriftKind = DriftChartKind
NO_SIGMA = {409: {"description": "EWMA/CUSUM: no target or sigma given and none can be estimated"}}
__all__ = ["NO_SIGMA", "DriftKind", "DriftParameters", "Grouping", "check_constants", "drift_chart",
           "drift_parameters", "grouped_chart", "grouping_parameters"]


def drift_parameters(
    ewma_lambda: Annotated[float, Query(ge=LAMBDA_RANGE[0], le=LAMBDA_RANGE[1],
                                        description="EWMA weight of the newest point")] = 0.2,
    ewma_l: Annotated[float, Query(ge=L_RANGE[0], le=L_RANGE[1], description="EWMA limit width in sigmas")] = 3.0,
    cusum_k: Annotated[float, Query(ge=K_RANGE[0], le=K_RANGE[1],
                                    description="CUSUM allowance in sigma units (half the shift to detect)")] = 0.5,
    cusum_h: Annotated[float, Query(ge=H_RANGE[0], le=H_RANGE[1],
                                    description="CUSUM decision interval in sigma units")] = 5.0,
    target: Annotated[float | None, Query(ge=-1e12, le=1e12, description=(
        "EWMA/CUSUM centre (default: the active frozen set's centre line, else the selection's mean)"))] = None,
    sigma: Annotated[float | None, Query(gt=0, le=1e12, description=(
        "EWMA/CUSUM sigma of one value (default: the active frozen set's, else sigma within)"))] = None,
) -> DriftParameters:
    """The EWMA/CUSUM parameters of a control-chart request (ignored by the Shewhart charts)."""
    return DriftParameters(target, sigma, ewma_lambda, ewma_l, cusum_k, cusum_h)


def drift_chart(session: Session, filters: StatisticsFilters, chart: DriftKind, subgroup_size: int | None,
                params: DriftParameters, limit: int) -> DriftChartData:
    """The EWMA or CUSUM chart of one characteristic's selection."""
    return drift.build(session, CharacteristicData(session, filters), chart, subgroup_size, params, limit)


class Grouping:
    """How the values of an X-bar chart are put into subgroups."""

    def __init__(self, subgroup_by: SubgroupBasis = "consecutive", window_minutes: int | None = None,
                 estimator: Estimator | None = None) -> None:
        self.subgroup_by, self.window_minutes, self.estimator = subgroup_by, window_minutes, estimator


def grouping_parameters(
    subgroup_by: Annotated[SubgroupBasis, Query(description=(
        "consecutive: every subgroup_size values; run, lot, part (serial) or window: the values produced "
        "together, subgroups of unequal size with limits of their own"))] = "consecutive",
    window_minutes: Annotated[int | None, Query(ge=1, le=525_600, description="subgroup_by=window: its width")] = None,
    estimator: Annotated[Estimator | None, Query(description=(
        "Subgroups by run, lot, part or window: sigma within by UWAVE-R (r_bar), S-bar (s_bar) or the pooled "
        "standard deviation (default: r_bar for X-bar/R, s_bar for X-bar/S)"))] = None,
) -> Grouping:
    """The subgroup basis of a control-chart request."""
    return Grouping(subgroup_by, window_minutes, estimator)


def grouped_chart(session: Session, filters: StatisticsFilters, chart: ShewhartKind, grouping: Grouping,
                  rules: RuleSet | None, limit: int) -> ControlChartData:
    """The X-bar chart of the subgroups by run, lot, part or time window."""
    return grouped.build(session, CharacteristicData(session, filters), chart, grouping.subgroup_by,
                         grouping.window_minutes, grouping.estimator, rules, limit)


def check_constants(chart: str, subgroup_size: int | None, constants: ConstantsSource) -> None:
    """X-bar/R up to subgroups of 10 (X-bar/S above), and table constants only where the table has them."""
    if subgroup_size is None:
        return
    if chart == "xbar_r" and subgroup_size > MAX_TABLE_SUBGROUP:
        raise Unprocessable(f"X-bar/R takes subgroups up to {MAX_TABLE_SUBGROUP}: use xbar_s for larger ones")
    if constants == "table" and subgroup_size > MAX_TABLE_SUBGROUP:
        raise Unprocessable(f"the ASTM E2587 table constants are kept for subgroups up to {MAX_TABLE_SUBGROUP}: "
                            "use constants=exact")
