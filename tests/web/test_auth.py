"""Sign-in, sign-out, expiry, CSRF and preferences through the client's pages."""

from __future__ import annotations

import base64
import json
import re

import pytest


def test_login_keeps_key_off_the_browser(web, operator):
    response = web.login("operator", operator.password)
    assert response.status_code == 302 and response.headers["Location"].endswith("/measure/select")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    # The cookie holds an opaque id and the CSRF secret, never the API key.
    payload = cookie.split("=", 1)[1].split(".", 1)[0]
    content = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    assert set(content) <= {"_permanent", "sid", "csrf_token"}
    assert "tmf_" not in json.dumps(content)
    page = web.get("/measure/select").get_data(as_text=True)
    assert "tmf_" not in page


def test_wrong_password_shows_message_and_keeps_username(web, operator):
    web.refresh_token()
    response = web.post("/login", {"username": "operator", "password": "wrong-password"})
    assert response.status_code == 401
    page = response.get_data(as_text=True)
    assert "Invalid username or password" in page or "Nome utente o password non validi" in page
    assert 'value="operator"' in page


def test_form_without_csrf_token_is_refused(web, operator):
    web.refresh_token()
    response = web.client.post("/login", data={"username": "operator", "password": operator.password})
    assert response.status_code == 400
    assert web.client.get("/measure/select").status_code == 302  # not signed in


def test_logout_revokes_the_key_at_the_api(web, operator, client, app):
    web.login("operator", operator.password)
    store = web.client.application.extensions["tmf_signins"]
    key = next(iter(store._entries.values())).api_key
    assert client.get("/api/auth/me", headers={"X-API-Key": key}).status_code == 200
    response = web.post("/logout")
    assert response.status_code == 302 and response.headers["Location"].endswith("/login")
    assert client.get("/api/auth/me", headers={"X-API-Key": key}).status_code == 401
    assert web.get("/measure/select").status_code == 302


def test_revoked_key_sends_user_to_login_with_message(web, admin, client, factory):
    user = factory.user("Maker", username="maria")
    web.login("maria", user.password)
    # An administrator regenerates Maria's key: her client session's key stops working.
    assert client.post(f"/api/users/{user.id}/regenerate-key", headers=admin.headers).status_code == 200
    web.client.application.extensions["tmf_signins"]._entries.values().__iter__().__next__().checked_at = 0
    response = web.get("/recipes/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    page = web.get(response.headers["Location"]).get_data(as_text=True)
    assert "session has expired" in page or "sessione è scaduta" in page


def test_idle_sign_in_expires(web, operator):
    web.login("operator", operator.password)
    store = web.client.application.extensions["tmf_signins"]
    store.idle_seconds = -1
    response = web.get("/measure/select")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_language_and_theme_switch_saved_to_profile(web, operator, client):
    web.login("operator", operator.password)
    web.post("/preferences", {"lang": "it", "back": "/measure/select"})
    web.post("/preferences", {"theme": "dark", "back": "/measure/select"})
    page = web.get("/measure/select").get_data(as_text=True)
    assert '<html lang="it" data-theme="dark">' in page
    assert "Seleziona ricetta" in page
    me = client.get("/api/auth/me", headers=operator.headers).json()
    assert me["language_pref"] == "it" and me["theme_pref"] == "dark"


def test_language_switch_works_before_sign_in(web):
    web.refresh_token()
    web.post("/preferences", {"lang": "en"})
    assert re.search(r'<html lang="en"', web.get("/login").get_data(as_text=True))
    web.post("/preferences", {"lang": "it"})
    assert "Accedi" in web.get("/login").get_data(as_text=True)


def test_open_redirect_refused(web, operator):
    web.refresh_token()
    response = web.post("/login?next=//evil.example/x", {"username": "operator", "password": operator.password})
    assert response.headers["Location"].endswith("/measure/select")


def test_api_down_on_login_keeps_username(client_settings):
    import httpx

    from tiemeasureflow.web import create_web_app

    from .helpers import WebSession

    down = httpx.Client(base_url="http://127.0.0.1:9", timeout=0.5)
    web = WebSession(create_web_app(client_settings, http=down, station_code="ST-DEFAULT").test_client())
    web.refresh_token()
    response = web.post("/login", {"username": "anna", "password": "whatever-pass"})
    assert response.status_code == 503
    page = response.get_data(as_text=True)
    assert 'value="anna"' in page and "banner warning" in page


def test_an_untrusted_peer_cannot_claim_https(web, operator):
    # TRUSTED_PROXIES is empty: anyone's X-Forwarded-Proto is ignored (tests/web/test_behind_proxy.py
    # covers the trusted proxy against a real client process).
    web.refresh_token()
    response = web.client.post("/login", data={"username": "operator", "password": operator.password,
                                               "csrf_token": web.token},
                               headers={"X-Forwarded-Proto": "https"})
    assert response.status_code == 302
    assert "Secure" not in response.headers["Set-Cookie"]
    assert "Strict-Transport-Security" not in response.headers


@pytest.mark.parametrize("target", ["/%09/evil.example", "/%0a/evil.example", "/%5Cevil.example",
                                    "//evil.example", "https://evil.example/", "/\\evil.example", "%2F%2Fevil"])
def test_next_must_be_a_same_site_path(web, operator, target):
    web.refresh_token()
    response = web.post(f"/login?next={target}", {"username": "operator", "password": operator.password})
    assert response.headers["Location"] == "/measure/select"


def test_a_same_site_next_is_followed(web, operator):
    web.refresh_token()
    response = web.post("/login?next=/spc/?recipe=3", {"username": "operator", "password": operator.password})
    assert response.headers["Location"] == "/spc/?recipe=3"
