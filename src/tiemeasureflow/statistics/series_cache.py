"""The values of recent selections, shared by the requests that ask for them at the same time.

A dashboard or a report asks for capability, control chart and histogram of one selection at
once; they share one read of the values. Measurements are insert-only, so a selection read up to
a given highest measurement id never changes: that id is part of the key, and a new measurement
anywhere simply makes the next read a fresh one. One cache per database engine, bounded by the
number of values it holds, least recently used first out.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar, cast

import numpy as np
import numpy.typing as npt
from sqlalchemy import Connection, Engine

MAX_VALUES = 4_000_000  # about 64 MB of values and version ids

Values = npt.NDArray[np.float64]
Ids = npt.NDArray[np.int64]
# A selection's values, their version ids and their measurement ids, in the parts' time order.
Series = tuple[Values, Ids, Ids]
# The newest values of a selection only, with the (oldest, newest) measured_at they span.
NewestSeries = tuple[Values, Ids, Ids, npt.NDArray[np.object_]]
Entry = TypeVar("Entry", Series, NewestSeries)


class SeriesCache:
    """Selections by key, least recently used dropped first."""

    def __init__(self, max_values: int = MAX_VALUES) -> None:
        self.max_values = max_values
        self._entries: OrderedDict[Hashable, Series | NewestSeries] = OrderedDict()
        self._lock = threading.Lock()

    def get_or_load(self, key: Hashable, load: Callable[[], Entry]) -> Entry:
        """The cached series, or a fresh one (kept when it fits)."""
        with self._lock:
            cached = self._entries.get(key)
            if cached is not None:
                self._entries.move_to_end(key)
                return cast(Entry, cached)  # a key holds what its loader made: the loaders' keys differ
        series = load()
        for array in series:
            array.flags.writeable = False  # shared between requests
        if len(series[0]) <= self.max_values:
            with self._lock:
                self._entries[key] = series
                while sum(len(s[0]) for s in self._entries.values()) > self.max_values:
                    self._entries.popitem(last=False)
        return series

    def clear(self) -> None:
        """Forget every selection."""
        with self._lock:
            self._entries.clear()


_caches: weakref.WeakKeyDictionary[Engine | Connection, SeriesCache] = weakref.WeakKeyDictionary()
_caches_lock = threading.Lock()


def cache_for(engine: Engine | Connection) -> SeriesCache:
    """The cache of one database engine (or of the connection a session is bound to)."""
    with _caches_lock:
        cache = _caches.get(engine)
        if cache is None:
            cache = _caches[engine] = SeriesCache()
        return cache
