"""GET /api/health: liveness, database reachability and (SQLite) free disk space, no auth."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from .. import SERVICE_NAME, __version__
from .probe import database_problem

router = APIRouter(tags=["health"])


class Health(BaseModel):
    """The health answer."""

    status: str
    service: str
    version: str
    database: str


class HealthUnavailable(Health):
    """The health answer when the database does not answer or its disk is full."""

    detail: str


@router.get("/health", response_model=Health,
            responses={503: {"model": HealthUnavailable, "description": "The database does not answer or its disk is full"}})
async def health(request: Request):
    """Report that the server runs and whether its database answers."""
    problem = await database_problem(request.app)
    if problem is not None:
        body = HealthUnavailable(detail=problem, status="error", service=SERVICE_NAME,
                                 version=__version__, database="unavailable")
        return JSONResponse(body.model_dump(), status_code=503)
    return Health(status="ok", service=SERVICE_NAME, version=__version__, database="ok")
