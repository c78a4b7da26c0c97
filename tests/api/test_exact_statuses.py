"""Exact statuses: repeated JSON keys, negative ids."""

from __future__ import annotations

import pytest

from tests.measurements.helpers import call, count_rows


def raw(text: str) -> dict:
    return {"content": text, "headers": {"Content-Type": "application/json"}}


@pytest.mark.parametrize(("method", "path", "text"), [
    ("PUT", "/api/auth/me", '{"theme_pref": "dark", "theme_pref": "light"}'),
    ("PUT", "/api/settings/", '{"company_name": "A", "company_name": "B"}'),
    ("POST", "/api/measurements/batch", '{"measurements": [{"value": 1, "value": 2}]}'),
    ("POST", "/api/auth/login", '{"username": "a", "password": "b", "password": "c"}'),
])
def test_a_json_key_given_twice_is_refused(client, admin, method, path, text):
    res = client.request(method, path, headers={**admin.headers, "Content-Type": "application/json"}, content=text)
    assert res.status_code == 422, res.text
    assert res.json()["detail"][0]["type"] == "json_duplicate_key"


def test_a_repeated_value_key_stores_nothing(client, app, plans, operator):
    plan = plans.recipe()
    text = (f'{{"subtask_id": {plan.subtask_ids[0]}, "version_id": {plan.version_id}, "value": 1, "value": 10.0, '
            f'"serial_number": "DUP-1"}}')
    res = call(client, operator, "POST", "/measurements/", **raw(text))
    assert res.status_code == 422
    assert count_rows(app, "measurements") == 0
    nested = '{"a": {"b": 1, "b": 2}}'
    assert call(client, operator, "PUT", "/settings/", **raw(nested)).status_code == 422
    same_keys_apart = '{"measurements": [{"value": 1}, {"value": 2}]}'
    assert call(client, operator, "POST", "/measurements/batch", **raw(same_keys_apart)).json()["detail"][0][
        "type"] != "json_duplicate_key"


@pytest.mark.parametrize("path", ["/api/measurements/-1", "/api/measurements/0"])
def test_negative_and_zero_measurement_ids_are_invalid_ids(client, metrologist, path):
    res = client.get(path, headers=metrologist.headers)
    assert res.status_code == 422
    assert res.json()["detail"][0]["loc"] == ["path", "measurement_id"]
    assert client.post(path + "/corrections", json={"value": 1.0, "reason": "x"},
                       headers=metrologist.headers).status_code == 422
