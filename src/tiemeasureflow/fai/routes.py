"""/api/fai: first article inspections (AS9102 Rev C) and their Forms 1-3 as PDF and XLSX."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Response, status

from ..auth.deps import SessionDep, SettingsDep, current_principal, require_roles
from ..idempotency.service import IdempotencyDep, respond_once
from ..identity.principal import Principal
from ..kit.schemas import ID_MAX, Page
from ..measurements.schemas import IdQuery, TextQuery
from . import report, service
from .schemas import CharacteristicNote, FaiComplete, FaiCreate, FaiDetail, FaiSummary, FaiUpdate, Form2Entry, Form2Row

router = APIRouter(prefix="/fai", tags=["fai"], dependencies=[Depends(current_principal)])
WriterDep = Annotated[Principal, Depends(require_roles("Metrologist", "Maker"))]
FaiId = Annotated[int, Path(ge=1, le=ID_MAX)]
ERRORS = {403: {"description": "Metrologist or Maker role required"},
          404: {"description": "FAI, recipe, version, Form 2 row or characteristic not found"},
          409: {"description": "Conflicts with the FAI's or the version's state"}}
FILES = {200: {"content": {"application/pdf": {}, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {}},
               "description": "The report, as an attachment"}, 404: ERRORS[404]}


def _detail(session, fai) -> bytes:
    return FaiDetail.model_validate(service.detail(session, fai)).model_dump_json().encode()


@router.post("", response_model=FaiDetail, status_code=status.HTTP_201_CREATED, responses=ERRORS)
def open_fai(data: FaiCreate, session: SessionDep, principal: WriterDep, idem: IdempotencyDep):
    """Open an FAI for a released recipe version and a part serial, full or partial."""
    return respond_once(session, principal.user_id, idem, status.HTTP_201_CREATED,
                        lambda: _detail(session, service.open_fai(session, data, principal)))


@router.get("", response_model=Page[FaiSummary])
def list_fais(session: SessionDep, recipe_id: IdQuery = None, serial_number: TextQuery = None,
              status: Literal["open", "complete"] | None = None,
              page: Annotated[int, Query(ge=1, le=ID_MAX)] = 1, per_page: Annotated[int, Query(ge=1, le=100)] = 20):
    """List FAIs, newest first, by recipe, serial and status."""
    rows, total, pages = service.list_fais(session, recipe_id, serial_number, status, page, per_page)
    return {"items": [service.summary(session, fai) for fai in rows], "total": total, "page": page,
            "per_page": per_page, "pages": pages}


@router.get("/{fai_id}", response_model=FaiDetail, responses={404: ERRORS[404]})
def get_fai(fai_id: FaiId, session: SessionDep):
    """Read an FAI with its Form 1-3 content, linked runs and what keeps it open."""
    return service.detail(session, service.get_fai(session, fai_id))


@router.patch("/{fai_id}", response_model=FaiDetail, responses=ERRORS)
def update_fai(fai_id: FaiId, data: FaiUpdate, session: SessionDep, principal: WriterDep):
    """Change Form 1 fields (reason, work order, PO number, comments) of an open FAI."""
    return service.detail(session, service.update_fai(session, fai_id, data, principal))


@router.post("/{fai_id}/form2", response_model=Form2Row, status_code=status.HTTP_201_CREATED, responses=ERRORS)
def add_form2(fai_id: FaiId, data: Form2Entry, session: SessionDep, principal: WriterDep, idem: IdempotencyDep):
    """Add a Form 2 row: a material, special process or functional test."""

    def add() -> bytes:
        row = service.add_form2(session, fai_id, data, principal)
        return Form2Row.model_validate({"id": row.id, **{k: v or "" for k, v in data.model_dump().items()}}
                                       ).model_dump_json().encode()

    return respond_once(session, principal.user_id, idem, status.HTTP_201_CREATED, add)


@router.put("/{fai_id}/form2/{row_id}", response_model=Form2Row, responses=ERRORS)
def update_form2(fai_id: FaiId, row_id: Annotated[int, Path(ge=1, le=ID_MAX)], data: Form2Entry,
                 session: SessionDep, principal: WriterDep):
    """Replace a Form 2 row's fields."""
    service.update_form2(session, fai_id, row_id, data, principal)
    return {"id": row_id, **{k: v or "" for k, v in data.model_dump().items()}}


@router.delete("/{fai_id}/form2/{row_id}", status_code=status.HTTP_204_NO_CONTENT, responses=ERRORS)
def delete_form2(fai_id: FaiId, row_id: Annotated[int, Path(ge=1, le=ID_MAX)], session: SessionDep,
                 principal: WriterDep):
    """Remove a Form 2 row."""
    service.delete_form2(session, fai_id, row_id, principal)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.put("/{fai_id}/characteristics/{characteristic_id}", response_model=FaiDetail, responses=ERRORS)
def set_note(fai_id: FaiId, characteristic_id: Annotated[int, Path(ge=1, le=ID_MAX)], data: CharacteristicNote,
             session: SessionDep, principal: WriterDep):
    """Set a characteristic's nonconformance number and comment (Form 3 fields 11, 12)."""
    service.set_note(session, fai_id, characteristic_id, data, principal)
    return service.detail(session, service.get_fai(session, fai_id))


@router.post("/{fai_id}/complete", response_model=FaiDetail, responses=ERRORS)
def complete_fai(fai_id: FaiId, data: FaiComplete, session: SessionDep, principal: WriterDep):
    """Complete the FAI with an electronic signature (password re-entered, meaning)."""
    return service.detail(session, service.complete_fai(session, fai_id, data, principal))


@router.get("/{fai_id}/report.pdf", response_class=Response, responses=FILES)
def report_pdf(fai_id: FaiId, session: SessionDep, settings: SettingsDep):
    """Download the AS9102 Forms 1-3 with the ballooned drawing pages (PDF)."""
    name, body = report.pdf(session, settings, service.get_fai(session, fai_id))
    return Response(body, media_type="application/pdf", headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/{fai_id}/report.xlsx", response_class=Response, responses=FILES)
def report_xlsx(fai_id: FaiId, session: SessionDep):
    """Download the AS9102 Forms 1-3 as a workbook, one sheet per form (XLSX)."""
    name, body = report.xlsx(session, service.get_fai(session, fai_id))
    return Response(body, media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
