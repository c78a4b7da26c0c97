"""/api/integration-keys: integration and stand keys (admin only)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, status

from ..auth.deps import AdminPrincipal, SessionDep, SettingsDep, require_admin
from ..kit.schemas import Page, paginate
from . import service
from .schemas import KeyCreate, KeyCreated, KeyKind, KeyResponse

# api_keys.id is a 32-bit integer on every database.
KeyId = Annotated[int, Path(ge=1, le=2**31 - 1, description="The key's id")]

router = APIRouter(prefix="/integration-keys", tags=["integration keys"], dependencies=[Depends(require_admin)])


@router.post("", response_model=KeyCreated, status_code=status.HTTP_201_CREATED)
def create_key(data: KeyCreate, session: SessionDep, settings: SettingsDep, admin: AdminPrincipal):
    """Create an integration or stand key; the key is in the answer once and never again."""
    key, raw = service.create_key(session, settings.pepper, data, admin.actor)
    return KeyCreated(**KeyResponse.model_validate(key).model_dump(), api_key=raw)


@router.get("", response_model=Page[KeyResponse])
def list_keys(session: SessionDep, page: Annotated[int, Query(ge=1, le=2**31 - 1)] = 1,
              per_page: Annotated[int, Query(ge=1, le=100)] = 20,
              kind: Annotated[KeyKind | None, Query(description="Only keys of this kind")] = None,
              include_revoked: Annotated[bool, Query(description="Also list revoked keys")] = False):
    """List integration and stand keys, newest first."""
    rows, total, pages = paginate(session, service.list_keys_query(kind, include_revoked), page, per_page)
    return Page[KeyResponse](items=rows, total=total, page=page, per_page=per_page, pages=pages)


@router.delete("/{key_id}", status_code=status.HTTP_204_NO_CONTENT, responses={404: {"description": "No such key"}})
def revoke_key(key_id: KeyId, session: SessionDep, admin: AdminPrincipal):
    """Revoke a key: the next request with it gets 401."""
    service.revoke_key(session, key_id, admin.actor)
