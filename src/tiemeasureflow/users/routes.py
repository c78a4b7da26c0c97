"""/api/users: user administration (admin only)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, status

from ..auth.deps import AdminPrincipal, SessionDep, SettingsDep, require_admin
from ..kit.schemas import ID_MAX
from . import service
from .schemas import KeyRegenerated, UserCreate, UserResponse, UserUpdate

router = APIRouter(prefix="/users", tags=["users"], dependencies=[Depends(require_admin)])
DUPLICATE = {409: {"description": "Username already exists"}}
SELF_DEACTIVATION = {400: {"description": "Cannot deactivate yourself"}}
INACTIVE = {409: {"description": "The user is inactive"}}
UserId = Annotated[int, Path(ge=1, le=ID_MAX, description="The user's id")]


@router.get("", response_model=list[UserResponse])
def list_users(session: SessionDep):
    """List every user."""
    return service.list_users(session)


@router.post("", response_model=UserResponse, status_code=status.HTTP_201_CREATED, responses=DUPLICATE)
def create_user(data: UserCreate, session: SessionDep, admin: AdminPrincipal):
    """Create a user."""
    return service.create_user(session, data, admin.actor)


@router.get("/{user_id}", response_model=UserResponse)
def get_user(user_id: UserId, session: SessionDep):
    """Read one user."""
    return service.get_user(session, user_id)


@router.put("/{user_id}", response_model=UserResponse, responses=SELF_DEACTIVATION)
def update_user(user_id: UserId, data: UserUpdate, session: SessionDep, admin: AdminPrincipal):
    """Update a user's profile, roles, status or password."""
    return service.update_user(session, user_id, data, admin.actor)


@router.delete("/{user_id}", status_code=status.HTTP_204_NO_CONTENT, responses=SELF_DEACTIVATION)
def deactivate_user(user_id: UserId, session: SessionDep, admin: AdminPrincipal):
    """Deactivate a user and revoke their keys."""
    service.deactivate_user(session, user_id, admin.actor)


@router.post("/{user_id}/regenerate-key", response_model=KeyRegenerated, responses=INACTIVE)
def regenerate_key(user_id: UserId, session: SessionDep, settings: SettingsDep, admin: AdminPrincipal):
    """Revoke a user's keys and issue a new one (shown once)."""
    user, raw = service.regenerate_key(session, user_id, settings.pepper, admin.actor)
    return KeyRegenerated(api_key=raw, message=f"API key regenerated for user {user.username}")
