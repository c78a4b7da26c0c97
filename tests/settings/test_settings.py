"""GET/PUT /api/settings/: defaults, validated known keys, custom keys, audit, roles."""

from __future__ import annotations

import pytest

from ..fixtures.roles import check_route

DEFAULTS = {"csv_delimiter": ",", "csv_decimal_separator": ".", "company_name": "", "company_logo_path": None,
            "plant_timezone": "UTC"}


def put(client, admin, changes):
    return client.put("/api/settings/", json=changes, headers=admin.headers)


def read(client, user):
    res = client.get("/api/settings/", headers=user.headers)
    assert res.status_code == 200
    return res.json()


def test_defaults_before_anything_is_stored(client, operator):
    assert read(client, operator) == DEFAULTS


def test_reference_example_updates_three_settings(client, admin, operator):
    res = put(client, admin, {"csv_delimiter": ";", "csv_decimal_separator": ",", "custom_setting": "value"})
    assert res.status_code == 200
    assert res.json() == {"message": "Updated 3 settings",
                          "updated_keys": ["csv_delimiter", "csv_decimal_separator", "custom_setting"]}
    assert read(client, operator) == {**DEFAULTS, "csv_delimiter": ";", "csv_decimal_separator": ",",
                                      "custom_setting": "value"}


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_every_allowed_delimiter_is_accepted(client, admin, delimiter):
    assert put(client, admin, {"csv_delimiter": delimiter, "csv_decimal_separator": "."}).status_code == 200
    assert read(client, admin)["csv_delimiter"] == delimiter


@pytest.mark.parametrize("changes", [
    {"csv_delimiter": ":"}, {"csv_delimiter": ""}, {"csv_delimiter": ",,"}, {"csv_decimal_separator": ";"},
    {"csv_decimal_separator": ""}, {"csv_delimiter": ",", "csv_decimal_separator": ","},
    {"csv_decimal_separator": ","},  # would clash with the stored ',' delimiter
    {"csv_delimiter": 1}, {"custom": 5}, {"custom": True}, {"custom": None}, {"custom": ["a"]},
    {"bad-name": "x"}, {"spaced name": "x"}, {"x" * 65: "x"}, {"": "x"}, {"custom": "x" * 2001},
    {"custom": "nul\x00inside"}, {"company_logo_path": "../../etc/passwd"}, {},
])
def test_invalid_changes_are_422_and_store_nothing(client, admin, changes):
    res = put(client, admin, changes)
    assert res.status_code == 422, res.text
    assert read(client, admin) == DEFAULTS


def test_a_batch_with_one_bad_value_stores_none_of_it(client, admin):
    assert put(client, admin, {"company_name": "ACME", "csv_delimiter": "x"}).status_code == 422
    assert read(client, admin)["company_name"] == ""


def test_comma_decimal_needs_a_delimiter_that_is_not_a_comma(client, admin):
    assert put(client, admin, {"csv_delimiter": ";", "csv_decimal_separator": ","}).status_code == 200
    # Switching back to ',' must bring the '.' decimal along, so the pair never clashes.
    assert put(client, admin, {"csv_delimiter": ","}).status_code == 422
    assert put(client, admin, {"csv_delimiter": "|"}).status_code == 200
    assert put(client, admin, {"csv_delimiter": ",", "csv_decimal_separator": "."}).status_code == 200
    assert read(client, admin)["csv_delimiter"] == ","


def test_custom_settings_are_stored_as_strings_and_overwritten(client, admin, maker):
    assert put(client, admin, {"Plant_Name_2": "Reparto 2 — Cella 3", "empty": ""}).status_code == 200
    assert put(client, admin, {"Plant_Name_2": "Reparto 3"}).status_code == 200
    settings = read(client, maker)
    assert settings["Plant_Name_2"] == "Reparto 3" and settings["empty"] == ""
    assert put(client, admin, {"k" * 64: "longest name"}).status_code == 200


def test_updates_are_audited_with_old_and_new_values(client, admin):
    put(client, admin, {"csv_delimiter": ";"})
    put(client, admin, {"csv_delimiter": "|", "company_name": "ACME"})
    events = client.get("/api/audit", params={"entity_type": "settings"}, headers=admin.headers).json()["items"]
    assert [(e["old_values"], e["new_values"]) for e in events] == [
        ({"csv_delimiter": ";", "company_name": ""}, {"csv_delimiter": "|", "company_name": "ACME"}),
        ({"csv_delimiter": ","}, {"csv_delimiter": ";"}),
    ]
    assert {e["actor_id"] for e in events} == {admin.id}


def test_any_signed_in_user_reads_only_admins_write(client, role_users):
    signed_in = {"admin", "maker", "operator", "metrologist"}
    check_route(client, role_users, "GET", "/api/settings/", signed_in)
    seen = check_route(client, role_users, "PUT", "/api/settings/", {"admin"}, json={"company_name": "ACME"})
    assert seen["admin"] == 200


def test_station_rules_are_settings_with_checked_values(client, admin, operator):
    assert put(client, admin, {"station_hold_on_warning": "yes"}).status_code == 422
    assert put(client, admin, {"station_hold_on_warning": "true",
                               "correction_reasons": "Measured again\nWrong feature"}).status_code == 200
    stored = read(client, operator)
    assert stored["station_hold_on_warning"] == "true"
    assert stored["correction_reasons"].splitlines() == ["Measured again", "Wrong feature"]


def test_custom_settings_are_capped_in_number(client, admin):
    from tiemeasureflow.settings.schemas import MAX_CUSTOM_KEYS
    first = {f"custom_{n}": "x" for n in range(MAX_CUSTOM_KEYS - 1)}
    assert put(client, admin, first).status_code == 200
    assert put(client, admin, {"custom_last": "x"}).status_code == 200
    assert put(client, admin, {"custom_one_too_many": "x"}).status_code == 422
    assert put(client, admin, {"custom_0": "changed", "company_name": "ACME"}).status_code == 200
    assert "custom_one_too_many" not in read(client, admin)
    assert put(client, admin, {"big": "x" * 2001}).status_code == 422


def test_writing_the_values_already_set_is_not_audited(client, admin):
    assert put(client, admin, {"company_name": "ACME", "label": "A"}).status_code == 200
    assert put(client, admin, {"company_name": "ACME", "label": "A"}).status_code == 200
    assert put(client, admin, {"company_name": "ACME", "label": "B"}).status_code == 200
    events = client.get("/api/audit", params={"entity_type": "settings"}, headers=admin.headers).json()["items"]
    assert [e["new_values"] for e in events] == [{"label": "B"}, {"company_name": "ACME", "label": "A"}]
