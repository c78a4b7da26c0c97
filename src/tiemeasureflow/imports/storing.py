"""A parsed results document's parts as finished runs with judged values, in the bulk write path."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from types import SimpleNamespace

from sqlalchemy import update
from sqlalchemy.orm import Session

from ..alarms.raising import FailedValue, note_failed_runs, raise_tolerance_alarms
from ..kit.bulk import copy_rows
from ..measurements.judging import deviation, judge, worst
from ..models import RecipeVersion, Run, utcnow
from ..runs.dut_index import note_runs
from ..runs.layouts import MEASUREMENTS, RUNS
from ..runs.recording import Characteristic, allocate_measurement_ids
from .document import PartResult


@dataclass(frozen=True)
class Origin:
    """Where the runs come from: the file format (run source and input method), station and person."""

    source: str
    station_id: int | None
    operator_id: int | None


def store_parts(session: Session, version: RecipeVersion, part_number: str, specs: dict[str, Characteristic],
                parts: list[PartResult], origin: Origin) -> tuple[list[dict], list[dict], list[dict]]:
    """One finished run per part; (runs, skipped readings, disagreements with the file's own verdicts)."""
    runs, rows, failed, skipped, disagreements = [], [], [], [], []
    for part in parts:
        run_id, when = uuid.uuid4(), part.measured_at or utcnow()
        judged = []
        for reading in part.readings:
            spec = specs.get(reading.label)
            if spec is None:
                skipped.append({"what": f"{part.serial}: {reading.label}",
                                "reason": f"no characteristic {reading.label} in version {version.version_number} "
                                          f"of recipe {part_number}"})
                continue
            value = reading.value + 0.0
            verdict = judge(value, spec.limits)
            judged.append(verdict)
            if reading.status is not None and (reading.status == "fail") != (verdict == "fail"):
                disagreements.append({"serial_number": part.serial, "label": reading.label, "value": value,
                                      "file_status": reading.status, "judgment": verdict})
            if verdict == "fail":
                failed.append((len(rows), spec, value, run_id))
            rows.append({"run_id": run_id, "subtask_id": spec.subtask_id, "version_id": version.id,
                         "characteristic_id": spec.characteristic_id, "measured_by": origin.operator_id,
                         "value": value, "pass_fail": verdict, "deviation": deviation(value, spec.limits.nominal),
                         "lot_number": part.lot, "serial_number": part.serial, "input_method": origin.source,
                         "measured_at": when})
        if not judged:
            skipped.append({"what": part.serial, "reason": "no value of this part matches a characteristic: no run"})
            continue
        runs.append(SimpleNamespace(
            id=run_id, source=origin.source, recipe_id=version.recipe_id, version_id=version.id,
            station_id=origin.station_id, operator_id=origin.operator_id, part_number=part_number,
            serial_number=part.serial, lot_number=part.lot, status=worst(judged), attempt=1, started_at=when,
            finished_at=when, auto_finish=False, values=len(judged)))
    copy_rows(session, RUNS, RUNS.rows(session, map(vars, runs)))
    note_runs(session, runs)
    retests = [{"id": r.id, "attempt": r.attempt} for r in runs if r.attempt != 1]
    if retests:
        session.execute(update(Run), retests)
    ids = allocate_measurement_ids(session, len(rows))
    for new_id, row in zip(ids, rows, strict=True):
        row["id"] = new_id
    copy_rows(session, MEASUREMENTS, MEASUREMENTS.rows(session, rows))
    raise_tolerance_alarms(session, [
        FailedValue(ids[position], spec.subtask_id, spec.characteristic_id, version.id, value, run_id,
                    version.recipe_id, origin.station_id, origin.operator_id)
        for position, spec, value, run_id in failed])
    note_failed_runs(session, [r.id for r in runs if r.status == "fail"])
    answer = [{"id": str(r.id), "serial_number": r.serial_number, "lot_number": r.lot_number, "status": r.status,
               "attempt": r.attempt, "values": r.values, "started_at": r.started_at.isoformat()}
              for r in runs]
    return answer, skipped, disagreements
