"""Query parameters of the EWMA and CUSUM charts, kept out of the routes module."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Query
from sqlalchemy.orm import Session

from ..spc.cusum import H_RANGE, K_RANGE
from ..spc.ewma import L_RANGE, LAMBDA_RANGE
from . import drift
from .drift import DriftParameters
from .drift_schemas import DriftChartData
from .scope import StatisticsFilters
from .service import CharacteristicData

DriftKind = Literal["ewma", "cusum"]
NO_SIGMA = {409: {"description": "EWMA/CUSUM: no target or sigma given and none can be estimated"}}
__all__ = ["NO_SIGMA", "DriftKind", "DriftParameters", "drift_chart", "drift_parameters"]


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


def drift_chart(session: Session, filters: StatisticsFilters, chart: str, subgroup_size: int | None,
                params: DriftParameters, limit: int) -> DriftChartData:
    """The EWMA or CUSUM chart of one characteristic's selection."""
    return drift.build(session, CharacteristicData(session, filters), chart, subgroup_size, params, limit)
