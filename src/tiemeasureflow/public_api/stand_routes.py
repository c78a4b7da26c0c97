"""/hardpy/api/v1: where HardPy stands upload their run reports (stand keys only)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request, status

from ..auth.deps import SessionDep
from . import uploads
from .auth import StandPrincipal, stand_principal
from .body import ReportBody, report_body
from .health import HEALTH_RESPONSES, health_answer
from .report_schemas import HardpyReportIn, inline_schema, parse_report
from .schemas import ReportAccepted

PREFIX = "/hardpy/api/v1"
ERRORS = {
    401: {"description": "Missing, unknown or revoked key, or not a stand key"},
    413: {"description": "The report is larger than HARDPY_MAX_REPORT_MB"},
    422: {"description": "Not JSON, or not a HardPy run report: `detail` says which field and why"},
    429: {"description": "Rate limit exceeded"},
}

# The health check is public: HardPy and load balancers call it before anything else.
public_router = APIRouter(prefix=PREFIX, tags=["HardPy stands"])
# The body is read before the key is checked so a slow stand never holds a database transaction open.
router = APIRouter(prefix=PREFIX, tags=["HardPy stands"], responses=ERRORS,
                   dependencies=[Depends(report_body), Depends(stand_principal)])


@public_router.get("/healthcheck", responses=HEALTH_RESPONSES)
async def healthcheck(request: Request):
    """Answer `{}` while the server and its database work."""
    return await health_answer(request)


@router.post(
    "/test_report", status_code=status.HTTP_201_CREATED, response_model=ReportAccepted,
    responses={409: {"description": "The report contradicts itself: neither start_time nor stop_time, or a measurement's type and value disagree"}},
    openapi_extra={"requestBody": {"required": True, "content": {"application/json": {
        "schema": inline_schema(HardpyReportIn)}}}},
)
def upload_test_report(body: ReportBody, session: SessionDep, stand: StandPrincipal):
    """Store a HardPy run report; the same report again answers 201 with the same test_run_id."""
    report, original = parse_report(body)
    return ReportAccepted(test_run_id=uploads.store_report(session, report, original, stand.key.id))
