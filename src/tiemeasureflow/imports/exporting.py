"""The QIF exports: a run with its current values, or a recipe version's plan."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..kit.errors import NotFound
from ..models import Measurement, Recipe, RecipeVersion, Run, Subtask, Task, utcnow
from ..recipes.service import get_version
from ..runs.recording import current_values
from . import qif_writer
from .qif_writer import PlanItem, Value


def version_items(session: Session, version_id: int) -> list[PlanItem]:
    """The version's characteristics in task and balloon order, as the QIF writer takes them."""
    rows = session.execute(
        select(Subtask.id, Subtask.label, Subtask.marker_number, Subtask.measurement_type, Subtask.unit,
               Subtask.nominal, Subtask.ltl, Subtask.utl)
        .join(Task, Task.id == Subtask.task_id).where(Task.version_id == version_id)
        .order_by(Task.order_index, Task.id, Subtask.marker_number))
    return [PlanItem(r.id, r.label or str(r.marker_number), r.measurement_type, r.unit, r.nominal, r.ltl, r.utl)
            for r in rows]


def version_qif(session: Session, recipe_id: int, version_number: int) -> tuple[str, bytes]:
    """(file name, QIF plan document) of a version; 404 when unknown."""
    version = get_version(session, recipe_id, version_number)
    recipe = version.recipe
    identity = qif_writer.qpid("version", version.id)
    body = qif_writer.document(identity, utcnow(), recipe.code, version.name, version_items(session, version.id))
    return f"{recipe.code}-v{version.version_number}.qif", body


def run_qif(session: Session, run_id: uuid.UUID) -> tuple[str, bytes]:
    """(file name, QIF results document) of a run with its current values; 404 when unknown or not measured."""
    run = session.get(Run, run_id)
    if run is None or run.version_id is None:
        raise NotFound("Run not found" if run is None else "The run has no recipe version to export")
    version = session.get(RecipeVersion, run.version_id)
    recipe = session.get(Recipe, run.recipe_id)
    ids = [mid for mid, _ in current_values(session, run.id).values()]
    rows = session.execute(select(Measurement.subtask_id, Measurement.value, Measurement.pass_fail)
                           .where(Measurement.id.in_(ids))) if ids else []
    values = [Value(r.subtask_id, r.value, r.pass_fail) for r in rows]
    body = qif_writer.document(
        qif_writer.qpid("run", run.id), utcnow(), recipe.code, version.name, version_items(session, version.id),
        run={"serial_number": run.serial_number, "status": run.status, "started_at": run.started_at}, values=values)
    return f"{recipe.code}-{run.serial_number}.qif", body
