"""/hardpy/api/v1 reads: a stand (key or signed-in token) reads what /integration/api/v1 serves, the same way."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from . import integration_routes as reads
from .auth import stand_principal
from .stand_routes import PREFIX

ERRORS = {
    401: {"description": "Missing, unknown, expired or revoked key or token, or not a stand's"},
    422: {"description": "A documented parameter has a bad value (or the cursor is not one of ours)"},
    429: {"description": "Rate limit exceeded; see Retry-After"},
}

router = APIRouter(prefix=PREFIX, tags=["HardPy stands"], responses=ERRORS, dependencies=[Depends(stand_principal)])
# Same functions, same filters and paging: only the credential differs.
for route in reads.router.routes:
    router.add_api_route(route.path[len(reads.PREFIX):], route.endpoint, methods=list(route.methods),
                         response_model=route.response_model, responses=route.responses,
                         description=route.description, summary=route.summary, name=f"stand_{route.name}")
