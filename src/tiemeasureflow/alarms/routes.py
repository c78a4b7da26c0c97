"""/api/alarms (read: any signed-in user; acknowledge: the authority) and /api/assignable-causes."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, status

from ..auth.deps import AdminPrincipal, CurrentPrincipal, SessionDep, current_principal
from ..kit.errors import ErrorResponse
from ..kit.schemas import ID_MAX, Page, UtcDateTime, paginate
from . import service
from .attention import Attention, attention
from .schemas import AcknowledgeRequest, AlarmResponse, CauseCreate, CauseResponse, CauseUpdate, StationHold

router = APIRouter(prefix="/alarms", tags=["alarms"], dependencies=[Depends(current_principal)])
causes_router = APIRouter(prefix="/assignable-causes", tags=["alarms"], dependencies=[Depends(current_principal)])

STATION_CODE = r"^[A-Za-z0-9._-]+$"  # as station codes are made
AlarmId = Annotated[int, Path(ge=1, le=ID_MAX)]
NOT_FOUND = {404: {"model": ErrorResponse, "description": "Alarm not found"}}


@router.get("", response_model=Page[AlarmResponse])
def list_alarms(
    session: SessionDep,
    status_: Annotated[Literal["open", "acknowledged"] | None, Query(alias="status")] = None,
    recipe_id: Annotated[int | None, Query(ge=1, le=ID_MAX)] = None,
    subtask_id: Annotated[int | None, Query(ge=1, le=ID_MAX)] = None,
    kind: Literal["tolerance", "rule", "capability"] | None = None,
    station_code: Annotated[str | None, Query(max_length=100, pattern=STATION_CODE)] = None,
    date_from: UtcDateTime | None = None,
    date_to: UtcDateTime | None = None,
    page: Annotated[int, Query(ge=1, le=ID_MAX)] = 1,
    per_page: Annotated[int, Query(ge=1, le=100)] = 20,
):
    """Alarms, newest first, filtered by status, recipe, characteristic (subtask), kind, station and time."""
    stmt = service.list_alarms(status=status_, recipe_id=recipe_id, subtask_id=subtask_id, kind=kind,
                               station_code=station_code, date_from=date_from, date_to=date_to)
    rows, total, pages = paginate(session, stmt, page, per_page)
    items = [service.response(session, alarm) for alarm in rows]
    return Page[AlarmResponse](items=items, total=total, page=page, per_page=per_page, pages=pages)


@router.get("/station-hold", response_model=StationHold, responses={
    404: {"model": ErrorResponse, "description": "Station not found"}})
def station_hold(session: SessionDep, station_code: Annotated[str, Query(min_length=1, max_length=100, pattern=STATION_CODE)],
                 recipe_id: Annotated[int, Query(ge=1, le=ID_MAX)]):
    """Whether the station must stop new parts of the recipe, with the open alarms it must show."""
    stopped, alarms = service.station_hold(session, station_code, recipe_id)
    return StationHold(station_code=station_code, recipe_id=recipe_id, stopped=stopped,
                       alarms=[service.response(session, a) for a in alarms])


@router.get("/{alarm_id}", response_model=AlarmResponse, responses=NOT_FOUND)
def get_alarm(alarm_id: AlarmId, session: SessionDep):
    """One alarm with its measurements, run, station, operator and acknowledgement."""
    return service.response(session, service.get_alarm(session, alarm_id))


@router.post("/{alarm_id}/acknowledge", response_model=AlarmResponse, responses={
    **NOT_FOUND, 409: {"model": ErrorResponse, "description": "Alarm already acknowledged"}})
def acknowledge(alarm_id: AlarmId, data: AcknowledgeRequest, session: SessionDep, principal: CurrentPrincipal):
    """Close an alarm with an assignable cause, the action taken and a note (Metrologist or admin)."""
    return service.response(session, service.acknowledge(session, alarm_id, data, principal))


@causes_router.get("", response_model=list[CauseResponse])
def list_causes(session: SessionDep, active_only: bool = False):
    """The assignable-cause catalog, by code."""
    return service.list_causes(session, active_only)


@causes_router.post("", response_model=CauseResponse, status_code=status.HTTP_201_CREATED, responses={
    409: {"model": ErrorResponse, "description": "A cause with that code exists"}})
def create_cause(data: CauseCreate, session: SessionDep, admin: AdminPrincipal):
    """Add an assignable cause (admin)."""
    return service.create_cause(session, data, admin)


@causes_router.patch("/{cause_id}", response_model=CauseResponse, responses={
    404: {"model": ErrorResponse, "description": "Assignable cause not found"}})
def update_cause(cause_id: Annotated[int, Path(ge=1, le=ID_MAX)], data: CauseUpdate, session: SessionDep,
                 admin: AdminPrincipal):
    """Rename, describe, retire or reactivate an assignable cause (admin); its code never changes."""
    return service.update_cause(session, cause_id, data, admin)


attention_router = APIRouter(prefix="/statistics", tags=["statistics"], dependencies=[Depends(current_principal)])


@attention_router.get("/attention", response_model=Attention)
def needs_attention(session: SessionDep, recent_days: Annotated[int, Query(ge=1, le=365)] = 14,
                    baseline_days: Annotated[int, Query(ge=1, le=3650)] = 60,
                    limit: Annotated[int, Query(ge=1, le=200)] = 20):
    """Characteristics ranked by open alarms, rising out-of-tolerance rate, Cpk below target and drift."""
    return attention(session, recent_days, baseline_days, limit)
