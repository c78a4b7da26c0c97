"""The station client under test, wired to the real API in process (no mocks)."""

from __future__ import annotations

import pytest

from tiemeasureflow.web import create_web_app

from .helpers import WebSession

STATION = "ST-DEFAULT"


@pytest.fixture
def web_app(client_settings, client):
    """The client app; its API calls go to the in-process API through the `client` transport."""
    application = create_web_app(client_settings, http=client, station_code=STATION)
    application.config["TESTING"] = True
    return application


@pytest.fixture
def web(web_app) -> WebSession:
    """An anonymous browser session."""
    return WebSession(web_app.test_client())


@pytest.fixture
def signed_in(web_app):
    """Sign a user in on a fresh browser session: signed_in(test_user) -> WebSession."""

    def sign_in(user) -> WebSession:
        session = WebSession(web_app.test_client())
        response = session.login(user.username, user.password)
        assert response.status_code == 302, response.get_data(as_text=True)
        return session

    return sign_in
