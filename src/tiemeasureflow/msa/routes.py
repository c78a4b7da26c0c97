"""/api/msa/studies: gauge R&R, type-1 and linearity studies, their readings and their PDF report."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, status
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from sqlalchemy import select

from ..auth.deps import CurrentPrincipal, SessionDep, SettingsDep, current_principal
from ..gauges.schemas import CODE_PATTERN
from ..gauges.service import with_state
from ..identity.principal import Principal
from ..kit.errors import Conflict, Forbidden, NotFound
from ..kit.schemas import ID_MAX, Page
from ..models import Gauge
from ..reports.context import report_context
from . import charts, service
from .report import render_study_report
from .schemas import ReadingCreate, StudyCreate, StudyKind, StudyResponse, StudySummary

router = APIRouter(prefix="/msa/studies", tags=["msa"], dependencies=[Depends(current_principal)])
StudyId = Annotated[int, Path(ge=1, le=ID_MAX)]
NOT_FOUND = {404: {"description": "Study not found"}}


def metrologist(principal: CurrentPrincipal) -> Principal:
    """Administrators and metrologists set studies up."""
    user = principal.user
    if user is None or not (user.is_admin or user.has_any_role("Metrologist")):
        raise Forbidden("Admin or Metrologist role required")
    return principal


def appraiser(principal: CurrentPrincipal) -> Principal:
    """Operators, metrologists and administrators enter readings."""
    user = principal.user
    if user is None or not (user.is_admin or user.has_any_role("Metrologist", "MeasurementTec")):
        raise Forbidden("MeasurementTec, Metrologist or Admin role required")
    return principal


@router.post("", response_model=StudyResponse, status_code=status.HTTP_201_CREATED, responses={
    404: {"description": "The gauge, recipe or subtask named is not there"},
    409: {"description": "The readings or the plan cannot make the study (unbalanced, too few, no variation)"}})
def create_study(data: StudyCreate, session: SessionDep, principal: Annotated[Principal, Depends(metrologist)]):
    """Create a study: with values it is computed at once; with a plan it collects readings at the station."""
    return service.detail(service.create_study(session, data, principal.actor))


@router.get("", response_model=Page[StudySummary])
def list_studies(session: SessionDep, kind: StudyKind | None = None,
                 gauge_code: Annotated[str | None, Query(max_length=100, pattern=CODE_PATTERN)] = None,
                 page: Annotated[int, Query(ge=1, le=ID_MAX)] = 1,
                 per_page: Annotated[int, Query(ge=1, le=100)] = 20):
    """Studies, newest first, optionally of one kind or one gauge."""
    return service.list_studies(session, kind, gauge_code, page, per_page)


@router.get("/{study_id}", response_model=StudyResponse, responses=NOT_FOUND)
def get_study(study_id: StudyId, session: SessionDep):
    """One study with its readings and, once finished, both methods' results at the top level."""
    return service.detail(service.get_study(session, study_id))


@router.post("/{study_id}/readings", response_model=StudyResponse, responses={
    **NOT_FOUND, 409: {"description": "The study is finished, the slot is not in its order or was measured "
                                     "already, or the readings cannot make the study"}})
def add_reading(study_id: StudyId, data: ReadingCreate, session: SessionDep,
                principal: Annotated[Principal, Depends(appraiser)]):
    """Enter the value of one slot of the study's randomised order; the last one computes the results."""
    return service.detail(service.add_reading(session, study_id, data, principal.actor))


@router.get("/{study_id}/report", response_class=Response, responses={
    200: {"content": {"application/pdf": {}}, "description": "The PDF file, as an attachment"},
    **NOT_FOUND, 409: {"description": "The study is still collecting readings"}})
async def study_report(study_id: StudyId, session: SessionDep, settings: SettingsDep, principal: CurrentPrincipal):
    """Download the study's report (PDF): results of every method, the charts and a sign-off block."""
    study, gauge, context = await run_in_threadpool(_report_inputs, session, settings, principal, study_id)
    pdf = await run_in_threadpool(render_study_report, study, gauge, context)
    return Response(pdf, media_type="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="msa-study-{study_id}.pdf"'})


CHARTS = {"range": ("grr_crossed", lambda s: charts.range_chart_png(s["charts"])),
          "xbar": ("grr_crossed", lambda s: charts.mean_chart_png(s["charts"])),
          "interaction": ("grr_crossed", lambda s: charts.interaction_png(s["charts"])),
          "components": ("grr_crossed", lambda s: charts.components_png(s["anova"], s["average_range"])),
          "run": ("type1", lambda s: charts.run_chart_png(s["type1"])),
          "linearity": ("linearity", lambda s: charts.linearity_png(s["linearity"]))}


@router.get("/{study_id}/charts/{name}", response_class=Response, responses={
    200: {"content": {"image/png": {}}, "description": "The chart as a PNG image"},
    404: {"description": "Study not found, or no such chart for its kind"},
    409: {"description": "The study is still collecting readings"}})
async def study_chart(study_id: StudyId, name: Annotated[str, Path(pattern="^[a-z]{1,20}$")], session: SessionDep):
    """One chart of a finished study: range, xbar, interaction, components (R&R), run (type 1), linearity."""
    study = await run_in_threadpool(_finished, session, study_id)
    kind, draw = CHARTS.get(name, (None, None))
    if kind != study["kind"]:
        raise NotFound(f"No {name} chart for a {study['kind']} study")
    png = await run_in_threadpool(draw, study)
    return Response(png, media_type="image/png", headers={"Cache-Control": "private, max-age=300"})


def _finished(session, study_id: int) -> dict:
    """A finished study's detail; 409 while it is collecting."""
    study = service.get_study(session, study_id)
    if study.status != "finished":
        raise Conflict("The study is still collecting readings: there is nothing to report yet")
    return service.detail(study)


def _report_inputs(session, settings, principal, study_id: int):
    """The finished study, its gauge and the report context (409 while collecting)."""
    study = _finished(session, study_id)
    gauge = session.scalar(select(Gauge).where(Gauge.code == study["gauge_code"])) if study["gauge_code"] else None
    return (study, with_state(session, gauge) if gauge else None,
            report_context(session, settings, principal))
