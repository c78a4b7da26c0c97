"""/api/settings: read (any user), update and logo upload (admin)."""

from __future__ import annotations

from typing import Annotated, BinaryIO

from fastapi import APIRouter, Body, Depends, UploadFile
from fastapi.responses import FileResponse

from ..audit.service import record
from ..auth.deps import AdminPrincipal, SessionDep, SettingsDep, current_principal
from ..kit.errors import BadRequest, NotFound
from . import logo, service
from .schemas import LogoUploaded, SettingsChanges, SettingsUpdated

router = APIRouter(prefix="/settings", tags=["settings"], dependencies=[Depends(current_principal)])
LOGO_TYPES = {"image/png": {}, "image/jpeg": {}, "image/gif": {}, "image/webp": {}, "image/svg+xml": {}}
# Tells clients (and the fuzzer) which files the upload takes; the server still judges by the bytes.
LOGO_ENCODING = {"requestBody": {"content": {"multipart/form-data": {
    "encoding": {"file": {"contentType": ", ".join(LOGO_TYPES)}}}}}}


@router.get("/", response_model=dict[str, str | None])
def read_settings(session: SessionDep):
    """Every setting, defaults included."""
    return service.all_settings(session)


@router.put("/", response_model=SettingsUpdated)
def update_settings(changes: Annotated[SettingsChanges, Body()], session: SessionDep, admin: AdminPrincipal):
    """Update settings; known keys are validated, others stored as custom strings."""
    keys = service.update_settings(session, changes, admin.actor)
    return SettingsUpdated(message=f"Updated {len(keys)} settings", updated_keys=keys)


@router.post("/logo", response_model=LogoUploaded, openapi_extra=LOGO_ENCODING)
def upload_logo(file: UploadFile, session: SessionDep, settings: SettingsDep, admin: AdminPrincipal):
    """Upload the company logo (JPEG, PNG, GIF, WebP or SVG, recognised by its bytes)."""
    data = _read_limited(file.file, settings.max_upload_bytes)
    ext, _content_type = logo.detect_logo_type(data)
    path = logo.store_logo(settings.resolved_upload_dir, data, ext)
    old = service.get_setting(session, "company_logo_path")
    service.put_setting(session, "company_logo_path", path, admin.actor)
    record(session, admin.actor, "upload_logo", "settings", "company_logo_path",
           old={"company_logo_path": old}, new={"company_logo_path": path, "size": len(data)})
    return LogoUploaded(message="Company logo uploaded successfully", logo_path=path, file_size=len(data))


@router.get("/logo", response_class=FileResponse,
            responses={200: {"content": LOGO_TYPES}, 404: {"description": "No logo uploaded"}})
def get_logo(session: SessionDep, settings: SettingsDep):
    """The company logo file (an SVG is served sandboxed, so it cannot run script)."""
    path = service.get_setting(session, "company_logo_path")
    full = settings.resolved_upload_dir / path if path else None
    if full is None or not full.is_file():
        raise NotFound("No logo uploaded")
    ext = full.suffix.lstrip(".")
    media = logo.SVG_TYPE[1] if ext == "svg" else next(t for e, t in logo.RASTER_FORMATS.values() if e == ext)
    return FileResponse(full, media_type=media, headers=logo.SVG_HEADERS)


def _read_limited(stream: BinaryIO, limit: int) -> bytes:
    chunks, size = [], 0
    while chunk := stream.read(1024 * 1024):
        size += len(chunk)
        if size > limit:
            raise BadRequest("File size exceeded")
        chunks.append(chunk)
    return b"".join(chunks)
