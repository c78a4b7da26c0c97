"""A real `tmf client` (waitress) behind a TLS proxy: Secure cookie, HSTS, no open redirect, end-user addresses."""

from __future__ import annotations

import httpx
import pytest

from tests.fixtures.app import TEST_PEPPER
from tests.fixtures.live import servers, station_client

from .helpers import CSRF_META

PROXY = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7"}


@pytest.fixture
def plant(database_url, tmp_path):
    """An API and a station client, both trusting the proxy at 127.0.0.1."""
    common = {"SECRET_KEY": TEST_PEPPER, "LOG_LEVEL": "warning", "TRUSTED_PROXIES": "127.0.0.1"}
    api_env = {**common, "DATABASE_URL": database_url, "DATA_DIR": str(tmp_path / "api"),
               "RATE_LIMIT_LOGIN": "2", "RATE_LIMIT_GENERAL": "100000"}
    with servers(1, api_env, tmp_path) as (api,):
        client_env = {**common, "DATA_DIR": str(tmp_path / "client"), "STATION_CODE": "ST-DEFAULT"}
        with station_client(api, client_env, tmp_path) as url:
            yield url


class Browser:
    """A browser behind the proxy: cookies by hand, because a cookie jar keeps Secure cookies off http://."""

    def __init__(self, url: str, address: str = "203.0.113.7"):
        self.http = httpx.Client(base_url=url, timeout=30, follow_redirects=False)
        self.headers = {**PROXY, "X-Forwarded-For": address}
        self.cookie = ""

    def _keep(self, response: httpx.Response) -> httpx.Response:
        for header in response.headers.get_list("set-cookie"):
            if header.startswith("tmf_session="):
                self.cookie = header.split(";", 1)[0]
        return response

    def get(self, path: str) -> httpx.Response:
        return self._keep(self.http.get(path, headers={**self.headers, "Cookie": self.cookie}))

    def login(self, username: str, password: str, path: str = "/login") -> httpx.Response:
        token = CSRF_META.search(self.get("/login").text).group(1)
        return self._keep(self.http.post(path, headers={**self.headers, "Cookie": self.cookie},
                                         data={"username": username, "password": password, "csrf_token": token}))


def test_behind_the_tls_proxy_the_cookie_is_secure_hsts_is_sent_and_next_stays_on_site(plant, operator):
    browser = Browser(plant)
    page = browser.get("/login")
    assert page.headers["strict-transport-security"] == "max-age=31536000"
    assert "Secure" in page.headers["set-cookie"]
    res = browser.login(operator.username, operator.password, "/login?next=/%09/evil.example")
    assert res.status_code == 302
    assert res.headers["location"] == "/measure/select"
    assert "Secure" in res.headers["set-cookie"] and "HttpOnly" in res.headers["set-cookie"]
    assert res.headers["strict-transport-security"] == "max-age=31536000"


def test_failed_logins_count_per_end_user_address_not_per_client(plant, operator, factory):
    # Two typos by one operator (RATE_LIMIT_LOGIN=2) lock out that address only, not the whole shift.
    typo = Browser(plant, "198.51.100.1")
    assert [typo.login(operator.username, "wrong-password-1").status_code for _ in range(3)] == [401, 401, 429]
    colleague = factory.user("MeasurementTec", username="colleague")
    assert Browser(plant, "198.51.100.2").login(colleague.username, colleague.password).status_code == 302
