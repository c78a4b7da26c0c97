"""Frozen control limits (phase II): freeze a baseline's limits, list a characteristic's sets, find the active one.

A set is never changed: freezing again makes a newer set the active one, the older sets stay as
its history. Charts of the same kind and subgroup size judge every point against the active set.
"""

from __future__ import annotations

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import spc
from ..audit.service import record, snapshot
from ..identity.principal import Principal
from ..kit.errors import Conflict
from ..models import ControlLimitSet, Subtask
from . import queries
from .limits_schemas import LIMIT_CHARTS, LimitSet, LimitSetCreate
from .scope import StatisticsFilters, resolve_characteristic, storable_id
from .stored_words import one_of

AUDITED = ("id", "recipe_id", "subtask_id", "characteristic_id", "chart", "subgroup_size", "center", "ucl", "lcl",
           "sigma", "target", "secondary_center", "secondary_ucl", "secondary_lcl", "constants", "baseline",
           "values_used", "subgroups_used", "first_measurement_id", "last_measurement_id", "exclusions", "reason")


def active_limit_set(session: Session, subtask_id: int, chart: str, subgroup_size: int) -> ControlLimitSet | None:
    """The frozen set a chart of this subtask's characteristic (kind, subgroup size) is judged against, or None."""
    characteristic_id = session.scalar(select(Subtask.characteristic_id).where(Subtask.id == subtask_id)) \
        if storable_id(subtask_id) else None
    if characteristic_id is None:
        return None
    return active_for_characteristic(session, characteristic_id, chart, subgroup_size)


def active_for_characteristic(session: Session, characteristic_id: int, chart: str,
                              subgroup_size: int) -> ControlLimitSet | None:
    """The newest set of a characteristic for a chart kind and subgroup size, or None."""
    return session.scalar(
        select(ControlLimitSet).where(ControlLimitSet.characteristic_id == characteristic_id,
                                      ControlLimitSet.chart == chart, ControlLimitSet.subgroup_size == subgroup_size)
        .order_by(ControlLimitSet.id.desc()).limit(1))


def list_sets(session: Session, recipe_id: int, subtask_id: int) -> list[LimitSet]:
    """Every set of the subtask's characteristic, newest first."""
    scope = resolve_characteristic(session, StatisticsFilters(recipe_id, subtask_id))
    sets = session.scalars(select(ControlLimitSet).where(ControlLimitSet.characteristic_id == scope.characteristic_id)
                           .order_by(ControlLimitSet.id.desc())).all()
    seen: set[tuple[str, int]] = set()
    answer = []
    for s in sets:
        kind = (s.chart, s.subgroup_size)
        answer.append(as_answer(s, kind not in seen))
        seen.add(kind)
    return answer


