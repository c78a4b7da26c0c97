"""/api/device-authorizations: a person approves or denies a stand's sign-in; /api/approved-stands: list, revoke."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Depends, Path, Query, status

from ..auth.deps import CurrentPrincipal, SessionDep, current_principal
from ..identity.principal import Principal
from ..kit.schemas import ID_MAX
from . import service
from .schemas import ApprovedStand, DeviceAuthorizationOut, DeviceDecision

UserCode = Annotated[str, Path(min_length=8, max_length=9, pattern=r"^[A-Za-z]{4}-?[A-Za-z]{4}$",
                               description="The code the stand shows, e.g. `BCDF-GHJK`")]
KeyId = Annotated[int, Path(ge=1, le=ID_MAX, description="The approved stand's key id")]

router = APIRouter(prefix="/device-authorizations", tags=["stand sign-in"],
                   dependencies=[Depends(current_principal)])
stands_router = APIRouter(prefix="/approved-stands", tags=["stand sign-in"], dependencies=[Depends(current_principal)])


def approver(session: SessionDep, principal: CurrentPrincipal) -> Principal:
    """Admins, or holders of a role named in the device_approver_roles setting."""
    service.check_approver(session, principal.user)
    return principal


Approver = Annotated[Principal, Depends(approver)]


@stands_router.get("", response_model=list[ApprovedStand])
def list_stands(session: SessionDep, _approver: Approver,
                include_revoked: Annotated[bool, Query(description="Also list revoked stands")] = False):
    """List stands approved by sign-in, with their last use."""
    return service.list_stands(session, include_revoked)


@stands_router.delete("/{key_id}", status_code=status.HTTP_204_NO_CONTENT,
               responses={404: {"description": "No such approved stand"}})
def revoke_stand(key_id: KeyId, session: SessionDep, who: Approver):
    """Revoke an approved stand: its tokens get 401 from the next request on."""
    service.revoke_stand(session, key_id, who.actor)


@router.get("/{user_code}", response_model=DeviceAuthorizationOut, responses={404: {"description": "Unknown code"}})
def get_authorization(user_code: UserCode, session: SessionDep, _approver: Approver):
    """Read a stand's sign-in by the code it shows."""
    return service.get(session, user_code)


@router.post("/{user_code}", response_model=DeviceAuthorizationOut,
             responses={404: {"description": "Unknown code"}, 409: {"description": "Already decided or expired"}})
def decide(user_code: UserCode, data: Annotated[DeviceDecision, Body()], session: SessionDep, who: Approver):
    """Approve (name, optional station_id) or deny a stand's sign-in."""
    return service.decide(session, user_code, data, who.actor)
