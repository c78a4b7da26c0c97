"""What the statistics cover: versions, corrections, and every filter of the reference plus the station."""

from __future__ import annotations

import pytest

VALUES_V1 = [10.0, 10.1, 9.9, 10.2, 9.8]
VALUES_V2 = [10.4, 10.6, 10.5]


def ys(body: dict) -> list[float]:
    return [p["y"] for p in body["points"]]


def test_a_characteristic_spans_its_versions_with_the_newest_limits(shop):
    v1 = shop.characteristic(nominal=10.0, ltl=9.5, utl=10.5)
    shop.measure(v1, VALUES_V1)
    v2 = shop.new_version(v1, ltl=9.0, utl=11.0)
    shop.measure(v2, VALUES_V2)
    for subtask in (v1, v2):  # either version's subtask stands for the characteristic
        body = shop.stats("control-chart", subtask)
        assert ys(body) == VALUES_V1 + VALUES_V2
        assert body["spec"]["version_number"] == 2 and body["spec"]["usl"] == 11.0
        assert body["selection"]["version_numbers"] == [1, 2] and body["selection"]["n"] == 8
        assert [p["version_number"] for p in body["points"]] == [1] * 5 + [2] * 3


def test_version_id_narrows_to_one_version_with_its_limits(shop):
    v1 = shop.characteristic(nominal=10.0, ltl=9.5, utl=10.5)
    shop.measure(v1, VALUES_V1)
    v2 = shop.new_version(v1, ltl=9.0, utl=11.0)
    shop.measure(v2, VALUES_V2)
    body = shop.stats("capability", v2, version_id=v1.version_id)
    assert body["n"] == 5 and body["spec"]["usl"] == 10.5 and body["selection"]["version_numbers"] == [1]
    assert shop.stats("histogram", v1, version_id=v2.version_id)["n"] == 3


def test_corrections_count_with_their_latest_value(shop):
    c = shop.characteristic(nominal=10.0, ltl=9.5, utl=10.5)
    stored = shop.measure(c, [10.0, 10.1, 19.9, 10.2])
    corrected = shop.correct(stored[2]["id"], 9.9)
    shop.correct(corrected["id"], 9.95)
    body = shop.stats("control-chart", c)
    assert sorted(ys(body)) == [9.95, 10.0, 10.1, 10.2]
    assert shop.stats("capability", c)["n"] == 4
    assert shop.stats("summary", c)["total"] == 4


def test_a_remeasured_value_in_a_run_replaces_the_first(shop, admin):
    c = shop.characteristic(nominal=10.0, ltl=9.5, utl=10.5)
    shop.station(admin, "ST-A")
    shop.run(c, "ST-A", "SN-1", [12.0, 10.2])
    assert ys(shop.stats("control-chart", c)) == [10.2]


def test_filters_lot_serial_operator_and_dates(shop, factory):
    c = shop.characteristic(nominal=10.0, ltl=9.5, utl=10.5)
    first = shop.measure(c, [10.0, 10.1], lot="LOT-A")
    second = shop.measure(c, [10.2, 10.3, 10.4], lot="LOT-B")
    other = factory.user("MeasurementTec", username="second_operator")
    shop.operator, operator = other, shop.operator
    shop.measure(c, [9.7])
    shop.operator = operator
    assert ys(shop.stats("control-chart", c, lot_number="LOT-A")) == [10.0, 10.1]
    assert ys(shop.stats("control-chart", c, serial_number=second[1]["serial_number"])) == [10.3]
    assert ys(shop.stats("control-chart", c, operator_id=other.id)) == [9.7]
    assert shop.stats("control-chart", c, operator_id=other.id)["points"][0]["operator"] == "Second_Operator"
    window = dict(date_from=second[0]["measured_at"], date_to=second[-1]["measured_at"])
    assert ys(shop.stats("control-chart", c, **window)) == [10.2, 10.3, 10.4]
    assert shop.stats("capability", c, date_to=first[-1]["measured_at"])["n"] == 2


