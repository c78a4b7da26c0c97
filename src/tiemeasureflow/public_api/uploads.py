"""HardPy report uploads: one report becomes one run with its cases and measurements, exactly once."""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..models import HardpyCase, HardpyMeasurement, HardpyReport, Run, RunDutInfo
from ..runs.dut_index import note_run
from .report_schemas import HardpyReportIn, ReportCase, ReportMeasurement

RUN_STATUS = {
    "passed": "pass", "failed": "fail", "error": "fail",
    # A stopped, skipped or never-finished run is a run that did not reach a verdict.
    "stopped": "aborted", "skipped": "aborted", "run": "aborted", "ready": "aborted",
}
UNKNOWN_PART_NUMBER = "unknown"  # what HardPy's own uploader sends for a DUT without one
MAX_INDEXED_VALUE = 255


def idempotency_key(report: HardpyReportIn) -> str:
    """The identity of a stand's run: the same report re-sent after an offline period maps to it again.

    The stand's document id alone repeats across runs; with the stand, the start time and the device
    it names one run.
    """
    stand, dut = report.test_stand, report.dut
    identity = [stand.hw_id, stand.name, report.id, report.start_time, report.stop_time if report.start_time is None
                else None, dut.part_number or UNKNOWN_PART_NUMBER, dut.serial_number]
    return hashlib.sha256(json.dumps(identity, separators=(",", ":")).encode()).hexdigest()


def _time(seconds: float | None) -> datetime | None:
    return None if seconds is None else datetime.fromtimestamp(seconds, UTC)


def _existing_run(session: Session, key: str) -> uuid.UUID | None:
    return session.scalar(select(HardpyReport.run_id).where(HardpyReport.idempotency_key == key))


def store_report(session: Session, report: HardpyReportIn, original: dict[str, Any], stand_key_id: int | None) -> uuid.UUID:
    """The run the report became: created now, or found when the same report came before."""
    key = idempotency_key(report)
    existing = _existing_run(session, key)
    if existing is not None:
        return existing
    try:
        with session.begin_nested():
            return _create_run(session, report, original, key, stand_key_id)
    except IntegrityError:
        # A concurrent upload of the same report won the unique key: answer with its run.
        existing = _existing_run(session, key)
        if existing is None:
            raise
        return existing


def _create_run(session: Session, report: HardpyReportIn, original: dict[str, Any], key: str,
                stand_key_id: int | None) -> uuid.UUID:
    started = _time(report.start_time if report.start_time is not None else report.stop_time)
    run = Run(
        source="hardpy", part_number=report.dut.part_number or UNKNOWN_PART_NUMBER,
        serial_number=report.dut.serial_number, lot_number=report.batch_serial_number,
        status=RUN_STATUS[report.status], started_at=started, finished_at=_time(report.stop_time),
    )
    session.add(run)
    session.flush()
    session.add(HardpyReport(
        run_id=run.id, idempotency_key=key, stand_key_id=stand_key_id, report_id=report.id,
        test_plan_name=report.name, hardpy_status=report.status, stand_name=report.test_stand.name,
        stand_hw_id=report.test_stand.hw_id, stand_info=_stand_info(original),
        dut_info=dict(report.dut.info), artifact=dict(report.artifact), report=original,
    ))
    session.flush()  # the unique idempotency key is checked here, before anything else is counted
    note_run(session, run)
    session.add_all(_dut_info_rows(run.id, report.dut.info))
    _add_cases(session, run.id, report)
    session.flush()
    return run.id


def _stand_info(original: dict[str, Any]) -> dict[str, Any]:
    """The stand as the report describes it, name and hw_id aside (they have fields of their own)."""
    return {k: v for k, v in original["test_stand"].items() if k not in ("name", "hw_id")}


def _dut_info_rows(run_id: uuid.UUID, info: dict[str, Any]) -> list[RunDutInfo]:
    """Scalar dut.info entries as text, the form query parameters compare against."""
    rows = []
    for key, value in info.items():
        if isinstance(value, bool):
            text = "true" if value else "false"
        elif isinstance(value, (int, float, str)):
            text = value if isinstance(value, str) else json.dumps(value)
        else:
            continue
        # A filter can never ask for a key or value holding NUL (a text column cannot hold it either):
        # such an entry is kept in the stored report only, as an over-long value is.
        if len(text) <= MAX_INDEXED_VALUE and "\x00" not in key + text:
            rows.append(RunDutInfo(run_id=run_id, key=key, value=text))
    return rows


def _add_cases(session: Session, run_id: uuid.UUID, report: HardpyReportIn) -> None:
    cases: list[tuple[HardpyCase, ReportCase]] = []
    for module_id, module in report.modules.items():
        for case_id, case in module.cases.items():
            row = HardpyCase(
                run_id=run_id, position=len(cases), module_id=module_id, module_name=module.name, case_id=case_id,
                name=case.name, status=case.status, group=case.group, attempt=case.attempt,
                start_time=_time(case.start_time), stop_time=_time(case.stop_time), assertion_msg=case.assertion_msg,
                msg=case.msg, artifact=dict(case.artifact),
            )
            cases.append((row, case))
    session.add_all([row for row, _ in cases])
    session.flush()
    session.add_all([_measurement(row.id, position, m) for row, case in cases
                     for position, m in enumerate(case.measurements)])


def _measurement(case_id: int, position: int, m: ReportMeasurement) -> HardpyMeasurement:
    numeric = m.kind == "numeric"
    comparison = m.comparison_value
    return HardpyMeasurement(
        case_id=case_id, position=position, kind=m.kind, name=m.name,
        value_number=float(m.value) if numeric else None, value_text=None if numeric else m.value,
        unit=m.unit, operation=m.operation,
        comparison_number=float(comparison) if isinstance(comparison, (int, float)) else None,
        comparison_text=comparison if isinstance(comparison, str) else None,
        lower_limit=m.lower_limit, upper_limit=m.upper_limit, result=m.result, extra=dict(m.model_extra or {}),
    )
