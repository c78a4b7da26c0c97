"""/auth/api/oidc: the device authorization and token endpoints HardPy's sc-login calls (form bodies)."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import parse_qsl

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse

from ..auth.deps import SessionDep, SettingsDep
from . import grant
from .grant import OAuthError

PREFIX = "/auth/api/oidc"
MAX_FORM_BYTES = 16 * 1024
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}

# Public by nature: a stand has no credentials before it signs in; the grant itself is the check.
router = APIRouter(prefix=PREFIX, tags=["stand sign-in (OAuth 2.0)"])


async def oauth_form(request: Request) -> dict[str, str] | OAuthError:
    """The urlencoded form, read before any database work; an OAuthError when it is not one."""
    if not request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
        return OAuthError("invalid_request", "Send an application/x-www-form-urlencoded body")
    body = await request.body()
    if len(body) > MAX_FORM_BYTES:
        return OAuthError("invalid_request", "The form is too large")
    try:
        pairs = parse_qsl(body.decode(), keep_blank_values=True, strict_parsing=False)
    except (UnicodeDecodeError, ValueError):
        return OAuthError("invalid_request", "The form is not readable")
    form: dict[str, str] = {}
    for name, value in pairs:
        if name in form:  # RFC 6749 section 3.1: parameters must not repeat
            return OAuthError("invalid_request", f"{name} is given more than once")
        if "\x00" in value:
            return OAuthError("invalid_request", f"{name} contains a NUL character")
        form[name] = value
    return form


Form = Annotated[dict[str, str] | OAuthError, Depends(oauth_form)]


def _error(exc: OAuthError) -> JSONResponse:
    headers = dict(NO_STORE)
    if exc.status == 401:
        headers["WWW-Authenticate"] = 'Basic realm="oauth"'
    return JSONResponse({"error": exc.error, "error_description": exc.description}, status_code=exc.status,
                        headers=headers)


def verification_uri(request: Request, configured: str) -> str:
    """DEVICE_VERIFICATION_URL, else /device on the host the stand called."""
    if configured:
        return configured.rstrip("/")
    return f"{request.url.scheme}://{request.url.netloc}/device"


@router.post("/device-authorization")
def device_authorization(request: Request, form: Form, session: SessionDep, settings: SettingsDep):
    """Start a stand's sign-in (RFC 8628 section 3.1): codes and the page where a person approves it."""
    if isinstance(form, OAuthError):
        return _error(form)
    try:
        answer = grant.start(session, settings, form.get("client_id"), form.get("scope"),
                             verification_uri(request, settings.device_verification_url))
    except OAuthError as exc:
        return _error(exc)
    return JSONResponse(answer, headers=NO_STORE)


@router.post("/token")
def token(form: Form, session: SessionDep, settings: SettingsDep):
    """Poll a device code, or trade a refresh token for a new pair (RFC 8628 section 3.4, RFC 6749 section 6)."""
    if isinstance(form, OAuthError):
        return _error(form)
    grant_type = form.get("grant_type")
    try:
        if grant_type == grant.DEVICE_CODE_GRANT:
            answer = grant.poll(session, settings, form.get("client_id"), form.get("device_code"))
        elif grant_type == "refresh_token":
            answer = grant.refresh(session, settings, form.get("client_id"), form.get("refresh_token"))
        elif not grant_type:
            raise OAuthError("invalid_request", "grant_type is required")
        else:
            raise OAuthError("unsupported_grant_type", "Use the device_code or refresh_token grant")
    except OAuthError as exc:
        # Answered, not raised: the poll's bookkeeping (last poll time) must still be committed.
        return _error(exc)
    return JSONResponse(answer, headers=NO_STORE)
