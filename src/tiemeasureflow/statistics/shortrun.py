"""Short-run charts over a family: the named characteristic plus the `family` subtasks, merged in time order.

A family is chosen by subtask ids (each stands for its characteristic across versions, in any recipe);
the date, operator, lot, serial, station, shift and gauge filters apply to every member, the recipe and
version filters to the first one only.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Literal

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import spc
from ..kit.errors import Conflict, NotFound, Unprocessable
from ..models import Recipe, RecipeVersion, Subtask, Task
from ..spc.rules import RuleFlags
from ..spc.shortrun import ShortRunChart, short_run_chart
from . import queries, rule_config
from .convert import finite
from .queries import PointDetail
from .schemas import ConstantsSource, RuleSet, SecondaryChart, SecondaryPoint
from .scope import SUBTASK_NOT_FOUND, StatisticsFilters, storable_id
from .selection import CharacteristicData
from .shortrun_schemas import FamilyMember, ShortRunChartData, ShortRunPoint

MAX_MEMBERS = 50
ShortRunKind = Literal["dnom", "zmr"]
# A value of the family: its details, the nominal it is measured from, and its member's index.
FamilyRow = tuple[PointDetail, float, int]
ESTIMATORS = {"dnom": "MR-bar/d2(2) of the deviations from nominal",
              "zmr": "MR-bar/d2(2) of each member's own deviations (z = deviation / own sigma)"}


def chart_data(session: Session, filters: StatisticsFilters, chart: ShortRunKind, family: list[int] | None,
               rules: RuleSet | None, limit: int, constants: ConstantsSource) -> ShortRunChartData:
    """The DNOM or Z-MR chart of the family, with every point's member, value and nominal."""
    members = _members(session, filters, family or [])
    rows: list[FamilyRow] = []
    for k, data in enumerate(members):
        nominals = _nominals(session, data)
        details = queries.details_of(session, [int(i) for i in data.ids])
        rows.extend((d, nominals[d.version_id], k) for d in details)
    rows.sort(key=lambda row: (row[0].measured_at, row[0].id))
    values = np.array([r[0].value for r in rows], dtype=np.float64)
    nominal_of = np.array([r[1] for r in rows], dtype=np.float64)
    member_of = np.array([r[2] for r in rows], dtype=np.int64)
    result = short_run_chart(chart, values, nominal_of, member_of, constants)
    shown = [r for r in rows if r[2] not in result.left_out]
    config = rule_config.rules_for(session, members[0].scope.characteristic_id, rules)
    enabled = config.enabled if config.enabled is not None else tuple(spc.DEFAULT_K[config.rule_set])
    fired = spc.evaluate(result.values, result.primary.center, result.primary.sigma, config.rule_set, enabled,
                         config.k_values)
    total = len(result.values)
    start = max(0, total - limit)
    points = [_point(i, float(result.values[i]), shown[i], members, fired) for i in range(start, total)]
    flagged = [int(i) for i in np.flatnonzero(fired.flags.any(axis=0))] if total else []
    secondary_hits = spc.beyond_limits(result.moving_ranges, result.secondary.lcl, result.secondary.ucl)
    notes = [n for n in (fired.reason,) if n]
    notes += [f"subtask {members[k].scope.subtask_id}: {why}" for k, why in result.left_out.items()]
    if chart == "dnom" and len(members) > 1:
        notes.append("deviation from nominal assumes the members share one sigma; Z-MR does not")
    first = members[0]
    counts = {rule: int(row.sum()) for rule, row in zip(enabled, fired.flags, strict=False)}
    return ShortRunChartData(
        points=points, ucl=finite(result.primary.ucl), lcl=finite(result.primary.lcl),
        center_line=finite(result.primary.center), out_of_control_indices=[i for i in flagged if i >= start],
        chart=chart, subgroup_size=1, rules=config.rule_set,
        rule_descriptions=[rule_config.rule_info(config, r, counts[r]) for r in enabled],
        out_of_control_total=len(flagged),
        secondary=SecondaryChart(
            name="mr", points=[SecondaryPoint(x=i, y=float(result.moving_ranges[i])) for i in range(max(1, start), total)],
            center_line=finite(result.secondary.center), ucl=finite(result.secondary.ucl),
            lcl=finite(result.secondary.lcl),
            out_of_control_indices=[i for i in range(max(1, start), total) if secondary_hits[i]]),
        sigma_within=finite(result.sigma), sigma_estimator=ESTIMATORS[chart], constants=constants,
        points_total=total, values_used=total, values_left_out=len(rows) - total, limit=limit,
        spec=first.spec_limits(), selection=first.selection(), notes=notes, rules_source=config.source,
        family=[_member(session, data, k, result) for k, data in enumerate(members)],
    )


