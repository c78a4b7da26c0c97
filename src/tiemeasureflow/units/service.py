"""The unit history: one device's runs in time order with failures, corrections, alarms and FAIs."""

from __future__ import annotations

import uuid
from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..kit.errors import NotFound
from ..models import (
    Alarm,
    HardpyCase,
    HardpyReport,
    Measurement,
    Recipe,
    RecipeVersion,
    Run,
    Station,
    Subtask,
    TestedDut,
    User,
)
from .fai_link import fais_of
from .schemas import AlarmItem, CorrectionItem, FailedItem, UnitHistory, UnitItem, UnitRun

HARDPY_FAILED = ("failed", "error")
MAX_DEVICES = 100


def devices(session: Session, serial_number: str) -> list[UnitItem]:
    """The devices (one per part number) that carry this serial, most recently tested first."""
    rows = session.execute(
        select(TestedDut, Run.status).join(Run, Run.id == TestedDut.last_run_id)
        .where(TestedDut.serial_number == serial_number)
        .order_by(TestedDut.last_started_at.desc(), TestedDut.id).limit(MAX_DEVICES))
    return [UnitItem(part_number=d.part_number, serial_number=d.serial_number, attempt_count=d.attempt_count,
                     last_status=status, last_started_at=d.last_started_at) for d, status in rows]


def history(session: Session, part_number: str, serial_number: str) -> UnitHistory:
    """Every run of the device, oldest first; 404 when it has none."""
    runs = list(session.scalars(select(Run).where(Run.part_number == part_number,
                                                  Run.serial_number == serial_number)
                                .order_by(Run.started_at, Run.id)))
    if not runs:
        raise NotFound("No run of this part number and serial number")
    ids = [r.id for r in runs]
    names = {uid: display or username for uid, display, username in
             session.execute(select(User.id, User.display_name, User.username))}
    stations = dict(session.execute(select(Station.id, Station.code)
                                    .where(Station.id.in_({r.station_id for r in runs if r.station_id}))).all())
    recipes = dict(session.execute(select(Recipe.id, Recipe.code)
                                   .where(Recipe.id.in_({r.recipe_id for r in runs if r.recipe_id}))).all())
    versions = dict(session.execute(select(RecipeVersion.id, RecipeVersion.version_number)
                                    .where(RecipeVersion.id.in_({r.version_id for r in runs if r.version_id}))).all())
    reports = {r.run_id: r for r in session.scalars(select(HardpyReport).where(HardpyReport.run_id.in_(ids)))}
    failed, corrections = _station_outcomes(session, ids, names)
    for run_id, items in _hardpy_failures(session, ids).items():
        failed[run_id] += items
    alarms = _alarms(session, ids)
    answer = []
    for run in runs:
        stand = reports.get(run.id)
        answer.append(UnitRun(
            id=run.id, source=run.source, attempt=run.attempt, status=run.status, started_at=run.started_at,
            finished_at=run.finished_at, recipe_id=run.recipe_id, recipe_code=recipes.get(run.recipe_id),
            version_number=versions.get(run.version_id),
            test_plan_name=stand.test_plan_name if stand else None,
            station=stations.get(run.station_id) or (stand.stand_name if stand else None),
            operator=names.get(run.operator_id), lot_number=run.lot_number, failed=failed[run.id],
            corrections=corrections[run.id], alarms=alarms[run.id], report_url=f"/api/runs/{run.id}/report.pdf"))
    recipe_ids = sorted({r.recipe_id for r in runs if r.recipe_id is not None})
    return UnitHistory(part_number=part_number, serial_number=serial_number, attempt_count=len(runs),
                       last_status=runs[-1].status, runs=answer, fais=fais_of(session, recipe_ids, serial_number))


def _station_outcomes(session: Session, ids: list[uuid.UUID], names: dict[int, str]
                      ) -> tuple[dict[uuid.UUID, list[FailedItem]], dict[uuid.UUID, list[CorrectionItem]]]:
    """Per run: the characteristics whose current value failed, and every correction, in balloon order."""
    rows = session.execute(
        select(Measurement, Subtask).join(Subtask, Subtask.id == Measurement.subtask_id)
        .where(Measurement.run_id.in_(ids)).order_by(Measurement.measured_at, Measurement.id)).all()
    by_id = {m.id: m for m, _ in rows}
    superseded = {m.supersedes_id for m, _ in rows if m.supersedes_id is not None}
    latest: dict[tuple, tuple[Measurement, Subtask]] = {}
    corrections: dict[uuid.UUID, list[CorrectionItem]] = defaultdict(list)
    for m, sub in rows:
        label = sub.label or str(sub.marker_number)
        if m.supersedes_id is not None and m.supersedes_id in by_id:
            corrections[m.run_id].append(CorrectionItem(
                balloon=label, superseded_value=by_id[m.supersedes_id].value, value=m.value,
                corrected_by=names.get(m.measured_by), corrected_at=m.measured_at, reason=m.correction_reason))
        if m.id not in superseded:
            latest[(m.run_id, m.subtask_id)] = (m, sub)
    failed: dict[uuid.UUID, list[FailedItem]] = defaultdict(list)
    order = sorted(latest.values(), key=lambda item: (item[1].task_id, item[1].marker_number))
    for m, sub in order:
        if m.pass_fail == "fail":
            failed[m.run_id].append(FailedItem(balloon=sub.label or str(sub.marker_number),
                                               name=sub.description or f"#{sub.marker_number}", value=m.value,
                                               unit=sub.unit, ltl=sub.ltl, utl=sub.utl))
    return failed, corrections


def _hardpy_failures(session: Session, ids: list[uuid.UUID]) -> dict[uuid.UUID, list[FailedItem]]:
    """Per HardPy run: its failed or errored test cases in report order."""
    found: dict[uuid.UUID, list[FailedItem]] = defaultdict(list)
    cases = session.scalars(select(HardpyCase).where(HardpyCase.run_id.in_(ids),
                                                     HardpyCase.status.in_(HARDPY_FAILED))
                            .order_by(HardpyCase.run_id, HardpyCase.position))
    for case in cases:
        found[case.run_id].append(FailedItem(balloon=None, name=case.name or f"{case.module_id}::{case.case_id}",
                                             message=case.assertion_msg))
    return found


def _alarms(session: Session, ids: list[uuid.UUID]) -> dict[uuid.UUID, list[AlarmItem]]:
    """Per run: the alarms its values raised, oldest first."""
    found: dict[uuid.UUID, list[AlarmItem]] = defaultdict(list)
    for alarm in session.scalars(select(Alarm).where(Alarm.run_id.in_(ids)).order_by(Alarm.detected_at, Alarm.id)):
        found[alarm.run_id].append(AlarmItem(id=alarm.id, kind=alarm.kind, status=alarm.status, rule=alarm.rule,
                                             message=alarm.message, detected_at=alarm.detected_at))
    return found
