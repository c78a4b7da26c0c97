"""Reading runs as rows: the filtered list, the caller's open runs, one run with its values."""

from __future__ import annotations

import math
import uuid

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from ..kit.errors import NotFound
from ..measurements.queries import as_utc, run_measurements
from ..models import RecipeVersion, Run, Station
from .recording import current_values, version_characteristics
from .schemas import RunDetail, RunFilters, RunResponse

COLUMNS = (
    Run.id, Run.source, Run.recipe_id, Run.version_id, RecipeVersion.version_number, Run.part_number,
    Run.serial_number, Run.lot_number, Run.station_id, Station.code.label("station_code"), Run.operator_id,
    Run.status, Run.attempt, Run.auto_finish, Run.started_at, Run.finished_at,
)


def select_runs(filters: RunFilters) -> Select:
    """Runs matching the filters, with their version number and station code."""
    stmt = (select(*COLUMNS).outerjoin(RecipeVersion, RecipeVersion.id == Run.version_id)
            .outerjoin(Station, Station.id == Run.station_id))
    for column, value in (
        (Run.recipe_id, filters.recipe_id), (Run.version_id, filters.version_id), (Run.station_id, filters.station_id),
        (Station.code, filters.station_code), (Run.operator_id, filters.operator_id),
        (Run.serial_number, filters.serial_number), (Run.lot_number, filters.lot_number), (Run.status, filters.status),
        (Run.source, filters.source),
    ):
        if value is not None:
            stmt = stmt.where(column == value)
    if filters.date_from is not None:
        stmt = stmt.where(Run.started_at >= as_utc(filters.date_from))
    if filters.date_to is not None:
        stmt = stmt.where(Run.started_at <= as_utc(filters.date_to))
    return stmt


def _newest_first(stmt: Select) -> Select:
    return stmt.order_by(Run.started_at.desc(), Run.id.desc())


def page_of_runs(session: Session, filters: RunFilters, page: int, per_page: int) -> dict:
    """One page of runs, newest first."""
    stmt = select_runs(filters)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = session.execute(_newest_first(stmt).limit(per_page).offset((page - 1) * per_page)).all()
    return {"items": [RunResponse.model_validate(r, from_attributes=True) for r in rows],
            "total": total, "page": page, "per_page": per_page, "pages": math.ceil(total / per_page)}


def open_runs(session: Session, operator_id: int | None, station_code: str | None,
              recipe_id: int | None) -> list[RunResponse]:
    """The caller's in-progress runs, newest first: what a station client resumes."""
    filters = RunFilters(operator_id=operator_id, status="in_progress", station_code=station_code, recipe_id=recipe_id)
    rows = session.execute(_newest_first(select_runs(filters)))
    return [RunResponse.model_validate(r, from_attributes=True) for r in rows]


def one_run(session: Session, run_id: uuid.UUID) -> RunResponse:
    """One run without its values; 404 when unknown."""
    row = session.execute(select_runs(RunFilters()).where(Run.id == run_id)).first()
    if row is None:
        raise NotFound("Run not found")
    return RunResponse.model_validate(row, from_attributes=True)


def run_detail(session: Session, run_id: uuid.UUID, include_history: bool) -> RunDetail:
    """One run with its latest values, its missing characteristics and, on request, its history."""
    base = one_run(session, run_id).model_dump()
    measured = current_values(session, run_id)
    specs = version_characteristics(session, base["version_id"]) if base["version_id"] is not None else {}
    history = run_measurements(session, run_id, include_superseded=True)
    return RunDetail(
        **base,
        measurements=[m for m in history if m.superseded_by_id is None],
        missing_subtask_ids=[sid for sid in specs if sid not in measured],
        history=history if include_history else None,
    )
