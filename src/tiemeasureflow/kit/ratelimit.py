"""Per-client-IP moving-window rate limits on the `limits` library (memory or Redis storage)."""

from __future__ import annotations

import json
import logging
import math
import time
from typing import Any

from limits import RateLimitItem, RateLimitItemPerMinute, WindowStats
from limits.aio.strategies import MovingWindowRateLimiter
from limits.storage import MemoryStorage, storage_from_string
from limits.strategies import MovingWindowRateLimiter as InProcessMovingWindow
from starlette.types import ASGIApp, Receive, Scope, Send

log = logging.getLogger("tiemeasureflow")

LOGIN_PATH = "/api/auth/login"
LIMITED_PREFIXES = ("/api/", "/integration/", "/hardpy/")
# Health checks come from load balancers every few seconds; they must not eat the budget.
EXEMPT_PATHS = frozenset({"/api/health", "/integration/api/v1/healthcheck", "/hardpy/api/v1/healthcheck"})
LOGIN_DETAIL = "Too many login attempts. Please try again later."
GENERAL_DETAIL = "Too many requests. Please try again later."


def is_rate_limited(path: str) -> bool:
    """Whether requests to this path count against a limit."""
    return path.startswith(LIMITED_PREFIXES) and path not in EXEMPT_PATHS


# A Redis that stops answering costs a request at most this long, and then, while the breaker is
# open, nothing: limits fail open for BREAKER_OPEN_S before the storage is tried again.
REDIS_TIMEOUT_S = 0.5
BREAKER_OPEN_S = 30.0
# "Storage down" is logged at most once per this many seconds, not once per request.
OUTAGE_LOG_INTERVAL_S = 60.0


def is_shared_storage(url: str) -> bool:
    """Whether counters in this storage are shared between processes (memory:// is per process)."""
    return not url.split("://", 1)[0].removeprefix("async+").startswith("memory")


class InProcessWindow:
    """The moving-window strategy over this process's memory, behind the asyncio strategy's interface.

    limits' asyncio memory storage holds an asyncio.Lock per key while its expiry task awaits a
    thread; an event loop that ends meanwhile (every in-process test client runs its own) leaves
    that lock taken, and the next loop's request on the same key waits for ever. The synchronous
    storage guards its counters with thread locks held for microseconds, so it is called directly.
    """

    def __init__(self) -> None:
        self._strategy = InProcessMovingWindow(MemoryStorage())

    async def hit(self, item: RateLimitItem, key: str) -> bool:
        """Count a request; False when over the limit."""
        return self._strategy.hit(item, key)

    async def test(self, item: RateLimitItem, key: str) -> bool:
        """Whether one more request would be within the limit, counting nothing."""
        return self._strategy.test(item, key)

    async def get_window_stats(self, item: RateLimitItem, key: str) -> WindowStats:
        """When the window resets and what remains of it."""
        return self._strategy.get_window_stats(item, key)


def make_strategy(url: str) -> InProcessWindow | MovingWindowRateLimiter:
    """The moving-window strategy over a limits URL; Redis goes through redis-py (coredis is not installed)."""
    async_url = url if url.startswith("async+") else f"async+{url}"
    scheme = async_url.split("://", 1)[0]
    if not is_shared_storage(url):
        return InProcessWindow()
    options: dict[str, Any] = {}
    if "redis" in scheme:
        options = {"implementation": "redispy", "socket_timeout": REDIS_TIMEOUT_S,
                   "socket_connect_timeout": REDIS_TIMEOUT_S}
    return MovingWindowRateLimiter(storage_from_string(async_url, **options))


class RateLimiter:
    """The login and general limits over one shared storage."""

    def __init__(self, storage_url: str, login_per_minute: int, general_per_minute: int,
                 failed_per_username: int = 10):
        self.strategy = make_strategy(storage_url)
        self.login = RateLimitItemPerMinute(login_per_minute, namespace="tmf-login")
        self.general = RateLimitItemPerMinute(general_per_minute, namespace="tmf-general")
        # Failed logins per username, whatever address they come from.
        self.failed_user = RateLimitItemPerMinute(failed_per_username, namespace="tmf-login-user")
        self._open_until = 0.0
        self._last_log = -OUTAGE_LOG_INTERVAL_S

    def _available(self) -> bool:
        return time.monotonic() >= self._open_until

    def _failed(self, exc: Exception) -> None:
        # Storage down: serve rather than refuse every request, and stop asking it for a while.
        now = time.monotonic()
        self._open_until = now + BREAKER_OPEN_S
        if now - self._last_log >= OUTAGE_LOG_INTERVAL_S:
            self._last_log = now
            log.error("rate-limit storage unavailable, limits not applied for the next %.0f s: %s",
                      BREAKER_OPEN_S, exc)

    async def _wait(self, item: Any, key: str) -> int:
        stats: WindowStats = await self.strategy.get_window_stats(item, key)
        return max(1, math.ceil(stats.reset_time - time.time()))

    async def check(self, path: str, method: str, ip: str) -> tuple[int, str] | None:
        """None when allowed; else (seconds to wait, detail)."""
        if not self._available():
            return None
        is_login = path == LOGIN_PATH and method == "POST"
        item = self.login if is_login else self.general
        try:
            if await self.strategy.hit(item, ip):
                return None
            wait = await self._wait(item, ip)
        except Exception as exc:
            self._failed(exc)
            return None
        return wait, LOGIN_DETAIL if is_login else GENERAL_DETAIL

    async def username_refused(self, username: str) -> int | None:
        """Seconds to wait when this username had too many failed logins lately, else None."""
        if not self._available():
            return None
        key = username.casefold()
        try:
            if await self.strategy.test(self.failed_user, key):
                return None
            return await self._wait(self.failed_user, key)
        except Exception as exc:
            self._failed(exc)
            return None

    async def note_failed_login(self, username: str) -> None:
        """Count a failed login against its username."""
        if not self._available():
            return
        try:
            await self.strategy.hit(self.failed_user, username.casefold())
        except Exception as exc:
            self._failed(exc)


class RateLimitMiddleware:
    """Answers 429 with Retry-After once a client exceeds its limit."""

    def __init__(self, app: ASGIApp, limiter: RateLimiter):
        self.app = app
        self.limiter = limiter

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not is_rate_limited(scope.get("path", "")):
            await self.app(scope, receive, send)
            return
        ip = scope.get("tmf_client_ip") or (scope["client"][0] if scope.get("client") else "unknown")
        refused = await self.limiter.check(scope["path"], scope["method"], ip)
        if refused is None:
            await self.app(scope, receive, send)
            return
        wait, detail = refused
        body = json.dumps({"detail": detail}).encode()
        await send({
            "type": "http.response.start",
            "status": 429,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                        (b"retry-after", str(wait).encode())],
        })
        await send({"type": "http.response.body", "body": body})
