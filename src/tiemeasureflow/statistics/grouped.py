"""X-bar charts of rational subgroups: the values of one run, lot or part (serial), or of one time window.

Subgroups follow what was produced together instead of every n consecutive values; their sizes
differ, so each point has its own limits (see `spc.subgroups`), and the run rules judge the
standardized means (mean - centre) / (sigma / sqrt(n)) against a centre 0 and a sigma 1.
Frozen limit sets and stages belong to consecutive subgroups and are not used here.
"""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import datetime
from typing import TYPE_CHECKING

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import spc
from ..kit.errors import Conflict, Unprocessable
from ..models import Measurement
from ..spc.subgroups import UNEQUAL_NAMES, split, unequal_chart
from . import queries, rule_config
from .charting import _member
from .convert import finite
from .schemas import (
    ChartPoint,
    ControlChartData,
    Estimator,
    RuleSet,
    SecondaryChart,
    SecondaryKind,
    SecondaryPoint,
    ShewhartKind,
    SubgroupBasis,
    SubgroupLimits,
)

if TYPE_CHECKING:
    from .selection import CharacteristicData

NONE = "(none)"


def build(session: Session, data: CharacteristicData, chart: ShewhartKind, subgroup_by: SubgroupBasis,
          window_minutes: int | None, estimator: Estimator | None, rules: RuleSet | None,
          limit: int) -> ControlChartData:
    """The chart of the subgroups the values fall into; the newest `limit` points detailed."""
    if chart == "imr":
        raise Unprocessable(f"subgroup_by={subgroup_by} needs an X-bar chart (xbar_r or xbar_s)")
    if subgroup_by == "window" and window_minutes is None:
        raise Unprocessable("subgroup_by=window needs window_minutes")
    keys = _keys(session, data, subgroup_by, window_minutes)
    groups = split(data.values, list[object](keys))
    id_groups = split(data.ids.astype(float), list[object](keys))
    labels = list(dict.fromkeys(keys))
    too_big = [(label, len(g)) for label, g in zip(labels, groups, strict=False) if len(g) > spc.MAX_SUBGROUP]
    if too_big:
        label, size = too_big[0]
        raise Conflict(f"subgroup {label!r} holds {size} values; subgroups hold at most {spc.MAX_SUBGROUP}: "
                       "use a shorter time window or consecutive subgroups")
    result = unequal_chart(groups, chart, estimator)
    config = rule_config.rules_for(session, data.scope.characteristic_id, rules)
    enabled = config.enabled if config.enabled is not None else tuple(spc.DEFAULT_K[config.rule_set])
    try:
        fired = spc.evaluate(np.nan_to_num(result.standardized, nan=0.0), 0.0, 1.0 if result.sigma else None,
                             config.rule_set, enabled, config.k_values)
    except ValueError as error:
        raise Unprocessable(str(error)) from None
    total = len(groups)
    start = max(0, total - limit)
    flagged = fired.out_of_control()
    secondary_hits = (result.spreads > result.secondary_ucl) | (result.spreads < result.secondary_lcl)
    details = queries.details_of(session, [int(i) for g in id_groups[start:] for i in g])
    points: list[ChartPoint] = []
    offset = 0
    for i in range(start, total):
        members = details[offset:offset + len(groups[i])]
        offset += len(groups[i])
        points.append(ChartPoint(
            x=i, y=float(result.means[i]), timestamp=members[-1].measured_at, rules=fired.fired_at(i), subgroup=i,
            members=[_member(d) for d in members], out_of_tolerance=any(d.pass_fail == "fail" for d in members)))
    own = [SubgroupLimits(x=i, key=labels[i], n=int(result.sizes[i]), ucl=finite(result.ucl[i]),
                          lcl=finite(result.lcl[i]), secondary_center=finite(result.secondary_center[i]),
                          secondary_ucl=finite(result.secondary_ucl[i]), secondary_lcl=finite(result.secondary_lcl[i]))
           for i in range(start, total)]
    shown = [i for i in range(start, total) if not np.isnan(result.spreads[i])]
    last = total - 1
    name: SecondaryKind = "r" if chart == "xbar_r" else "s"
    secondary = SecondaryChart(
        name=name, points=[SecondaryPoint(x=i, y=float(result.spreads[i])) for i in shown],
        center_line=finite(result.secondary_center[last]) if total else None,
        ucl=finite(result.secondary_ucl[last]) if total else None,
        lcl=finite(result.secondary_lcl[last]) if total else None,
        out_of_control_indices=[i for i in shown if secondary_hits[i]])
    notes = [f"{total} subgroups by {subgroup_by} of {min(result.sizes, default=0)} to {max(result.sizes, default=0)} "
             "values: each has its own limits (`subgroups`); `ucl`/`lcl` above are the newest point's"]
    if fired.reason:
        notes.append(fired.reason)
    if start:
        notes.append(f"{total} points in the selection: the newest {total - start} are returned")
    counts = fired.counts()
    return ControlChartData(
        points=points, ucl=finite(result.ucl[last]) if total else None,
        lcl=finite(result.lcl[last]) if total else None, center_line=finite(result.center) if total else None,
        out_of_control_indices=[int(i) for i in flagged if i >= start], chart=chart,
        subgroup_size=Counter(result.sizes.tolist()).most_common(1)[0][0] if total else 0,
        rules=config.rule_set,
        rule_descriptions=[rule_config.rule_info(config, r, counts[r]) for r in enabled],
        out_of_control_total=len(flagged), secondary=secondary, sigma_within=finite(result.sigma),
        sigma_estimator=UNEQUAL_NAMES[result.estimator], estimator=result.estimator, constants="exact", points_total=total,
        values_used=len(data.values), values_left_out=0, limit=limit, spec=data.spec_limits(),
        selection=data.selection(), notes=notes, rules_source=config.source,
        out_of_tolerance_indices=[p.x for p in points if p.out_of_tolerance], subgroup_by=subgroup_by,
        subgroups=own)


def _keys(session: Session, data: CharacteristicData, subgroup_by: SubgroupBasis,
          window_minutes: int | None) -> list[str]:
    """The subgroup key of every value, in the values' order."""
    rows: dict[int, tuple[uuid.UUID, str | None, str | None, datetime]] = {}
    ids = [int(i) for i in data.ids]
    for begin in range(0, len(ids), 500):
        stmt = select(Measurement.id, Measurement.run_id, Measurement.lot_number, Measurement.serial_number,
                      Measurement.measured_at).where(Measurement.id.in_(ids[begin:begin + 500]))
        rows.update((i, (run_id, lot, serial, at)) for i, run_id, lot, serial, at in session.execute(stmt).tuples())
    if subgroup_by == "run":
        return [str(rows[i][0]) for i in ids]
    if subgroup_by == "lot":
        return [rows[i][1] or NONE for i in ids]
    if subgroup_by == "part":
        return [rows[i][2] or NONE for i in ids]
    if window_minutes is None:
        raise Unprocessable("subgroup_by=window needs window_minutes")
    width = window_minutes * 60
    return [_window_start(rows[i][3], width) for i in ids]


def _window_start(moment: datetime, width: int) -> str:
    """The UTC start of the fixed window of `width` seconds holding the moment (windows counted from the epoch)."""
    seconds = int(moment.timestamp())
    return datetime.fromtimestamp(seconds - seconds % width, tz=moment.tzinfo).isoformat()
