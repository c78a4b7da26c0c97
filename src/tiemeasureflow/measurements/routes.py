"""/api/measurements: the reference's list and CSV export, XLSX export, one value (writes: runs/measurement_routes.py).

Measurements are insert-only: no route updates or deletes one (PUT, PATCH and DELETE get 405).
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import StreamingResponse

from ..auth.deps import ExporterPrincipal, MetrologistPrincipal, SessionDep, current_principal
from ..kit.schemas import ID_MAX, SIGNED_ID
from . import export, queries, readable
from .query_params import FiltersDep
from .schemas import MeasurementId, MeasurementListResponse, MeasurementResponse

router = APIRouter(prefix="/measurements", tags=["measurements"], dependencies=[Depends(current_principal)])
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LayoutQuery = Annotated[Literal["reference", "readable"], Query(
    description="reference: the reference's columns with ids; readable: names, limits, local and UTC time")]


SHIFT_NOT_FOUND = {404: {"description": "Shift not found (shift_id)"}}


@router.get("/", response_model=MeasurementListResponse, responses=SHIFT_NOT_FOUND)
def list_measurements(
    session: SessionDep, _: MetrologistPrincipal, filters: FiltersDep,
    page: Annotated[int, Query(ge=1, le=ID_MAX)] = 1, per_page: Annotated[int, Query(ge=1, le=500)] = 50,
):
    """Query measurements, newest first (latest values unless include_superseded=true)."""
    found = queries.page_of_measurements(session, queries.with_shift(session, filters), page, per_page)
    return found | {"items": readable.with_names_of(session, found["items"])}


@router.get("/export/csv", response_class=StreamingResponse,
            responses={200: {"content": {"text/csv": {}}, "description": "The CSV file, streamed"}, **SHIFT_NOT_FOUND})
def export_csv(request: Request, session: SessionDep, _: ExporterPrincipal, filters: FiltersDep,
               bom: Annotated[bool, Query(description="Start with a UTF-8 BOM (for Excel)")] = False,
               layout: LayoutQuery = "reference"):
    """Export the filtered measurements as CSV with the configured delimiter and decimal separator."""
    filename = export.export_filename(session, filters, "csv")
    filters = queries.with_shift(session, filters)
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
    filters = queries.with_shift(session, filters)
    return StreamingResponse(export.iter_xlsx(request.app.state.sessionmaker, filters, layout), media_type=XLSX_TYPE,
                             headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@router.get("/{measurement_id:" + SIGNED_ID + "}", response_model=MeasurementResponse, responses={404: {"description": "Not found"}})
def get_measurement(measurement_id: MeasurementId, session: SessionDep, _: ExporterPrincipal):
    """Read one measurement, with what it supersedes and what superseded it."""
    return queries.responses(session, [queries.one_measurement(session, measurement_id)])[0]