def freeze(session: Session, data: LimitSetCreate, principal: Principal) -> LimitSet:
    """Compute the limits of the baseline (exclusions left out), store them as the active set, audited."""
    _check_shape(data)
    if data.date_from is not None and data.date_to is not None and data.date_from > data.date_to:
        raise Conflict("the baseline range is empty: date_from is after date_to")
    filters = StatisticsFilters(data.recipe_id, data.subtask_id, date_from=data.date_from, date_to=data.date_to)
    scope = resolve_characteristic(session, filters)
    values, _, ids = queries.series(session, scope)
    size = data.subgroup_size
    take = len(values)
    if data.baseline_points is not None:
        take = data.baseline_points
    elif data.baseline_subgroups is not None:
        take = data.baseline_subgroups * size
    if take > len(values):
        raise Conflict(f"the baseline asks for {take} values; the characteristic has {len(values)}")
    take -= take % size
    values, ids = values[:take], ids[:take]
    excluded = {e.measurement_id: e.reason for e in data.exclusions}
    unknown = sorted(set(excluded) - {int(i) for i in ids})
    if unknown:
        raise Conflict(f"measurement(s) {unknown} are not in the baseline")
    keep = ~np.isin(ids, list(excluded)).reshape(-1, size).any(axis=1).repeat(size) if len(ids) else ids > 0
    kept = values[keep]
    if len(kept) < 2 * size:
        raise Conflict(f"the baseline keeps {len(kept) // size} point(s); limits need at least 2")
    pair = spc.control_chart(kept, data.chart, None if data.chart == "imr" else size, data.constants)
    if pair.primary.center is None or pair.primary.ucl is None:
        raise Conflict(f"no limits can be computed from the baseline: {pair.note or 'no spread'}")
    spec = queries.spec_for(session, scope.characteristic_id, None)
    row = ControlLimitSet(
        characteristic_id=scope.characteristic_id, recipe_id=data.recipe_id, subtask_id=data.subtask_id,
        chart=data.chart, subgroup_size=size, center=pair.primary.center, ucl=pair.primary.ucl,
        lcl=pair.primary.lcl, sigma=pair.within.value, target=spec.nominal if spec else None,
        secondary_center=pair.secondary.center, secondary_ucl=pair.secondary.ucl,
        secondary_lcl=pair.secondary.lcl, constants=data.constants, baseline=_baseline(data),
        values_used=len(kept), subgroups_used=len(kept) // size,
        first_measurement_id=int(ids[0]), last_measurement_id=int(ids[-1]),
        exclusions=[{"measurement_id": i, "reason": r} for i, r in excluded.items()], reason=data.reason,
        created_by=principal.user_id,
    )
    session.add(row)
    session.flush()
    record(session, principal.actor, "create", "control_limit_set", row.id, new=snapshot(row, AUDITED))
    return as_answer(row, True)


def _check_shape(data: LimitSetCreate) -> None:
    """Exactly one kind of baseline, and a subgroup size that fits the chart."""
    kinds = [data.baseline_points is not None, data.baseline_subgroups is not None,
             data.date_from is not None or data.date_to is not None]
    if sum(kinds) != 1:
        raise Conflict("give one baseline: baseline_points, baseline_subgroups, or date_from/date_to")
    if data.chart == "imr" and data.subgroup_size != 1:
        raise Conflict("chart imr uses subgroup_size 1")
    if data.chart != "imr" and data.subgroup_size < 2:
        raise Conflict(f"chart {data.chart} needs subgroup_size 2..25")
    if data.chart == "xbar_r" and data.subgroup_size > 10:
        raise Conflict("chart xbar_r takes subgroups up to 10: use xbar_s for larger ones")


def as_answer(s: ControlLimitSet, active: bool) -> LimitSet:
    """The stored set as the API shows it."""
    return LimitSet(
        id=s.id, recipe_id=s.recipe_id, subtask_id=s.subtask_id, characteristic_id=s.characteristic_id,
        chart=one_of(s.chart, LIMIT_CHARTS), subgroup_size=s.subgroup_size, center_line=s.center, ucl=s.ucl,
        lcl=s.lcl, sigma=s.sigma,
        target=s.target, secondary_center_line=s.secondary_center, secondary_ucl=s.secondary_ucl,
        secondary_lcl=s.secondary_lcl, constants=s.constants, baseline=s.baseline, values_used=s.values_used,
        subgroups_used=s.subgroups_used, first_measurement_id=s.first_measurement_id,
        last_measurement_id=s.last_measurement_id, exclusions=s.exclusions, reason=s.reason,
        created_by=s.created_by, created_at=s.created_at, active=active,
    )


def _baseline(data: LimitSetCreate) -> dict[str, int | str | None]:
    if data.baseline_points is not None:
        return {"points": data.baseline_points}
    if data.baseline_subgroups is not None:
        return {"subgroups": data.baseline_subgroups}
    return {"date_from": data.date_from.isoformat() if data.date_from else None,
            "date_to": data.date_to.isoformat() if data.date_to else None}
