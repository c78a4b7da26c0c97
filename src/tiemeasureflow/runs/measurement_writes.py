"""The reference's measurement writes (single values, batches, audited corrections), each in a run."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from ..audit.service import record
from ..gauges.lockout import check_values as check_gauges
from ..identity.principal import Principal
from ..kit.db import get_or_404
from ..kit.errors import BadRequest, Conflict, NotFound
from ..measurements.schemas import CorrectionCreate, MeasurementBatch, MeasurementCreate
from ..models import Measurement, RecipeVersion
from . import service as runs
from .batch import Group, store_groups
from .recording import (
    Characteristic,
    NewValue,
    derive_status,
    insert_value,
    lock_part,
    record_values,
    version_characteristics,
)


def _version_and_specs(session: Session, version_id: int, subtask_id: int, prefix: str,
                       cache: dict) -> tuple[RecipeVersion, dict[int, Characteristic]]:
    """The version and its characteristics; 404 unknown version, 400 subtask not in it (prefixed with the item)."""
    found = cache.get(version_id)
    if found is None:
        # With its recipe in the same query: whether a run may start on it is asked next.
        version = session.get(RecipeVersion, version_id, options=[joinedload(RecipeVersion.recipe)])
        found = cache[version_id] = (version, version_characteristics(session, version_id) if version else {})
    version, specs = found
    if version is None:
        raise NotFound(f"{prefix}recipe version {version_id} not found")
    if subtask_id not in specs:
        raise BadRequest(f"{prefix}subtask {subtask_id} does not belong to version {version_id}")
    return version, specs


def create_single(session: Session, data: MeasurementCreate, principal: Principal) -> Measurement:
    """Store one value in the caller's open run for (version, serial, lot), opening one if needed.

    A run opened here finishes by itself once every characteristic of the version has a value.
    """
    lock_part(session, principal.user_id, data.version_id, data.serial_number, data.lot_number)
    version, specs = _version_and_specs(session, data.version_id, data.subtask_id, "", {})
    check_gauges(session, [("", specs[data.subtask_id].characteristic_id, data.gauge_code)])
    run = runs.find_open_run(session, principal.user_id, serial=data.serial_number, lot=data.lot_number,
                             version_id=version.id)
    if run is None:
        problem = runs.startable_problem(version.recipe, version)
        if problem:
            raise BadRequest(problem)
        run = runs.open_run(session, version.recipe, version, data.serial_number, data.lot_number, None,
                            principal.user_id, principal.actor, auto_finish=True)
    [row] = record_values(session, run, specs, [NewValue(data.subtask_id, data.value, data.input_method,
                                                         gauge_code=data.gauge_code)],
                          principal.user_id)
    if run.auto_finish:
        status, missing = derive_status(session, run, specs)
        if not missing:
            runs.close_run(session, run, status, principal.actor)
    return row


def create_batch(session: Session, data: MeasurementBatch, principal: Principal) -> list:
    """Store every value or none: one finished run per (version, serial, lot) group, in input order."""
    cache: dict = {}
    problems: dict[int, str | None] = {}  # per version: why no run can start on it
    groups: dict[tuple, list[int]] = {}
    for index, item in enumerate(data.measurements):
        version, _ = _version_and_specs(session, item.version_id, item.subtask_id, f"Item {index}: ", cache)
        if item.version_id not in problems:
            problems[item.version_id] = runs.startable_problem(version.recipe, version)
        if problems[item.version_id]:
            raise BadRequest(f"Item {index}: {problems[item.version_id]}")
        groups.setdefault((item.version_id, item.serial_number, item.lot_number), []).append(index)
    check_gauges(session, [(f"Item {i}: ", cache[item.version_id][1][item.subtask_id].characteristic_id,
                            item.gauge_code) for i, item in enumerate(data.measurements)])
    return store_groups(session, data.measurements, [
        Group(cache[version_id][0], cache[version_id][1], serial, lot, indexes)
        for (version_id, serial, lot), indexes in groups.items()
    ], principal)


def correct(session: Session, measurement_id: int, data: CorrectionCreate, principal: Principal) -> Measurement:
    """A new measurement superseding the latest one, judged afresh, audited; a finished run is re-judged."""
    old = get_or_404(session, Measurement, measurement_id, "Measurement not found")
    run = runs.lock_run(session, old.run_id)
    later = session.scalar(select(Measurement.id).where(Measurement.supersedes_id == old.id))
    if later is not None:
        raise Conflict(f"Measurement {old.id} was superseded by measurement {later}: correct the latest value")
    spec = version_characteristics(session, old.version_id)[old.subtask_id]
    new = insert_value(session, run, spec, data.value, data.input_method, principal.user_id,
                       supersedes_id=old.id, reason=data.reason)
    change = runs.rederive_status(session, run)
    values = {"id": new.id, "value": new.value, "pass_fail": new.pass_fail, "deviation": new.deviation,
              "supersedes_id": old.id, "reason": data.reason, "run_id": str(run.id)}
    if change:
        values["run_status"] = change[1]
    record(session, principal.actor, "correct", "measurement", new.id,
           old={"id": old.id, "value": old.value, "pass_fail": old.pass_fail,
                **({"run_status": change[0]} if change else {})},
           new=values)
    return new
