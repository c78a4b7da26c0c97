"""/api/imports: QIF and AQDEF files from measuring machines become judged runs (or a draft plan)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, UploadFile

from ..auth.deps import SessionDep, current_principal, require_roles
from ..auth.principal import Principal
from ..errors import Forbidden
from ..files.guard import UploadLimitRoute
from ..idempotency import IdempotencyDep, respond_once
from ..recipes.schemas import CODE_PATTERN, MAX_ID
from . import service
from .document import PLAN
from .schemas import ImportResult

ImporterPrincipal = Annotated[Principal, Depends(require_roles("MeasurementTec", "Metrologist", "Maker"))]
router = APIRouter(prefix="/imports", tags=["imports"], dependencies=[Depends(current_principal)],
                   route_class=UploadLimitRoute)
ERRORS = {403: {"description": "MeasurementTec, Metrologist or Maker role required (Maker for a plan)"},
          404: {"description": "The named recipe or station does not exist"},
          409: {"description": "The recipe is inactive, or already has an open draft (plan import)"}}
RecipeIdField = Annotated[int | None, Form(ge=1, le=MAX_ID, description="Land on this recipe")]
RecipeCodeField = Annotated[str | None, Form(pattern=CODE_PATTERN, description="Land on the recipe with this code")]
StationField = Annotated[str | None, Form(pattern=r"^[A-Za-z0-9._-]{1,50}$",
                                          description="The measuring station (the CMM) the runs belong to")]


def _run(session, principal: Principal, idem, fmt: str, upload: UploadFile, content: bytes,
         recipe_id: int | None, recipe_code: str | None, station_code: str | None):
    request = service.ImportRequest(fmt, content, (upload.filename or "")[:255] or None, recipe_id, recipe_code,
                                    station_code)

    def produce() -> str:
        document = service.parse(request)
        if document.kind == PLAN and not principal.user.has_any_role("Maker"):
            raise Forbidden("Maker role required to import a measurement plan")
        return ImportResult.model_validate(service.import_file(session, request, principal.actor)).model_dump_json()

    return respond_once(session, principal.user_id, idem, 200, produce)


@router.post("/qif", response_model=ImportResult, responses=ERRORS, openapi_extra={"requestBody": {"content": {
    "multipart/form-data": {"encoding": {"file": {"contentType": "application/xml"}}}}}})
def import_qif(
    file: Annotated[UploadFile, File(description="A QIF 3.0 Results or Plan document")],
    session: SessionDep, principal: ImporterPrincipal, idem: IdempotencyDep,
    recipe_id: RecipeIdField = None, recipe_code: RecipeCodeField = None, station_code: StationField = None,
):
    """Import a QIF 3.0 file: results become judged runs, a plan becomes a draft version."""
    return _run(session, principal, idem, "qif", file, file.file.read(), recipe_id, recipe_code, station_code)


@router.post("/dfq", response_model=ImportResult, responses=ERRORS, openapi_extra={"requestBody": {"content": {
    "multipart/form-data": {"encoding": {"file": {"contentType": "text/plain"},
                                         "values_file": {"contentType": "text/plain"}}}}}})
def import_dfq(
    file: Annotated[UploadFile, File(description="An AQDEF DFQ file, or the DFD description of a DFD/DFX pair")],
    session: SessionDep, principal: ImporterPrincipal, idem: IdempotencyDep,
    values_file: Annotated[UploadFile | None, File(description="The DFX values of a DFD/DFX pair")] = None,
    recipe_id: RecipeIdField = None, recipe_code: RecipeCodeField = None, station_code: StationField = None,
):
    """Import an AQDEF (Q-DAS) DFQ file, or a DFD/DFX pair: values become judged runs."""
    content = file.file.read()
    if values_file is not None:
        content = content.rstrip(b"\r\n") + b"\r\n" + values_file.file.read()
    return _run(session, principal, idem, "dfq", file, content, recipe_id, recipe_code, station_code)
