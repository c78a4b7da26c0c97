"""/api/gauges: the gauge register (Admin and Metrologist write, every signed-in user reads); gauge rules."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, status

from ..auth.deps import CurrentPrincipal, SessionDep, current_principal
from ..identity.principal import Principal
from ..kit.errors import Forbidden
from ..kit.schemas import ID_MAX
from . import rules, service
from .schemas import (
    CODE_PATTERN,
    CalibrationCreate,
    CalibrationResponse,
    GaugeCreate,
    GaugeDetail,
    GaugeResponse,
    GaugeRuleResponse,
    GaugeRuleUpdate,
    GaugeStatus,
    GaugeUpdate,
)

router = APIRouter(prefix="/gauges", tags=["gauges"], dependencies=[Depends(current_principal)])
rules_router = APIRouter(prefix="/characteristics", tags=["gauges"], dependencies=[Depends(current_principal)])
Code = Annotated[str, Path(min_length=1, max_length=100, pattern=CODE_PATTERN)]
CharacteristicId = Annotated[int, Path(ge=1, le=ID_MAX)]
NOT_FOUND = {404: {"description": "Gauge not found"}}


def gauge_writer(principal: CurrentPrincipal) -> Principal:
    """Administrators and metrologists."""
    user = principal.user
    if user is None or not (user.is_admin or user.has_any_role("Metrologist")):
        raise Forbidden("Admin or Metrologist role required")
    return principal


WriterDep = Annotated[Principal, Depends(gauge_writer)]


@router.get("", response_model=list[GaugeResponse])
def list_gauges(session: SessionDep, status_: Annotated[GaugeStatus | None, Query(alias="status")] = None,
                kind: Annotated[str | None, Query(max_length=50, pattern=r"^[^\x00]*$")] = None,
                station_id: Annotated[int | None, Query(ge=1, le=ID_MAX)] = None):
    """Every gauge by code, with its calibration state today."""
    return service.list_gauges(session, status_, kind, station_id)


@router.post("", response_model=GaugeResponse, status_code=status.HTTP_201_CREATED,
             responses={404: {"description": "Station not found"},
                        409: {"description": "A gauge with that code already exists"}})
def create_gauge(data: GaugeCreate, session: SessionDep, principal: WriterDep):
    """Register a gauge (the due date is derived from the last calibration and the interval unless given)."""
    gauge = service.create_gauge(session, data, principal.actor)
    return service.with_state(session, gauge)


@router.get("/{code}", response_model=GaugeDetail, responses=NOT_FOUND)
def get_gauge(code: Code, session: SessionDep):
    """One gauge with its calibration history and its state today."""
    gauge = service.get_gauge(session, code)
    return {**service.with_state(session, gauge), "calibrations": gauge.calibrations}


@router.patch("/{code}", response_model=GaugeResponse, responses={404: {"description": "Gauge or station not found"}})
def update_gauge(code: Code, data: GaugeUpdate, session: SessionDep, principal: WriterDep):
    """Change a gauge's fields (never its code)."""
    gauge = service.update_gauge(session, code, data, principal.actor)
    return service.with_state(session, gauge)


@router.get("/{code}/calibrations", response_model=list[CalibrationResponse], responses=NOT_FOUND)
def list_calibrations(code: Code, session: SessionDep):
    """The gauge's calibration history, newest first."""
    return service.get_gauge(session, code).calibrations


@router.post("/{code}/calibrations", response_model=CalibrationResponse, status_code=status.HTTP_201_CREATED,
             responses={404: {"description": "Gauge or certificate file not found"},
                        409: {"description": "calibrated_on is after today"}})
def add_calibration(code: Code, data: CalibrationCreate, session: SessionDep, principal: WriterDep):
    """Record a calibration: the latest one sets the due date; a failed one blocks the gauge."""
    return service.add_calibration(session, code, data, principal.actor)


@rules_router.get("/{characteristic_id}/gauge-rule", response_model=GaugeRuleResponse,
                  responses={404: {"description": "Characteristic not found"}})
def get_gauge_rule(characteristic_id: CharacteristicId, session: SessionDep):
    """Whether the characteristic must be measured with a gauge, and which kinds."""
    return rules.get_rule(session, characteristic_id)


@rules_router.put("/{characteristic_id}/gauge-rule", response_model=GaugeRuleResponse,
                  responses={404: {"description": "Characteristic not found"}})
def put_gauge_rule(characteristic_id: CharacteristicId, data: GaugeRuleUpdate, session: SessionDep,
                   principal: WriterDep):
    """Require a gauge for the characteristic and name the allowed kinds (empty list: any kind)."""
    return rules.put_rule(session, characteristic_id, data, principal.actor)
