"""A server whose stands poll every second, and helpers that speak the device grant over HTTP."""

from __future__ import annotations

import pytest

from ..fixtures.app import make_settings

DEVICE = "/auth/api/oidc/device-authorization"
TOKEN = "/auth/api/oidc/token"
DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"
CLIENT = "hardpy-report-uploader"
# A HardPy project that the end-to-end test runs with its own pytest; not part of this suite.
collect_ignore = ["hardpy_project"]


@pytest.fixture
def settings(database_url, tmp_path):
    """Short poll interval; everything else as in production."""
    return make_settings(database_url, tmp_path / "data", device_poll_interval_seconds=1,
                         device_verification_url="https://station.example/device")


def start(client, client_id: str = CLIENT) -> dict:
    """Begin a sign-in as HardPy does; returns the 200 answer."""
    res = client.post(DEVICE, data={"client_id": client_id, "scope": "offline_access authelia.bearer.authz",
                                    "audience": "https://x/hardpy/api/v1"})
    assert res.status_code == 200, res.text
    return res.json()


def poll(client, device_code: str, client_id: str = CLIENT):
    """One token poll with the device code."""
    return client.post(TOKEN, data={"client_id": client_id, "grant_type": DEVICE_GRANT, "device_code": device_code})


def refresh(client, refresh_token: str):
    """Trade a refresh token as HardPy's OAuth2Session does."""
    return client.post(TOKEN, data={"grant_type": "refresh_token", "refresh_token": refresh_token,
                                    "client_id": CLIENT, "audience": "https://x/hardpy/api/v1"})


def approve(client, admin, user_code: str, name: str = "EOL stand 7", **extra):
    """The approval page's call."""
    return client.post(f"/api/device-authorizations/{user_code}", json={"approve": True, "name": name, **extra},
                       headers=admin.headers)


def signed_in(client, admin, name: str = "EOL stand 7") -> dict:
    """A stand signed in and approved; returns the token answer."""
    grant = start(client)
    assert approve(client, admin, grant["user_code"], name).status_code == 200
    res = poll(client, grant["device_code"])
    assert res.status_code == 200, res.text
    return res.json()
