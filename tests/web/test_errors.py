"""The API briefly away, and API refusals: readable pages, nothing typed is lost."""

from __future__ import annotations

import re

import httpx
import pytest

from tiemeasureflow.web import create_web_app

from .helpers import WebSession, assign, make_recipe


class Switchable(httpx.BaseTransport):
    """The in-process API, with a switch that makes it unreachable."""

    def __init__(self, inner: httpx.BaseTransport):
        self.inner = inner
        self.down = False

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if self.down:
            raise httpx.ConnectError("connection refused", request=request)
        return self.inner.handle_request(request)


@pytest.fixture
def line(client_settings, client):
    """A client app whose API can be switched off: (transport, app)."""
    transport = Switchable(client._transport)
    http = httpx.Client(base_url="http://testserver", transport=transport)
    return transport, create_web_app(client_settings, http=http, station_code="ST-DEFAULT")


def test_form_sent_while_api_away_comes_back_filled_in(line, admin, client):
    transport, app = line
    web = WebSession(app.test_client())
    web.login("admin", admin.password)
    transport.down = True
    data = {"username": "giulia", "display_name": "Giulia", "password": "long-enough-1", "roles": ["Maker"]}
    response = web.post("/admin/users/new", data)
    assert response.status_code == 503
    page = response.get_data(as_text=True)
    assert 'value="giulia"' in page and 'value="Maker" checked' in page and "banner warning" in page
    transport.down = False
    assert web.post("/admin/users/new", data).status_code == 302
    assert "giulia" in {u["username"] for u in client.get("/api/users", headers=admin.headers).json()}


def test_other_forms_are_offered_again_with_what_was_typed(line, maker, client):
    transport, app = line
    recipe = make_recipe(client, maker.headers, code="AWAY-1", drawing=False)
    web = WebSession(app.test_client())
    web.login("maker", maker.password)
    transport.down = True
    response = web.post(f"/recipes/{recipe['id']}", {"name": "New name", "change_notes": "typed offline"})
    assert response.status_code == 503
    page = response.get_data(as_text=True)
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', page))
    assert fields["name"] == "New name" and fields["change_notes"] == "typed offline"
    transport.down = False
    assert web.post(f"/recipes/{recipe['id']}", fields).status_code == 302
    assert client.get(f"/api/recipes/{recipe['id']}", headers=maker.headers).json()["name"] == "New name"


def test_page_while_api_away_says_so(line, operator):
    transport, app = line
    web = WebSession(app.test_client())
    web.login("operator", operator.password)
    transport.down = True
    response = web.get("/measure/select")
    assert response.status_code == 503
    assert "cannot be reached" in response.get_data(as_text=True) or "non è raggiungibile" in response.get_data(as_text=True)


def test_value_while_api_away_answers_for_the_page_to_retry(line, operator, maker, admin, client):
    transport, app = line
    recipe = make_recipe(client, maker.headers, code="OFF-1", drawing=False)
    assign(client, admin.headers, recipe["id"])
    web = WebSession(app.test_client())
    web.login("operator", operator.password)
    started = web.post(f"/measure/recipe/{recipe['id']}/start", {"serial_number": "S1"})
    run_url = started.headers["Location"]
    subtask = recipe["current_version"]["tasks"][0]["subtasks"][0]["id"]
    transport.down = True
    response = web.post_json(f"{run_url}/values", {"subtask_id": subtask, "value": "10"})
    assert response.status_code == 503 and response.json["unavailable"] is True
    transport.down = False
    assert web.post_json(f"{run_url}/values", {"subtask_id": subtask, "value": "10"}).status_code == 200


def test_api_refusal_is_shown_on_the_page_it_came_from(signed_in, admin, operator):
    web = signed_in(admin)
    response = web.post("/admin/users/new", {"username": "x y", "display_name": "Bad", "password": "short"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "banner error" in page and "Traceback" not in page
    assert 'name="display_name"' in page  # still the form, with what was typed
    missing = web.get("/admin/users/999999")
    assert missing.status_code == 404 and "banner error" in missing.get_data(as_text=True)


def test_security_headers(web):
    response = web.get("/login")
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