def _members(session: Session, filters: StatisticsFilters, family: list[int]) -> list[CharacteristicData]:
    """The first characteristic with every filter, then each further subtask's with the shared ones."""
    if len(family) + 1 > MAX_MEMBERS:
        raise Unprocessable(f"a family has at most {MAX_MEMBERS} members")
    members = [CharacteristicData(session, filters)]
    seen = {members[0].scope.characteristic_id}
    for subtask_id in family:
        if not storable_id(subtask_id):
            raise NotFound(SUBTASK_NOT_FOUND)
        data = CharacteristicData(session, replace(filters, recipe_id=None, subtask_id=subtask_id, version_id=None))
        if data.scope.characteristic_id not in seen:
            seen.add(data.scope.characteristic_id)
            members.append(data)
    return members


def _nominals(session: Session, data: CharacteristicData) -> dict[int, float]:
    """{version id: the nominal its values are measured from}: the nominal, else the middle of the limits."""
    specs = queries.specs_by_version(session, data.scope.characteristic_id, data.version_ids)
    nominals = {}
    for version_id, spec in specs.items():
        if spec.nominal is not None:
            nominals[version_id] = spec.nominal
        elif spec.ltl is not None and spec.utl is not None:
            nominals[version_id] = (spec.ltl + spec.utl) / 2.0
        else:
            raise Conflict(f"subtask {spec.subtask_id} has no nominal and not both tolerances: a short-run chart "
                           "measures every value from its nominal")
    return nominals


def _point(x: int, y: float, row: FamilyRow, members: list[CharacteristicData], fired: RuleFlags) -> ShortRunPoint:
    d, nominal, k = row
    return ShortRunPoint(
        x=x, y=y, timestamp=d.measured_at, rules=[int(r) for j, r in enumerate(fired.rules) if fired.flags[j, x]],
        measurement_id=d.id, serial_number=d.serial_number, lot_number=d.lot_number, operator_id=d.operator_id,
        operator=d.operator, station_id=d.station_id, station_code=d.station_code, version_id=d.version_id,
        version_number=d.version_number, pass_fail=d.pass_fail, out_of_tolerance=d.pass_fail == "fail",
        value=d.value, nominal=nominal, member_subtask_id=members[k].scope.subtask_id)


def _member(session: Session, data: CharacteristicData, k: int, result: ShortRunChart) -> FamilyMember:
    subtask_id = data.scope.subtask_id
    recipe_id, code = session.execute(
        select(Recipe.id, Recipe.code).join(RecipeVersion, RecipeVersion.recipe_id == Recipe.id)
        .join(Task, Task.version_id == RecipeVersion.id).join(Subtask, Subtask.task_id == Task.id)
        .where(Subtask.id == subtask_id)).one()
    s = data.spec
    return FamilyMember(subtask_id=subtask_id, characteristic_id=data.scope.characteristic_id, recipe_id=recipe_id,
                        recipe_code=code, label=s.label, description=s.description,
                        nominal=s.nominal if s.nominal is not None else _middle(s.ltl, s.utl), n=len(data.values),
                        sigma=finite(result.sigmas.get(k)) if result.kind == "zmr" else None,
                        left_out=result.left_out.get(k))


def _middle(low: float | None, high: float | None) -> float | None:
    return (low + high) / 2.0 if low is not None and high is not None else None
