"""The operator's screens through the client, against the real API."""

from __future__ import annotations

import json
import re

import pytest

from tiemeasureflow.web import create_web_app

from .helpers import WebSession, assign, make_recipe, station_id

RUN_URL = re.compile(r"/measure/run/([0-9a-f-]{36})$")


@pytest.fixture
def recipe(client, maker, admin):
    """A two-task recipe with drawings and balloons, assigned to this client's station."""
    made = make_recipe(client, maker.headers, code="SHAFT-1", tasks=2, per_task=2)
    assign(client, admin.headers, made["id"])
    return made


def start_part(session: WebSession, recipe_id: int, serial: str = "SN-1", lot: str = "LOT-7") -> str:
    response = session.post(f"/measure/recipe/{recipe_id}/start", {"serial_number": serial, "lot_number": lot})
    assert response.status_code == 302, response.get_data(as_text=True)
    return RUN_URL.search(response.headers["Location"]).group(1)


def sheet(session: WebSession, run_id: str) -> list[dict]:
    page = session.get(f"/measure/run/{run_id}").get_data(as_text=True)
    data = re.search(r'<script type="application/json" id="run-data">(.*?)</script>', page, re.S).group(1)
    return json.loads(data)["sheet"]


@pytest.mark.parametrize("signed", [False, True])
def test_empty_station_code_answers_503_first(client_settings, client, operator, signed):
    app = create_web_app(client_settings, http=client, station_code="")
    session = WebSession(app.test_client())
    if signed:
        session.login("operator", operator.password)
    response = session.get("/measure/select")
    assert response.status_code == 503
    page = response.get_data(as_text=True)
    assert "Station not configured" in page or "Stazione non configurata" in page
    assert "STATION_CODE" in page


def test_unknown_station_says_so(client_settings, client, operator):
    session = WebSession(create_web_app(client_settings, http=client, station_code="ST-NOWHERE").test_client())
    session.login("operator", operator.password)
    response = session.get("/measure/select")
    assert response.status_code == 404
    assert "ST-NOWHERE" in response.get_data(as_text=True)


def test_inactive_station_says_so(web, operator, client, admin):
    sid = station_id(client, admin.headers)
    assert client.put(f"/api/stations/{sid}", json={"active": False}, headers=admin.headers).status_code == 200
    web.login("operator", operator.password)
    response = web.get("/measure/select")
    assert response.status_code == 404


def test_select_lists_only_assigned_recipes(web, operator, recipe, client, maker):
    other = make_recipe(client, maker.headers, code="OTHER-9", drawing=False)
    web.login("operator", operator.password)
    page = web.get("/measure/select").get_data(as_text=True)
    assert "SHAFT-1" in page and "OTHER-9" not in page
    assert other["id"]


def test_scanned_code_opens_recipe_and_search_filters(web, operator, recipe):
    web.login("operator", operator.password)
    scanned = web.get("/measure/select?q=shaft-1")
    assert scanned.status_code == 302 and scanned.headers["Location"].endswith(f"/measure/recipe/{recipe['id']}/start")
    partial = web.get("/measure/select?q=SHA").get_data(as_text=True)
    assert "SHAFT-1" in partial
    none = web.get("/measure/select?q=XYZ").get_data(as_text=True)
    assert "XYZ" in none and "SHAFT-1" not in none


def test_unassigned_recipe_cannot_be_started(web, operator, client, maker):
    other = make_recipe(client, maker.headers, code="OTHER-9", drawing=False)
    web.login("operator", operator.password)
    assert web.get(f"/measure/recipe/{other['id']}/start").status_code == 404


def test_whole_part_value_by_value_resumes_and_finishes(web, operator, recipe, client):
    web.login("operator", operator.password)
    run_id = start_part(web, recipe["id"])
    rows = sheet(web, run_id)
    assert [r["marker"] for r in rows] == ["1", "2", "3", "4"] and all(r["value"] is None for r in rows)
    # Values as a caliper types them (comma or point), judged and stored one by one.
    first = web.post_json(f"/measure/run/{run_id}/values",
                          {"subtask_id": rows[0]["subtask_id"], "value": "10,05", "input_method": "usb_caliper"})
    assert first.status_code == 200 and first.json["measurement"]["pass_fail"] == "pass"
    second = web.post_json(f"/measure/run/{run_id}/values", {"subtask_id": rows[1]["subtask_id"], "value": "11.3"})
    assert second.json["measurement"]["pass_fail"] == "warning"
    assert second.json["measurement"]["deviation"] == pytest.approx(0.3)
    # A reload resumes: the stored values come back, the next open balloon is current.
    rows = sheet(web, run_id)
    assert [r["value"] for r in rows] == [10.05, 11.3, None, None]
    page = web.get(f"/measure/run/{run_id}").get_data(as_text=True)
    assert f'name="subtask_id" id="subtask_id" value="{rows[2]["subtask_id"]}"' in page
    # Correct a value before finishing: it needs a reason, then the latest value counts.
    refused = web.post_json(f"/measure/run/{run_id}/values", {"subtask_id": rows[1]["subtask_id"], "value": "11.1"})
    assert refused.status_code == 422 and "reason" in refused.json["error"]
    corrected = web.post_json(f"/measure/run/{run_id}/values",
                              {"subtask_id": rows[1]["subtask_id"], "value": "11.1", "reason": "Typing error"})
    assert corrected.json["measurement"]["correction_reason"] == "Typing error"
    for row, value in zip(rows[2:], ("12.0", "13.9"), strict=False):
        assert web.post_json(f"/measure/run/{run_id}/values", {"subtask_id": row["subtask_id"], "value": value}).status_code == 200
    finish = web.post(f"/measure/run/{run_id}/finish")
    assert finish.status_code == 302 and finish.headers["Location"].endswith(f"/measure/run/{run_id}/result")
    result = web.get(f"/measure/run/{run_id}/result").get_data(as_text=True)
    assert 'data-testid="run-result">FAIL' in result or 'data-testid="run-result">NON CONFORME' in result
    assert f"/measure/recipe/{recipe['id']}/start?lot_number=LOT-7" in result
    run = client.get(f"/api/runs/{run_id}", headers=operator.headers).json()
    assert run["status"] == "fail" and {m["value"] for m in run["measurements"]} == {10.05, 11.1, 12.0, 13.9}


