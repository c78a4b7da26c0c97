"""/api/shifts: shifts by local time of day (admin writes, any signed-in user reads)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Response

from ..auth.deps import AdminPrincipal, SessionDep, current_principal
from ..kit.schemas import ID_MAX
from . import service
from .schemas import ShiftCreate, ShiftResponse, ShiftUpdate

router = APIRouter(prefix="/shifts", tags=["shifts"], dependencies=[Depends(current_principal)])
ShiftId = Annotated[int, Path(ge=1, le=ID_MAX)]
NOT_FOUND = {404: {"description": "Shift not found"}}
CONFLICT = {409: {"description": "A shift with that name exists"}}


@router.get("", response_model=list[ShiftResponse])
def list_shifts(session: SessionDep):
    """Every shift in start order, with the plant time zone."""
    return service.list_shifts(session)


@router.post("", response_model=ShiftResponse, status_code=201, responses=CONFLICT)
def create_shift(data: ShiftCreate, session: SessionDep, admin: AdminPrincipal):
    """Define a shift by local start and end time (HH:MM)."""
    return service.create_shift(session, data, admin.actor)


@router.put("/{shift_id}", response_model=ShiftResponse, responses={**NOT_FOUND, **CONFLICT})
def update_shift(shift_id: ShiftId, data: ShiftUpdate, session: SessionDep, admin: AdminPrincipal):
    """Rename a shift or change its times."""
    return service.update_shift(session, shift_id, data, admin.actor)


@router.delete("/{shift_id}", status_code=204, responses=NOT_FOUND)
def delete_shift(shift_id: ShiftId, session: SessionDep, admin: AdminPrincipal):
    """Delete a shift."""
    service.delete_shift(session, shift_id, admin.actor)
    return Response(status_code=204)
