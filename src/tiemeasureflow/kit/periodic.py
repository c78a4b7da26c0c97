"""A background thread that runs one pass every interval until stopped, for the server's lifetime."""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from sqlalchemy.exc import SQLAlchemyError

log = logging.getLogger(__name__)


class PeriodicThread:
    """Runs `work` now and then every `interval` seconds; a failed pass is logged and the next one retries."""

    def __init__(self, name: str, interval: float, work: Callable[[], None]):
        self._name, self._interval, self._work = name, interval, work
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name=f"tmf-{name}", daemon=True)

    def start(self) -> None:
        """Start the loop."""
        self._thread.start()

    def stop(self) -> None:
        """Ask the loop to end and wait for the pass in progress."""
        self._stop.set()
        self._thread.join(timeout=60)

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self._work()
            except SQLAlchemyError as exc:  # database away or not migrated yet: one line, retry next pass
                log.error("%s pass failed: %s", self._name, str(exc).splitlines()[0])
            except Exception:  # keep the loop alive; the next pass picks up where this one stopped
                log.exception("%s pass failed", self._name)
            self._stop.wait(self._interval)


@asynccontextmanager
async def running(thread: PeriodicThread | None) -> AsyncIterator[None]:
    """Keep the thread (when there is one) running for the body's lifetime."""
    if thread is not None:
        thread.start()
    try:
        yield
    finally:
        if thread is not None:
            thread.stop()
