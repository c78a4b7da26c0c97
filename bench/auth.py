"""Auth overhead: an authenticated GET vs the unauthenticated health route; logins per second."""

from __future__ import annotations

import time

import httpx

from .common import api_server, database, login, percentile, report
from .fixtures import build_plant

SAMPLES = 400
LOGINS = 20


def _ms(client: httpx.Client, path: str, headers: dict) -> list[float]:
    out = []
    for _ in range(SAMPLES):
        start = time.perf_counter()
        client.get(path, headers=headers).raise_for_status()
        out.append((time.perf_counter() - start) * 1000)
    return out


def run() -> dict:
    """Measure on SQLite; print and write the figures."""
    with database("sqlite") as (url, data_dir):
        build_plant(url, data_dir)
        with api_server(url, data_dir) as server:
            key = login(server.base_url, "operator", "demo-operator")
            with httpx.Client(base_url=server.base_url, timeout=30) as client:
                health = _ms(client, "/api/health", {})
                me = _ms(client, "/api/auth/me", {"X-API-Key": key})
                start = time.perf_counter()
                for _ in range(LOGINS):
                    login(server.base_url, "operator", "demo-operator")
                logins = LOGINS / (time.perf_counter() - start)
    h50, m50 = percentile(health, 50), percentile(me, 50)
    figures = {"health_p50_ms": h50, "auth_me_p50_ms": m50, "auth_overhead_ms": m50 - h50,
               "ratio": m50 / h50, "logins_per_s": logins}
    report("auth", "Auth overhead (SQLite)", ["figure", "value"],
           [["GET /api/health p50 ms", h50], ["GET /api/auth/me p50 ms", m50], ["authenticated / health", m50 / h50],
            ["logins per second (argon2id)", logins]], figures)
    return figures


if __name__ == "__main__":
    run()
