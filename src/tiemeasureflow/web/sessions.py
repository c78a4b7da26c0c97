"""Server-side sign-in store: the browser's cookie carries only an opaque id, never the API key.

Why server-side rather than the key in a signed cookie: a signed cookie is readable, so a copied
cookie (a shared tablet, a proxy log, a browser profile backup) would hand out a key that works
directly against the API, for as long as the key lives and from anywhere. Here the cookie is
worthless without this client process, and signing out or a client restart forgets the key. A
station runs one client process, so an in-memory store is enough; users sign in again after the
client restarts.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any


@dataclass
class SignIn:
    """One signed-in browser: the user's API key and the profile it was issued for."""

    api_key: str
    user: dict[str, Any]
    last_seen: float = field(default_factory=time.monotonic)
    checked_at: float = field(default_factory=time.monotonic)


class SignInStore:
    """Opaque ids mapped to sign-ins, forgotten after an idle period."""

    def __init__(self, idle_seconds: float, max_entries: int = 10_000):
        self.idle_seconds = idle_seconds
        self.max_entries = max_entries
        self._entries: dict[str, SignIn] = {}
        self._lock = threading.Lock()

    @staticmethod
    def _slot(sid: str) -> str:
        # Keyed by a digest so a memory dump of the dict keys does not list usable cookie values.
        return hashlib.sha256(sid.encode()).hexdigest()

    def create(self, api_key: str, user: dict[str, Any]) -> str:
        """Remember a sign-in and return the opaque id for the cookie."""
        sid = secrets.token_urlsafe(32)
        with self._lock:
            self._purge_locked()
            self._entries[self._slot(sid)] = SignIn(api_key=api_key, user=user)
        return sid

    def get(self, sid: str | None) -> SignIn | None:
        """The live sign-in for an id (touching it), or None."""
        if not sid:
            return None
        with self._lock:
            entry = self._entries.get(self._slot(sid))
            now = time.monotonic()
            if entry is None:
                return None
            if now - entry.last_seen > self.idle_seconds:
                del self._entries[self._slot(sid)]
                return None
            entry.last_seen = now
            return entry

    def drop(self, sid: str | None) -> SignIn | None:
        """Forget a sign-in; returns it so the caller can revoke its key."""
        if not sid:
            return None
        with self._lock:
            return self._entries.pop(self._slot(sid), None)

    def _purge_locked(self) -> None:
        now = time.monotonic()
        for slot in [s for s, e in self._entries.items() if now - e.last_seen > self.idle_seconds]:
            del self._entries[slot]
        while len(self._entries) >= self.max_entries:
            oldest = min(self._entries, key=lambda s: self._entries[s].last_seen)
            del self._entries[oldest]
