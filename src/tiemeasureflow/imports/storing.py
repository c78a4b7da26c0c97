"""A parsed results document's parts as finished runs with judged values, in the bulk write path."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from types import SimpleNamespace

from sqlalchemy import update
from sqlalchemy.orm import Session

from ..alarms.raising import FailedValue, note_failed_runs, raise_tolerance_alarms
from ..kit.bulk import MEASUREMENT_COLUMNS, RUN_COLUMNS, as_tuples, copy_rows, formats_for
from ..measurements.judging import deviation, judge, worst
from ..models import RecipeVersion, Run, utcnow
from ..runs.dut_index import note_runs
from ..runs.recording import Characteristic, allocate_measurement_ids
from .document import PartResult

IMPORT_COLUMNS = (*MEASUREMENT_COLUMNS, "gauge_code")


@dataclass(frozen=True)
class Origin:
    """Where the runs come from: the file format (run source and input method), station and person."""

    source: str
    station_id: int | None
    operator_id: int | None


def store_parts(session: Session, version: RecipeVersion, part_number: str, specs: dict[str, Characteristic],
                parts: list[PartResult], origin: Origin) -> tuple[list[dict], list[dict], list[dict]]:
    """One finished run per part; (runs, skipped readings, disagreements with the file's own verdicts)."""
    fmt = formats_for(session)
    runs, rows, failed, skipped, disagreements = [], [], [], [], []
    for part in parts:
        run_id, when = uuid.uuid4(), part.measured_at or utcnow()
        # Rows are built as the driver's tuples (IMPORT_COLUMNS without the id, which is allocated below):
        # thousands per file, so no dict per value and the UUID and time are converted once per part.
        run_key, stamp, judged = fmt.uuid(run_id), fmt.time(when), []
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
            rows.append((run_key, spec.subtask_id, version.id, spec.characteristic_id, origin.operator_id, value,
                         verdict, deviation(value, spec.limits.nominal), part.lot, part.serial, origin.source, stamp,
                         None, None, None))
        if not judged:
            skipped.append({"what": part.serial, "reason": "no value of this part matches a characteristic: no run"})
            continue
        runs.append(SimpleNamespace(
            id=run_id, source=origin.source, recipe_id=version.recipe_id, version_id=version.id,
            station_id=origin.station_id, operator_id=origin.operator_id, part_number=part_number,
            serial_number=part.serial, lot_number=part.lot, status=worst(judged), attempt=1, started_at=when,
            finished_at=when, auto_finish=False, values=len(judged)))
    copy_rows(session, "runs", RUN_COLUMNS, as_tuples(map(vars, runs), RUN_COLUMNS, fmt, ("id",),
                                                       ("started_at", "finished_at")))
    note_runs(session, runs)
    retests = [{"id": r.id, "attempt": r.attempt} for r in runs if r.attempt != 1]
    if retests:
        session.execute(update(Run), retests)
    ids = allocate_measurement_ids(session, len(rows))
    copy_rows(session, "measurements", IMPORT_COLUMNS, [(new_id, *row) for new_id, row in zip(ids, rows, strict=True)])
    raise_tolerance_alarms(session, [
        FailedValue(ids[position], spec.subtask_id, spec.characteristic_id, version.id, value, run_id,
                    version.recipe_id, origin.station_id, origin.operator_id)
        for position, spec, value, run_id in failed])
    note_failed_runs(session, [r.id for r in runs if r.status == "fail"])
    answer = [{"id": str(r.id), "serial_number": r.serial_number, "lot_number": r.lot_number, "status": r.status,
               "attempt": r.attempt, "values": r.values, "started_at": r.started_at.isoformat()}
              for r in runs]
    return answer, skipped, disagreements
