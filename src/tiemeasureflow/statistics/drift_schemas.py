"""Responses of the EWMA and CUSUM charts (time-weighted charts for slow drift)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from .schemas import Selection, SpecLimits


class DriftPoint(BaseModel):
    """One plotted point: the value (or subgroup mean) and the chart's statistic with its own limits."""

    x: int = Field(description="Position in the whole selection (0 = oldest)")
    value: float | None = Field(description="The individual value, or the subgroup mean")
    n: int = Field(description="Values behind the point")
    y: float | None = Field(description="EWMA: z_i; CUSUM: the upper sum C+_i")
    lower_sum: float | None = Field(None, description="CUSUM: the lower sum C-_i (plotted as -C-_i)")
    ucl: float | None = Field(description="EWMA: the point's own upper limit; CUSUM: +H")
    lcl: float | None = Field(description="EWMA: the point's own lower limit; CUSUM: -H")
    timestamp: datetime
    measurement_id: int | None = Field(None, description="Individuals: the measurement")
    signal: bool = Field(description="The statistic is beyond a limit here")


ParametersSource = Literal["query", "frozen", "computed"]


class DriftChartData(BaseModel):
    """An EWMA or CUSUM chart: its signals (and only these, no run rules) in `out_of_control_indices`."""

    chart: Literal["ewma", "cusum"]
    points: list[DriftPoint]
    center_line: float = Field(description="The target the statistic is centred on")
    ucl: float | None = Field(description="EWMA: the steady-state upper limit; CUSUM: H")
    lcl: float | None = Field(description="EWMA: the steady-state lower limit; CUSUM: -H")
    out_of_control_indices: list[int] = Field(description="x of the returned points where the chart signals")
    out_of_control_total: int = Field(description="Signals in the whole selection")
    target: float
    sigma: float = Field(description="Sigma of one value; a subgroup mean's is sigma / sqrt(n)")
    parameters_source: ParametersSource = Field(
        description="Where target and sigma came from: the query, the active frozen limit set, or the selection")
    limit_set_id: int | None = None
    ewma_lambda: float | None = None
    ewma_l: float | None = None
    cusum_k: float | None = Field(None, description="Allowance K = k sigma, k in sigma units")
    cusum_h: float | None = Field(None, description="Decision interval H = h sigma, h in sigma units")
    subgroup_size: int
    points_total: int
    limit: int
    spec: SpecLimits
    selection: Selection
    notes: list[str]
