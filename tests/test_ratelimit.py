"""Rate limits: login and general limits per client IP, trusted proxies, counters shared through Redis."""

from __future__ import annotations

import asyncio
import os
import secrets
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
import redis
from fastapi.testclient import TestClient

from tiemeasureflow.app import create_app

from .fixtures.app import TEST_PEPPER, make_settings
from .fixtures.faultproxy import FaultProxy
from .fixtures.live import servers

LOGIN_429 = {"detail": "Too many login attempts. Please try again later."}
GENERAL_429 = {"detail": "Too many requests. Please try again later."}
REDIS_URL = "redis://127.0.0.1:6379/0"
BAD_LOGIN = {"username": "nobody", "password": "wrong-password"}


@contextmanager
def limited_client(database_url: str, tmp_path: Path, peer: str = "testclient", **overrides):
    limits = {"rate_limit_login": 5, "rate_limit_general": 300, **overrides}
    app = create_app(make_settings(database_url, tmp_path / "data", **limits))
    try:
        with TestClient(app, client=(peer, 40000)) as client:
            yield client
    finally:
        app.state.engine.dispose()


def assert_retry_after(res) -> None:
    assert 1 <= int(res.headers["retry-after"]) <= 60


def test_the_sixth_login_in_a_minute_is_refused_with_retry_after(database_url, tmp_path, factory):
    with limited_client(database_url, tmp_path) as client:
        answers = [client.post("/api/auth/login", json=BAD_LOGIN) for _ in range(6)]
        assert [r.status_code for r in answers] == [401] * 5 + [429]
        assert answers[-1].json() == LOGIN_429
        assert_retry_after(answers[-1])
        # Even good credentials wait: the limit is on attempts, not failures.
        user = factory.user(username="patient")
        good = client.post("/api/auth/login", json={"username": "patient", "password": user.password})
        assert good.status_code == 429
        # Other routes have their own budget.
        assert client.get("/api/auth/me", headers=user.headers).status_code == 200


def test_the_general_limit_counts_every_other_request(database_url, tmp_path, factory):
    user = factory.user(username="chatty")
    with limited_client(database_url, tmp_path, rate_limit_general=3) as client:
        codes = [client.get("/api/auth/me", headers=user.headers).status_code for _ in range(3)]
        refused = client.get("/api/settings/", headers=user.headers)
        assert codes == [200, 200, 200] and refused.status_code == 429 and refused.json() == GENERAL_429
        assert_retry_after(refused)
        assert client.get("/api/auth/me").status_code == 429
        assert client.get("/api/health").status_code == 200
        assert client.post("/api/auth/login", json=BAD_LOGIN).status_code == 401


def test_forwarded_for_is_believed_only_from_a_trusted_proxy(database_url, tmp_path, factory, admin):
    with limited_client(database_url, tmp_path, peer="10.0.0.2", trusted_proxies="10.0.0.0/8, 192.0.2.7") as client:
        for _ in range(5):
            client.post("/api/auth/login", json=BAD_LOGIN, headers={"X-Forwarded-For": "198.51.100.1"})
        blocked = client.post("/api/auth/login", json=BAD_LOGIN, headers={"X-Forwarded-For": "198.51.100.1"})
        # The next client behind the same proxy has its own budget; a spoofed hop before it changes nothing.
        other = client.post("/api/auth/login", json=BAD_LOGIN,
                            headers={"X-Forwarded-For": "198.51.100.1, 198.51.100.2"})
        chained = client.post("/api/auth/login", json=BAD_LOGIN,
                              headers={"X-Forwarded-For": "203.0.113.5, 10.0.0.9"})
        assert (blocked.status_code, other.status_code, chained.status_code) == (429, 401, 401)
        ips = [e["client_ip"] for e in client.get("/api/audit", params={"action": "login_failed", "per_page": 2},
                                                  headers=admin.headers).json()["items"]]
        assert ips == ["203.0.113.5", "198.51.100.2"]


def test_forwarded_for_from_an_untrusted_peer_is_ignored(database_url, tmp_path, admin):
    with limited_client(database_url, tmp_path, peer="192.0.2.50", trusted_proxies="10.0.0.0/8") as client:
        codes = [client.post("/api/auth/login", json=BAD_LOGIN,
                             headers={"X-Forwarded-For": f"198.51.100.{i}"}).status_code for i in range(6)]
        assert codes == [401] * 5 + [429]
        events = client.get("/api/audit", params={"action": "login_failed"}, headers=admin.headers).json()["items"]
        assert {e["client_ip"] for e in events} == {"192.0.2.50"}


