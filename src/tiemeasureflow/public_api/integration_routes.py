"""/integration/api/v1: the read-only, StandCloud-compatible public API (integration keys only)."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request, Response
from pydantic import TypeAdapter

from ..auth.deps import ReadSessionDep, SettingsDep
from . import service
from .auth import integration_principal
from .filters import RunFilters, dut_list_filters, run_list_filters
from .health import HEALTH_RESPONSES, health_answer
from .paging import PAGING_HEADERS, page_params, paging_headers, resolve_page
from .schemas import FailedCase, TestedDut, TestRun

PREFIX = "/integration/api/v1"
TAG = "StandCloud-compatible public API"
ERRORS = {
    401: {"description": "Missing, unknown or revoked key, or not an integration key"},
    422: {"description": "A documented parameter has a bad value (or the cursor is not one of ours)"},
    429: {"description": "Rate limit exceeded; see Retry-After"},
}
LIST_RESPONSES = {200: {"description": "A JSON array; paging in the headers", "headers": PAGING_HEADERS}}
DUT_INFO_NOTE = (
    "\n\nAny query parameter not listed here filters on that key of `dut_info` (exact text match; repeat a "
    "parameter to match any of several values), e.g. `?firmware_version=1.2.3`. Several keys combine with AND."
)

# A page is validated and written to JSON in one pass by pydantic's core; the route's response_model
# still documents it. FastAPI's own path (validate, to Python, json.dumps) costs several times more.
RUN_PAGE = TypeAdapter(list[TestRun])
DUT_PAGE = TypeAdapter(list[TestedDut])

RunId = Annotated[uuid.UUID, Path(description="The run's id (`test_run_id`)")]
Paging = Annotated[dict[str, Any], Depends(page_params)]

# Public: load balancers and HardPy call the health check without a key.
public_router = APIRouter(prefix=PREFIX, tags=[TAG])
router = APIRouter(prefix=PREFIX, tags=[TAG], responses=ERRORS, dependencies=[Depends(integration_principal)])


@public_router.get("/healthcheck", responses=HEALTH_RESPONSES)
async def healthcheck(request: Request):
    """Answer `{}` while the server and its database work."""
    return await health_answer(request)


@router.get("/test_run", response_model=list[TestRun], responses=LIST_RESPONSES,
            description="Runs measured at stations and runs uploaded by HardPy stands, finished or aborted "
                        "(in-progress runs appear once they end), ordered by start time then id." + DUT_INFO_NOTE)
def list_test_runs(request: Request, session: ReadSessionDep, settings: SettingsDep,
                   filters: Annotated[RunFilters, Depends(run_list_filters)], paging: Paging):
    """List test runs."""
    page = service.list_runs(session, filters, resolve_page(paging, "test_run", uuid.UUID))
    return _page_response(request, settings, page, RUN_PAGE)


@router.get("/test_run/{test_run_id}", response_model=TestRun, responses={404: {"description": "No such run"}})
def get_test_run(test_run_id: RunId, session: ReadSessionDep):
    """Read one test run."""
    return service.get_run(session, test_run_id)


@router.get("/test_run/{test_run_id}/failed_case", response_model=list[FailedCase],
            responses={404: {"description": "No such run"}},
            description="Station runs: every characteristic whose current value (after corrections) is out of "
                        "tolerance, with its value, limits and a readable `assertion_msg`. HardPy runs: the "
                        "cases that failed, with their measurements. An empty array when nothing failed.")
def list_failed_cases(test_run_id: RunId, session: ReadSessionDep):
    """List the failed cases of a test run."""
    return service.failed_cases(session, test_run_id)


@router.get("/tested_dut", response_model=list[TestedDut], responses=LIST_RESPONSES,
            description="One entry per device (part number + serial number): its last run, with `attempt_count` "
                        "runs in all. Filters other than `attempt_count` apply to that last run; a device whose "
                        "last run is still in progress is left out until it ends." + DUT_INFO_NOTE)
def list_tested_duts(request: Request, session: ReadSessionDep, settings: SettingsDep,
                     filters: Annotated[RunFilters, Depends(dut_list_filters)], paging: Paging):
    """List tested devices."""
    page = service.list_tested_duts(session, filters, resolve_page(paging, "tested_dut", int))
    return _page_response(request, settings, page, DUT_PAGE)


def _page_response(request: Request, settings, page: service.ListPage, adapter: TypeAdapter) -> Response:
    headers = paging_headers(request, page.total, page.next_cursor, settings.trusted_proxy_networks)
    body = adapter.dump_json(adapter.validate_python(page.items))
    return Response(content=body, media_type="application/json", headers=headers)
