"""Slow CPU work (image decoding and rendering, password hashing): in worker threads, a few at a time.

Routes run it between their database units of work, never inside one: a request holding the
writer's turn (see `admission`) while it decodes a large image or hashes a password would stop
every other writer of the process for that long. The lanes bound how many such jobs run at once,
which bounds the memory they take (a 64-megapixel image decodes to about 200 MB, an argon2id
hash takes 64 MiB); further jobs wait in the event loop, where waiting costs no worker thread.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from fastapi.concurrency import run_in_threadpool

T = TypeVar("T")

IMAGES = "images"
PASSWORDS = "passwords"
# Jobs of each lane running at once per process.
SLOTS = {IMAGES: 2, PASSWORDS: 4}


@dataclass
class Lane:
    """One kind of slow work in one event loop: its slots and how many jobs run or wait."""

    slots: int
    semaphore: asyncio.Semaphore = field(init=False)
    running: int = 0
    waiting: int = 0

    def __post_init__(self) -> None:
        self.semaphore = asyncio.Semaphore(self.slots)


# One set per event loop: asyncio primitives belong to the loop that first waits on them.
_lanes: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[str, Lane]] = weakref.WeakKeyDictionary()


def _lane(name: str) -> Lane:
    loop = asyncio.get_running_loop()
    lanes = _lanes.get(loop)
    if lanes is None:
        lanes = _lanes[loop] = {lane: Lane(slots) for lane, slots in SLOTS.items()}
    return lanes[name]


async def run(lane_name: str, fn: Callable[..., T], *args: object) -> T:
    """Run fn(*args) in a worker thread once a slot of the lane is free."""
    lane = _lane(lane_name)
    lane.waiting += 1
    try:
        await lane.semaphore.acquire()
    finally:
        lane.waiting -= 1
    lane.running += 1
    try:
        # Not abandoned on cancellation: the slot stays taken while the thread still works.
        return await run_in_threadpool(fn, *args)
    finally:
        lane.running -= 1
        lane.semaphore.release()


def load() -> dict[str, dict[str, int]]:
    """Per lane: its slots and the jobs running and waiting now, over every event loop of the process."""
    totals = {name: {"slots": slots, "running": 0, "waiting": 0} for name, slots in SLOTS.items()}
    for lanes in list(_lanes.values()):
        for name, lane in lanes.items():
            totals[name]["running"] += lane.running
            totals[name]["waiting"] += lane.waiting
    return totals
