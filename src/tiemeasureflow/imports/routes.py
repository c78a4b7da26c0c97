"""/api/imports: QIF and AQDEF files from measuring machines become judged runs (or a draft plan)."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Header, Request, UploadFile

from ..auth.deps import SessionDep, current_principal, require_roles
from ..files.guard import UploadLimitRoute
from ..idempotency.service import KEY_PATTERN, Idempotency, fingerprint, respond_once
from ..identity.principal import Principal
from ..kit.errors import Conflict, Forbidden
from ..models import IdempotencyKey
from ..recipes.schemas import CODE_PATTERN, MAX_ID
from . import service
from .document import PLAN
from .schemas import ImportResult

ImporterPrincipal = Annotated[Principal, Depends(require_roles("MeasurementTec", "Metrologist", "Maker"))]
router = APIRouter(prefix="/imports", tags=["imports"], dependencies=[Depends(current_principal)],
                   route_class=UploadLimitRoute)
ERRORS = {403: {"description": "MeasurementTec, Metrologist or Maker role required (Maker for a plan)"},
          404: {"description": "The named recipe or station does not exist"},
          409: {"description": "The recipe is inactive, already has an open draft (plan import), no value matches "
                            "it, or the Idempotency-Key was used for another file"}}
RecipeIdField = Annotated[int, Form(ge=1, le=MAX_ID, description="Land on this recipe")]
RecipeCodeField = Annotated[str, Form(pattern=CODE_PATTERN, description="Land on the recipe with this code")]
IdempotencyHeader = Annotated[str | None, Header(
    alias="Idempotency-Key", pattern=KEY_PATTERN,
    description="A client-chosen key that makes a retry safe: a repeat with the same key and file answers the "
                "first answer and stores nothing; the same key with another file is 409.")]
StationField = Annotated[str, Form(pattern=r"^[A-Za-z0-9._-]{1,50}$",
                                          description="The measuring station (the CMM) the runs belong to")]


def _idempotency(http: Request, key: str | None, content: bytes) -> Idempotency | None:
    """The Idempotency-Key with a fingerprint of the file (the multipart body is read by then): a retry is the same file."""
    if key is None:
        return None
    body = content
    hours = http.app.state.settings.idempotency_key_hours
    return Idempotency(key, fingerprint(http.method, http.url.path, body), timedelta(hours=hours))


def _run(http: Request, session, principal: Principal, key: str | None, fmt: str, upload: UploadFile,
         content: bytes, recipe_id: int | None, recipe_code: str | None, station_code: str | None):
    request = service.ImportRequest(fmt, content, (upload.filename or "")[:255] or None, recipe_id, recipe_code,
                                    station_code)
    idem = _idempotency(http, key, content)
    if idem is not None:
        used = session.get(IdempotencyKey, (principal.user_id, idem.key))
        if used is not None and used.fingerprint != idem.fingerprint and used.response:
            # The key names another file's import: a conflict with what the server holds, not a bad form.
            raise Conflict("Idempotency-Key was already used for a different file")

    def produce() -> str:
        document = service.parse(request)
        if any(d.kind == PLAN for d in (document, *document.more)) and not principal.user.has_any_role("Maker"):
            raise Forbidden("Maker role required to import a measurement plan")
        return ImportResult.model_validate(service.import_file(session, request, principal.actor, document)).model_dump_json()

    return respond_once(session, principal.user_id, idem, 200, produce)


@router.post("/qif", response_model=ImportResult, responses=ERRORS, openapi_extra={"requestBody": {"content": {
    "multipart/form-data": {"encoding": {"file": {"contentType": "application/xml"}}}}}})
def import_qif(
    file: Annotated[UploadFile, File(description="A QIF 3.0 Results or Plan document")],
    http: Request, session: SessionDep, principal: ImporterPrincipal, idempotency_key: IdempotencyHeader = None,
    recipe_id: RecipeIdField = None, recipe_code: RecipeCodeField = None, station_code: StationField = None,
):
    """Import a QIF 3.0 file: results become judged runs, a plan becomes a draft version."""
    return _run(http, session, principal, idempotency_key, "qif", file, file.file.read(), recipe_id, recipe_code, station_code)


@router.post("/dfq", response_model=ImportResult, responses=ERRORS, openapi_extra={"requestBody": {"content": {
    "multipart/form-data": {"encoding": {"file": {"contentType": "text/plain"},
                                         "values_file": {"contentType": "text/plain"}}}}}})
def import_dfq(
    file: Annotated[UploadFile, File(description="An AQDEF DFQ file, or the DFD description of a DFD/DFX pair")],
    http: Request, session: SessionDep, principal: ImporterPrincipal, idempotency_key: IdempotencyHeader = None,
    values_file: Annotated[UploadFile, File(description="The DFX values of a DFD/DFX pair")] = None,
    recipe_id: RecipeIdField = None, recipe_code: RecipeCodeField = None, station_code: StationField = None,
):
    """Import an AQDEF (Q-DAS) DFQ file, or a DFD/DFX pair: values become judged runs."""
    content = file.file.read()
    if values_file is not None:
        content = content.rstrip(b"\r\n") + b"\r\n" + values_file.file.read()
    return _run(http, session, principal, idempotency_key, "dfq", file, content, recipe_id, recipe_code, station_code)
