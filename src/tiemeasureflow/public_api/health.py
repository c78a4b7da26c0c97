"""The health check HardPy expects: 200 with the body `{}` while the server and its database answer."""

from __future__ import annotations

import logging

from fastapi import Request
from fastapi.responses import JSONResponse
from sqlalchemy import text

log = logging.getLogger("tiemeasureflow")
HEALTH_RESPONSES = {
    200: {"description": "Healthy: the body is exactly `{}`", "content": {"application/json": {"example": {}}}},
    503: {"description": "The database does not answer"},
}


def health_answer(request: Request) -> JSONResponse:
    """`{}` with 200, or 503 when the database is unreachable."""
    try:
        with request.app.state.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:  # any driver error means "unavailable"
        log.warning("public health check: database unavailable: %s", exc)
        return JSONResponse({"detail": "Database unavailable"}, status_code=503)
    return JSONResponse({})
