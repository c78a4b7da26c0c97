"""The database away: 503 with Retry-After on every route, bounded waits, recovery without restart."""

from __future__ import annotations

import shutil
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import make_url

from tiemeasureflow.app import create_app

from .fixtures.app import TEST_PEPPER, make_settings
from .fixtures.database import USING_POSTGRES
from .fixtures.faultproxy import FaultProxy
from .fixtures.live import one_at_a_time, servers

pytestmark = one_at_a_time

KEY = {"X-API-Key": "tmf_1_" + "a" * 40}
# One route of each kind: reference reads and writes, login, the public APIs, uploads.
ROUTES = [
    ("GET", "/api/runs", KEY, None),
    ("POST", "/api/runs", KEY, {"recipe_id": 1, "serial_number": "S1", "station_code": "ST"}),
    ("POST", "/api/auth/login", {}, {"username": "someone", "password": "something-long"}),
    ("GET", "/api/measurements/", KEY, None),
    ("GET", "/api/audit", KEY, None),
    ("GET", "/integration/api/v1/test_run", {"Authorization": "Bearer tmf_1_" + "b" * 40}, None),
    ("POST", "/hardpy/api/v1/test_report", {"Authorization": "Bearer tmf_1_" + "b" * 40}, {}),
]


def _away(client: httpx.Client | TestClient) -> list[tuple[str, int, str | None]]:
    answers = []
    for method, path, headers, body in ROUTES:
        res = client.request(method, path, headers=headers, json=body)
        answers.append((path, res.status_code, res.headers.get("retry-after")))
    return answers


def _expected_away() -> list[tuple[str, int, str]]:
    return [(path, 503, "5") for _m, path, _h, _b in ROUTES]


def test_every_route_answers_503_with_retry_after_when_the_database_cannot_be_reached(tmp_path):
    url = ("postgresql://postgres@127.0.0.1:1/nowhere" if USING_POSTGRES
           else f"sqlite:///{tmp_path / 'missing-folder' / 'db.sqlite'}")
    app = create_app(make_settings(url, tmp_path / "data"))
    with TestClient(app, raise_server_exceptions=False) as client:
        answers = _away(client)
        body = client.get("/api/runs", headers=KEY).json()
    app.state.engine.dispose()
    assert answers == _expected_away()
    assert body == {"detail": "Database unavailable. Please try again shortly."}


def test_health_is_503_when_the_sqlite_disk_is_full(database_url, tmp_path):
    # "Full" is less free space than HEALTH_MIN_FREE_MB: ask for more than the disk has.
    free_mb = shutil.disk_usage(tmp_path).free // (1024 * 1024)
    roomy = create_app(make_settings(database_url, tmp_path / "data", health_min_free_mb=1))
    full = create_app(make_settings(database_url, tmp_path / "data", health_min_free_mb=free_mb + 1024))
    with TestClient(roomy) as ok_client, TestClient(full) as full_client:
        assert ok_client.get("/api/health").status_code == 200
        res = full_client.get("/api/health")
        public = full_client.get("/hardpy/api/v1/healthcheck")
    roomy.state.engine.dispose()
    full.state.engine.dispose()
    if USING_POSTGRES:  # the free-space rule is SQLite's: PostgreSQL's disk is its server's
        assert (res.status_code, public.status_code) == (200, 200)
    else:
        assert res.status_code == 503 and res.json()["detail"] == "Database disk full"
        assert public.status_code == 503


if USING_POSTGRES:
    @pytest.fixture
    def proxied(database_url, tmp_path, operator):
        """A real server whose PostgreSQL connections pass through a fault proxy."""
        url = make_url(database_url)
        proxy = FaultProxy((url.host, url.port or 5432))
        env = {"DATABASE_URL": url.set(port=proxy.port).render_as_string(hide_password=False),
               "DATA_DIR": str(tmp_path / "data"), "SECRET_KEY": TEST_PEPPER, "LOG_LEVEL": "warning",
               "RATE_LIMIT_GENERAL": "1000000", "RATE_LIMIT_LOGIN": "1000000"}
        try:
            with servers(1, env, tmp_path) as (base,):
                yield proxy, base, operator
        finally:
            proxy.close()

    def _recovered(base: str, operator) -> int:
        # Recovery needs no restart: once the short outage window has passed, the pool reconnects.
        for _ in range(40):
            res = httpx.get(f"{base}/api/runs", headers=operator.headers, timeout=10)
            if res.status_code == 200:
                return 200
            time.sleep(0.5)
        return res.status_code

    @pytest.mark.parametrize("mode", ["refuse", "reset"])
    def test_a_refused_or_reset_database_answers_503_on_every_route_and_recovers(proxied, mode):
        proxy, base, operator = proxied
        with httpx.Client(base_url=base, timeout=10) as client:
            assert client.get("/api/runs", headers=operator.headers).status_code == 200
            proxy.set(mode)
            answers = _away(client)
            own = client.get("/api/runs", headers=operator.headers)
            health = client.get("/api/health", timeout=5)
        assert answers == _expected_away()
        assert (own.status_code, own.headers.get("retry-after")) == (503, "5")
        assert health.status_code == 503
        proxy.set("pass")
        assert _recovered(base, operator) == 200

    def test_a_black_holed_database_ends_every_request_in_bounded_time(proxied):
        proxy, base, operator = proxied
        assert httpx.get(f"{base}/api/runs", headers=operator.headers, timeout=10).status_code == 200
        proxy.set("blackhole")

        def call(method_path):
            method, path = method_path
            body = {"recipe_id": 1, "serial_number": "S1", "station_code": "ST"} if method == "POST" else None
            # The client's timeout is the bound: a request still open after 10 s fails the test.
            return httpx.request(method, f"{base}{path}", headers=operator.headers, json=body, timeout=10).status_code

        calls = [("GET", "/api/runs"), ("POST", "/api/runs"), ("GET", "/api/measurements/"),
                 ("POST", "/api/runs"), ("GET", "/api/audit"), ("POST", "/api/runs")]
        with ThreadPoolExecutor(len(calls) + 1) as pool:
            health = pool.submit(httpx.get, f"{base}/api/health", timeout=5)
            statuses = list(pool.map(call, calls))
            assert health.result().status_code == 503
        assert statuses == [503] * len(calls)
        proxy.set("pass")
        assert _recovered(base, operator) == 200
