"""The public API as StandCloud's own examples show it: status icons, and status filters in their case."""

from __future__ import annotations

from .conftest import hardpy_report


def test_runs_and_devices_carry_status_icons(reader, uploader):
    passed = uploader(hardpy_report("ICON-1")).json()["test_run_id"]
    failed = uploader(hardpy_report("ICON-2", status="failed", failed_case=True)).json()["test_run_id"]
    assert reader(f"/test_run/{passed}").json()["status_icon"] == "\u2705"
    assert reader(f"/test_run/{failed}").json()["status_icon"] == "\u274c"
    duts = {d["serial_number"]: d["status_icon"] for d in reader("/tested_dut").json()}
    assert duts == {"ICON-1": "\u2705", "ICON-2": "\u274c"}


def test_status_filter_in_any_case(reader, uploader):
    uploader(hardpy_report("CASE-1"))
    uploader(hardpy_report("CASE-2", status="failed", failed_case=True))
    for value in ("pass", "PASS", "Pass"):
        assert [r["serial_number"] for r in reader("/test_run", status=value).json()] == ["CASE-1"]
    for value in ("fail", "FAIL"):
        assert [d["serial_number"] for d in reader("/tested_dut", status=value).json()] == ["CASE-2"]
    assert reader("/test_run", status="passed").status_code == 422
