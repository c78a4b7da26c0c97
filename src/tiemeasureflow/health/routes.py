"""GET /api/health: liveness, database reachability and (SQLite) free disk space, no auth."""

from __future__ import annotations

import asyncio
import logging
import shutil

from fastapi import APIRouter, FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import text

from .. import SERVICE_NAME, __version__

log = logging.getLogger("tiemeasureflow")
router = APIRouter(tags=["health"])
# Load balancers give up after a few seconds: answer 503 before they do, whatever the database does.
PROBE_TIMEOUT_S = 4.0


class Health(BaseModel):
    """The health answer."""

    status: str
    service: str
    version: str
    database: str


class HealthUnavailable(Health):
    """The health answer when the database does not answer or its disk is full."""

    detail: str


def _select_one(app: FastAPI) -> None:
    with app.state.engine.connect() as conn:
        conn.execute(text("SELECT 1"))


async def database_problem(app: FastAPI) -> str | None:
    """None while the database answers (and, for SQLite, its disk has room); else what is wrong."""
    try:
        await asyncio.wait_for(run_in_threadpool(_select_one, app), PROBE_TIMEOUT_S)
    except TimeoutError:
        log.warning("health check: database did not answer within %s s", PROBE_TIMEOUT_S)
        return "Database unavailable"
    except Exception as exc:  # any driver error means "unavailable"
        log.warning("health check: database unavailable: %s", exc)
        return "Database unavailable"
    settings = app.state.settings
    if settings.sqlite_path is not None:
        free_mb = shutil.disk_usage(settings.sqlite_path.parent).free // (1024 * 1024)
        if free_mb < settings.health_min_free_mb:
            log.warning("health check: %s MiB free beside the database, below HEALTH_MIN_FREE_MB=%s",
                        free_mb, settings.health_min_free_mb)
            return "Database disk full"
    return None


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
