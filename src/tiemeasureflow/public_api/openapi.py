"""The public API's own OpenAPI document and Swagger UI, showing only /integration/api/v1."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse, JSONResponse

from ..kit.docs_ui import swagger_page
from . import integration_routes
from .integration_routes import PREFIX

OPENAPI_PATH = f"{PREFIX}/openapi.json"
TITLE = "TieMeasureFlow public API (StandCloud-compatible)"
DESCRIPTION = """Read-only access to every run: parts measured at stations and reports uploaded by HardPy
test stands, in the form of StandCloud's public API v1.

**Authentication**: an integration key (`tmf keys create --kind integration`, or an admin through
`POST /api/integration-keys`) in the `X-API-KEY` header or as `Authorization: Bearer <key>`.
Users' session keys and stand keys are refused here (401).

**Paging**: lists answer a bare JSON array. `limit` (default 100, max 1000) and `offset`;
for deep paging pass back the `X-Next-Cursor` header as `cursor` (or follow `Link: <...>; rel="next"`),
which costs the same at any depth and never repeats or skips a run while new runs arrive.
`X-Total-Count` is the number of matches across all pages, counted on the first page of a walk and
carried by its cursor.

**Statuses**: `pass` (a pass with warnings has `marginal: true`), `fail`, `aborted`. Runs still in
progress are not shown until they end. Times are UTC with `Z`; `duration` is ISO 8601 (`PT12M34S`)
with `duration_seconds` beside it.
"""

# Served without a key so a browser can open the docs; the operations themselves need one.
docs_router = APIRouter(prefix=PREFIX, include_in_schema=False)


def build_document() -> dict[str, Any]:
    """The OpenAPI document of the public routes alone."""
    routes = [*integration_routes.public_router.routes, *integration_routes.router.routes]
    return get_openapi(title=TITLE, version="1", description=DESCRIPTION, routes=routes)


@docs_router.get("/openapi.json")
def public_openapi(request: Request):
    """The public API's OpenAPI document."""
    state = request.app.state
    if getattr(state, "public_openapi", None) is None:
        state.public_openapi = build_document()
    return JSONResponse(state.public_openapi)


@docs_router.get("/docs")
def public_docs() -> HTMLResponse:
    """Swagger UI for the public API."""
    return swagger_page(OPENAPI_PATH, TITLE)
