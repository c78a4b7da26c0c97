"""The calibration lockout and gauge rules on every write path, and filtering by gauge."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.measurements.helpers import add, call, count_rows, single, start_run


def day(offset: int) -> str:
    return (datetime.now(UTC).date() + timedelta(days=offset)).isoformat()


@pytest.fixture
def plan(plans):
    return plans.recipe()


@pytest.fixture
def gauges(client, metrologist):
    """CAL-OK (due in 100 days), CAL-OLD (overdue since yesterday), MIC-BLK (blocked), MIC-OK (a micrometer)."""
    for code, kind, extra in (("CAL-OK", "caliper", {"next_due_on": day(100)}),
                              ("CAL-OLD", "caliper", {"next_due_on": day(-1)}),
                              ("MIC-BLK", "micrometer", {"status": "blocked", "next_due_on": day(100)}),
                              ("MIC-OK", "micrometer", {"next_due_on": day(0)})):
        call(client, metrologist, "POST", "/gauges", 201, json={"code": code, "name": code, "kind": kind, **extra})


def test_a_value_from_a_usable_gauge_keeps_its_gauge(client, plan, operator, gauges):
    res = call(client, operator, "POST", "/measurements/", 200, json=single(plan, 0, 10.0, gauge_code="CAL-OK"))
    assert res.json()["gauge_code"] == "CAL-OK"
    # Due today is still within the calibration.
    call(client, operator, "POST", "/measurements/", 200, json=single(plan, 1, 20.0, gauge_code="MIC-OK"))


def test_an_overdue_gauge_is_refused_with_its_due_date(client, plan, operator, gauges, app):
    res = call(client, operator, "POST", "/measurements/", 409, json=single(plan, 0, 10.0, gauge_code="CAL-OLD"))
    detail = res.json()["detail"]
    assert "CAL-OLD" in detail and day(-1) in detail and "overdue" in detail
    assert count_rows(app, "measurements") == 0


def test_a_blocked_gauge_is_refused(client, plan, operator, gauges):
    detail = call(client, operator, "POST", "/measurements/", 409,
                  json=single(plan, 0, 10.0, gauge_code="MIC-BLK")).json()["detail"]
    assert "MIC-BLK" in detail and "blocked" in detail and day(100) in detail


def test_an_unknown_gauge_is_refused(client, plan, operator, gauges):
    detail = call(client, operator, "POST", "/measurements/", 404,
                  json=single(plan, 0, 10.0, gauge_code="NOPE")).json()["detail"]
    assert "NOPE" in detail


def test_a_batch_is_refused_whole_naming_the_item(client, plan, operator, gauges, app):
    body = {"measurements": [single(plan, 0, 10.0, gauge_code="CAL-OK"),
                             single(plan, 1, 20.0, gauge_code="CAL-OLD")]}
    detail = call(client, operator, "POST", "/measurements/batch", 409, json=body).json()["detail"]
    assert detail.startswith("Item 1: ") and "CAL-OLD" in detail
    assert count_rows(app, "measurements") == 0
    body["measurements"][1]["gauge_code"] = "CAL-OK"
    stored = call(client, operator, "POST", "/measurements/batch", 200, json=body).json()
    assert [m["gauge_code"] for m in stored] == ["CAL-OK", "CAL-OK"]


def test_run_values_are_checked_too(client, plan, operator, gauges, plans):
    station = plans.station()
    run = start_run(client, operator, plan, station)
    detail = add(client, operator, run["id"], plan.subtask_ids[0], 10.0, 409, gauge_code="CAL-OLD")["detail"]
    assert "CAL-OLD" in detail
    assert add(client, operator, run["id"], plan.subtask_ids[0], 10.0, gauge_code="CAL-OK")["gauge_code"] == "CAL-OK"
    many = {"measurements": [{"subtask_id": plan.subtask_ids[1], "value": 20.0, "gauge_code": "MIC-BLK"}]}
    assert call(client, operator, "POST", f"/runs/{run['id']}/measurements", 409, json=many).json()[
        "detail"].startswith("Item 0: ")


def test_a_gauge_back_from_calibration_is_accepted_again(client, plan, operator, metrologist, gauges):
    call(client, operator, "POST", "/measurements/", 409, json=single(plan, 0, 10.0, gauge_code="CAL-OLD"))
    call(client, metrologist, "PATCH", "/gauges/CAL-OLD", 200,
         json={"calibration_interval_days": 365})
    call(client, metrologist, "POST", "/gauges/CAL-OLD/calibrations", 201, json={"calibrated_on": day(0),
                                                                              "result": "pass"})
    call(client, operator, "POST", "/measurements/", 200, json=single(plan, 0, 10.0, gauge_code="CAL-OLD"))


def test_a_characteristic_can_require_a_gauge_of_given_kinds(client, plan, operator, metrologist, gauges):
    cid = plan.characteristic_ids[0]
    assert call(client, operator, "GET", f"/characteristics/{cid}/gauge-rule", 200).json() == {
        "characteristic_id": cid, "gauge_required": False, "allowed_kinds": []}
    rule = call(client, metrologist, "PUT", f"/characteristics/{cid}/gauge-rule", 200,
                json={"gauge_required": True, "allowed_kinds": ["micrometer"]}).json()
    assert rule["allowed_kinds"] == ["micrometer"]
    detail = call(client, operator, "POST", "/measurements/", 409, json=single(plan, 0, 10.0)).json()["detail"]
    assert "gauge_code" in detail
    detail = call(client, operator, "POST", "/measurements/", 409,
                  json=single(plan, 0, 10.0, gauge_code="CAL-OK")).json()["detail"]
    assert "micrometer" in detail and "caliper" in detail
    call(client, operator, "POST", "/measurements/", 200, json=single(plan, 0, 10.0, gauge_code="MIC-OK"))
    # The other characteristic has no rule: no gauge needed.
    call(client, operator, "POST", "/measurements/", 200, json=single(plan, 1, 20.0))
    call(client, operator, "PUT", f"/characteristics/{cid}/gauge-rule", 403, json={"gauge_required": False})
    call(client, metrologist, "PUT", "/characteristics/999999/gauge-rule", 404, json={"gauge_required": False})


def test_lists_exports_and_statistics_filter_by_gauge(client, plan, operator, metrologist, gauges):
    for serial, code in (("SN-1", "CAL-OK"), ("SN-2", "MIC-OK"), ("SN-3", None)):
        extra = {"gauge_code": code} if code else {}
        call(client, operator, "POST", "/measurements/", 200, json=single(plan, 0, 10.0, serial=serial, **extra))
    listed = call(client, metrologist, "GET", "/measurements?gauge_code=CAL-OK", 200).json()["items"]
    assert [m["serial_number"] for m in listed] == ["SN-1"]
    csv = call(client, metrologist, "GET", "/measurements/export/csv?gauge_code=MIC-OK", 200).text
    assert "SN-2" in csv and "SN-1" not in csv and "SN-3" not in csv
    stats = call(client, metrologist, "GET", f"/statistics/summary?recipe_id={plan.recipe_id}&gauge_code=CAL-OK",
                 200).json()
    assert stats["total"] == 1
