"""GET /api/health: liveness and database reachability, no auth."""

from __future__ import annotations

import logging

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import text

from . import SERVICE_NAME, __version__

log = logging.getLogger("tiemeasureflow")
router = APIRouter(tags=["health"])


class Health(BaseModel):
    """The health answer."""

    status: str
    service: str
    version: str
    database: str


class HealthUnavailable(Health):
    """The health answer when the database does not answer."""

    detail: str


@router.get("/health", response_model=Health,
            responses={503: {"model": HealthUnavailable, "description": "The database does not answer"}})
def health(request: Request):
    """Report that the server runs and whether its database answers."""
    try:
        with request.app.state.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:  # any driver error means "unavailable"
        log.warning("health check: database unavailable: %s", exc)
        body = HealthUnavailable(detail="Database unavailable", status="error", service=SERVICE_NAME,
                                 version=__version__, database="unavailable")
        return JSONResponse(body.model_dump(), status_code=503)
    return Health(status="ok", service=SERVICE_NAME, version=__version__, database="ok")
