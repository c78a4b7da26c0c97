"""/api/files: upload and delete (Maker), serving (any signed-in user)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile, status
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse
from starlette.convertors import Convertor, register_url_convertor

from ..auth.deps import (
    CurrentPrincipal,
    MakerPrincipal,
    SessionDep,
    SettingsDep,
    briefly_authenticated,
    current_principal,
    database_turn,
)
from ..identity.principal import Principal
from ..kit import slowwork
from ..kit.errors import Forbidden
from . import service
from .guard import UploadLimitRoute
from .schemas import ErrorBody, UploadedFile

MAX_ID = 2**31 - 1
UPLOAD_ENCODING = {"requestBody": {"content": {"multipart/form-data": {
    "encoding": {"file": {"contentType": "image/jpeg, image/png, image/gif, image/webp, application/pdf"}}}}}}
PATH_ERRORS = {403: {"model": ErrorBody, "description": "Maker role required (upload, delete) or path traversal attempt"},
               404: {"model": ErrorBody, "description": "File not found"}}


class StoredPathConvertor(Convertor[str]):
    """Like Starlette's `path`, but never the bare word `upload`: that URL belongs to POST /files/upload alone."""

    regex = r"(?!upload$).*"

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


register_url_convertor("stored_path", StoredPathConvertor())

router = APIRouter(prefix="/files", tags=["files"], dependencies=[Depends(current_principal)],
                   responses={401: {"model": ErrorBody, "description": "Missing or invalid API key"}})
# The upload route alone: its request body is counted as it arrives.
# Its caller is checked in a short read of its own: the upload's slow work holds no database turn.
upload_router = APIRouter(prefix="/files", tags=["files"], dependencies=[Depends(briefly_authenticated)],
                          route_class=UploadLimitRoute,
                          responses={401: {"model": ErrorBody, "description": "Missing or invalid API key"}})


@upload_router.post("/upload", response_model=UploadedFile, openapi_extra=UPLOAD_ENCODING, responses={
    400: {"model": ErrorBody, "description": "Invalid file type, file size exceeded, invalid filename or image"},
    403: {"model": ErrorBody, "description": "Maker role required"},
    404: {"model": ErrorBody, "description": "Recipe or version not found"},
    409: {"model": ErrorBody, "description": "The recipe's current version changed during the upload"}})
async def upload_file(
    file: Annotated[UploadFile, File(description="JPEG, PNG, GIF, WebP or PDF, recognised by its bytes")],
    request: Request, settings: SettingsDep, principal: Annotated[Principal, Depends(briefly_authenticated)],
    recipe_id: Annotated[int, Form(ge=1, le=MAX_ID, description="Target recipe")] = None,
    version_id: Annotated[int, Form(ge=1, le=MAX_ID, description="Target version")] = None,
):
    """Upload an image or PDF; each gets a 200x200 thumbnail, a PDF's pages are rendered as PNG."""
    if principal.user is None or not principal.user.has_any_role("Maker"):
        raise Forbidden("Maker role required")
    root = settings.resolved_upload_dir
    # Three steps, so that decoding holds no database turn: claim a name, process, record.
    async with database_turn(request, write=False) as session:
        staged = await run_in_threadpool(service.stage, session, root, file.file, file.filename, recipe_id, version_id)
    try:
        await slowwork.run(slowwork.IMAGES, service.process, staged, root, file.file, settings.max_upload_bytes)
        async with database_turn(request, write=True) as session:
            row = await run_in_threadpool(service.record_upload, session, staged, file.filename, principal.actor)
    except BaseException:
        staged.discard()
        raise
    return UploadedFile(id=row.id, file_path=row.path, thumbnail_path=row.thumbnail_path, file_type=row.content_type,
                        file_size=row.size, sha256=row.sha256)


@router.get("/{file_path:stored_path}", response_class=FileResponse, responses={
    200: {"content": {"image/*": {}, "application/pdf": {}, "application/octet-stream": {}},
          "description": "The file; accepted types inline, anything else as an attachment"}, **PATH_ERRORS})
def serve_file(file_path: str, settings: SettingsDep, _: CurrentPrincipal):
    """Serve a file from the upload folder (path relative to it)."""
    found = service.locate(settings.resolved_upload_dir, file_path)
    return FileResponse(found.path, media_type=found.content_type, filename=found.path.name,
                        content_disposition_type="inline" if found.inline else "attachment",
                        headers={"X-Content-Type-Options": "nosniff"})


@router.delete("/{file_path:stored_path}", status_code=status.HTTP_204_NO_CONTENT, responses={
    **PATH_ERRORS, 409: {"model": ErrorBody, "description": "A version with measurements references the file"}})
def delete_file(file_path: str, session: SessionDep, settings: SettingsDep, maker: MakerPrincipal):
    """Delete a file and its thumbnail."""
    service.delete(session, settings.resolved_upload_dir, file_path, maker.actor)
