"""QIF exports of runs and recipe versions, beside the runs and recipes they describe."""

from __future__ import annotations

import re
import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Path
from fastapi.responses import Response

from ..auth.deps import ExporterPrincipal, SessionDep, current_principal
from ..measurements.query_params import FiltersDep
from ..recipes.schemas import MAX_ID
from . import dfq_export, exporting

QIF_TYPE = "application/xml"
QIF_RESPONSE = {200: {"content": {QIF_TYPE: {}}, "description": "The QIF 3.0 document"},
                404: {"description": "Not found"}}
runs_router = APIRouter(prefix="/runs", tags=["imports"], dependencies=[Depends(current_principal)])
recipes_router = APIRouter(prefix="/recipes", tags=["imports"], dependencies=[Depends(current_principal)])
measurements_router = APIRouter(prefix="/measurements", tags=["imports"], dependencies=[Depends(current_principal)])
DFQ_RESPONSE = {200: {"content": {"text/plain": {}}, "description": "The AQDEF DFQ file"},
                409: {"description": "No measurement matches, or the values belong to several recipes"}}


def _download(name: str, body: bytes, media_type: str = QIF_TYPE) -> Response:
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", name)
    return Response(body, media_type=media_type, headers={"Content-Disposition": f'attachment; filename="{safe}"'})


@runs_router.get("/{run_id:uuid}/qif", response_class=Response, responses=QIF_RESPONSE)
def run_qif(run_id: uuid.UUID, session: SessionDep, _: ExporterPrincipal):
    """Export a run's current values with its plan as a QIF 3.0 results document."""
    return _download(*exporting.run_qif(session, run_id))


@recipes_router.get("/{recipe_id:int}/versions/{version_number:int}/qif", response_class=Response,
                    responses=QIF_RESPONSE)
def version_qif(recipe_id: Annotated[int, Path(ge=1, le=MAX_ID)], version_number: Annotated[int, Path(ge=1, le=MAX_ID)],
                session: SessionDep, _: ExporterPrincipal):
    """Export a recipe version's characteristics as a QIF 3.0 plan document."""
    return _download(*exporting.version_qif(session, recipe_id, version_number))


@measurements_router.get("/export/dfq", response_class=Response, responses=DFQ_RESPONSE)
def export_dfq(session: SessionDep, _: ExporterPrincipal, filters: FiltersDep):
    """Export the filtered measurements of one recipe as an AQDEF (Q-DAS) DFQ file."""
    return _download(*dfq_export.export_dfq(session, filters), media_type="text/plain; charset=utf-8")
