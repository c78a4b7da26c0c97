"""Admission of requests to the database, decided in the event loop.

A request's unit of work spans several worker-thread calls (dependencies, the route, the
commit). If requests waited for the database inside those threads (SQLite's write lock, a
PostgreSQL row lock, a pooled connection), a burst could occupy every worker thread with
waiters while the request holding the lock waits for a thread to commit: the server stalls
until timeouts turn into errors. So requests queue here instead, where waiting costs nothing:
a few writers per process at a time (one on SQLite, which admits one writer anyway;
MAX_WRITERS on PostgreSQL, whose writers only wait for each other on the rows they share), and
fewer concurrent readers than there are worker threads and pooled connections.

Writers go first: while a writer waits for its turn no new reader is admitted. A plant's saves are
short and must not queue behind a BI tool paging through history as fast as it can; readers in
flight finish, the next ones wait for the writers' queue to empty.

Reads of history (statistics, reports, the public API's lists: the routes that read through
`ReadSessionDep`) are CPU work in one interpreter: several at once finish no sooner, and each one
more takes a share of the interpreter lock from the saves. So a process runs at most
MAX_HISTORY_READERS of them at a time; the others wait here, holding no connection.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager

# Worker threads of the server (anyio's default: 40) and pooled connections (tiemeasureflow.kit.db:
# 30): readers and writers together stay below both, leaving room for CSV streams and background work.
MAX_READERS = 20
MAX_WRITERS = 6
# Measured with 200 operators saving and 10 BI readers paging without pause on PostgreSQL: a save's
# p50 went from 95 to 24 ms when the readers ran one at a time instead of all ten; two keep a slow
# report from holding up every chart.
MAX_HISTORY_READERS = 2


def writers_for(dialect: str) -> int:
    """How many writers a process admits at once on this database."""
    return 1 if dialect == "sqlite" else MAX_WRITERS


class Gates:
    """The writer slots and the reader slots of one event loop."""

    def __init__(self, writers: int) -> None:
        self.writers = asyncio.Semaphore(writers)
        self.readers = asyncio.Semaphore(MAX_READERS)
        # A read replica has a pool of its own; its readers hold a primary slot (authentication) already.
        self.replica_readers = asyncio.Semaphore(MAX_READERS)
        self.history_readers = asyncio.Semaphore(MAX_HISTORY_READERS)
        self.writers_waiting = 0
        self.no_writer_waiting = asyncio.Event()
        self.no_writer_waiting.set()


# One set per event loop: asyncio primitives belong to the loop that first waits on them, and
# tests run one application under several loops.
_gates: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Gates] = weakref.WeakKeyDictionary()


@asynccontextmanager
async def admitted(write: bool, writers: int = 1, replica: bool = False, history: bool = False) -> AsyncIterator[None]:
    """Wait (in the event loop) for a writer turn or a reader slot (of the read replica's), and hold it.

    `history`: a read of history, which first waits for one of the history readers' turns.
    """
    loop = asyncio.get_running_loop()
    gates = _gates.get(loop)
    if gates is None:
        gates = _gates[loop] = Gates(writers)
    if not write:
        async with AsyncExitStack() as held:
            if history:
                await held.enter_async_context(gates.history_readers)
            await gates.no_writer_waiting.wait()
            await held.enter_async_context(gates.replica_readers if replica else gates.readers)
            yield
        return
    gates.writers_waiting += 1
    gates.no_writer_waiting.clear()
    try:
        await gates.writers.acquire()
    finally:
        gates.writers_waiting -= 1
        if not gates.writers_waiting:
            gates.no_writer_waiting.set()
    try:
        yield
    finally:
        gates.writers.release()
