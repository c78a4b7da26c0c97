"""Admin pages: users, stations with recipe assignment, settings and logo, keys, audit log."""

from __future__ import annotations

import io
import re

import pytest

from .helpers import drawing_png, make_recipe, station_id


@pytest.fixture
def admin_web(signed_in, admin):
    return signed_in(admin)


def test_create_edit_deactivate_user_and_regenerate_key(admin_web, client):
    created = admin_web.post("/admin/users/new", {"username": "luca", "display_name": "Luca", "password": "long-enough-1",
                                                  "roles": ["MeasurementTec", "Metrologist"], "language_pref": "it"})
    assert created.status_code == 302
    users = {u["username"]: u for u in client.get("/api/users", headers=_admin_headers(admin_web)).json()}
    luca = users["luca"]
    assert luca["roles"] == ["MeasurementTec", "Metrologist"] and luca["language_pref"] == "it"
    edited = admin_web.post(f"/admin/users/{luca['id']}", {"display_name": "Luca B.", "roles": ["Maker"], "active": "1",
                                                           "language_pref": "en", "theme_pref": "dark"})
    assert edited.status_code == 302
    key_page = admin_web.post(f"/admin/users/{luca['id']}/regenerate-key").get_data(as_text=True)
    key = re.search(r'data-testid="once-key">([^<]+)<', key_page).group(1)
    assert client.get("/api/auth/me", headers={"X-API-Key": key}).json()["display_name"] == "Luca B."
    admin_web.post(f"/admin/users/{luca['id']}/deactivate")
    assert client.get("/api/auth/me", headers={"X-API-Key": key}).status_code == 401
    assert "Inactive" in admin_web.get("/admin/users").get_data(as_text=True)


def _admin_headers(session) -> dict:
    store = session.client.application.extensions["tmf_signins"]
    return {"X-API-Key": next(iter(store._entries.values())).api_key}


def test_duplicate_username_keeps_the_form(admin_web, factory):
    factory.user(username="taken")
    response = admin_web.post("/admin/users/new", {"username": "taken", "display_name": "Again", "password": "long-enough-1",
                                                   "roles": ["Maker"]})
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "banner error" in page and 'value="Again"' in page and 'value="Maker" checked' in page


def test_station_crud_and_assignment(admin_web, client, maker, admin):
    recipe_a = make_recipe(client, maker.headers, code="A-1", drawing=False)
    recipe_b = make_recipe(client, maker.headers, code="B-2", drawing=False)
    assert admin_web.post("/admin/stations/new", {"code": "ST-LINE-A", "name": "Line A", "active": "1"}).status_code == 302
    sid = station_id(client, admin.headers, "ST-LINE-A")
    page = admin_web.get("/admin/stations").get_data(as_text=True)
    assert "ST-LINE-A" in page and 'id="assign-dialog"' in page and "A-1" in page
    saved = admin_web.post(f"/admin/stations/{sid}/recipes", {"recipe_ids": [str(recipe_a["id"]), str(recipe_b["id"])]})
    assert saved.status_code == 302
    assigned = client.get(f"/api/stations/{sid}/recipes", headers=admin.headers).json()
    assert {r["code"] for r in assigned} == {"A-1", "B-2"}
    admin_web.post(f"/admin/stations/{sid}/recipes", {"recipe_ids": [str(recipe_b["id"])]})
    assert [r["code"] for r in client.get(f"/api/stations/{sid}/recipes", headers=admin.headers).json()] == ["B-2"]
    assert admin_web.post(f"/admin/stations/{sid}", {"name": "Line A2", "location": "Hall 2"}).status_code == 302
    station = client.get(f"/api/stations/{sid}", headers=admin.headers).json()
    assert station["name"] == "Line A2" and station["active"] is False and station["code"] == "ST-LINE-A"
    assert admin_web.post(f"/admin/stations/{sid}/delete").status_code == 302
    assert client.get(f"/api/stations/{sid}", headers=admin.headers).status_code == 404


def test_duplicate_station_code_is_refused_readably(admin_web):
    response = admin_web.post("/admin/stations/new", {"code": "ST-DEFAULT", "name": "Again", "active": "1"})
    assert response.status_code == 409 and "banner error" in response.get_data(as_text=True)


def test_settings_and_logo(admin_web, client, admin):
    saved = admin_web.post("/admin/settings", {"csv_delimiter": ";", "csv_decimal_separator": ",", "company_name": "Officine"})
    assert saved.status_code == 302
    assert client.get("/api/settings/", headers=admin.headers).json()["csv_delimiter"] == ";"
    clash = admin_web.post("/admin/settings", {"csv_delimiter": ",", "csv_decimal_separator": ","})
    assert clash.status_code == 422 and "differ" in clash.get_data(as_text=True)
    logo = admin_web.post("/admin/settings/logo", {"logo": (io.BytesIO(drawing_png(120, 40)), "logo.png")},
                          content_type="multipart/form-data")
    assert logo.status_code == 302
    served = admin_web.get("/logo")
    assert served.status_code == 200 and served.data[:4] == b"\x89PNG"


def test_integration_key_shown_once_and_revoked(admin_web, client):
    page = admin_web.post("/admin/keys", {"kind": "integration", "name": "BI tool"}).get_data(as_text=True)
    key = re.search(r'data-testid="once-key">([^<]+)<', page).group(1)
    assert client.get("/integration/api/v1/test_run", headers={"X-API-KEY": key}).status_code == 200
    listing = admin_web.get("/admin/keys").get_data(as_text=True)
    assert "BI tool" in listing and key not in listing
    key_id = re.search(r"/admin/keys/(\d+)/revoke", listing).group(1)
    admin_web.post(f"/admin/keys/{key_id}/revoke")
    assert client.get("/integration/api/v1/test_run", headers={"X-API-KEY": key}).status_code == 401


def test_audit_log_filters(admin_web, factory):
    factory.user(username="someone")
    page = admin_web.get("/admin/audit?action=login").get_data(as_text=True)
    assert "login" in page and "<td>create</td>" not in page
    everything = admin_web.get("/admin/audit").get_data(as_text=True)
    assert "<td>login</td>" in everything
