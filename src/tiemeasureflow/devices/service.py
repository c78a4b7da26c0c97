"""Approving, denying, listing and revoking stands that signed in with a device code; all audited."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..audit.service import record
from ..identity.principal import Actor
from ..keys.service import revoke
from ..kit.errors import Conflict, Forbidden, NotFound, Unprocessable
from ..models import ApiKey, DeviceAuthorization, Station, User, utcnow
from ..settings.service import get_setting
from .grant import normalize_user_code
from .schemas import ApprovedStand, DeviceApproval, DeviceAuthorizationOut, DeviceDecision

APPROVER_ROLES_SETTING = "device_approver_roles"
# Never the HMAC of any key: a stand approved by sign-in holds tokens, not a key of its own.
NO_KEY_HASH = "device-grant"


def check_approver(session: Session, user: User | None) -> None:
    """Admins, and users holding a role listed in the device_approver_roles setting, may decide."""
    if user is None:
        raise Forbidden("Admin role required")
    roles = [r.strip() for r in (get_setting(session, APPROVER_ROLES_SETTING) or "").split(",") if r.strip()]
    if not user.is_admin and not user.has_any_role(*roles):
        raise Forbidden("Admin role, or a role in device_approver_roles, required")


def _find(session: Session, user_code: str) -> DeviceAuthorization:
    grant = session.scalar(select(DeviceAuthorization).where(
        DeviceAuthorization.user_code == normalize_user_code(user_code)))
    if grant is None:
        raise NotFound("No sign-in with this code")
    return grant


def _out(grant: DeviceAuthorization) -> DeviceAuthorizationOut:
    status = "expired" if grant.status == "pending" and grant.expires_at <= utcnow() else grant.status
    return DeviceAuthorizationOut(
        user_code=grant.user_code, client_id=grant.client_id, scope=grant.scope, status=status,
        created_at=grant.created_at, expires_at=grant.expires_at, stand_name=grant.stand_name,
        station_id=grant.station_id, key_id=grant.key_id)


def get(session: Session, user_code: str) -> DeviceAuthorizationOut:
    """One sign-in by its user code."""
    return _out(_find(session, user_code))


def decide(session: Session, user_code: str, data: DeviceDecision, actor: Actor) -> DeviceAuthorizationOut:
    """Approve or deny a pending sign-in; an approval creates the stand (a stand key row)."""
    grant = _find(session, user_code)
    if grant.status != "pending":
        raise Conflict(f"This sign-in is already {grant.status}")
    if grant.expires_at <= utcnow():
        raise Conflict("This sign-in expired; start it again on the stand")
    approving = isinstance(data, DeviceApproval)
    if approving and data.station_id is not None and session.get(Station, data.station_id) is None:
        raise Unprocessable("No station with this id")
    grant.decided_by, grant.decided_at = actor.user_id, utcnow()
    if approving:
        key = ApiKey(kind="stand", name=data.name.strip(), key_hash=NO_KEY_HASH, created_by=actor.user_id)
        session.add(key)
        session.flush()
        grant.status, grant.key_id, grant.stand_name, grant.station_id = ("approved", key.id, key.name,
                                                                           data.station_id)
    else:
        grant.status = "denied"
    session.flush()
    record(session, actor, "approve" if data.approve else "deny", "device_authorization", grant.id,
           new={"user_code": grant.user_code, "client_id": grant.client_id, "stand_name": grant.stand_name,
                "station_id": grant.station_id, "key_id": grant.key_id})
    return _out(grant)


def list_stands(session: Session, include_revoked: bool) -> list[ApprovedStand]:
    """Stands approved by sign-in, newest first, with their last use."""
    stmt = (select(DeviceAuthorization, ApiKey).join(ApiKey, ApiKey.id == DeviceAuthorization.key_id)
            .order_by(ApiKey.id.desc()))
    if not include_revoked:
        stmt = stmt.where(ApiKey.revoked_at.is_(None))
    return [ApprovedStand(key_id=key.id, name=key.name, client_id=grant.client_id, station_id=grant.station_id,
                          approved_by=grant.decided_by, approved_at=grant.decided_at,
                          last_used_at=key.last_used_at, revoked_at=key.revoked_at)
            for grant, key in session.execute(stmt)]


def revoke_stand(session: Session, key_id: int, actor: Actor) -> None:
    """Revoke an approved stand: its access and refresh tokens stop at once."""
    grant = session.scalar(select(DeviceAuthorization).where(DeviceAuthorization.key_id == key_id))
    key = session.get(ApiKey, key_id)
    if grant is None or key is None:
        raise NotFound("No stand approved by sign-in with this id")
    revoke(session, key, actor)
