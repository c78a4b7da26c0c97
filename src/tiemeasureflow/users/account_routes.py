"""/api/auth: login, own profile, logout (the account's routes; authentication itself is in auth/)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request, status
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from ..audit.service import record, snapshot
from ..auth.deps import ClientIP, CurrentPrincipal, SessionDep, SettingsDep, current_principal, database_turn
from ..kit import slowwork
from ..kit.ratelimit import LOGIN_DETAIL
from .account_schemas import LoginRequest, LoginResponse
from .schemas import ProfileUpdate, UserResponse
from .sign_in import LOGIN_FAILED, account_of, check_password, finish_login, logout

public_router = APIRouter(prefix="/auth", tags=["auth"])
router = APIRouter(prefix="/auth", tags=["auth"], dependencies=[Depends(current_principal)])


@public_router.post("/login", response_model=LoginResponse,
                    responses={401: {"description": LOGIN_FAILED}, 429: {"description": "Too many login attempts"}})
async def login_route(data: LoginRequest, request: Request, settings: SettingsDep, ip: ClientIP):
    """Exchange username and password for a session key."""
    limiter = request.app.state.rate_limiter
    # Failed logins count per username too: many addresses cannot share out guesses at one account.
    wait = await limiter.username_refused(data.username)
    if wait is not None:
        return JSONResponse({"detail": LOGIN_DETAIL}, status_code=429, headers={"Retry-After": str(wait)})
    # The password check holds no database turn: read the account, check, then record the outcome.
    async with database_turn(request, write=False) as session:
        account = await run_in_threadpool(account_of, session, data.username)
    checked = await slowwork.run(slowwork.PASSWORDS, check_password, account, data.password)
    async with database_turn(request, write=True) as session:
        result = await run_in_threadpool(finish_login, session, settings.pepper, data.username, account, checked, ip)
    if result is None:
        await limiter.note_failed_login(data.username)
        return JSONResponse({"detail": LOGIN_FAILED}, status_code=401)
    user, raw = result
    return LoginResponse(user=UserResponse.model_validate(user), api_key=raw)


@router.get("/me", response_model=UserResponse)
def me(principal: CurrentPrincipal):
    """The signed-in user's profile."""
    return principal.user


@router.put("/me", response_model=UserResponse)
def update_me(data: ProfileUpdate, principal: CurrentPrincipal, session: SessionDep):
    """Change one's display name, language or theme."""
    user = principal.user
    fields = ("display_name", "language_pref", "theme_pref")
    old = snapshot(user, fields)
    for field, value in data.model_dump(exclude_unset=True, exclude_none=True).items():
        setattr(user, field, value)
    new = snapshot(user, fields)
    if new != old:  # a toggle to the value already set is no event
        record(session, principal.actor, "update_profile", "user", user.id, old=old, new=new)
    return user


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT)
def logout_route(principal: CurrentPrincipal, session: SessionDep):
    """Revoke the key this request was made with."""
    logout(session, principal)
