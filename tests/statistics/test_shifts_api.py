"""Shifts by local time of day in the plant time zone, the shift filter, and the by-group comparison."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

ZONE = "Asia/Kolkata"  # UTC+05:30: a shift read in UTC would miss the values


def hhmm(moment: datetime) -> str:
    return moment.strftime("%H:%M")


def add_shift(client, admin, name, starts, ends):
    response = client.post("/api/shifts", json={"name": name, "starts": starts, "ends": ends}, headers=admin.headers)
    assert response.status_code == 201, response.text
    return response.json()


@pytest.fixture
def plant_zone(client, admin):
    response = client.put("/api/settings/", json={"plant_timezone": ZONE}, headers=admin.headers)
    assert response.status_code == 200, response.text
    return ZoneInfo(ZONE)


def test_admin_defines_shifts_and_everyone_reads_them(client, admin, operator, plant_zone):
    early = add_shift(client, admin, "Early", "06:00", "14:00")
    night = add_shift(client, admin, "Night", "22:00", "06:00")
    assert early["timezone"] == ZONE
    listed = client.get("/api/shifts", headers=operator.headers).json()
    assert [s["name"] for s in listed] == ["Early", "Night"]
    renamed = client.put(f"/api/shifts/{night['id']}", json={"name": "Nights"}, headers=admin.headers)
    assert renamed.status_code == 200 and renamed.json()["name"] == "Nights"
    assert client.post("/api/shifts", json={"name": "Early", "starts": "01:00", "ends": "02:00"},
                       headers=admin.headers).status_code == 409
    assert client.post("/api/shifts", json={"name": "X", "starts": "01:00", "ends": "01:00"},
                       headers=admin.headers).status_code == 409
    assert client.post("/api/shifts", json={"name": "X", "starts": "25:00", "ends": "01:00"},
                       headers=admin.headers).status_code == 422
    assert client.post("/api/shifts", json={"name": "X", "starts": "01:00", "ends": "02:00"},
                       headers=operator.headers).status_code == 403
    assert client.delete(f"/api/shifts/{early['id']}", headers=admin.headers).status_code == 204
    assert client.delete(f"/api/shifts/{early['id']}", headers=admin.headers).status_code == 404
    events = client.get("/api/audit", params={"entity_type": "shift"}, headers=admin.headers).json()["items"]
    assert {e["action"] for e in events} == {"create", "update", "delete"}


def test_the_plant_time_zone_must_be_a_real_zone(client, admin):
    response = client.put("/api/settings/", json={"plant_timezone": "Mars/Olympus"}, headers=admin.headers)
    assert response.status_code == 422 and "IANA" in response.text


def test_statistics_filter_by_shift_in_local_time(shop, client, admin, plant_zone):
    now = datetime.now(UTC).astimezone(plant_zone)
    current = add_shift(client, admin, "Current", hhmm(now - timedelta(hours=1)), hhmm(now + timedelta(hours=1)))
    other = add_shift(client, admin, "Other", hhmm(now + timedelta(hours=1)), hhmm(now - timedelta(hours=1)))
    c = shop.characteristic(nominal=10.0, ltl=9.0, utl=11.0)
    shop.measure(c, [10.0, 10.1, 9.9, 10.2])
    assert shop.stats("capability", c, shift_id=current["id"])["n"] == 4
    assert shop.stats("capability", c, shift_id=other["id"])["n"] == 0
    assert shop.ok("summary", recipe_id=c.recipe_id, shift_id=current["id"])["total"] == 4
    assert shop.ok("summary", recipe_id=c.recipe_id, shift_id=other["id"])["total"] == 0
    assert len(shop.stats("control-chart", c, shift_id=current["id"])["points"]) == 4
    assert shop.get("capability", recipe_id=c.recipe_id, subtask_id=c.subtask_id, shift_id=99999).status_code == 404


def test_comparison_groups_by_shift_operator_and_station(shop, client, admin, plant_zone):
    now = datetime.now(UTC).astimezone(plant_zone)
    current = add_shift(client, admin, "Current", hhmm(now - timedelta(hours=1)), hhmm(now + timedelta(hours=1)))
    c = shop.characteristic(nominal=10.0, ltl=9.0, utl=11.0)
    shop.station(admin, "ST-A")
    shop.station(admin, "ST-B")
    for n, value in enumerate([10.0, 10.1, 9.9, 10.05]):
        shop.run(c, "ST-A", f"A{n}", [value])
    for n, value in enumerate([10.4, 10.5, 10.45]):
        shop.run(c, "ST-B", f"B{n}", [value])
    body = shop.stats("comparison", c)
    assert body["timezone"] == ZONE
    assert [(g["label"], g["n"]) for g in body["shift"]] == [("Current", 7)]
    assert body["shift"][0]["key"] == str(current["id"])
    stations = {g["label"]: g for g in body["station"]}
    assert stations["ST-A"]["n"] == 4 and stations["ST-B"]["median"] == pytest.approx(10.45)
    assert stations["ST-B"]["mean"] - stations["ST-A"]["mean"] == pytest.approx(10.45 - 10.0125)
    assert stations["ST-A"]["q1"] <= stations["ST-A"]["median"] <= stations["ST-A"]["q3"]
    assert stations["ST-A"]["cpk"] is not None
    assert [g["n"] for g in body["operator"]] == [7]
