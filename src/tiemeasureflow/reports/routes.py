"""/api/reports: SPC and measurement-table PDF reports (Metrologist)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from ..auth.deps import MetrologistPrincipal, ReadSessionDep, SettingsDep, require_roles
from ..statistics.chart_options import Grouping, check_constants, grouping_parameters
from ..statistics.query_params import CharacteristicFilters, DistributionQuery, SummaryFilters
from ..statistics.schemas import RuleSet
from . import service
from .drift_extras import ReportExtras, report_extras

router = APIRouter(prefix="/reports", tags=["reports"], dependencies=[Depends(require_roles("Metrologist"))])
PDF_RESPONSES = {
    200: {"content": {"application/pdf": {}}, "description": "The PDF file, as an attachment"},
    403: {"description": "Metrologist role required"},
    404: {"description": "Recipe, subtask, version or station not found, or no measurement matches the filters"},
    422: {"description": "Invalid parameters"},
    500: {"description": "Report generation failed"},
}


def pdf_response(filename: str, pdf: bytes) -> Response:
    """The PDF as a download."""
    return Response(pdf, media_type="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@router.get("/spc", response_class=Response, responses={**PDF_RESPONSES, 409: {
    "description": "An EWMA/CUSUM page without target or sigma that the selection cannot give, an attribute "
                   "page by shift without shifts, or a subgroup by run, lot, part or window of more than 25 values"}})
def spc_report(
    session: ReadSessionDep, settings: SettingsDep, principal: MetrologistPrincipal, filters: CharacteristicFilters,
    chart: Literal["imr", "xbar_r", "xbar_s"] = "imr",
    subgroup_size: Annotated[int | None, Query(ge=1, le=25, description="2..25 for X-bar charts")] = None,
    rules: Annotated[RuleSet, Query(description="Western Electric 1-4 or Nelson 1-8")] = "we",
    n_bins: Annotated[int, Query(ge=5, le=100, description="Histogram bins")] = 20,
    extras: Annotated[ReportExtras, Depends(report_extras)] = None,
    distribution: DistributionQuery = "normal",
    grouping: Annotated[Grouping, Depends(grouping_parameters)] = None,
):
    """Download the SPC report (PDF) of one characteristic."""
    check_constants(chart, subgroup_size, "exact")
    return pdf_response(*service.spc_report(session, settings, principal, filters, chart, subgroup_size, rules,
                                            n_bins, extras, distribution, grouping))


@router.get("/measurements", response_class=Response, responses=PDF_RESPONSES)
def measurements_report(
    session: ReadSessionDep, settings: SettingsDep, principal: MetrologistPrincipal, filters: SummaryFilters,
    detail: Annotated[bool, Query(description="Add the detailed table of measurements")] = False,
    detail_rows: Annotated[int, Query(ge=1, le=service.MAX_DETAIL_ROWS,
                                      description="Most rows of the detailed table (first in time order)")]
    = service.MAX_DETAIL_ROWS,
):
    """Download the measurement report (PDF): counts and a summary per characteristic, optionally the table."""
    return pdf_response(*service.measurements_report(session, settings, principal, filters, detail, detail_rows))
