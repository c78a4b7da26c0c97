"""Keys of the public API: integration keys on /integration, stand keys on /hardpy, in either header."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request, Security
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from ..auth.deps import ClientIP, SessionDep, SettingsDep, authenticate
from ..devices import tokens
from ..identity.principal import Principal
from ..kit.errors import Unauthorized

api_key_header = APIKeyHeader(
    name="X-API-KEY", auto_error=False, scheme_name="X-API-KEY",
    description="The key in the `X-API-KEY` header (StandCloud's way)",
)
bearer = HTTPBearer(auto_error=False, scheme_name="Bearer", description="The key as `Authorization: Bearer <key>` "
                    "(HardPy's way)")

KeyHeader = Annotated[str | None, Security(api_key_header)]
BearerHeader = Annotated[HTTPAuthorizationCredentials | None, Security(bearer)]


def raw_key(request: Request, header_key: str | None,
            bearer_credentials: HTTPAuthorizationCredentials | None) -> str | None:
    """The key from X-API-KEY, else from Authorization: Bearer; 401 when both headers come and differ."""
    sent = request.headers.get("x-api-key")
    authorization = request.headers.get("authorization")
    # Two credentials that disagree (one of them perhaps empty) identify nobody: neither is taken.
    if sent is not None and authorization is not None and authorization.strip() != f"Bearer {sent.strip()}":
        raise Unauthorized("Send the key in one header: X-API-KEY and Authorization disagree")
    if header_key:
        return header_key
    return bearer_credentials.credentials if bearer_credentials else None


def integration_principal(request: Request, session: SessionDep, settings: SettingsDep, ip: ClientIP, header_key: KeyHeader,
                          bearer_credentials: BearerHeader) -> Principal:
    """A caller holding a live integration key (read-only public API); any other key gets 401."""
    return authenticate(session, settings, raw_key(request, header_key, bearer_credentials), ip,
                        ("integration",))


def stand_principal(request: Request, session: SessionDep, settings: SettingsDep, ip: ClientIP, header_key: KeyHeader,
                    bearer_credentials: BearerHeader) -> Principal:
    """A HardPy stand holding a live stand key or access token; anything else gets 401."""
    raw = raw_key(request, header_key, bearer_credentials)
    if raw and raw.startswith(tokens.ACCESS_PREFIX):
        return _token_principal(session, settings, raw, ip)
    return authenticate(session, settings, raw, ip, ("stand",))


def _token_principal(session: SessionDep, settings: SettingsDep, raw: str, ip: str) -> Principal:
    """The stand behind an access token; RFC 6750's invalid_token otherwise, so HardPy refreshes."""
    check = tokens.check_access(session, settings.pepper, raw)
    if check.key is None:
        why = "The access token expired" if check.expired else "Unknown or revoked access token"
        raise Unauthorized(why, headers={"WWW-Authenticate": f'Bearer error="invalid_token", error_description="{why}"'})
    return Principal(key=check.key, user=None, ip=ip)


StandPrincipal = Annotated[Principal, Depends(stand_principal)]
