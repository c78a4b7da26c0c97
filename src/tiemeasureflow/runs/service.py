"""Run rules: starting on the current version, adding values, finishing, aborting, audited."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from ..alarms.raising import note_failed_runs
from ..alarms.service import hold_problem
from ..audit.service import record
from ..gauges.lockout import check_values as check_gauges
from ..identity.principal import Actor, Principal
from ..kit.db import get_or_404
from ..kit.errors import BadRequest, Conflict, Forbidden, NotFound, Unprocessable
from ..models import Measurement, Recipe, RecipeVersion, Run, Station, utcnow
from .dut_index import note_run
from .recording import NewValue, derive_status, record_values, version_characteristics
from .schemas import RunStart

IN_PROGRESS = "in_progress"
FINISHED = ("pass", "warning", "fail")


def resolve_version(session: Session, recipe_id: int | None, version_id: int | None) -> tuple[Recipe, RecipeVersion]:
    """The recipe and version a run would use; 404 unknown, 422 mismatched."""
    if version_id is not None:
        version = get_or_404(session, RecipeVersion, version_id, "Recipe version not found")
        if recipe_id is not None and recipe_id != version.recipe_id:
            raise Unprocessable(f"Version {version_id} does not belong to recipe {recipe_id}")
        return version.recipe, version
    recipe = get_or_404(session, Recipe, recipe_id, "Recipe not found")
    if recipe.current_version is None:
        raise Conflict("The recipe has no version to measure")
    return recipe, recipe.current_version


def startable_problem(recipe: Recipe, version: RecipeVersion) -> str | None:
    """Why a new run cannot start on this version, or None."""
    if not recipe.active:
        return f"Recipe {recipe.code} is inactive"
    if recipe.current_version_id != version.id:
        return (f"Version {version.version_number} is not the current version of recipe {recipe.code}; "
                "runs start on the current version")
    return None


def open_run(session: Session, recipe: Recipe, version: RecipeVersion, serial: str, lot: str | None,
             station_id: int | None, operator_id: int | None, actor: Actor, auto_finish: bool = False,
             run_id: uuid.UUID | None = None) -> Run:
    """Insert an in-progress run, count its attempt and audit the start."""
    run = Run(
        id=run_id or uuid.uuid4(), source="station", recipe_id=recipe.id, version_id=version.id, station_id=station_id,
        operator_id=operator_id, part_number=recipe.code, serial_number=serial, lot_number=lot,
        status=IN_PROGRESS, attempt=1, started_at=utcnow(), auto_finish=auto_finish,
    )
    session.add(run)
    session.flush()
    note_run(session, run)
    record(session, actor, "start", "run", run.id, new={
        "recipe_id": recipe.id, "version_id": version.id, "serial_number": serial, "lot_number": lot,
        "station_id": station_id, "attempt": run.attempt, "auto_finish": auto_finish,
    })
    return run


def find_open_run(session: Session, operator_id: int | None, *, lot: str | None, serial: str,
                  version_id: int | None = None, recipe_id: int | None = None) -> Run | None:
    """The operator's newest in-progress run for a part (locked until commit)."""
    stmt = select(Run).where(Run.operator_id == operator_id, Run.status == IN_PROGRESS, Run.serial_number == serial,
                             Run.lot_number.is_(None) if lot is None else Run.lot_number == lot)
    if version_id is not None:
        stmt = stmt.where(Run.version_id == version_id)
    if recipe_id is not None:
        stmt = stmt.where(Run.recipe_id == recipe_id)
    stmt = stmt.order_by(Run.started_at.desc()).limit(1).with_for_update()
    return session.execute(stmt.execution_options(populate_existing=True)).scalar_one_or_none()


def start_run(session: Session, data: RunStart, principal: Principal, run_id: uuid.UUID | None = None) -> Run:
    """Start a run on the recipe's current version at an active station (generated data may give the id)."""
    station = session.scalar(select(Station).where(Station.code == data.station_code))
    if station is None:
        raise NotFound(f"Station {data.station_code} not found")
    if not station.active:
        raise Conflict(f"Station {data.station_code} is inactive")
    recipe, version = resolve_version(session, data.recipe_id, data.version_id)
    problem = startable_problem(recipe, version) or hold_problem(session, station.id, recipe.id)
    if problem:
        raise Conflict(problem)
    if not version_characteristics(session, version.id):
        raise Conflict("The version has no characteristics to measure")
    existing = find_open_run(session, principal.user_id, serial=data.serial_number, lot=data.lot_number,
                             recipe_id=recipe.id)
    if existing is not None:
        raise Conflict(f"Run {existing.id} is already in progress for this part: resume or abort it")
    return open_run(session, recipe, version, data.serial_number, data.lot_number, station.id,
                    principal.user_id, principal.actor, run_id=run_id)


