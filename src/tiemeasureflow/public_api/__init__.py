"""The StandCloud-compatible public API (/integration/api/v1) and HardPy report uploads (/hardpy/api/v1)."""

from __future__ import annotations

from fastapi import FastAPI

from . import integration_routes, openapi, stand_read_routes, stand_routes


def install(app: FastAPI) -> None:
    """Add both APIs; the public one has its own OpenAPI document instead of a place in /api/docs."""
    for router in (integration_routes.public_router, integration_routes.router, openapi.docs_router):
        app.include_router(router, include_in_schema=False)
    app.include_router(stand_routes.public_router)
    app.include_router(stand_routes.router)
    app.include_router(stand_read_routes.router, include_in_schema=False)
