"""FastAPI dependencies: database session, current principal and role guards."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Annotated

from fastapi import Depends, Request, Security
from fastapi.concurrency import run_in_threadpool
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from fastapi.security import APIKeyHeader
from sqlalchemy.orm import Session

from ..config.server import Settings
from ..identity.principal import Principal
from ..kit.admission import admitted, writers_for
from ..kit.db import unit_of_work
from ..kit.errors import DatabaseUnavailable, Forbidden, Unauthorized
from ..kit.vocabulary import KeyKind, Role
from .keys import find_valid_key

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
api_key_header = APIKeyHeader(name="X-API-Key", auto_error=False, description="A session key from POST /api/auth/login")


def get_settings(request: Request) -> Settings:
    """The application's settings."""
    return request.app.state.settings


@asynccontextmanager
async def database_turn(request: Request, write: bool, replica: bool = False,
                        history: bool = False) -> AsyncIterator[Session]:
    """A unit of work, admitted first (see `admission`): committed on success, rolled back on error.

    The database work runs in worker threads. Routes with slow work (image decoding, password
    hashing) open short turns around it instead of holding one for the whole request.
    `replica`: a read on the read replica, admitted among the replica's readers.
    `history`: the request's first turn on a route that reads history (`ReadSessionDep`).
    """
    async with admitted(write, writers_for(request.app.state.engine.dialect.name), replica, history):
        if request.app.state.db_outage.active and not replica:
            # The database was lost a moment ago: answer now rather than wait out another timeout.
            raise DatabaseUnavailable()
        factory = request.app.state.read_sessionmaker if replica else request.app.state.sessionmaker
        work = unit_of_work(factory, write=write)
        session = await run_in_threadpool(work.__enter__)
        try:
            yield session
        except BaseException as exc:
            await run_in_threadpool(work.__exit__, type(exc), exc, exc.__traceback__)
            raise
        else:
            await run_in_threadpool(work.__exit__, None, None, None)


async def get_session(request: Request) -> AsyncIterator[Session]:
    """One unit of work per request: committed before the response is sent, rolled back on error.

    Use it through `SessionDep` only: its function scope makes FastAPI run the commit when the
    route returns, before the response goes out, so a failed commit is an error, never a 2xx.
    """
    write = request.method not in SAFE_METHODS
    async with database_turn(request, write, history=not write and reads_history(request)) as session:
        yield session


READS_HISTORY = "tmf_reads_history"  # kept on the route object (routes are not hashable)


def reads_history(request: Request) -> bool:
    """Whether the request's route reads through `ReadSessionDep` (decided once per route)."""
    route = request.scope.get("route")
    if not isinstance(route, APIRoute):
        return False
    found = getattr(route, READS_HISTORY, None)
    if found is None:
        found = _depends_on(route.dependant, get_read_session)
        setattr(route, READS_HISTORY, found)
    return found


def _depends_on(dependant: Dependant, call: Callable) -> bool:
    return any(sub.call is call or _depends_on(sub, call) for sub in dependant.dependencies)


def client_ip(request: Request) -> str:
    """The client address worked out by the request-context middleware."""
    return request.scope.get("tmf_client_ip") or (request.client.host if request.client else "unknown")


SettingsDep = Annotated[Settings, Depends(get_settings)]
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
ClientIP = Annotated[str, Depends(client_ip)]


async def get_read_session(request: Request, primary: SessionDep) -> AsyncIterator[Session]:
    """The session of a read-only route: the read replica's when READ_DATABASE_URL is set, else the request's own.

    The request's primary unit of work (authentication) is open first and stays open, so a replica
    read never waits for a primary slot while holding a replica one.
    """
    if request.method not in SAFE_METHODS or getattr(request.app.state, "read_sessionmaker", None) is None:
        yield primary
        return
    request.state.on_read_replica = True
    async with database_turn(request, False, replica=True) as session:
        yield session


# Routes that only read: statistics, reports, the public API's lists.
ReadSessionDep = Annotated[Session, Depends(get_read_session, scope="function")]


def authenticate(session: Session, settings: Settings, raw_key: str | None, ip: str, kinds: tuple[str, ...]) -> Principal:
    """Resolve a raw key of one of `kinds` to a principal; one identical 401 for every failure."""
    if not raw_key:
        raise Unauthorized()
    key = find_valid_key(session, settings.pepper, raw_key, timedelta(minutes=settings.session_idle_minutes))
    if key is None or key.kind not in kinds:
        raise Unauthorized()
    return Principal(key=key, user=key.user, ip=ip)


def current_principal(
    session: SessionDep, settings: SettingsDep, ip: ClientIP, raw_key: Annotated[str | None, Security(api_key_header)]
) -> Principal:
    """The signed-in user behind a session key (the only kind accepted on /api)."""
    return authenticate(session, settings, raw_key, ip, (KeyKind.SESSION.value,))


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


async def briefly_authenticated(request: Request, settings: SettingsDep, ip: ClientIP,
                                raw_key: Annotated[str | None, Security(api_key_header)]) -> Principal:
    """Like `current_principal`, in a short read of its own: for routes whose slow work must hold no turn."""
    async with database_turn(request, write=False) as session:
        return await run_in_threadpool(authenticate, session, settings, raw_key, ip, (KeyKind.SESSION.value,))


def require_roles(*roles: str) -> Callable[[Principal], Principal]:
    """A dependency passing users who hold at least one of the roles."""
    message = f"{' or '.join(roles)} role required"

    def guard(principal: CurrentPrincipal) -> Principal:
        if principal.user is None or not principal.user.has_any_role(*roles):
            raise Forbidden(message)
        return principal

    return guard


def require_admin(principal: CurrentPrincipal) -> Principal:
    """A dependency passing administrators only."""
    if principal.user is None or not principal.user.is_admin:
        raise Forbidden("Admin role required")
    return principal


AdminPrincipal = Annotated[Principal, Depends(require_admin)]
MakerPrincipal = Annotated[Principal, Depends(require_roles(Role.MAKER))]
OperatorPrincipal = Annotated[Principal, Depends(require_roles(Role.MEASUREMENT_TEC))]
MetrologistPrincipal = Annotated[Principal, Depends(require_roles(Role.METROLOGIST))]
ExporterPrincipal = Annotated[Principal, Depends(require_roles(Role.MEASUREMENT_TEC, Role.METROLOGIST))]
