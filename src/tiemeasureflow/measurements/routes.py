"""/api/measurements: the reference's create, batch, list and CSV export; XLSX export; corrections.

Measurements are insert-only: no route updates or deletes one (PUT, PATCH and DELETE get 405).
"""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Request, status
from fastapi.responses import StreamingResponse
from pydantic import TypeAdapter

from ..auth.deps import ExporterPrincipal, MetrologistPrincipal, OperatorPrincipal, SessionDep, current_principal
from ..idempotency.service import IdempotencyDep, respond_once
from ..kit.schemas import BIG_ID_MAX, ID_MAX, NO_NUL_PATTERN, SIGNED_ID
from . import export, query, readable, service
from .schemas import (
    CorrectionCreate,
    IdQuery,
    Judgment,
    MeasurementBatch,
    MeasurementCreate,
    MeasurementFilters,
    MeasurementListResponse,
    MeasurementResponse,
    TextQuery,
    datetime_query,
)

MeasurementId = Annotated[int, Path(ge=1, le=BIG_ID_MAX)]

router = APIRouter(prefix="/measurements", tags=["measurements"], dependencies=[Depends(current_principal)])
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
WRITE_ERRORS = {400: {"description": "Subtask not in the version, or the version cannot start a run "
                            "(a batch names the item)"},
                403: {"description": "MeasurementTec role required"},
                404: {"description": "Recipe version not found (a batch names the item)"},
                409: {"description": "The gauge is overdue, blocked or not in service, or not what the "
                                    "characteristic's gauge rule asks for (a batch names the item)"}}


def measurement_filters(
    recipe_id: IdQuery = None, version_id: IdQuery = None, subtask_id: IdQuery = None,
    characteristic_id: IdQuery = None, run_id: uuid.UUID | None = None, measured_by: IdQuery = None,
    lot_number: TextQuery = None, serial_number: TextQuery = None,
    date_from: datetime_query("measured_at >= this (ISO 8601; UTC when naive)") = None,
    date_to: datetime_query("measured_at <= this (ISO 8601; UTC when naive)") = None,
    pass_fail: Judgment | None = None,
    include_superseded: Annotated[bool, Query(description="Also superseded values (the history)")] = False,
    gauge_code: Annotated[str | None, Query(max_length=100, pattern=r"^[A-Za-z0-9._-]+$",
                                            description="Only values taken with this gauge")] = None,
    station_code: Annotated[str | None, Query(max_length=100, pattern=NO_NUL_PATTERN,
                                              description="Only values of runs at this station")] = None,
    shift_id: Annotated[int | None, Query(ge=1, le=ID_MAX, description="Only values taken in this shift "
                                                                         "(local time of the plant)")] = None,
) -> MeasurementFilters:
    """The list and export filters."""
    return MeasurementFilters(recipe_id, version_id, subtask_id, characteristic_id, run_id, measured_by,
                              lot_number, serial_number, date_from, date_to, pass_fail, include_superseded,
                              gauge_code, station_code, shift_id)


FiltersDep = Annotated[MeasurementFilters, Depends(measurement_filters)]
LayoutQuery = Annotated[Literal["reference", "readable"], Query(
    description="reference: the reference's columns with ids; readable: names, limits, local and UTC time")]
_MEASUREMENT_LIST = TypeAdapter(list[MeasurementResponse])
_MEASUREMENT = TypeAdapter(MeasurementResponse)


def _responses(session, rows) -> list[MeasurementResponse]:
    cursor = query.sync_cursor(session)
    return query.fill_superseded(session, [query.to_response(row, cursor) for row in rows])


@router.post("/", response_model=MeasurementResponse, responses=WRITE_ERRORS)
def create_measurement(data: MeasurementCreate, session: SessionDep, principal: OperatorPrincipal,
                       idem: IdempotencyDep):
    """Store one judged value in the caller's open run for its version, serial and lot."""
    return respond_once(session, principal.user_id, idem, 200, lambda: _MEASUREMENT.dump_json(
        _responses(session, [service.create_single(session, data, principal)])[0]))


@router.post("/batch", response_model=list[MeasurementResponse], responses=WRITE_ERRORS)
def create_batch(data: MeasurementBatch, session: SessionDep, principal: OperatorPrincipal, idem: IdempotencyDep):
    """Store every value or none; one finished run per (version, serial, lot)."""
    # Serialised once here: returned as models, each would be validated again before serialising.
    # The session still commits before this response is sent.
    return respond_once(session, principal.user_id, idem, 200, lambda: _MEASUREMENT_LIST.dump_json(
        _responses(session, service.create_batch(session, data, principal))))


SHIFT_NOT_FOUND = {404: {"description": "Shift not found (shift_id)"}}


@router.get("/", response_model=MeasurementListResponse, responses=SHIFT_NOT_FOUND)
def list_measurements(
    session: SessionDep, _: MetrologistPrincipal, filters: FiltersDep,
    page: Annotated[int, Query(ge=1, le=ID_MAX)] = 1, per_page: Annotated[int, Query(ge=1, le=500)] = 50,
):
    """Query measurements, newest first (latest values unless include_superseded=true)."""
    found = query.page_of_measurements(session, query.with_shift(session, filters), page, per_page)
    return found | {"items": readable.with_names_of(session, found["items"])}


@router.get("/export/csv", response_class=StreamingResponse,
            responses={200: {"content": {"text/csv": {}}, "description": "The CSV file, streamed"}, **SHIFT_NOT_FOUND})
def export_csv(request: Request, session: SessionDep, _: ExporterPrincipal, filters: FiltersDep,
               bom: Annotated[bool, Query(description="Start with a UTF-8 BOM (for Excel)")] = False,
               layout: LayoutQuery = "reference"):
    """Export the filtered measurements as CSV with the configured delimiter and decimal separator."""
    filename = export.export_filename(session, filters, "csv")
    filters = query.with_shift(session, filters)
    return StreamingResponse(
        export.iter_csv(request.app.state.sessionmaker, filters, bom, layout), media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.get("/export/xlsx", response_class=StreamingResponse,
            responses={200: {"content": {XLSX_TYPE: {}}, "description": "The XLSX workbook, streamed"},
                       **SHIFT_NOT_FOUND})
def export_xlsx(request: Request, session: SessionDep, _: ExporterPrincipal, filters: FiltersDep,
                layout: LayoutQuery = "reference"):
    """Export the filtered measurements as an XLSX workbook (the CSV's columns in the chosen layout)."""
    filename = export.export_filename(session, filters, "xlsx")
    filters = query.with_shift(session, filters)
    return StreamingResponse(export.iter_xlsx(request.app.state.sessionmaker, filters, layout), media_type=XLSX_TYPE,
                             headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@router.get("/{measurement_id:" + SIGNED_ID + "}", response_model=MeasurementResponse, responses={404: {"description": "Not found"}})
def get_measurement(measurement_id: MeasurementId, session: SessionDep, _: ExporterPrincipal):
    """Read one measurement, with what it supersedes and what superseded it."""
    return _responses(session, [query.one_measurement(session, measurement_id)])[0]


@router.post("/{measurement_id:" + SIGNED_ID + "}/corrections", response_model=MeasurementResponse,
             status_code=status.HTTP_201_CREATED,
             responses={404: {"description": "Not found"}, 409: {"description": "Not the latest value"}})
def correct_measurement(measurement_id: MeasurementId, data: CorrectionCreate, session: SessionDep,
                        principal: ExporterPrincipal):
    """Correct a value: a new measurement supersedes it, with the reason, audited."""
    return _responses(session, [service.correct(session, measurement_id, data, principal)])[0]
