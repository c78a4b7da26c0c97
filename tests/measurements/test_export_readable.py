"""The readable export layout and the list's names: plan names, limits, rounded deviation, plant and UTC time."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from tests.measurements.helpers import add, call, start_run

READABLE = ["id", "recipe_code", "recipe_name", "version_number", "balloon", "characteristic", "unit", "nominal",
            "lower_limit", "upper_limit", "value", "deviation", "verdict", "operator", "station_code", "gauge_code",
            "lot_number", "serial_number", "measured_at_local", "measured_at_utc", "superseded_value",
            "correction_reason"]
# Nominal and values with few decimals whose binary differences are not the decimal ones.
NOMINAL = 25.0
VALUES = [25.01, 24.97, 25.003, 25.0]


@pytest.fixture
def plan(plans):
    return plans.recipe(subtasks=[{"nominal": NOMINAL, "ltl": 24.95, "utl": 25.05, "description": "Bearing seat"}],
                        code="SHAFT-9", name="Drive shaft")


@pytest.fixture
def stored(client, plan, plans, operator, admin):
    call(client, admin, "PUT", "/settings/", 200, json={"plant_timezone": "America/New_York"})
    station = plans.station("ST-READ")
    out = []
    for n, value in enumerate(VALUES):
        run = start_run(client, operator, plan, station, serial=f"=SN{n}", lot="LOT-7")
        out.append(add(client, operator, run["id"], plan.subtask_ids[0], value))
    return out


def readable_csv(client, user, query: str, **headers) -> list[dict]:
    res = call(client, user, "GET", f"/measurements/export/csv?layout=readable&{query}", 200)
    return list(csv.DictReader(io.StringIO(res.content.decode(), newline=""), **headers))


def test_readable_csv_has_names_limits_rounded_deviation_and_both_times(client, plan, stored, operator,
                                                                         metrologist):
    rows = readable_csv(client, metrologist, f"recipe_id={plan.recipe_id}")
    assert list(rows[0]) == READABLE
    me = call(client, operator, "GET", "/auth/me", 200).json()
    assert [int(r["id"]) for r in rows] == [m["id"] for m in stored]
    for row, m, value in zip(rows, stored, VALUES, strict=True):
        assert (row["recipe_code"], row["recipe_name"], row["version_number"]) == ("SHAFT-9", "Drive shaft", "1")
        assert (row["balloon"], row["characteristic"], row["unit"]) == ("1", "Bearing seat", "mm")
        assert (float(row["nominal"]), float(row["lower_limit"]), float(row["upper_limit"])) == (25.0, 24.95, 25.05)
        assert float(row["value"]) == value and row["verdict"] == m["pass_fail"]
        # The deviation as decimal arithmetic gives it (the stored double differs in the last bits).
        assert Decimal(row["deviation"]) == Decimal(repr(value)) - Decimal(repr(NOMINAL))
        assert (row["operator"], row["station_code"], row["lot_number"]) == (me["display_name"], "ST-READ", "LOT-7")
        assert row["serial_number"] == "'" + m["serial_number"]  # neutralised, as in the reference layout
        utc = datetime.fromisoformat(m["measured_at"])
        assert row["measured_at_utc"] == m["measured_at"]
        local = utc.astimezone(ZoneInfo("America/New_York"))
        assert row["measured_at_local"] == local.strftime("%Y-%m-%d %H:%M:%S")
    assert any(m["deviation"] != float(Decimal(repr(v)) - Decimal("25")) for m, v in zip(stored, VALUES, strict=True))


def test_readable_csv_uses_the_configured_format(client, plan, stored, admin, metrologist):
    call(client, admin, "PUT", "/settings/", 200, json={"csv_delimiter": ";", "csv_decimal_separator": ","})
    rows = readable_csv(client, metrologist, f"recipe_id={plan.recipe_id}", delimiter=";")
    assert [r["value"] for r in rows] == [repr(v).replace(".", ",") for v in VALUES]
    assert rows[0]["upper_limit"] == "25,05"


def test_readable_xlsx_keeps_numbers_as_numbers_and_shows_corrections(client, plan, stored, metrologist):
    fixed = call(client, metrologist, "POST", f"/measurements/{stored[0]['id']}/corrections", 201,
                 json={"value": 25.02, "reason": "Misread scale"}).json()
    res = call(client, metrologist, "GET", f"/measurements/export/xlsx?layout=readable&recipe_id={plan.recipe_id}", 200)
    book = load_workbook(io.BytesIO(res.content))
    assert book.sheetnames == ["measurements"]
    rows = list(book["measurements"].iter_rows(values_only=True))
    assert list(rows[0]) == READABLE
    by_id = {r[0]: dict(zip(READABLE, r, strict=True)) for r in rows[1:]}
    assert set(by_id) == {m["id"] for m in stored[1:]} | {fixed["id"]}
    row = by_id[fixed["id"]]
    assert row["value"] == 25.02 and row["superseded_value"] == 25.01 and row["correction_reason"] == "Misread scale"
    assert row["deviation"] == float(Decimal("25.02") - Decimal("25")) and row["version_number"] == 1
    assert row["serial_number"] == stored[0]["serial_number"]  # a text cell: shown as typed, never evaluated


def test_reference_layout_stays_the_default_and_unknown_layouts_are_refused(client, plan, stored, metrologist):
    res = call(client, metrologist, "GET", f"/measurements/export/csv?recipe_id={plan.recipe_id}", 200)
    assert res.content.decode().splitlines()[0].split(",") == [
        "id", "subtask_id", "version_id", "measured_by", "value", "pass_fail", "deviation", "lot_number",
        "serial_number", "input_method", "measured_at", "synced_to_csv"]
    call(client, metrologist, "GET", "/measurements/export/xlsx?layout=pretty", 422)


def test_station_and_shift_filters_select_like_the_dashboard(client, plan, stored, plans, admin, operator,
                                                              metrologist):
    other = plans.station("ST-OTHER")
    run = start_run(client, operator, plan, other, serial="SN-OTHER")
    add(client, operator, run["id"], plan.subtask_ids[0], 25.0)
    at_read = readable_csv(client, metrologist, f"recipe_id={plan.recipe_id}&station_code=ST-READ")
    assert [int(r["id"]) for r in at_read] == [m["id"] for m in stored]
    listed = call(client, metrologist, "GET", f"/measurements/?recipe_id={plan.recipe_id}&station_code=ST-OTHER",
                  200).json()
    assert [i["serial_number"] for i in listed["items"]] == ["SN-OTHER"]
    # A shift around the plant's local time now holds every value; one twelve hours away none.
    hour = datetime.now(ZoneInfo("America/New_York")).hour
    around = call(client, admin, "POST", "/shifts", 201, json={
        "name": "Now", "starts": f"{(hour - 2) % 24:02d}:00", "ends": f"{(hour + 3) % 24:02d}:00"}).json()
    away = call(client, admin, "POST", "/shifts", 201, json={
        "name": "Away", "starts": f"{(hour + 10) % 24:02d}:00", "ends": f"{(hour + 14) % 24:02d}:00"}).json()
    summary = call(client, metrologist, "GET", f"/statistics/summary?recipe_id={plan.recipe_id}&shift_id={around['id']}",
                   200).json()
    in_shift = readable_csv(client, metrologist, f"recipe_id={plan.recipe_id}&shift_id={around['id']}")
    assert len(in_shift) == len(stored) + 1 == summary["total"]
    assert readable_csv(client, metrologist, f"recipe_id={plan.recipe_id}&shift_id={away['id']}") == []
    call(client, metrologist, "GET", "/measurements/export/csv?shift_id=999999", 404)


def test_list_items_carry_names(client, plan, stored, operator, metrologist):
    me = call(client, operator, "GET", "/auth/me", 200).json()
    items = call(client, metrologist, "GET", f"/measurements/?recipe_id={plan.recipe_id}", 200).json()["items"]
    assert len(items) == len(VALUES)
    for item in items:
        assert (item["recipe_code"], item["version_number"], item["label"], item["characteristic"]) == \
            ("SHAFT-9", 1, "1", "Bearing seat")
        assert (item["operator"], item["station_code"], item["unit"]) == (me["display_name"], "ST-READ", "mm")