def test_plain_form_fallback_saves_value(web, operator, recipe):
    web.login("operator", operator.password)
    run_id = start_part(web, recipe["id"])
    rows = sheet(web, run_id)
    response = web.post(f"/measure/run/{run_id}/values", {"subtask_id": rows[0]["subtask_id"], "value": "10"})
    assert response.status_code == 302
    assert sheet(web, run_id)[0]["value"] == 10.0


def test_bad_value_is_refused_readably(web, operator, recipe):
    web.login("operator", operator.password)
    run_id = start_part(web, recipe["id"])
    rows = sheet(web, run_id)
    response = web.post_json(f"/measure/run/{run_id}/values", {"subtask_id": rows[0]["subtask_id"], "value": "1e5x"})
    assert response.status_code == 422 and "number" in response.json["error"].lower() + "numero"
    wrong = web.post_json(f"/measure/run/{run_id}/values", {"subtask_id": 999999, "value": "1"})
    assert wrong.status_code in (400, 404) and wrong.json["error"]


def test_incomplete_finish_needs_explicit_flag(web, operator, recipe):
    web.login("operator", operator.password)
    run_id = start_part(web, recipe["id"])
    web.post_json(f"/measure/run/{run_id}/values", {"subtask_id": sheet(web, run_id)[0]["subtask_id"], "value": "10"})
    response = web.post(f"/measure/run/{run_id}/finish", {"allow_incomplete": "0"})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/measure/run/{run_id}")
    page = web.get(response.headers["Location"]).get_data(as_text=True)
    assert "banner error" in page
    done = web.post(f"/measure/run/{run_id}/finish", {"allow_incomplete": "1"})
    assert done.headers["Location"].endswith("/result")


def test_open_run_offered_for_resume_and_abort(web, operator, recipe):
    web.login("operator", operator.password)
    run_id = start_part(web, recipe["id"], serial="SN-RESUME")
    page = web.get("/measure/select").get_data(as_text=True)
    assert "SN-RESUME" in page and f"/measure/run/{run_id}" in page
    aborted = web.post(f"/measure/run/{run_id}/abort")
    assert aborted.status_code == 302
    assert "SN-RESUME" not in web.get("/measure/select").get_data(as_text=True)


def test_missing_serial_keeps_lot(web, operator, recipe):
    web.login("operator", operator.password)
    response = web.post(f"/measure/recipe/{recipe['id']}/start", {"serial_number": " ", "lot_number": "LOT-9"})
    assert response.status_code == 400 and 'value="LOT-9"' in response.get_data(as_text=True)


def test_decimal_symbol_follows_each_users_language(web_app, recipe, client, factory):
    """One client serves Italian and English users in turn: each page has its own decimal symbol."""
    seen = {}
    for lang in ("it", "en", "it"):
        user = factory.user("MeasurementTec", username=f"op_{lang}_{len(seen)}")
        client.put("/api/auth/me", json={"language_pref": lang}, headers=user.headers)
        session = WebSession(web_app.test_client())
        session.login(user.username, user.password)
        run_id = start_part(session, recipe["id"], serial=f"S-{lang}-{len(seen)}")
        page = session.get(f"/measure/run/{run_id}").get_data(as_text=True)
        seen[f"{lang}{len(seen)}"] = re.search(r'"decimal": "(.)"', page).group(1)
    assert seen == {"it0": ",", "en1": ".", "it2": ","}


def test_a_value_resent_with_its_key_is_stored_once(web, operator, recipe, client):
    web.login("operator", operator.password)
    run_id = start_part(web, recipe["id"])
    rows = sheet(web, run_id)
    value = {"subtask_id": rows[0]["subtask_id"], "value": "10.05", "input_method": "keyboard", "key": "v-resend-1"}
    first = web.post_json(f"/measure/run/{run_id}/values", value)
    # The page resends its queued value after a lost answer: the same key, the same stored value.
    again = web.post_json(f"/measure/run/{run_id}/values", value)
    assert first.status_code == again.status_code == 200
    assert again.json["measurement"]["id"] == first.json["measurement"]["id"]
    run = client.get(f"/api/runs/{run_id}", headers=operator.headers, params={"include_history": True}).json()
    assert len(run["measurements"]) == 1
