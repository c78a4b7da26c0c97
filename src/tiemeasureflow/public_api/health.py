"""The health check HardPy expects: 200 with the body `{}` while the server and its database answer."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import JSONResponse

from ..health.probe import database_problem

HEALTH_RESPONSES = {
    200: {"description": "Healthy: the body is exactly `{}`", "content": {"application/json": {"example": {}}}},
    503: {"description": "The database does not answer"},
}


async def health_answer(request: Request) -> JSONResponse:
    """`{}` with 200, or 503 when the database is unreachable (or its disk full)."""
    problem = await database_problem(request.app)
    if problem is not None:
        return JSONResponse({"detail": problem}, status_code=503)
    return JSONResponse({})
