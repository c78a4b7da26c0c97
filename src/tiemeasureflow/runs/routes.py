"""/api/runs: one part measured value by value on one recipe version at one station."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Body, Depends, Query, status
from pydantic import TypeAdapter

from ..auth.deps import CurrentPrincipal, SessionDep, current_principal, require_roles
from ..idempotency.service import IdempotencyDep, respond_once
from ..identity.principal import Principal
from ..kit import watermark
from ..kit.errors import Forbidden
from ..kit.schemas import ID_MAX, Page
from ..kit.vocabulary import RUN_SOURCES
from ..measurements.queries import fill_superseded, to_response
from ..measurements.schemas import IdQuery, MeasurementResponse, TextQuery, datetime_query
from . import queries, service
from .recording import NewValue
from .schemas import RunAbort, RunDetail, RunFilters, RunFinish, RunResponse, RunStart, RunStatus, RunValue, RunValues

router = APIRouter(prefix="/runs", tags=["runs"], dependencies=[Depends(current_principal)])
OperatorDep = Annotated[Principal, Depends(require_roles("MeasurementTec"))]
ReaderDep = Annotated[Principal, Depends(require_roles("MeasurementTec", "Metrologist"))]
ERRORS = {400: {"description": "A subtask does not belong to the run's version"},
          403: {"description": "Role missing, or the run belongs to another operator"},
          404: {"description": "Run, recipe, version or station not found"},
          409: {"description": "Conflicts with the run's, recipe's or station's state"}}
_STORED = TypeAdapter(MeasurementResponse | list[MeasurementResponse])


def operator_or_admin(principal: CurrentPrincipal) -> Principal:
    """MeasurementTec users and administrators."""
    user = principal.user
    if user is None or not (user.is_admin or user.has_any_role("MeasurementTec")):
        raise Forbidden("MeasurementTec role or admin required")
    return principal


@router.post("", response_model=RunResponse, status_code=status.HTTP_201_CREATED, responses=ERRORS)
def start_run(data: RunStart, session: SessionDep, principal: OperatorDep, idem: IdempotencyDep):
    """Start a run on a recipe's current version for one part at one station."""

    def start() -> bytes:
        run = service.start_run(session, data, principal)
        return queries.one_run(session, run.id).model_dump_json()

    return respond_once(session, principal.user_id, idem, status.HTTP_201_CREATED, start)


@router.get("", response_model=Page[RunResponse])
def list_runs(
    session: SessionDep, _: ReaderDep,
    recipe_id: IdQuery = None, version_id: IdQuery = None, station_id: IdQuery = None,
    station_code: TextQuery = None, operator_id: IdQuery = None, serial_number: TextQuery = None,
    lot_number: TextQuery = None, status: RunStatus | None = None,
    date_from: datetime_query("started_at >= this (ISO 8601; UTC when naive)") = None,
    date_to: datetime_query("started_at <= this (ISO 8601; UTC when naive)") = None,
    page: Annotated[int, Query(ge=1, le=ID_MAX)] = 1, per_page: Annotated[int, Query(ge=1, le=500)] = 50,
    source: Annotated[Literal[RUN_SOURCES] | None,  # type: ignore[valid-type]
                      Query(description="Only runs from this source")] = None,
):
    """List runs, newest first, with filters."""
    filters = RunFilters(recipe_id, version_id, station_id, station_code, operator_id, serial_number, lot_number,
                         status, date_from, date_to, source)
    return queries.page_of_runs(session, filters, page, per_page)


@router.get("/open", response_model=list[RunResponse])
def open_runs(session: SessionDep, principal: ReaderDep, station_code: TextQuery = None,
              recipe_id: IdQuery = None):
    """The caller's in-progress runs, newest first (to resume one)."""
    return queries.open_runs(session, principal.user_id, station_code, recipe_id)


@router.get("/{run_id:uuid}", response_model=RunDetail, responses={404: ERRORS[404]})
def get_run(run_id: uuid.UUID, session: SessionDep, _: ReaderDep, include_history: bool = False):
    """Read a run with its latest values (and every value with include_history=true)."""
    return queries.run_detail(session, run_id, include_history)


@router.post("/{run_id:uuid}/measurements", response_model=MeasurementResponse | list[MeasurementResponse],
             status_code=status.HTTP_201_CREATED, responses=ERRORS)
def add_measurements(run_id: uuid.UUID, data: Annotated[RunValue | RunValues, Body()], session: SessionDep,
                     principal: OperatorDep, idem: IdempotencyDep):
    """Store one value, or several all-or-nothing, in the caller's in-progress run."""

    def add() -> bytes:
        items = data.measurements if isinstance(data, RunValues) else [data]
        values = [NewValue(i.subtask_id, i.value, i.input_method, i.reason, i.gross_error_confirmed, i.gauge_code)
                  for i in items]
        rows = service.add_values(session, run_id, values, isinstance(data, RunValues), principal)
        # Values of a transaction still open are behind no CSV sync position: none is synced yet.
        stored = fill_superseded(session, [to_response(row, watermark.START) for row in rows])
        return _STORED.dump_json(stored if isinstance(data, RunValues) else stored[0])

    return respond_once(session, principal.user_id, idem, status.HTTP_201_CREATED, add)


@router.post("/{run_id:uuid}/finish", response_model=RunResponse, responses=ERRORS)
def finish_run(run_id: uuid.UUID, session: SessionDep, principal: OperatorDep,
               data: Annotated[RunFinish | None, Body()] = None):
    """Finish the run: fail if any latest value failed, else warning if any warned, else pass."""
    run = service.finish_run(session, run_id, (data or RunFinish()).allow_incomplete, principal)
    return queries.one_run(session, run.id)


@router.post("/{run_id:uuid}/abort", response_model=RunResponse, responses=ERRORS,
             dependencies=[Depends(operator_or_admin)])
def abort_run(run_id: uuid.UUID, session: SessionDep, principal: CurrentPrincipal,
              data: Annotated[RunAbort | None, Body()] = None):
    """Abort an in-progress run (its operator, or an admin), optionally saying why; its values stay stored."""
    run = service.abort_run(session, run_id, principal, (data or RunAbort()).reason)
    return queries.one_run(session, run.id)
