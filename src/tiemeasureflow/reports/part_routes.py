"""/api/runs/{id}/report.pdf: the per-part inspection report (MeasurementTec or Metrologist)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Depends
from fastapi.responses import Response

from ..auth.deps import CurrentPrincipal, ReadSessionDep, SettingsDep, require_roles
from .part_pdf import render_part_report
from .part_source import part_report

router = APIRouter(prefix="/runs", tags=["reports"],
                   dependencies=[Depends(require_roles("MeasurementTec", "Metrologist"))])
RESPONSES = {
    200: {"content": {"application/pdf": {}}, "description": "The PDF file, inline"},
    403: {"description": "MeasurementTec or Metrologist role required"},
    404: {"description": "Run not found"},
}


@router.get("/{run_id:uuid}/report.pdf", response_class=Response, responses=RESPONSES)
def run_report(run_id: uuid.UUID, session: ReadSessionDep, settings: SettingsDep, principal: CurrentPrincipal):
    """Download one part's inspection report (PDF): every characteristic, corrections and the drawing."""
    report = part_report(session, settings, principal, run_id)
    pdf = render_part_report(report, settings.resolved_upload_dir)
    name = f"inspection_{report.part_number}_{report.serial}.pdf"
    safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in name)
    return Response(pdf, media_type="application/pdf", headers={"Content-Disposition": f'inline; filename="{safe}"'})
