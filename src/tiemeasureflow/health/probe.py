"""Whether the database answers in time (and, for SQLite, has room): the probes' one check."""

from __future__ import annotations

import asyncio
import logging
import shutil

from fastapi import FastAPI
from fastapi.concurrency import run_in_threadpool
from sqlalchemy import text

log = logging.getLogger("tiemeasureflow")
# Load balancers give up after a few seconds: answer 503 before they do, whatever the database does.
PROBE_TIMEOUT_S = 4.0


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
