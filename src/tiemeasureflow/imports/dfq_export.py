"""The AQDEF export of filtered measurements: one part (recipe), its characteristics, their values."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..kit.errors import Conflict
from ..measurements.queries import select_measurements
from ..measurements.schemas import MeasurementFilters
from ..models import Measurement, Recipe, RecipeVersion, Subtask, User
from .dfq_writer import DfqCharacteristic, DfqValue, document


def export_dfq(session: Session, filters: MeasurementFilters) -> tuple[str, bytes]:
    """(file name, DFQ bytes); 409 when the filters select nothing or values of several recipes."""
    rows = session.execute(select_measurements(filters).order_by(Measurement.measured_at, Measurement.id)).all()
    if not rows:
        raise Conflict("No measurement matches the filters: nothing to export")
    versions = {v.id: v for v in session.scalars(
        select(RecipeVersion).where(RecipeVersion.id.in_({r.version_id for r in rows})))}
    recipe_ids = {v.recipe_id for v in versions.values()}
    if len(recipe_ids) > 1:
        raise Conflict("The filtered values belong to several recipes; a DFQ file describes one part: "
                       "filter by recipe_id")
    recipe = session.get(Recipe, recipe_ids.pop())
    subtasks = {s.id: s for s in session.scalars(select(Subtask).where(Subtask.id.in_({r.subtask_id for r in rows})))}
    # A characteristic spans versions: it is described by its newest version among the values.
    newest: dict[int, Subtask] = {}
    for row in rows:
        subtask = subtasks[row.subtask_id]
        held = newest.get(row.characteristic_id)
        if held is None or versions[subtask.task.version_id].version_number >= \
                versions[held.task.version_id].version_number:
            newest[row.characteristic_id] = subtask
    order = sorted(newest, key=lambda c: (newest[c].task.order_index, newest[c].marker_number, c))
    index = {c: i for i, c in enumerate(order, start=1)}
    names = dict(session.execute(select(User.id, User.username).where(
        User.id.in_({r.measured_by for r in rows if r.measured_by is not None}))).all())
    characteristics = [DfqCharacteristic(newest[c].label or str(newest[c].marker_number), newest[c].description,
                                         newest[c].nominal, newest[c].ltl, newest[c].utl, newest[c].unit)
                       for c in order]
    values = [DfqValue(index[r.characteristic_id], r.value, r.measured_at, r.lot_number, names.get(r.measured_by),
                       r.gauge_code, r.serial_number) for r in rows]
    return f"{recipe.code}.dfq", document(recipe.code, recipe.name, characteristics, values)