def test_station_filter_by_id_or_code(shop, admin):
    c = shop.characteristic(nominal=10.0, ltl=9.5, utl=10.5)
    a = shop.station(admin, "ST-A")
    shop.station(admin, "ST-B")
    shop.run(c, "ST-A", "SN-1", [10.1])
    shop.run(c, "ST-B", "SN-2", [9.9])
    shop.run(c, "ST-A", "SN-3", [10.3])
    assert ys(shop.stats("control-chart", c, station_id=a)) == [10.1, 10.3]
    body = shop.stats("control-chart", c, station_code="ST-B")
    assert ys(body) == [9.9] and body["points"][0]["station_code"] == "ST-B"
    assert shop.stats("summary", c, station_code="ST-A")["total"] == 2


@pytest.mark.parametrize("path", ["summary", "capability", "control-chart", "histogram"])
def test_unknown_ids_are_404(shop, path):
    c = shop.characteristic(nominal=10.0, ltl=9.5, utl=10.5)
    other = shop.characteristic(nominal=1.0, ltl=0.5, utl=1.5)
    base = {"recipe_id": c.recipe_id, "subtask_id": c.subtask_id}
    cases = [
        ({**base, "recipe_id": 999_999}, "Recipe not found"),
        ({**base, "subtask_id": other.subtask_id}, "Subtask not found in this recipe"),
        ({**base, "version_id": other.version_id}, "Version not found in this recipe"),
        ({**base, "station_code": "NOPE"}, "Station not found"),
        ({**base, "station_id": 999_999}, "Station not found"),
    ]
    for params, detail in cases:
        response = shop.get(path, **params)
        assert (response.status_code, response.json()) == (404, {"detail": detail}), params


@pytest.mark.parametrize("params", [
    {"date_from": "2030-01-02T00:00:00Z", "date_to": "2030-01-01T00:00:00Z"},
    {"date_from": "yesterday"},
    {"operator_id": "me"},
])
def test_bad_filters_are_422(shop, params):
    c = shop.characteristic(nominal=10.0, ltl=9.5, utl=10.5)
    response = shop.get("capability", recipe_id=c.recipe_id, subtask_id=c.subtask_id, **params)
    assert response.status_code == 422 and "detail" in response.json()


@pytest.mark.parametrize("path", ["capability", "control-chart", "histogram"])
def test_a_characteristic_needs_recipe_and_subtask(shop, path):
    c = shop.characteristic(nominal=10.0, ltl=9.5, utl=10.5)
    assert shop.get(path, recipe_id=c.recipe_id).status_code == 422
    assert shop.get(path, subtask_id=c.subtask_id).status_code == 422


def test_statistics_follow_every_new_measurement_at_once(shop):
    c = shop.characteristic(nominal=10.0, ltl=9.5, utl=10.5)
    shop.measure(c, [10.0, 10.2])
    assert shop.stats("capability", c)["n"] == 2
    assert shop.stats("capability", c)["n"] == 2
    shop.measure(c, [10.4])
    assert shop.stats("capability", c)["n"] == 3
    assert ys(shop.stats("control-chart", c)) == [10.0, 10.2, 10.4]


def test_values_no_row_can_hold_are_answered_not_failed(shop):
    c = shop.characteristic(nominal=10.0, ltl=9.5, utl=10.5)
    shop.measure(c, [10.0, 10.1])
    # Past a 32-bit id column (PostgreSQL refuses it) and past any integer a database holds.
    for huge in (2**40, 10**20):
        assert_answered_not_failed(shop, c, huge)


def assert_answered_not_failed(shop, c, huge):
    base = {"recipe_id": c.recipe_id, "subtask_id": c.subtask_id}
    cases = (({"recipe_id": huge}, "Recipe not found"), ({"subtask_id": huge}, "Subtask not found in this recipe"),
             ({"version_id": -1}, "Version not found in this recipe"), ({"station_id": huge}, "Station not found"),
             ({"station_code": "ST\x00"}, "Station not found"))
    for params, detail in cases:
        response = shop.get("capability", **{**base, **params})
        assert (response.status_code, response.json()) == (404, {"detail": detail}), params
    for params in ({"operator_id": huge}, {"lot_number": "LOT\x00"}, {"serial_number": "\x00"}):
        assert shop.stats("capability", c, **params)["n"] == 0
        assert shop.stats("summary", c, **params)["total"] == 0
    assert shop.get("subtasks", recipe_id=huge).status_code == 404
    assert shop.get("yield", recipe_id=huge).status_code == 404
    assert shop.ok("pareto", operator_id=huge)["items"] == []
