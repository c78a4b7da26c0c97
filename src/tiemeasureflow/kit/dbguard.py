"""Client-side deadlines for PostgreSQL, and the short outage window that fails requests fast.

Socket options (keepalives, TCP user timeout) end a wait on a network that drops packets, but not
on a peer that accepts bytes and never answers (a hung server, a stuck proxy). So every statement
and every checkout ping runs under a deadline kept by one watchdog thread: a statement still
waiting past it has its socket shut down, which wakes the waiting thread with a connection error
(answered 503) and lets the pool reconnect once the database is back.
"""

from __future__ import annotations

import socket
import threading
import time
import weakref
from typing import Any

from sqlalchemy import Engine, event, exc

PING_DEADLINE_S = 3.0
# After a lost connection, requests admitted within this window answer 503 at once instead of
# each waiting out its own timeout behind the others.
OUTAGE_WINDOW_S = 2.0


class Watchdog:
    """Deadlines of database calls in flight; expired calls get their socket shut down."""

    def __init__(self, interval: float = 0.2):
        self.interval = interval
        self._lock = threading.Lock()
        self._calls: dict[int, tuple[float, int, weakref.ref[Any]]] = {}
        self._thread: threading.Thread | None = None

    def watch(self, dbapi_conn: Any, seconds: float) -> None:
        """Start the deadline of a call on this connection."""
        try:
            fd = dbapi_conn.pgconn.socket
        except Exception:  # connection already broken: the call will fail by itself
            return
        with self._lock:
            self._calls[id(dbapi_conn)] = (time.monotonic() + seconds, fd, weakref.ref(dbapi_conn))
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="tmf-db-watchdog", daemon=True)
                self._thread.start()

    def release(self, dbapi_conn: Any) -> None:
        """The call on this connection ended."""
        with self._lock:
            self._calls.pop(id(dbapi_conn), None)

    def _run(self) -> None:
        while True:
            time.sleep(self.interval)
            now = time.monotonic()
            with self._lock:
                expired = [key for key, (deadline, _fd, _conn) in self._calls.items() if deadline <= now]
                calls = [self._calls.pop(key)[1:] for key in expired]
            for fd, conn in calls:
                if _still_on(conn(), fd):
                    _shut(fd)


def _still_on(conn: Any, fd: int) -> bool:
    """Whether the watched connection is open and still on this descriptor.

    A call whose entry outlived its connection (closed, its descriptor reused by a new connection)
    must not shut the newcomer's socket in the middle of its transaction.
    """
    if conn is None or conn.closed:
        return False
    try:
        return bool(conn.pgconn.socket == fd)
    except Exception:  # the connection is already broken: nothing left to shut
        return False


def _shut(fd: int) -> None:
    try:
        sock = socket.socket(fileno=fd)
    except OSError:
        return
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    finally:
        sock.detach()  # the descriptor stays the driver's


WATCHDOG = Watchdog()


def guard_postgres(engine: Engine, statement_deadline_s: float | None) -> None:
    """Ping on checkout and, given a deadline, bound every statement of this engine by the watchdog."""

    @event.listens_for(engine, "checkout")
    def _ping(dbapi_conn: Any, _record: Any, _proxy: Any) -> None:
        WATCHDOG.watch(dbapi_conn, PING_DEADLINE_S)
        try:
            with dbapi_conn.cursor() as cur:
                cur.execute("SELECT 1")
            dbapi_conn.rollback()
        except Exception as error:
            # The pool replaces the connection (one new connect, bounded by connect_timeout).
            raise exc.DisconnectionError(str(error)) from error
        finally:
            WATCHDOG.release(dbapi_conn)

    if not statement_deadline_s:
        return

    @event.listens_for(engine, "before_cursor_execute")
    def _start(conn: Any, _cursor: Any, _statement: Any, _params: Any, _context: Any, _many: Any) -> None:
        WATCHDOG.watch(conn.connection.dbapi_connection, statement_deadline_s)

    @event.listens_for(engine, "after_cursor_execute")
    def _end(conn: Any, _cursor: Any, _statement: Any, _params: Any, _context: Any, _many: Any) -> None:
        WATCHDOG.release(conn.connection.dbapi_connection)

    @event.listens_for(engine, "handle_error")
    def _failed(context: Any) -> None:
        try:
            WATCHDOG.release(context.connection.connection.dbapi_connection)
        except Exception:  # no connection, or already invalidated: nothing is watched
            pass


class Outage:
    """When the database was last lost, so later requests answer 503 without waiting again."""

    def __init__(self) -> None:
        self.until = 0.0

    def note(self) -> None:
        """The database just failed to answer."""
        self.until = time.monotonic() + OUTAGE_WINDOW_S

    @property
    def active(self) -> bool:
        """Whether a loss was seen within the window."""
        return time.monotonic() < self.until


def is_unavailable(error: BaseException) -> bool:
    """Whether a database error means the database is unreachable or not answering."""
    return isinstance(error, (exc.OperationalError, exc.InterfaceError, exc.TimeoutError, exc.DisconnectionError))
