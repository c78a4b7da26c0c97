"""/api/units: a device's whole history, found by part number and serial (MeasurementTec or Metrologist)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query

from ..auth.deps import SessionDep, require_roles
from . import service
from .schemas import UnitHistory, UnitItem

router = APIRouter(prefix="/units", tags=["units"],
                   dependencies=[Depends(require_roles("MeasurementTec", "Metrologist"))])
Text = dict(min_length=1, max_length=255, pattern=r"^[^\x00]+$")


@router.get("", response_model=list[UnitItem])
def find_units(session: SessionDep, serial_number: Annotated[str, Query(**Text)]):
    """Find the devices (part numbers) that carry a serial, most recently tested first."""
    return service.devices(session, serial_number)


@router.get("/{part_number}/{serial_number:path}", response_model=UnitHistory,
            responses={404: {"description": "No run of this part number and serial number"}})
def unit_history(session: SessionDep, part_number: Annotated[str, Path(**Text)],
                 serial_number: Annotated[str, Path(**Text)]):
    """Read one device's history: every run in time order with failures, corrections, alarms and FAIs."""
    return service.history(session, part_number, serial_number)