def lock_run(session: Session, run_id: uuid.UUID) -> Run:
    """The run, row-locked until commit (PostgreSQL); 404 when unknown."""
    stmt = select(Run).where(Run.id == run_id).with_for_update().execution_options(populate_existing=True)
    run = session.execute(stmt).scalar_one_or_none()
    if run is None:
        raise NotFound("Run not found")
    return run


def _writable(run: Run, principal: Principal, admin_may: bool = False) -> None:
    if run.operator_id != principal.user_id and not (admin_may and principal.user and principal.user.is_admin):
        raise Forbidden("The run belongs to another operator")
    if run.status != IN_PROGRESS:
        raise Conflict(f"The run is {run.status}, not in progress")


def check_subtasks(specs: dict, subtask_ids: Sequence[int], version_id: int, numbered: bool) -> None:
    """400 naming the first item whose subtask is not a characteristic of the version."""
    for index, subtask_id in enumerate(subtask_ids):
        if subtask_id not in specs:
            prefix = f"Item {index}: " if numbered else ""
            raise BadRequest(f"{prefix}subtask {subtask_id} does not belong to version {version_id}")


def add_values(session: Session, run_id: uuid.UUID, values: list[NewValue], numbered: bool,
               principal: Principal) -> list[Measurement]:
    """Store values in the caller's in-progress run, all or none."""
    run = lock_run(session, run_id)
    _writable(run, principal)
    specs = version_characteristics(session, run.version_id)
    check_subtasks(specs, [v.subtask_id for v in values], run.version_id, numbered)
    check_gauges(session, [(f"Item {i}: " if numbered else "", specs[v.subtask_id].characteristic_id, v.gauge_code)
                           for i, v in enumerate(values)])
    rows = record_values(session, run, specs, values, principal.user_id, reason_required=True, numbered=numbered)
    for row in rows:
        if row.supersedes_id is not None:
            record(session, principal.actor, "correct", "measurement", row.id,
                   old={"id": row.supersedes_id},
                   new={"id": row.id, "value": row.value, "pass_fail": row.pass_fail,
                        "supersedes_id": row.supersedes_id, "reason": row.correction_reason, "run_id": str(run.id)})
    return rows


def close_run(session: Session, run: Run, status: str, actor: Actor, missing: list[int] | None = None,
              reason: str | None = None) -> Run:
    """Move an in-progress run to a final status; exactly one concurrent closer wins (409 for the others)."""
    now = utcnow()
    result = session.execute(
        update(Run).where(Run.id == run.id, Run.status == IN_PROGRESS).values(status=status, finished_at=now)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise Conflict("The run is no longer in progress")
    session.refresh(run)
    new = {"status": status}
    if missing:
        new["missing_subtask_ids"] = missing
    if reason:
        new["reason"] = reason
    record(session, actor, "abort" if status == "aborted" else "finish", "run", run.id,
           old={"status": IN_PROGRESS}, new=new)
    if status == "fail":
        note_failed_runs(session, [run.id])
    return run


def finish_run(session: Session, run_id: uuid.UUID, allow_incomplete: bool, principal: Principal) -> Run:
    """Finish with the worst judgment of the latest values; missing characteristics need allow_incomplete."""
    run = lock_run(session, run_id)
    _writable(run, principal)
    status, missing = derive_status(session, run, version_characteristics(session, run.version_id))
    if status is None:
        raise Conflict("The run has no measurements: abort it instead")
    if missing and not allow_incomplete:
        raise Conflict(f"The run is incomplete: no value for subtasks {', '.join(map(str, missing))} "
                       "(finish with allow_incomplete=true to accept that)")
    return close_run(session, run, status, principal.actor, missing)


def abort_run(session: Session, run_id: uuid.UUID, principal: Principal, reason: str | None = None) -> Run:
    """Abort an in-progress run (its operator or an admin), the reason audited; its values stay stored."""
    run = lock_run(session, run_id)
    _writable(run, principal, admin_may=True)
    return close_run(session, run, "aborted", principal.actor, reason=reason)


def rederive_status(session: Session, run: Run) -> tuple[str, str] | None:
    """After a correction: a finished run takes the status of its latest values; returns (old, new) on change."""
    if run.status not in FINISHED:
        return None
    status, _ = derive_status(session, run, version_characteristics(session, run.version_id))
    if status is None or status == run.status:
        return None
    old = run.status
    # The newest value is the basis the database checks a changed finished verdict against.
    basis = session.scalar(select(func.max(Measurement.id)).where(Measurement.run_id == run.id))
    run.status, run.verdict_basis = status, basis
    session.flush()
    return old, status
