"""Numeric measurements of HardPy cases charted as characteristics of their part number (uploaded reports)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from tests.fixtures.roles import check_route

from .conftest import BASE_TIME, hardpy_report

SPC = "/api/statistics/hardpy"
VOUT = "test_power::test_voltage::Vout"
D2 = 2 / math.sqrt(math.pi)  # d2(2): MR-bar / d2 estimates sigma within for individuals


def _upload(uploader, values, *, part_number="PCB-7", first=0, limits=(4.9, 5.1), failed_case=False, **top):
    """One report per value, an hour apart, Vout measuring each value."""
    for i, value in enumerate(values, start=first):
        report = hardpy_report(f"SN-{i:04d}", part_number=part_number, start=BASE_TIME + 3600 * i,
                               failed_case=failed_case, **top)
        [vout] = report["modules"]["test_power"]["cases"]["test_voltage"]["measurements"]
        vout.update(value=value, lower_limit=limits[0], upper_limit=limits[1], result=limits[0] <= value <= limits[1])
        res = uploader(report)
        assert res.status_code == 201, res.text


def _get(client, user, route, **params):
    res = client.get(f"{SPC}/{route}", params=params, headers=user.headers)
    return res


VALUES = [5.01, 5.03, 4.98, 5.00, 5.02, 4.99, 5.04, 5.01, 4.97, 5.00, 5.02, 5.03, 4.99, 5.01, 5.00, 4.98, 5.02,
          5.01, 5.00, 4.99]


def test_characteristics_list_numeric_measurements_of_the_part(client, uploader, metrologist):
    _upload(uploader, VALUES[:3], failed_case=True)
    _upload(uploader, [5.5], part_number="PCB-8", first=10)
    listed = _get(client, metrologist, "characteristics", part_number="PCB-7").json()
    assert [(c["key"], c["unit"], c["lsl"], c["usl"], c["count"], c["runs"]) for c in listed] == [
        ("test_power::test_current::Iq", "mA", 0, 10, 3, 3),
        (VOUT, "V", 4.9, 5.1, 3, 3)]  # the firmware string is not a characteristic
    assert (listed[1]["module_name"], listed[1]["case_name"], listed[1]["operation"]) == (
        "Power", "Output voltage", "gele")
    every = _get(client, metrologist, "characteristics").json()
    assert {(c["part_number"], c["key"]) for c in every} >= {("PCB-8", VOUT), ("PCB-7", VOUT)}
    assert _get(client, metrologist, "characteristics", part_number="NONE").json() == []


def test_control_chart_is_the_station_i_mr_of_the_values(client, uploader, metrologist):
    values = [*VALUES, 5.30]  # the last value is beyond UCL (rule 1) and beyond USL
    _upload(uploader, values)
    chart = _get(client, metrologist, "control-chart", part_number="PCB-7", measurement=VOUT)
    assert chart.status_code == 200, chart.text
    body = chart.json()
    assert [p["y"] for p in body["points"]] == values
    assert [p["serial_number"] for p in body["points"]] == [f"SN-{i:04d}" for i in range(len(values))]
    mean, mr = np.mean(values), np.mean(np.abs(np.diff(values)))
    assert body["center_line"] == pytest.approx(mean)
    assert body["ucl"] == pytest.approx(mean + 3 * mr / D2) and body["lcl"] == pytest.approx(mean - 3 * mr / D2)
    assert body["secondary"]["name"] == "mr" and body["secondary"]["center_line"] == pytest.approx(mr)
    assert body["chart"] == "imr" and body["rules"] == "we" and len(values) - 1 in body["out_of_control_indices"]
    assert body["out_of_tolerance_indices"] == [len(values) - 1]
    last = body["points"][-1]
    assert (last["pass_fail"], last["result"], last["stand_name"]) == ("fail", False, "EOL stand 1")
    assert (body["spec"]["lsl"], body["spec"]["usl"], body["spec"]["unit"], body["spec"]["key"]) == (4.9, 5.1, "V", VOUT)
    assert body["selection"] == {"part_number": "PCB-7", "key": VOUT, "n": len(values), "runs": len(values)}
    nelson = _get(client, metrologist, "control-chart", part_number="PCB-7", measurement=VOUT, rules="nelson").json()
    assert nelson["rules"] == "nelson" and [r["rule"] for r in nelson["rule_descriptions"]] == list(range(1, 9))


def test_capability_against_the_measurement_limits(client, uploader, metrologist):
    _upload(uploader, VALUES)
    cap = _get(client, metrologist, "capability", part_number="PCB-7", measurement=VOUT).json()
    mean, sd = np.mean(VALUES), np.std(VALUES, ddof=1)
    within = np.mean(np.abs(np.diff(VALUES))) / D2
    assert cap["n"] == len(VALUES) and cap["mean"] == pytest.approx(mean) and cap["stdev"] == pytest.approx(sd)
    assert cap["cp"] == pytest.approx(0.2 / (6 * within))
    assert cap["cpk"] == pytest.approx(min(5.1 - mean, mean - 4.9) / (3 * within))
    assert cap["ppk"] == pytest.approx(min(5.1 - mean, mean - 4.9) / (3 * sd))
    assert cap["cpk_ci"] is not None and cap["distribution"]["distribution"] == "normal"
    hist = _get(client, metrologist, "histogram", part_number="PCB-7", measurement=VOUT, n_bins=5).json()
    assert sum(hist["frequencies"]) == len(VALUES) and len(hist["bins"]) == 6
    assert hist["bins"][0] == pytest.approx(min(VALUES)) and hist["spec"]["usl"] == 5.1


def test_changed_limits_make_stages_and_filters_narrow(client, uploader, metrologist):
    _upload(uploader, VALUES[:10])
    _upload(uploader, VALUES[10:], first=10, limits=(4.8, 5.2))
    chart = _get(client, metrologist, "control-chart", part_number="PCB-7", measurement=VOUT).json()
    assert chart["tolerance_changed"] is True
    assert [(s["first_x"], s["last_x"], s["lsl"], s["usl"]) for s in chart["stages"]] == [
        (0, 9, 4.9, 5.1), (10, 19, 4.8, 5.2)]
    cap = _get(client, metrologist, "capability", part_number="PCB-7", measurement=VOUT).json()
    assert cap["n"] == 10 and cap["mean"] == pytest.approx(np.mean(VALUES[10:])) and cap["spec"]["usl"] == 5.2
    one = _get(client, metrologist, "control-chart", part_number="PCB-7", measurement=VOUT, serial_number="SN-0003")
    assert [p["y"] for p in one.json()["points"]] == [VALUES[3]]
    late = _get(client, metrologist, "control-chart", part_number="PCB-7", measurement=VOUT,
                date_from="2026-01-01T20:00:00Z").json()
    assert [p["y"] for p in late["points"]] == VALUES[10:]
    none = _get(client, metrologist, "control-chart", part_number="PCB-7", measurement=VOUT, stand="Other").json()
    assert none["points"] == [] and none["spec"]["usl"] == 5.2
    for route in ("capability", "histogram"):
        empty = _get(client, metrologist, route, part_number="PCB-7", measurement=VOUT, stand="Other")
        assert empty.status_code == 200 and empty.json()["n"] == 0, empty.text


def test_unnamed_measurements_and_bad_keys(client, uploader, metrologist):
    report = hardpy_report("SN-1")
    report["modules"]["test_power"]["cases"]["test_voltage"]["measurements"][0]["name"] = None
    assert uploader(report).status_code == 201
    [listed] = _get(client, metrologist, "characteristics", part_number="PCB-7").json()
    assert (listed["key"], listed["name"], listed["position"]) == ("test_power::test_voltage::#0", None, 0)
    chart = _get(client, metrologist, "control-chart", part_number="PCB-7", measurement=listed["key"]).json()
    assert [p["y"] for p in chart["points"]] == [5.02]
    assert _get(client, metrologist, "control-chart", part_number="PCB-7", measurement=VOUT).status_code == 404
    assert _get(client, metrologist, "capability", part_number="PCB-9",
                measurement=listed["key"]).status_code == 404
    assert _get(client, metrologist, "histogram", part_number="PCB-7", measurement="Vout").status_code == 422
    assert _get(client, metrologist, "control-chart", measurement=listed["key"]).status_code == 422


@pytest.mark.parametrize("route", ["characteristics", "control-chart", "capability", "histogram"])
def test_only_metrologists(client, role_users, uploader, route):
    _upload(uploader, VALUES[:3])
    seen = check_route(client, role_users, "GET", f"{SPC}/{route}", {"metrologist"},
                       params={"part_number": "PCB-7", "measurement": VOUT})
    assert seen["metrologist"] == 200
