"""/api/measurements writes: the reference's create and batch, and corrections, each stored in a run.

Measurements are insert-only: no route updates or deletes one (PUT, PATCH and DELETE get 405).
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, status
from pydantic import TypeAdapter

from ..auth.deps import ExporterPrincipal, OperatorPrincipal, SessionDep, current_principal
from ..idempotency.service import IdempotencyDep, respond_once
from ..kit.schemas import SIGNED_ID
from ..measurements.queries import fresh_responses
from ..measurements.queries import responses as _responses
from ..measurements.schemas import (
    CorrectionCreate,
    MeasurementBatch,
    MeasurementCreate,
    MeasurementId,
    MeasurementResponse,
)
from . import measurement_writes as service

router = APIRouter(prefix="/measurements", tags=["measurements"], dependencies=[Depends(current_principal)])
WRITE_ERRORS = {400: {"description": "Subtask not in the version, or the version cannot start a run "
                            "(a batch names the item)"},
                403: {"description": "MeasurementTec role required"},
                404: {"description": "Recipe version not found (a batch names the item)"},
                409: {"description": "The gauge is overdue, blocked or not in service, or not what the "
                                    "characteristic's gauge rule asks for (a batch names the item)"}}
_MEASUREMENT_LIST = TypeAdapter(list[MeasurementResponse])
_MEASUREMENT = TypeAdapter(MeasurementResponse)


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
        fresh_responses(session, service.create_batch(session, data, principal))))


@router.post("/{measurement_id:" + SIGNED_ID + "}/corrections", response_model=MeasurementResponse,
             status_code=status.HTTP_201_CREATED,
             responses={404: {"description": "Not found"}, 409: {"description": "Not the latest value"}})
def correct_measurement(measurement_id: MeasurementId, data: CorrectionCreate, session: SessionDep,
                        principal: ExporterPrincipal):
    """Correct a value: a new measurement supersedes it, with the reason, audited."""
    return _responses(session, [service.correct(session, measurement_id, data, principal)])[0]
