"""The gauge register: create, read, update, calibrations, derived due dates, states, roles, audit."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.fixtures.roles import check_route
from tests.measurements.helpers import audit_actions, call


def today():
    return datetime.now(UTC).date()


def gauge(client, user, code="CAL-001", expected=201, **extra) -> dict:
    body = {"code": code, "name": "Digital caliper 0-150", "kind": "caliper", **extra}
    return call(client, user, "POST", "/gauges", expected, json=body).json()


def test_register_a_gauge_with_only_the_required_fields(client, metrologist):
    body = gauge(client, metrologist)
    assert body["code"] == "CAL-001" and body["status"] == "in_service" and body["next_due_on"] is None
    assert body["state"] == "ok" and body["usable"] is True and body["warning"] is None
    detail = call(client, metrologist, "GET", "/gauges/CAL-001", 200).json()
    assert detail["calibrations"] == [] and detail["name"] == "Digital caliper 0-150"


def test_due_date_is_derived_from_the_last_calibration_and_the_interval(client, admin):
    last = today() - timedelta(days=10)
    body = gauge(client, admin, last_calibrated_on=last.isoformat(), calibration_interval_days=365,
                 resolution=0.01, range_min=0, range_max=150, unit="mm", location="Crib 1")
    assert body["next_due_on"] == (last + timedelta(days=365)).isoformat()
    assert body["days_until_due"] == 355 and body["state"] == "ok"
    given = gauge(client, admin, "CAL-002", last_calibrated_on=last.isoformat(), calibration_interval_days=365,
                  next_due_on=(today() + timedelta(days=5)).isoformat())
    assert given["next_due_on"] == (today() + timedelta(days=5)).isoformat()
    assert given["state"] == "due_soon" and given["usable"] is True and "due for calibration" in given["warning"]


def test_the_warning_window_is_a_setting(client, admin):
    gauge(client, admin, next_due_on=(today() + timedelta(days=20)).isoformat())
    assert call(client, admin, "GET", "/gauges/CAL-001", 200).json()["state"] == "ok"
    call(client, admin, "PUT", "/settings", 200, json={"gauge_due_warning_days": "30"})
    assert call(client, admin, "GET", "/gauges/CAL-001", 200).json()["state"] == "due_soon"


def test_overdue_and_not_in_service_states(client, admin):
    gauge(client, admin, next_due_on=(today() - timedelta(days=1)).isoformat())
    body = call(client, admin, "GET", "/gauges/CAL-001", 200).json()
    assert body["state"] == "overdue" and body["usable"] is False and body["days_until_due"] == -1
    gauge(client, admin, "CAL-002", status="out_for_calibration")
    listed = {g["code"]: g for g in call(client, admin, "GET", "/gauges", 200).json()}
    assert listed["CAL-002"]["state"] == "not_in_service" and listed["CAL-002"]["usable"] is False
    assert [g["code"] for g in call(client, admin, "GET", "/gauges?status=out_for_calibration", 200).json()] == [
        "CAL-002"]


def test_codes_are_unique_and_immutable(client, admin):
    gauge(client, admin)
    assert "already exists" in gauge(client, admin, expected=409)["detail"]
    call(client, admin, "PATCH", "/gauges/CAL-001", 422, json={"code": "OTHER"})
    body = call(client, admin, "PATCH", "/gauges/CAL-001", 200, json={"location": "Cell 3", "kind": "micrometer"}).json()
    assert body["code"] == "CAL-001" and body["location"] == "Cell 3" and body["kind"] == "micrometer"


@pytest.mark.parametrize("payload", [
    {"name": "n", "kind": "caliper"}, {"code": "X", "kind": "caliper"}, {"code": "X", "name": "n"},
    {"code": "bad code", "name": "n", "kind": "caliper"}, {"code": "X", "name": "n", "kind": "caliper", "status": "lost"},
    {"code": "X", "name": "n", "kind": "caliper", "calibration_interval_days": 0},
    {"code": "X", "name": "n", "kind": "caliper", "next_due_on": 20260101},
    {"code": "X", "kind": "caliper", "name": None},
])
def test_bad_gauges_are_refused(client, admin, payload):
    assert call(client, admin, "POST", "/gauges", json=payload).status_code == 422


def test_calibrations_move_the_due_date_and_a_failed_one_blocks_the_gauge(client, metrologist, app):
    gauge(client, metrologist, calibration_interval_days=180, status="out_for_calibration")
    on = today() - timedelta(days=2)
    cal = call(client, metrologist, "POST", "/gauges/CAL-001/calibrations", 201, json={
        "calibrated_on": on.isoformat(), "result": "pass", "certificate_number": "DAkkS-4711",
        "performed_by": "Lab Rossi"}).json()
    assert cal["recorded_by"] == metrologist.id and cal["certificate_number"] == "DAkkS-4711"
    body = call(client, metrologist, "GET", "/gauges/CAL-001", 200).json()
    assert body["status"] == "in_service" and body["last_calibrated_on"] == on.isoformat()
    assert body["next_due_on"] == (on + timedelta(days=180)).isoformat()
    assert body["last_calibration_result"] == "pass" and [c["id"] for c in body["calibrations"]] == [cal["id"]]
    call(client, metrologist, "POST", "/gauges/CAL-001/calibrations", 201,
         json={"calibrated_on": today().isoformat(), "result": "fail"})
    body = call(client, metrologist, "GET", "/gauges/CAL-001", 200).json()
    assert body["status"] == "blocked" and body["usable"] is False
    history = call(client, metrologist, "GET", "/gauges/CAL-001/calibrations", 200).json()
    assert [c["result"] for c in history] == ["fail", "pass"]
    call(client, metrologist, "POST", "/gauges/CAL-001/calibrations", 409,
         json={"calibrated_on": (today() + timedelta(days=1)).isoformat(), "result": "pass"})
    assert [a for a, _ in audit_actions(app, "gauge")] == ["create", "calibrate", "calibrate"]


def test_updates_are_audited_with_old_and_new_values(client, admin):
    gauge(client, admin)
    call(client, admin, "PATCH", "/gauges/CAL-001", 200, json={"status": "retired"})
    events = call(client, admin, "GET", "/audit?entity_type=gauge", 200).json()["items"]
    update = next(e for e in events if e["action"] == "update")
    assert update["old_values"]["status"] == "in_service" and update["new_values"]["status"] == "retired"


def test_unknown_gauge_or_station_is_404(client, admin):
    assert "Station" in gauge(client, admin, station_id=999999, expected=404)["detail"]
    call(client, admin, "GET", "/gauges/NOPE", 404)
    call(client, admin, "PATCH", "/gauges/NOPE", 404, json={"name": "x"})
    call(client, admin, "POST", "/gauges/NOPE/calibrations", 404, json={"calibrated_on": "2026-01-01", "result": "pass"})


def test_admin_and_metrologist_write_everyone_reads(client, role_users, admin):
    gauge(client, admin)
    body = {"code": "M-1", "name": "Micrometer", "kind": "micrometer"}
    seen = check_route(client, role_users, "POST", "/api/gauges", {"admin", "metrologist"}, json=body)
    assert seen["admin"] == 201 and seen["metrologist"] == 409
    check_route(client, role_users, "GET", "/api/gauges", {"admin", "maker", "operator", "metrologist"})
    check_route(client, role_users, "GET", "/api/gauges/CAL-001", {"admin", "maker", "operator", "metrologist"})
    check_route(client, role_users, "PATCH", "/api/gauges/CAL-001", {"admin", "metrologist"}, json={"notes": "x"})
    check_route(client, role_users, "POST", "/api/gauges/CAL-001/calibrations", {"admin", "metrologist"},
                json={"calibrated_on": "2026-01-01", "result": "pass"})
