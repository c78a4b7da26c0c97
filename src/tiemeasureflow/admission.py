"""Admission of requests to the database, decided in the event loop.

A request's unit of work spans several worker-thread calls (dependencies, the route, the
commit). If requests waited for the database inside those threads (SQLite's write lock,
PostgreSQL's measurement-id lock, a pooled connection), a burst could occupy every worker
thread with waiters while the request holding the lock waits for a thread to commit: the
server stalls until timeouts turn into errors. So requests queue here instead, where waiting
costs nothing: one writer per process at a time (SQLite admits one writer anyway; PostgreSQL
writers of measurements serialise on the id lock), and fewer concurrent readers than there are
worker threads and pooled connections.
"""

from __future__ import annotations

import asyncio
import weakref
from contextlib import asynccontextmanager
from typing import AsyncIterator

# Worker threads of the server (anyio's default) and pooled connections (tiemeasureflow.db):
# readers stay below both, leaving room for the writer, CSV streams and background work.
MAX_READERS = 24


class Gates:
    """The writer lock and the reader slots of one event loop."""

    def __init__(self) -> None:
        self.writer = asyncio.Lock()
        self.readers = asyncio.Semaphore(MAX_READERS)


# One set per event loop: asyncio primitives belong to the loop that first waits on them, and
# tests run one application under several loops.
_gates: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Gates] = weakref.WeakKeyDictionary()


@asynccontextmanager
async def admitted(write: bool) -> AsyncIterator[None]:
    """Wait (in the event loop) for a writer turn or a reader slot, and hold it."""
    loop = asyncio.get_running_loop()
    gates = _gates.get(loop)
    if gates is None:
        gates = _gates[loop] = Gates()
    async with gates.writer if write else gates.readers:
        yield
