"""The batch write path: a whole request's runs and values in a handful of statements.

A batch is the bulk path (stations that upload whole parts, imports), so it avoids per-row ORM
work: values are judged in Python, measurement ids are allocated up front (so a value can
supersede another of the same batch), runs and measurements go straight to the driver
(executemany on SQLite, COPY on PostgreSQL), devices are counted with one upsert, and the
request's runs are audited together in one event.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from types import SimpleNamespace

from sqlalchemy import update
from sqlalchemy.orm import Session

from ..alarms.raising import FailedValue, note_failed_runs, raise_tolerance_alarms
from ..audit.service import record
from ..identity.principal import Principal
from ..kit.bulk import copy_rows
from ..measurements.judging import deviation, judge, worst
from ..models import RecipeVersion, Run, utcnow
from .dut_index import note_runs
from .layouts import MEASUREMENTS, RUNS
from .recording import Characteristic, allocate_measurement_ids


@dataclass
class Group:
    """The items of one (version, serial, lot): they become one finished run."""

    version: RecipeVersion
    specs: dict[int, Characteristic]
    serial: str
    lot: str | None
    indexes: list[int] = field(default_factory=list)


def store_groups(session: Session, items: list, groups: list[Group], principal: Principal) -> list[SimpleNamespace]:
    """Insert one finished run per group and every value; returns the stored rows in input order."""
    now = utcnow()
    runs, rows, latest = [], [None] * len(items), {}
    for group in groups:
        run_id, version_id = uuid.uuid4(), group.version.id
        judged = {}
        for index in group.indexes:
            item = items[index]
            spec = group.specs[item.subtask_id]
            value = item.value + 0.0  # -0.0 is stored as 0.0, as on the single-value path
            verdict = judge(value, spec.limits)
            judged[item.subtask_id] = verdict
            rows[index] = {
                "run_id": run_id, "subtask_id": item.subtask_id, "version_id": version_id,
                "characteristic_id": spec.characteristic_id, "measured_by": principal.user_id, "value": value,
                "pass_fail": verdict, "deviation": deviation(value, spec.limits.nominal),
                "lot_number": group.lot, "serial_number": group.serial, "input_method": item.input_method,
                "measured_at": now, "supersedes_id": None, "correction_reason": None, "gross_error_confirmed": False,
                "gauge_code": item.gauge_code,
            }
        # Plain rows rather than ORM objects: nothing here needs the identity map.
        runs.append(SimpleNamespace(
            id=run_id, source="station", recipe_id=group.version.recipe_id, version_id=version_id, station_id=None,
            operator_id=principal.user_id, part_number=group.version.recipe.code, serial_number=group.serial,
            lot_number=group.lot, status=worst(judged.values()), attempt=1, started_at=now, finished_at=now,
            auto_finish=False))
        latest[run_id] = [sid for sid in group.specs if sid not in judged]
    copy_rows(session, RUNS, RUNS.rows(session, map(vars, runs)))
    note_runs(session, runs)
    retests = [{"id": r.id, "attempt": r.attempt} for r in runs if r.attempt != 1]
    if retests:  # inserted as first attempts: only retests need their number corrected
        session.execute(update(Run), retests)
    stored = _insert_values(session, rows)
    _raise_alarms(session, runs, stored)
    record(session, principal.actor, "create_batch", "run", None, new={"runs": [
        {"id": str(r.id), "serial_number": r.serial_number, "lot_number": r.lot_number, "version_id": r.version_id,
         "status": r.status, "attempt": r.attempt, "missing_subtask_ids": latest[r.id]} for r in runs
    ], "measurements": len(rows)})
    return stored


def _insert_values(session: Session, rows: list[dict]) -> list[SimpleNamespace]:
    """Insert every row with one statement; a repeated (run, subtask) supersedes the value before it."""
    ids = allocate_measurement_ids(session, len(rows))
    latest: dict[tuple, int] = {}  # (run, subtask) -> id of its latest value so far in the batch
    for row, new_id in zip(rows, ids, strict=True):
        key = (row["run_id"], row["subtask_id"])
        row["id"], row["supersedes_id"] = new_id, latest.get(key)
        latest[key] = new_id
    copy_rows(session, MEASUREMENTS, MEASUREMENTS.rows(session, rows))
    # Plain rows, not ORM objects: the response needs only the values (and ORM instances cost more
    # to build than the INSERT itself).
    return [SimpleNamespace(**row) for row in rows]


def _raise_alarms(session: Session, runs: list[SimpleNamespace], stored: list[SimpleNamespace]) -> None:
    """Tolerance alarms for the failed values and run.failed for the failed runs, from rows in hand."""
    by_id = {r.id: r for r in runs}
    raise_tolerance_alarms(session, [
        FailedValue(row.id, row.subtask_id, row.characteristic_id, row.version_id, row.value, row.run_id,
                    by_id[row.run_id].recipe_id, None, row.measured_by)
        for row in stored if row.pass_fail == "fail"
    ])
    note_failed_runs(session, [r.id for r in runs if r.status == "fail"])
