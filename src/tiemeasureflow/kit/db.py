"""Engine construction and the session-per-request unit of work."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from ..config.server import postgres_url
from .dbguard import guard_postgres
from .errors import NotFound

Row = TypeVar("Row")

# SQLite waits this long for a competing writer before giving up.
SQLITE_BUSY_TIMEOUT_MS = 30_000
# A PostgreSQL that stops answering (black-holed network, frozen host) must fail a request in
# bounded time rather than hang it: connecting gives up after PG_CONNECT_TIMEOUT_S, unacknowledged
# writes after PG_TCP_USER_TIMEOUT_MS, an idle wait for a reply after the keepalive probes
# (idle + interval * count seconds). A pre-ping plus one reconnect stays under 10 s.
PG_CONNECT_TIMEOUT_S = 3
PG_TCP_USER_TIMEOUT_MS = 3000
# The client gives up on a statement this long after the server should have cancelled it.
STATEMENT_GRACE_S = 1.0
PG_KEEPALIVES = {"keepalives": 1, "keepalives_idle": 1, "keepalives_interval": 1, "keepalives_count": 2}
# SQLite's durability in WAL mode: FULL syncs the WAL at every commit, so an acknowledged write
# survives power loss (NORMAL may lose the last transactions then, though never on a process kill).
SQLITE_SYNCHRONOUS = "FULL"
# Pooled connections per process; request admission (tiemeasureflow.kit.admission) keeps the number of
# concurrent units of work below this, so requests never wait for a connection in a worker thread.
POOL = {"pool_size": 10, "max_overflow": 20}
# Execution option asking SQLite to take the write lock when the transaction begins.
WRITE_INTENT = "tmf_write_intent"


def make_engine(url: str, statement_timeout_s: float | None = None, **kwargs: Any) -> Engine:
    """Create an engine; SQLite gets WAL, foreign keys, a busy timeout and explicit BEGINs.

    PostgreSQL gets bounded connect and socket timeouts, and a statement timeout when given
    (the server sets one; migrations and bulk loads run without).
    """
    if not url.startswith("sqlite"):
        pool = {} if "poolclass" in kwargs else POOL
        # An unreachable server fails fast (health answers 503) instead of hanging requests.
        if not url.startswith("postgresql"):
            return create_engine(url, pool_pre_ping=True, **pool, **kwargs)
        # The checkout ping of dbguard replaces pool_pre_ping: it runs under a deadline.
        engine = create_engine(url, connect_args=pg_connect_args(statement_timeout_s), **pool, **kwargs)
        guard_postgres(engine, statement_timeout_s + STATEMENT_GRACE_S if statement_timeout_s else None)
        return engine
    pool = {} if "poolclass" in kwargs or ":memory:" in url else POOL
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
                           **pool, **kwargs)
    _configure_sqlite(engine)
    return engine


def replica_engine(url: str, statement_timeout_s: float | None = None) -> Engine:
    """An engine on a read replica; on PostgreSQL its transactions are READ ONLY, so no write can land there."""
    engine = make_engine(postgres_url(url), statement_timeout_s)
    if engine.dialect.name == "postgresql":
        return engine.execution_options(postgresql_readonly=True)
    return engine


def pg_connect_args(statement_timeout_s: float | None) -> dict[str, Any]:
    """libpq options bounding how long a PostgreSQL that stops answering can hold a request."""
    args: dict[str, Any] = {"connect_timeout": PG_CONNECT_TIMEOUT_S, "tcp_user_timeout": PG_TCP_USER_TIMEOUT_MS,
                            **PG_KEEPALIVES}
    if statement_timeout_s:
        args["options"] = f"-c statement_timeout={int(statement_timeout_s * 1000)}"
    return args


def _configure_sqlite(engine: Engine) -> None:
    """Install the pragmas and BEGIN handling that make SQLite safe for concurrent writers."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, decide when transactions begin.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cur.execute(f"PRAGMA synchronous={SQLITE_SYNCHRONOUS}")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # A deferred transaction that later writes can fail with "database is locked"
        # when another writer got there first; writers take the lock up front instead.
        immediate = conn.get_execution_options().get(WRITE_INTENT, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def get_or_404(session: Session, model: type[Row], key: Any, missing: str) -> Row:
    """The row of `model` with primary key `key`; NotFound (404) with the message `missing` when there is none."""
    found = session.get(model, key)
    if found is None:
        raise NotFound(missing)
    return found


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    """A sessionmaker whose objects stay usable after commit (responses read them)."""
    return sessionmaker(engine, expire_on_commit=False, autoflush=True)


def is_writer(session: Session) -> bool:
    """Whether the session's transaction announced itself as a writer."""
    return bool(session.connection().get_execution_options().get(WRITE_INTENT))


@contextmanager
def unit_of_work(factory: sessionmaker[Session], write: bool = True) -> Iterator[Session]:
    """Commit on success, roll back on error; writers announce themselves to SQLite."""
    session = factory()
    try:
        if write:
            session.connection(execution_options={WRITE_INTENT: True})
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
