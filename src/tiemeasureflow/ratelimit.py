"""Per-client-IP moving-window rate limits on the `limits` library (memory or Redis storage)."""

from __future__ import annotations

import json
import logging
import math
import time

from limits import RateLimitItemPerMinute
from limits.aio.strategies import MovingWindowRateLimiter
from limits.storage import storage_from_string
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


def make_storage(url: str):
    """The asyncio storage for a limits URL; Redis goes through redis-py (coredis is not installed)."""
    async_url = url if url.startswith("async+") else f"async+{url}"
    options = {"implementation": "redispy"} if "redis" in async_url.split("://", 1)[0] else {}
    return storage_from_string(async_url, **options)


class RateLimiter:
    """The login and general limits over one shared storage."""

    def __init__(self, storage_url: str, login_per_minute: int, general_per_minute: int):
        self.storage = make_storage(storage_url)
        self.strategy = MovingWindowRateLimiter(self.storage)
        self.login = RateLimitItemPerMinute(login_per_minute, namespace="tmf-login")
        self.general = RateLimitItemPerMinute(general_per_minute, namespace="tmf-general")

    async def check(self, path: str, method: str, ip: str) -> tuple[int, str] | None:
        """None when allowed; else (seconds to wait, detail)."""
        is_login = path == LOGIN_PATH and method == "POST"
        item = self.login if is_login else self.general
        try:
            if await self.strategy.hit(item, ip):
                return None
            stats = await self.strategy.get_window_stats(item, ip)
        except Exception as exc:  # storage down: serve rather than refuse every request
            log.error("rate-limit storage unavailable, request let through: %s", exc)
            return None
        wait = max(1, math.ceil(stats.reset_time - time.time()))
        return wait, LOGIN_DETAIL if is_login else GENERAL_DETAIL


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
