"""Per-request helpers: who is signed in, this client's station, and the access guards."""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import abort, current_app, g, redirect, request, session, url_for

from ..kit.vocabulary import Role
from .api_client import SessionExpired
from .gateways import users
from .sessions import SignIn, SignInStore

ROLE_OPERATOR = Role.MEASUREMENT_TEC.value
ROLE_MAKER = Role.MAKER.value
ROLE_METROLOGIST = Role.METROLOGIST.value
# How often the cached profile is re-read, so role changes and revoked keys show up soon.
PROFILE_REFRESH_SECONDS = 60


def store() -> SignInStore:
    """The app's sign-in store."""
    return current_app.extensions["tmf_signins"]


def station_code() -> str:
    """This client's station code ('' when not configured)."""
    return current_app.config["TMF_STATION_CODE"]


def current_signin() -> SignIn | None:
    """The live sign-in of this browser, if any (profile refreshed now and then)."""
    if "tmf_signin" in g:
        return g.tmf_signin
    entry = store().get(session.get("sid"))
    g.tmf_signin = entry
    if entry is not None and time.monotonic() - entry.checked_at > PROFILE_REFRESH_SECONDS:
        entry.user = users.me()
        entry.checked_at = time.monotonic()
    return entry


def current_user() -> dict[str, Any] | None:
    """The signed-in user's profile as the API gave it."""
    entry = current_signin()
    return entry.user if entry else None


def has_role(user: dict[str, Any] | None, role: str) -> bool:
    """Whether a profile holds a role ("admin" means the is_admin flag)."""
    if user is None:
        return False
    if role == "admin":
        return bool(user.get("is_admin"))
    return role in (user.get("roles") or [])


def login_required(view: Callable) -> Callable:
    """Send anonymous browsers to the sign-in page, remembering where they were going."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any):
        if current_signin() is None:
            if session.get("sid"):
                # A cookie whose sign-in is gone (idle, client restart): say why we ask again.
                session.pop("sid", None)
                raise SessionExpired()
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        return view(*args, **kwargs)

    return wrapped


def role_required(*roles: str) -> Callable[[Callable], Callable]:
    """Signed in and holding one of the roles, else 403."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapped(*args: Any, **kwargs: Any):
            if not any(has_role(current_user(), role) for role in roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def home_for(user: dict[str, Any] | None) -> str:
    """Where a user lands after signing in: the first area their roles open."""
    if has_role(user, ROLE_OPERATOR) and station_code():
        return url_for("measure.select")
    if has_role(user, ROLE_MAKER):
        return url_for("recipes.index")
    if has_role(user, ROLE_METROLOGIST):
        return url_for("reaction.attention")
    if has_role(user, "admin"):
        return url_for("admin.users")
    if has_role(user, ROLE_OPERATOR):
        return url_for("measure.select")
    return url_for("auth.account")