@pytest.mark.redis
def test_two_server_processes_share_their_counters_through_redis(database_url, tmp_path):
    store = redis.Redis.from_url(REDIS_URL)
    store.ping()
    # A client address of our own keeps these counters apart from anything else using this Redis.
    client_ip = f"2001:db8::{secrets.token_hex(2)}:{secrets.token_hex(2)}"
    env = {"DATABASE_URL": database_url, "DATA_DIR": str(tmp_path / "data"), "SECRET_KEY": TEST_PEPPER,
           "RATE_LIMIT_STORAGE_URL": REDIS_URL, "RATE_LIMIT_LOGIN": "5", "TRUSTED_PROXIES": "127.0.0.1",
           "LOG_LEVEL": "warning"}
    try:
        with servers(2, env, tmp_path) as (first, second):
            headers = {"X-Forwarded-For": client_ip}
            # A username of our own too: failed logins also count per username in Redis.
            bad_login = {**BAD_LOGIN, "username": f"nobody-{client_ip}"}
            codes = [httpx.post(f"{url}/api/auth/login", json=bad_login, headers=headers, timeout=30).status_code
                     for url in (first, second, first, second, first)]
            assert codes == [401] * 5
            # The second server refuses the sixth attempt, three of which it never saw.
            refused = httpx.post(f"{second}/api/auth/login", json=bad_login, headers=headers, timeout=30)
            assert refused.status_code == 429 and refused.json() == LOGIN_429
            assert_retry_after(refused)
            assert httpx.post(f"{first}/api/auth/login", json=bad_login, headers=headers, timeout=30).status_code == 429
            assert list(store.scan_iter(match=f"*{client_ip}*")), "no counter stored in Redis"
    finally:
        for key in store.scan_iter(match=f"*{client_ip}*"):
            store.delete(key)
        store.close()


def test_failed_logins_are_limited_per_username_from_any_address(database_url, tmp_path, factory):
    user = factory.user(username="target")
    with limited_client(database_url, tmp_path, peer="10.0.0.2", trusted_proxies="10.0.0.0/8",
                        rate_limit_login_username=3) as client:
        codes = [client.post("/api/auth/login", json={"username": "Target", "password": "guess-number-x"},
                             headers={"X-Forwarded-For": f"198.51.100.{n}"}).status_code for n in range(1, 4)]
        # A fourth address, even with the right password, waits: the account is being guessed at.
        refused = client.post("/api/auth/login", json={"username": "target", "password": user.password},
                              headers={"X-Forwarded-For": "198.51.100.9"})
        other = factory.user(username="bystander")
        fine = client.post("/api/auth/login", json={"username": "bystander", "password": other.password},
                           headers={"X-Forwarded-For": "198.51.100.9"})
    assert codes == [401, 401, 401]
    assert refused.status_code == 429 and refused.json() == LOGIN_429
    assert_retry_after(refused)
    assert fine.status_code == 200


def test_serve_refuses_several_workers_without_shared_counters(tmp_path):
    env = {**os.environ, "DATA_DIR": str(tmp_path / "data"), "RATE_LIMIT_STORAGE_URL": "memory://"}
    done = subprocess.run([sys.executable, "-m", "tiemeasureflow", "serve", "--workers", "3"], env=env, cwd=tmp_path,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "--workers 3 needs RATE_LIMIT_STORAGE_URL=redis://" in done.stderr
    assert "Traceback" not in done.stderr


def test_redis_down_fails_open_and_logs_once(database_url, tmp_path, factory, caplog):
    user = factory.user(username="steady")
    with limited_client(database_url, tmp_path, rate_limit_storage_url="redis://127.0.0.1:1/0",
                        rate_limit_general=2) as client:
        codes = [client.get("/api/auth/me", headers=user.headers).status_code for _ in range(6)]
    assert codes == [200] * 6
    assert caplog.text.count("rate-limit storage unavailable") == 1


@pytest.mark.redis
def test_a_black_holed_redis_does_not_hold_requests(database_url, tmp_path, factory):
    user = factory.user(username="patient-one")
    proxy = FaultProxy(("127.0.0.1", 6379))
    env = {"DATABASE_URL": database_url, "DATA_DIR": str(tmp_path / "data"), "SECRET_KEY": TEST_PEPPER,
           "RATE_LIMIT_STORAGE_URL": f"redis://127.0.0.1:{proxy.port}/0", "LOG_LEVEL": "warning"}
    try:
        with servers(1, env, tmp_path) as (base,):
            assert httpx.get(f"{base}/api/auth/me", headers=user.headers, timeout=5).status_code == 200
            proxy.set("blackhole")
            # The client's timeout is the bound: Redis may cost a request half a second, never seconds.
            codes = [httpx.get(f"{base}/api/auth/me", headers=user.headers, timeout=3).status_code for _ in range(10)]
    finally:
        proxy.close()
    assert codes == [200] * 10


def _two_event_loops(limiter) -> list:
    """Count a request in one event loop that ends at once, then three in a second loop."""
    first = asyncio.new_event_loop()
    assert first.run_until_complete(limiter.check("/api/recipes", "GET", "10.1.1.1")) is None
    first.close()  # housekeeping had begun in this loop, which ends here
    second = asyncio.new_event_loop()
    try:
        return [second.run_until_complete(asyncio.wait_for(limiter.check("/api/recipes", "GET", "10.1.1.1"), 5))
                for _ in range(3)]
    finally:
        second.close()


def test_counters_outlive_an_event_loop_that_ended_mid_housekeeping(database_url, tmp_path):
    # Each in-process client session runs its own event loop, and a loop may end while the storage's
    # housekeeping is half done; the next loop's requests must still be counted, not wait for ever.
    app = create_app(make_settings(database_url, tmp_path / "data", rate_limit_general=3))
    try:
        # A thread of its own: other tests (the browser's) may leave an event loop running in this one.
        with ThreadPoolExecutor(1) as pool:
            answers = pool.submit(_two_event_loops, app.state.rate_limiter).result()
        assert answers[:2] == [None, None]
        assert answers[2] is not None and answers[2][1] == GENERAL_429["detail"]
    finally:
        app.state.engine.dispose()
