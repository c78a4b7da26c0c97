"""The batch write path: a whole request's runs and values in a handful of statements.

A batch is the bulk path (stations that upload whole parts, imports), so it avoids per-row ORM
work: values are judged in Python, runs and measurements go in with one multi-row INSERT each,
and the request's runs are audited together in one event.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from sqlalchemy import insert, update
from sqlalchemy.orm import Session

from ..audit.service import record
from ..auth.principal import Principal
from ..models import Measurement, RecipeVersion, Run, utcnow
from ..runs.dut_index import note_run
from ..runs.recording import Characteristic
from .judging import deviation, judge, worst


@dataclass
class Group:
    """The items of one (version, serial, lot): they become one finished run."""

    version: RecipeVersion
    specs: dict[int, Characteristic]
    serial: str
    lot: str | None
    indexes: list[int] = field(default_factory=list)


def store_groups(session: Session, items: list, groups: list[Group], principal: Principal) -> list[Measurement]:
    """Insert one finished run per group and every value; returns the measurements in input order."""
    now = utcnow()
    runs, rows, latest = [], [None] * len(items), {}
    for group in groups:
        run_id = uuid.uuid4()
        judged = {}
        for index in group.indexes:
            item = items[index]
            spec = group.specs[item.subtask_id]
            value = item.value + 0.0  # -0.0 is stored as 0.0, as on the single-value path
            verdict = judge(value, spec.limits)
            judged[item.subtask_id] = verdict
            rows[index] = {
                "run_id": run_id, "subtask_id": item.subtask_id, "version_id": group.version.id,
                "characteristic_id": spec.characteristic_id, "measured_by": principal.user_id, "value": value,
                "pass_fail": verdict, "deviation": deviation(value, spec.limits.nominal),
                "lot_number": group.lot, "serial_number": group.serial, "input_method": item.input_method,
                "measured_at": now, "supersedes_id": None, "correction_reason": None,
            }
        missing = [sid for sid in group.specs if sid not in judged]
        runs.append(Run(id=run_id, source="station", recipe_id=group.version.recipe_id, version_id=group.version.id,
                        station_id=None, operator_id=principal.user_id, part_number=group.version.recipe.code,
                        serial_number=group.serial, lot_number=group.lot, status=worst(judged.values()),
                        attempt=1, started_at=now, finished_at=now, auto_finish=False))
        latest[run_id] = missing
    session.execute(insert(Run), [_run_values(r) for r in runs])
    for run in runs:
        if note_run(session, run) != 1:  # a retest: rare, so one UPDATE only then
            session.execute(update(Run).where(Run.id == run.id).values(attempt=run.attempt))
    stored = _insert_values(session, rows)
    record(session, principal.actor, "create_batch", "run", None, new={"runs": [
        {"id": str(r.id), "serial_number": r.serial_number, "lot_number": r.lot_number, "version_id": r.version_id,
         "status": r.status, "attempt": r.attempt, "missing_subtask_ids": latest[r.id]} for r in runs
    ], "measurements": len(rows)})
    return stored


def _run_values(run: Run) -> dict:
    return {c: getattr(run, c) for c in ("id", "source", "recipe_id", "version_id", "station_id", "operator_id",
                                         "part_number", "serial_number", "lot_number", "status", "attempt",
                                         "started_at", "finished_at", "auto_finish")}


def _insert_values(session: Session, rows: list[dict]) -> list[Measurement]:
    """Insert in generations: a repeated (run, subtask) supersedes the value before it in the batch."""
    ids: list[int | None] = [None] * len(rows)
    previous: dict[tuple, int] = {}  # (run, subtask) -> index of its latest value so far
    pending = list(range(len(rows)))
    while pending:
        generation, later = [], []
        seen = set()
        for i in pending:
            key = (rows[i]["run_id"], rows[i]["subtask_id"])
            (later if key in seen else generation).append(i)
            seen.add(key)
        for i in generation:
            key = (rows[i]["run_id"], rows[i]["subtask_id"])
            if key in previous:
                rows[i]["supersedes_id"] = ids[previous[key]]
        result = session.execute(insert(Measurement).returning(Measurement.id, sort_by_parameter_order=True),
                                 [rows[i] for i in generation])
        for i, new_id in zip(generation, result.scalars(), strict=True):
            ids[i] = new_id
            previous[(rows[i]["run_id"], rows[i]["subtask_id"])] = i
        pending = later
    return [Measurement(id=ids[i], **rows[i]) for i in range(len(rows))]
