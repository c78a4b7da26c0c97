"""The stand approval page reached by a stand's verification link, and the approved stands page."""

from __future__ import annotations

from ..devices.conftest import poll, start

HARDPY = "/hardpy/api/v1"


def test_admin_approves_from_the_link_then_revokes(client, signed_in, admin, plans):
    grant = start(client)
    plans.station(code="ST-EOL", name="EOL bench")
    page = signed_in(admin)
    shown = page.get(f"/device?user_code={grant['user_code']}").get_data(as_text=True)
    assert grant["user_code"] in shown and "ST-EOL" in shown
    station_id = shown.split('<option value="')[2].split('"')[0]
    res = page.post("/device", {"user_code": grant["user_code"], "decision": "approve", "name": "EOL stand 2",
                                "station_id": station_id})
    assert res.status_code == 302 and res.headers["Location"].endswith("/device/stands")
    tokens = poll(client, grant["device_code"]).json()
    auth = {"Authorization": f"Bearer {tokens['access_token']}"}
    assert client.get(f"{HARDPY}/test_run", headers=auth).status_code == 200
    listing = page.get("/device/stands").get_data(as_text=True)
    assert "EOL stand 2" in listing
    key_id = client.get("/api/approved-stands", headers=admin.headers).json()[0]["key_id"]
    assert page.post(f"/device/stands/{key_id}/revoke").status_code == 302
    assert client.get(f"{HARDPY}/test_run", headers=auth).status_code == 401


def test_deny_and_refusal_for_users_without_the_right(client, signed_in, admin, maker):
    grant = start(client)
    refused = signed_in(maker).get(f"/device?user_code={grant['user_code']}")
    assert refused.status_code == 403
    page = signed_in(admin)
    res = page.post("/device", {"user_code": grant["user_code"], "decision": "deny"})
    assert res.status_code == 302
    assert poll(client, grant["device_code"]).json()["error"] == "access_denied"


def test_the_link_asks_anonymous_browsers_to_sign_in(web):
    res = web.get("/device?user_code=BCDF-GHJK")
    assert res.status_code == 302 and "/login?next=" in res.headers["Location"]
