"""Per-characteristic figures of the measurement report: n, min, max, mean, Cpk and fails in balloon order.

n, min, max and fails come from one grouped query over the selection; mean and Cpk are the
statistics service's own (the figures the SPC page and report show for the same filters, and a mean
PostgreSQL's avg() would refuse with an overflow for values near the largest double).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from ..models import Measurement, RecipeVersion, Subtask, Task
from ..statistics import service as statistics
from ..statistics.scope import Scope, StatisticsFilters, measurement_conditions


@dataclass
class CharacteristicFigures:
    """One characteristic's line of the summary."""

    label: str
    description: str
    unit: str
    ltl: float | None
    utl: float | None
    n: int
    minimum: float
    maximum: float
    mean: float | None
    cpk: float | None
    fails: int


def summaries(session: Session, scope: Scope, filters: StatisticsFilters) -> list[CharacteristicFigures]:
    """Every characteristic of the selection, ordered as the plan's balloons."""
    fails = func.sum(case((Measurement.pass_fail == "fail", 1), else_=0))
    grouped = session.execute(
        select(Measurement.characteristic_id, func.count(), func.min(Measurement.value), func.max(Measurement.value),
               fails)
        .where(*measurement_conditions(scope)).group_by(Measurement.characteristic_id)).all()
    if not grouped:
        return []
    newest = _newest_subtasks(session, scope.recipe_id, [row[0] for row in grouped], filters.version_id)
    figures = []
    for characteristic_id, n, low, high, failed in grouped:
        sub, order = newest[characteristic_id]
        cap = statistics.capability_data(session, replace(filters, subtask_id=sub.id))
        figures.append((order, CharacteristicFigures(
            label=sub.label or str(sub.marker_number), description=sub.description or "", unit=sub.unit or "",
            ltl=sub.ltl, utl=sub.utl, n=n, minimum=low, maximum=high, mean=cap.mean, cpk=cap.cpk,
            fails=int(failed or 0))))
    return [item for _, item in sorted(figures, key=lambda pair: pair[0])]


def _newest_subtasks(session: Session, recipe_id: int, characteristic_ids: list[int], version_id: int | None
                     ) -> dict[int, tuple[Subtask, tuple]]:
    """Each characteristic's subtask in the newest version holding it (the chosen version when one is)."""
    stmt = (select(Subtask, RecipeVersion.version_number, Task.order_index)
            .join(Task, Task.id == Subtask.task_id).join(RecipeVersion, RecipeVersion.id == Task.version_id)
            .where(RecipeVersion.recipe_id == recipe_id, Subtask.characteristic_id.in_(characteristic_ids)))
    if version_id is not None:
        stmt = stmt.where(RecipeVersion.id == version_id)
    found: dict[int, tuple[Subtask, tuple]] = {}
    for sub, number, task_order in session.execute(stmt.order_by(RecipeVersion.version_number)):
        # A characteristic dropped from later versions sorts after the current plan's balloons.
        found[sub.characteristic_id] = (sub, (-number, task_order, sub.marker_number))
    return found
