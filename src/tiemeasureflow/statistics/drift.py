"""EWMA and CUSUM answers: target and sigma from the query, the active frozen set, or the selection.

The frozen set is the characteristic's active I-MR set for individuals, or its active X-bar set
of the same subgroup size; its centre line is the in-control mean the chart watches and its sigma
the process sigma. Without one, the selection's mean and its sigma within (MR-bar/d2(2), or
R-bar/d2(n) for subgroups) stand in for them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
from sqlalchemy.orm import Session

from .. import spc
from ..kit.errors import Conflict, Unprocessable
from ..models import ControlLimitSet
from ..spc.cusum import cusum_chart
from ..spc.ewma import ewma_chart
from ..spc.sigma import complete_subgroups
from . import limits, queries
from .convert import finite
from .drift_schemas import DriftChartData, DriftPoint, ParametersSource
from .limits_schemas import DriftChartKind

if TYPE_CHECKING:
    from .selection import CharacteristicData

Values = npt.NDArray[np.float64]


class DriftParameters:
    """The chart's parameters as the query gave them (None: the default or the estimate)."""

    def __init__(self, target: float | None = None, sigma: float | None = None, ewma_lambda: float = 0.2,
                 ewma_l: float = 3.0, cusum_k: float = 0.5, cusum_h: float = 5.0) -> None:
        self.target, self.sigma = target, sigma
        self.ewma_lambda, self.ewma_l, self.cusum_k, self.cusum_h = ewma_lambda, ewma_l, cusum_k, cusum_h


@dataclass(frozen=True)
class Drift:
    """An EWMA or CUSUM over the plotted points: its statistic, per-point and steady-state limits, signals."""

    signals: npt.NDArray[np.int64]
    upper: Values  # the EWMA statistic, or the upper CUSUM
    lower: Values | None  # the lower CUSUM
    ucl: Values
    lcl: Values
    steady: tuple[float, float]


def build(session: Session, data: CharacteristicData, chart: DriftChartKind, subgroup_size: int | None,
          params: DriftParameters, limit: int) -> DriftChartData:
    """The chart over the whole selection; the newest `limit` points in the answer."""
    size = subgroup_size or 1
    if not 1 <= size <= spc.MAX_SUBGROUP:
        raise Unprocessable(f"subgroup_size must be 1..{spc.MAX_SUBGROUP}")
    groups = complete_subgroups(data.values, size)
    plotted = groups.mean(axis=1)
    target, sigma, source, set_id = _target_sigma(session, data, size, params)
    notes: list[str] = []
    left_out = len(data.values) - groups.size
    if left_out:
        notes.append(f"the last {left_out} value(s) do not fill a subgroup of {size} and are left out")
    sizes = np.full(len(plotted), size)
    with np.errstate(over="ignore", invalid="ignore"):
        drift = _compute(chart, plotted, target, sigma, params, sizes)
    upper, lower, ucl, lcl, steady = drift.upper, drift.lower, drift.ucl, drift.lcl, drift.steady
    signals = set(int(i) for i in drift.signals)
    total = len(plotted)
    start = max(0, total - limit)
    ids = data.ids[start * size:total * size]
    details = queries.details_of(session, [int(i) for i in ids])
    points = []
    for k, i in enumerate(range(start, total)):
        last = details[(k + 1) * size - 1]
        points.append(DriftPoint(
            x=i, value=finite(plotted[i]), n=size, y=finite(upper[i]),
            lower_sum=finite(lower[i]) if lower is not None else None, ucl=finite(ucl[i]), lcl=finite(lcl[i]),
            timestamp=last.measured_at, measurement_id=last.id if size == 1 else None, signal=i in signals))
    if start:
        notes.append(f"{total} points in the selection: the newest {total - start} are returned")
    return DriftChartData(
        chart=chart, points=points, center_line=target, ucl=finite(steady[0]), lcl=finite(steady[1]),
        out_of_control_indices=sorted(i for i in signals if i >= start), out_of_control_total=len(signals),
        target=target, sigma=sigma, parameters_source=source, limit_set_id=set_id,
        ewma_lambda=params.ewma_lambda if chart == "ewma" else None, ewma_l=params.ewma_l if chart == "ewma" else None,
        cusum_k=params.cusum_k if chart == "cusum" else None, cusum_h=params.cusum_h if chart == "cusum" else None,
        subgroup_size=size, points_total=total, limit=limit, spec=data.spec_limits(), selection=data.selection(),
        notes=notes)


def _compute(chart: DriftChartKind, plotted: Values, target: float, sigma: float, params: DriftParameters,
             sizes: npt.NDArray[np.int64]) -> Drift:
    """The EWMA or the CUSUM of the plotted points."""
    if chart == "ewma":
        ewma = ewma_chart(plotted, target, sigma, params.ewma_lambda, params.ewma_l, sizes)
        return Drift(ewma.signals, ewma.statistic, None, ewma.ucl, ewma.lcl, (ewma.steady_ucl, ewma.steady_lcl))
    cusum = cusum_chart(plotted, target, sigma, params.cusum_k, params.cusum_h, sizes)
    h = float(sigma * params.cusum_h / np.sqrt(sizes[-1])) if len(sizes) else params.cusum_h * sigma
    return Drift(cusum.signals, cusum.upper, cusum.lower, cusum.decision, -cusum.decision, (h, -h))


def frozen_set(session: Session, characteristic_id: int, size: int) -> ControlLimitSet | None:
    """The active frozen set whose centre line and sigma a drift chart of this subgroup size uses, or None."""
    if size == 1:
        return limits.active_for_characteristic(session, characteristic_id, "imr", 1)
    found = [s for s in (limits.active_for_characteristic(session, characteristic_id, kind, size)
                         for kind in ("xbar_r", "xbar_s")) if s is not None]
    return max(found, key=lambda s: s.id) if found else None


def _target_sigma(session: Session, data: CharacteristicData, size: int,
                  params: DriftParameters) -> tuple[float, float, ParametersSource, int | None]:
    """(target, sigma, where they came from, frozen set id)."""
    target, sigma = params.target, params.sigma
    frozen = None
    if target is None or sigma is None:
        frozen = frozen_set(session, data.scope.characteristic_id, size)
    if frozen is not None and frozen.sigma:
        source: ParametersSource = "frozen" if params.target is None or params.sigma is None else "query"
        return (target if target is not None else frozen.center, sigma if sigma is not None else frozen.sigma,
                source, frozen.id)
    if target is None:
        if len(data.values) == 0:
            raise Conflict("no values selected: give target and sigma, or select values")
        with np.errstate(over="ignore", invalid="ignore"):
            target = float(np.mean(data.values))
    if sigma is None:
        with np.errstate(over="ignore", invalid="ignore"):
            within = spc.sigma_within(data.values, size, "r_bar")
        if within.value is None or not within.value > 0:
            raise Conflict(f"sigma cannot be estimated from the selection ({within.reason or 'no spread'}): "
                           "give sigma")
        sigma = within.value
    if finite(target) is None or finite(sigma) is None:
        raise Conflict("the selection's mean or sigma is beyond the range of a double: give target and sigma")
    computed: ParametersSource = "query" if params.target is not None and params.sigma is not None else "computed"
    return float(target), float(sigma), computed, None
