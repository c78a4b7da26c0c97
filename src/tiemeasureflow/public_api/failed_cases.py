"""Failed cases: characteristics whose current value in a run failed, or failed HardPy cases."""

from __future__ import annotations

import uuid
from collections import defaultdict
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import HardpyCase, HardpyMeasurement, Measurement, Subtask, Task

HARDPY_FAILED = ("failed", "error")


def _number(value: float) -> str:
    return format(value, ".10g")


def _signed(value: float) -> str:
    return ("+" if value >= 0 else "") + _number(value)


def assertion_message(name: str, marker: int, value: float, sub: Subtask, deviation: float | None) -> str:
    """Why a value failed, in words a quality engineer reads at a glance."""
    unit = f" {sub.unit}" if sub.unit else ""
    head = f"{name} (balloon {marker}): {_number(value)}{unit}"
    if sub.utl is not None and value > sub.utl:
        reason = f"is above the upper tolerance limit {_number(sub.utl)}{unit}"
    elif sub.ltl is not None and value < sub.ltl:
        reason = f"is below the lower tolerance limit {_number(sub.ltl)}{unit}"
    else:
        bounds = f"[{_number(sub.ltl) if sub.ltl is not None else '-inf'}, " \
                 f"{_number(sub.utl) if sub.utl is not None else '+inf'}]"
        reason = f"was judged out of tolerance {bounds}{unit}"
    details = []
    if sub.nominal is not None:
        details.append(f"nominal {_number(sub.nominal)}")
    if deviation is not None:
        details.append(f"deviation {_signed(deviation)}{unit}")
    return f"{head} {reason}" + (f" ({', '.join(details)})" if details else "")


def _tolerance(sub: Subtask) -> tuple[str | None, float | None]:
    """HardPy's comparison operation for a characteristic's tolerance (inclusive limits)."""
    if sub.ltl is not None and sub.utl is not None:
        return "gele", None
    if sub.ltl is not None:
        return "ge", sub.ltl
    if sub.utl is not None:
        return "le", sub.utl
    return None, None


def station_failed_cases(session: Session, run_id: uuid.UUID) -> list[dict[str, Any]]:
    """Characteristics whose latest current value (not superseded by a correction) failed."""
    rows = session.execute(
        select(Measurement, Subtask, Task.title)
        .join(Subtask, Subtask.id == Measurement.subtask_id)
        .join(Task, Task.id == Subtask.task_id)
        .where(Measurement.run_id == run_id)
    ).all()
    superseded = {m.supersedes_id for m, _, _ in rows if m.supersedes_id is not None}
    attempts: dict[int, int] = defaultdict(int)
    latest: dict[int, tuple] = {}
    for m, sub, title in rows:
        attempts[m.characteristic_id] += 1
        if m.id in superseded:
            continue
        best = latest.get(m.characteristic_id)
        if best is None or (m.measured_at, m.id) > (best[0].measured_at, best[0].id):
            latest[m.characteristic_id] = (m, sub, title)
    failed = [item for item in latest.values() if item[0].pass_fail == "fail"]
    failed.sort(key=lambda item: (item[1].task_id, item[1].marker_number))
    return [_station_case(m, sub, title, attempts[m.characteristic_id]) for m, sub, title in failed]


def _station_case(m: Measurement, sub: Subtask, task_title: str, attempts: int) -> dict[str, Any]:
    name = sub.description or f"Balloon {sub.marker_number}"
    operation, comparison = _tolerance(sub)
    measurement = {
        "type": "numeric", "name": name, "value": m.value, "unit": sub.unit, "operation": operation,
        "comparison_value": comparison, "lower_limit": sub.ltl if operation == "gele" else None,
        "upper_limit": sub.utl if operation == "gele" else None, "result": False,
        "nominal": sub.nominal, "lower_tolerance_limit": sub.ltl, "upper_tolerance_limit": sub.utl,
        "lower_warning_limit": sub.lwl, "upper_warning_limit": sub.uwl, "deviation": m.deviation,
        "balloon": sub.marker_number, "measured_at": m.measured_at,
    }
    return {
        "case_id": f"characteristic-{m.characteristic_id}", "name": name, "module": task_title, "status": "fail",
        "start_time": m.measured_at, "stop_time": m.measured_at,
        "assertion_msg": assertion_message(name, sub.marker_number, m.value, sub, m.deviation),
        "msg": None, "measurements": [measurement], "attempt": attempts, "group": "main", "artifact": {},
    }


def hardpy_failed_cases(session: Session, run_id: uuid.UUID) -> list[dict[str, Any]]:
    """The report's failed (or errored) cases, in report order, with their measurements."""
    cases = list(session.scalars(
        select(HardpyCase).where(HardpyCase.run_id == run_id, HardpyCase.status.in_(HARDPY_FAILED))
        .order_by(HardpyCase.position)
    ))
    by_case: dict[int, list[HardpyMeasurement]] = defaultdict(list)
    if cases:
        stmt = (select(HardpyMeasurement).where(HardpyMeasurement.case_id.in_([c.id for c in cases]))
                .order_by(HardpyMeasurement.case_id, HardpyMeasurement.position))
        for row in session.scalars(stmt):
            by_case[row.case_id].append(row)
    return [_hardpy_case(c, by_case[c.id]) for c in cases]


def _hardpy_case(case: HardpyCase, measurements: list[HardpyMeasurement]) -> dict[str, Any]:
    return {
        "case_id": f"{case.module_id}::{case.case_id}", "name": case.name, "module": case.module_name,
        "status": "fail", "start_time": case.start_time, "stop_time": case.stop_time,
        "assertion_msg": case.assertion_msg, "msg": case.msg,
        "measurements": [_hardpy_measurement(m) for m in measurements],
        "attempt": case.attempt, "group": case.group, "artifact": case.artifact or {},
    }


def _hardpy_measurement(m: HardpyMeasurement) -> dict[str, Any]:
    numeric = m.kind == "numeric"
    return {
        **(m.extra or {}),
        "type": m.kind, "name": m.name, "value": m.value_number if numeric else m.value_text,
        "unit": m.unit, "operation": m.operation,
        "comparison_value": m.comparison_number if numeric else m.comparison_text,
        "lower_limit": m.lower_limit, "upper_limit": m.upper_limit, "result": m.result,
    }
